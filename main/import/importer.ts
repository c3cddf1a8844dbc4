/**
 * Import image files or whole folders (recursive) into the library (issue 18): the original bytes
 * are copied as they are (PNG stays PNG with every chunk, `workflow` included; JPEG/WebP unchanged),
 * a thumbnail is made, the metadata of any known tool is indexed, and duplicates are skipped by
 * SHA-256 of the file's bytes (or, for an image this app made, by its record's entry id).
 *
 * Concurrency: files are handled by a pool of `os.availableParallelism()` tasks; decoding and
 * thumbnails run in sharp/libvips on libuv's thread pool and A1111 text in worker threads
 * (off-thread.ts), so the main thread only walks folders, hashes (native) and writes the index.
 * Each file is written atomically (image, thumbnail, then the entry) and a failure or a cancel
 * removes what that file wrote: the library never holds half an import.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../../shared/errors';
import {
  IMPORT_STATUSES,
  type ImportFileResult,
  type ImportProgress,
  type ImportReport,
  type ImportStatus,
} from '../../shared/import';
import { MAX_IMAGE_BYTES, type HistoryEntry, type ImportedParams } from '../../shared/library';
import type { ProviderId } from '../../shared/params';
import { checkPixels, detectImageType, MAX_INPUT_PIXELS } from '../library/image-bytes';
import type { Library } from '../library/library';
import type { ImportOptions } from '../library/png-metadata';
import { makeThumbnail } from '../library/thumbnails';
import { nearestAspect, paramsFromFields, readFields } from './metadata';

export {
  IMPORT_STATUSES,
  type ImportFileResult,
  type ImportProgress,
  type ImportReport,
  type ImportStatus,
} from '../../shared/import';

export interface ImportPathsOptions {
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** Files handled at once; default the machine's parallelism. */
  concurrency?: number;
  /** Files looked at from one call at most (a folder of a million files is cut, and says so). */
  maxFiles?: number;
  maxImageBytes?: number;
  importOptions?: ImportOptions;
  now?: () => number;
}

export const DEFAULT_MAX_FILES = 1_000_000;
const IMAGE_EXT = /\.(png|jpe?g|webp)$/i;

/** The files to look at: files named directly, and image-named files found under folders (no symlinked folders). */
export async function collectFiles(
  paths: readonly string[],
  maxFiles: number,
  signal?: AbortSignal,
): Promise<{ files: string[]; missing: string[]; notScanned: number }> {
  const files: string[] = [];
  const missing: string[] = [];
  let notScanned = 0;
  const add = (f: string) => {
    if (files.length < maxFiles) files.push(f);
    else notScanned++;
  };
  const walk = async (dir: string) => {
    signal?.throwIfAborted();
    let dirents;
    try {
      dirents = await readdir(dir, { withFileTypes: true });
    } catch {
      missing.push(dir);
      return;
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of dirents) {
      const full = path.join(dir, d.name);
      if (d.isDirectory()) await walk(full);
      else if (d.isFile() && IMAGE_EXT.test(d.name) && !d.name.startsWith('.')) add(full);
    }
  };
  for (const p of paths) {
    const abs = path.resolve(p);
    const st = await lstat(abs).catch(() => null);
    if (!st) missing.push(abs);
    else if (st.isDirectory()) await walk(abs);
    else if (st.isFile() || st.isSymbolicLink()) add(abs);
    else missing.push(abs);
  }
  return { files, missing, notScanned };
}

/** The fields of a new entry for an imported image. */
function entryFields(
  p: ImportedParams | null,
  width: number,
  height: number,
): {
  prompt: string;
  model: HistoryEntry['model'];
  providerId: ProviderId;
  params: HistoryEntry['params'];
  seed: number;
  durationMs: number;
  width: number;
  height: number;
} {
  const q = p?.params ?? {};
  const source = p?.source;
  const w = q.width ?? width;
  const h = q.height ?? height;
  const params: HistoryEntry['params'] = {
    aspectRatio: q.aspectRatio ?? nearestAspect(w, h),
    width: w,
    height: h,
    // The entry needs whole positive steps and a seed; unknown ones are stored as 1 and 0.
    steps: q.steps ?? 1,
    seed: q.seed ?? 0,
    randomizeSeed: false,
  };
  if (q.guidance !== undefined) params.guidance = q.guidance;
  if (q.negativePrompt) params.negativePrompt = q.negativePrompt;
  if (source && source !== 'flux-gallery') params.source = source;
  if (q.sampler) params.sampler = q.sampler;
  if (q.modelName) params.modelName = q.modelName;
  if (q.cfgScale !== undefined) params.cfgScale = q.cfgScale;
  // Images of other tools: no provider of ours made them; they are filed under an `imported/<tool>`
  // provider id so the provider filter tells them apart (see the report of issue 18).
  const providerId: ProviderId = q.provider ?? (`space:imported/${source ?? 'file'}` as ProviderId);
  return {
    prompt: p?.prompt ?? '',
    model: q.model ?? 'flux',
    providerId,
    params,
    seed: params.seed,
    durationMs: 0,
    width,
    height,
  };
}

