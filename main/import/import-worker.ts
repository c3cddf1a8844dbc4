/**
 * The import pool's worker (issue 18): the CPU-heavy part of importing one file, off the main
 * thread. Bundled on its own as `out/main/import-worker.mjs` (scripts/build.mjs); worker-pool.ts
 * runs it through piscina, which adds the time limit, the heap cap and cancellation.
 *
 * Two tasks per file, so a duplicate costs no decoding:
 *  - `inspect`: SHA-256 of the bytes and the parameters of any known tool (A1111 text split here:
 *    the whole task is under the pool's time limit, no second worker is needed);
 *  - `image`: the decoded size (within the pixel limit) and the 256 px WebP thumbnail.
 * Failures come back as values with words for the report, never as thrown errors (those are the
 * pool's own: a time limit, a heap cap, a cancel).
 */
import { createHash } from 'node:crypto';
import type { MessagePort } from 'node:worker_threads';
import sharp from 'sharp';
import { AppError } from '../../shared/errors';
import type { ImportedParams } from '../../shared/library';
import { checkPixels, MAX_INPUT_PIXELS, type ImageType } from '../library/image-bytes';
import { makeThumbnail } from '../library/thumbnails';
import { paramsFromFields, readFields } from './metadata';

export interface InspectTask {
  op: 'inspect';
  bytes: Uint8Array;
  type: ImageType;
}
export type InspectResult =
  | { ok: true; hash: string; params: ImportedParams | null; note?: string }
  | { ok: false; hash: string; message: string };

export interface ImageTask {
  op: 'image';
  bytes: Uint8Array;
  type: ImageType;
}
export type ImageResult =
  | { ok: true; width: number; height: number; thumb: Uint8Array }
  | { ok: false; status: 'too-large' | 'unreadable'; message: string };

/** `started`: the pool's port, told when the task begins (its time limit runs from then). */
export type WorkerTask = (InspectTask | ImageTask) & { started?: MessagePort };

const words = (err: unknown) => (err instanceof Error ? err.message : String(err));
const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

export async function inspect(task: InspectTask): Promise<InspectResult> {
  const bytes = asBuffer(task.bytes);
  const hash = createHash('sha256').update(bytes).digest('hex');
  // A damaged PNG (no IEND, a cut chunk) is unreadable; parameters that cannot be read import the image without them.
  let fields;
  try {
    fields = await readFields(bytes, task.type);
  } catch (err) {
    return { ok: false, hash, message: words(err) };
  }
  try {
    return { ok: true, hash, params: await paramsFromFields(fields, { inThread: true }) };
  } catch (err) {
    return { ok: true, hash, params: null, note: `Imported without its parameters: ${words(err)}` };
  }
}

export async function image(task: ImageTask): Promise<ImageResult> {
  const bytes = asBuffer(task.bytes);
  const kind = task.type.toUpperCase();
  let width: number;
  let height: number;
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    if (meta.format !== task.type || !meta.width || !meta.height)
      throw new AppError('bad-image', `The ${kind} image cannot be read.`);
    width = meta.width;
    height = meta.height;
    checkPixels(width, height, MAX_INPUT_PIXELS);
  } catch (err) {
    if (err instanceof AppError && err.code === 'too-large')
      return { ok: false, status: 'too-large', message: err.message };
    return { ok: false, status: 'unreadable', message: `The ${kind} image cannot be read.` };
  }
  try {
    const thumb = await makeThumbnail(bytes);
    return { ok: true, width, height, thumb: new Uint8Array(thumb.buffer, thumb.byteOffset, thumb.byteLength) };
  } catch (err) {
    if (err instanceof AppError && err.code === 'too-large')
      return { ok: false, status: 'too-large', message: err.message };
    return {
      ok: false,
      status: 'unreadable',
      message: `The ${kind} image is damaged or cut short and cannot be decoded.`,
    };
  }
}

/** piscina calls the default export with each task. */
export default function run(task: WorkerTask): Promise<InspectResult | ImageResult> {
  task.started?.postMessage(0);
  task.started?.close();
  return task.op === 'inspect' ? inspect(task) : image(task);
}