const words = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Imports files and folders into `library`. Never throws for one file's trouble: see the report. */
export async function importPaths(
  library: Library,
  paths: readonly string[],
  opts: ImportPathsOptions = {},
): Promise<ImportReport> {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const signal = opts.signal;
  const maxBytes = opts.maxImageBytes ?? MAX_IMAGE_BYTES;
  const results: ImportFileResult[] = [];
  const { files, missing, notScanned } = await collectFiles(paths, opts.maxFiles ?? DEFAULT_MAX_FILES, signal).catch(
    (err: unknown) => {
      if (signal?.aborted) return { files: [] as string[], missing: [] as string[], notScanned: 0 };
      throw err;
    },
  );
  for (const m of missing)
    results.push({ path: m, status: 'unreadable', message: 'No such file or folder, or it cannot be read.' });
  const known = library.knownImages();
  /** Hashes claimed by a file of this run (checked and claimed before any await). */
  const claimed = new Map<string, string>();
  const perFile: (ImportFileResult | undefined)[] = new Array<ImportFileResult | undefined>(files.length);
  let done = 0;
  const tally = { imported: 0, duplicates: 0, failed: 0 };

  const one = async (file: string): Promise<ImportFileResult> => {
    const st = await stat(file).catch(() => null);
    if (!st?.isFile()) return { path: file, status: 'unreadable', message: 'The file cannot be read.' };
    if (st.size > maxBytes) {
      const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
      return {
        path: file,
        status: 'too-large',
        message: `The file is ${mb(st.size)} MB; the limit is ${mb(maxBytes)} MB.`,
      };
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      return { path: file, status: 'unreadable', message: `The file cannot be read: ${words(err)}` };
    }
    const type = detectImageType(bytes);
    if (!type) return { path: file, status: 'not-image', message: 'The file is not a PNG, JPEG or WebP image.' };
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (known.hashes.has(hash))
      return { path: file, status: 'duplicate', message: 'The same image is in the library already.' };
    const twin = claimed.get(hash);
    if (twin !== undefined)
      return { path: file, status: 'duplicate', message: `The same image as "${twin}" (imported in this run).` };
    claimed.set(hash, file);
    let ok = false;
    try {
      // Metadata: a damaged PNG (no IEND, a cut chunk) is unreadable; parameters that could not be
      // read in time import the image without them.
      let params: ImportedParams | null = null;
      let note: string | undefined;
      try {
        const fields = await readFields(bytes, type);
        try {
          params = await paramsFromFields(fields, opts.importOptions);
        } catch (err) {
          note = `Imported without its parameters: ${words(err)}`;
        }
      } catch (err) {
        return { path: file, status: 'unreadable', message: words(err) };
      }
      if (params?.recordId !== undefined && known.ids.has(params.recordId)) {
        return {
          path: file,
          status: 'duplicate',
          id: params.recordId,
          message: 'This image is in the library already (made by Flux Gallery).',
        };
      }
      let width: number;
      let height: number;
      try {
        const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
        if (meta.format !== type || !meta.width || !meta.height)
          throw new AppError('bad-image', `The ${type.toUpperCase()} image cannot be read.`);
        width = meta.width;
        height = meta.height;
        checkPixels(width, height, MAX_INPUT_PIXELS);
      } catch (err) {
        if (err instanceof AppError && err.code === 'too-large')
          return { path: file, status: 'too-large', message: err.message };
        return { path: file, status: 'unreadable', message: `The ${type.toUpperCase()} image cannot be read.` };
      }
      let thumb: Buffer;
      try {
        thumb = await makeThumbnail(bytes);
      } catch (err) {
        if (err instanceof AppError && err.code === 'too-large')
          return { path: file, status: 'too-large', message: err.message };
        return {
          path: file,
          status: 'unreadable',
          message: `The ${type.toUpperCase()} image is damaged or cut short and cannot be decoded.`,
        };
      }
      signal?.throwIfAborted();
      const entry = await library.addImported({
        bytes,
        type,
        thumb,
        hash,
        createdAt: new Date(Math.min(st.mtimeMs, Date.now())),
        fields: entryFields(params, width, height),
        ...(signal ? { signal } : {}),
      });
      ok = true;
      known.ids.add(entry.id);
      known.hashes.add(hash);
      return {
        path: file,
        status: 'imported',
        id: entry.id,
        ...(params ? { source: params.source } : {}),
        ...(note ? { message: note } : params ? {} : { message: 'Imported; no generation parameters found in it.' }),
      };
    } catch (err) {
      if (signal?.aborted) return { path: file, status: 'cancelled', message: 'The import was cancelled.' };
      return { path: file, status: 'failed', message: words(err) };
    } finally {
      if (!ok) claimed.delete(hash);
    }
  };

  const report = (i: number, r: ImportFileResult) => {
    perFile[i] = r;
    done++;
    if (r.status === 'imported') tally.imported++;
    else if (r.status === 'duplicate') tally.duplicates++;
    else if (r.status !== 'cancelled') tally.failed++;
    if (!opts.onProgress) return;
    const elapsed = Math.max(1, now() - started);
    const rate = (done * 1000) / elapsed;
    opts.onProgress({
      done,
      total: files.length,
      ...tally,
      rate,
      etaMs: rate > 0 ? Math.round(((files.length - done) / rate) * 1000) : null,
      file: r.path,
    });
  };

  let next = 0;
  const width = Math.max(1, Math.min(opts.concurrency ?? os.availableParallelism(), 32));
  const lane = async () => {
    while (next < files.length) {
      const i = next++;
      const file = files[i]!;
      if (signal?.aborted) {
        perFile[i] = { path: file, status: 'cancelled', message: 'The import was cancelled before this file.' };
        continue;
      }
      let r: ImportFileResult;
      try {
        r = await one(file);
      } catch (err) {
        r = signal?.aborted
          ? { path: file, status: 'cancelled', message: 'The import was cancelled.' }
          : { path: file, status: 'failed', message: words(err) };
      }
      report(i, r);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  for (const r of perFile) if (r) results.push(r);
  const counts = Object.fromEntries(IMPORT_STATUSES.map((s) => [s, 0])) as Record<ImportStatus, number>;
  for (const r of results) counts[r.status]++;
  return {
    files: results,
    counts,
    cancelled: signal?.aborted === true,
    elapsedMs: Math.round(now() - started),
    notScanned,
  };
}
