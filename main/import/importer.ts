/**
 * Import image files or whole folders (recursive) into the library (issue 18): the original bytes
 * are copied as they are (PNG stays PNG with every chunk, `workflow` included; JPEG/WebP unchanged),
 * a thumbnail is made, the metadata of any known tool is indexed, and duplicates are skipped by
 * SHA-256 of the file's bytes (or, for an image this app made, by its record's entry id).
 *
 * Concurrency: the folders are walked as a stream (a folder of 100 000 files starts importing at
 * once, and the walk holds one open folder per level, not a list of every file); each file is read
 * here, then hashed, its metadata read, decoded and thumbnailed in the worker pool (worker-pool.ts,
 * one thread per core), so the main thread only walks, reads and writes. Each file is written
 * atomically (image, thumbnail, then the entry) and a failure or a cancel removes what that file
 * wrote: the library never holds half an import. The report lists at most `maxListed` files of
 * each status (the counts hold them all), so it stays small for any folder.
 */
import { createHash } from 'node:crypto';
import { lstat, opendir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import {
  IMPORT_STATUSES,
  type ImportFileResult,
  type ImportProgress,
  type ImportReport,
  type ImportStatus,
} from '../../shared/import';
import {
  IMPORTED_PROVIDER_PREFIX,
  MAX_IMAGE_BYTES,
  type HistoryEntry,
  type ImportedParams,
} from '../../shared/library';
import type { ProviderId } from '../../shared/params';
import { detectImageType, type ImageType } from '../library/image-bytes';
import type { Library } from '../library/library';
import { IMPORT_TIME_LIMIT_MS, type ImportOptions } from '../library/png-metadata';
import { nearestAspect } from './metadata';
import { createImportPool, IMAGE_TIME_LIMIT_MS, type ImportPool } from './worker-pool';

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
  /** Every file's result as it is known (the report lists only the first `maxListed` of a status). */
  onFile?: (r: ImportFileResult) => void;
  /** The worker pool to use (the core's); without one, a pool is made for this call and closed after it. */
  pool?: ImportPool;
  /** Files in flight at once; default twice the pool's threads (reading and writing overlap the workers). */
  concurrency?: number;
  /** Files looked at from one call at most (a folder of a million files is cut, and says so). */
  maxFiles?: number;
  /** Files of one status listed in the report at most; the rest are counted in `omitted`. */
  maxListed?: number;
  maxImageBytes?: number;
  /** `timeLimitMs`: the limit of reading one file's parameters (tests shorten it). */
  importOptions?: Pick<ImportOptions, 'timeLimitMs'>;
  now?: () => number;
}

export const DEFAULT_MAX_FILES = 1_000_000;
export const DEFAULT_MAX_LISTED = 500;
const IMAGE_EXT = /\.(png|jpe?g|webp)$/i;

export type WalkItem = { file: string } | { missing: string };

/** How many files the walk may find ahead of the import (paths in memory: a few MB at most). */
export const READ_AHEAD = 50_000;

/**
 * The files to look at, as a stream: files named directly, and image-named files found under
 * folders (no symlinked folders), in the order the file system lists them.
 */
export async function* walkFiles(paths: readonly string[], signal?: AbortSignal): AsyncGenerator<WalkItem> {
  async function* walk(dir: string): AsyncGenerator<WalkItem> {
    signal?.throwIfAborted();
    let handle;
    try {
      handle = await opendir(dir, { bufferSize: 256 });
    } catch {
      yield { missing: dir };
      return;
    }
    try {
      for await (const d of handle) {
        signal?.throwIfAborted();
        const full = path.join(dir, d.name);
        if (d.isDirectory()) yield* walk(full);
        else if (d.isFile() && IMAGE_EXT.test(d.name) && !d.name.startsWith('.')) yield { file: full };
      }
    } catch (err) {
      if (signal?.aborted) throw err;
      yield { missing: dir };
    } finally {
      await handle.close().catch(() => {});
    }
  }
  for (const p of paths) {
    const abs = path.resolve(p);
    const st = await lstat(abs).catch(() => null);
    if (!st) yield { missing: abs };
    else if (st.isDirectory()) yield* walk(abs);
    else if (st.isFile() || st.isSymbolicLink()) yield { file: abs };
    else yield { missing: abs };
  }
}

/** The files to look at, as a list (at most `maxFiles`; the rest counted). */
export async function collectFiles(
  paths: readonly string[],
  maxFiles: number,
  signal?: AbortSignal,
): Promise<{ files: string[]; missing: string[]; notScanned: number }> {
  const files: string[] = [];
  const missing: string[] = [];
  let notScanned = 0;
  for await (const item of walkFiles(paths, signal)) {
    if ('missing' in item) missing.push(item.missing);
    else if (files.length < maxFiles) files.push(item.file);
    else notScanned++;
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
  // Images of other tools: no provider of ours made them. They are filed under `space:imported/<tool>`
  // (the index needs a provider id; the provider filter tells them apart) and `model: 'flux'`; the
  // tool and its model name are in params.source/modelName, the details show those, and reuse sends
  // their parameters to the user's current model and route (isImportedEntry, Library.reuse).
  const providerId: ProviderId = q.provider ?? (`${IMPORTED_PROVIDER_PREFIX}${source ?? 'file'}` as ProviderId);
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
  const maxFiles = opts.maxFiles ?? DEFAULT_MAX_FILES;
  const maxListed = opts.maxListed ?? DEFAULT_MAX_LISTED;
  const paramsLimitMs = opts.importOptions?.timeLimitMs ?? IMPORT_TIME_LIMIT_MS;
  const ownPool = opts.pool ? null : createImportPool();
  const pool = opts.pool ?? ownPool!;

  const counts = Object.fromEntries(IMPORT_STATUSES.map((s) => [s, 0])) as Record<ImportStatus, number>;
  const listed: { at: number; r: ImportFileResult }[] = [];
  let omitted = 0;
  let seen = 0;
  let done = 0;
  let notScanned = 0;
  let scanning = true;
  const record = (at: number, r: ImportFileResult) => {
    counts[r.status]++;
    if (counts[r.status] <= maxListed) listed.push({ at, r });
    else omitted++;
    opts.onFile?.(r);
  };

  const known = library.knownImages();
  /** Hashes claimed by a file of this run (checked and claimed before any await). */
  const claimed = new Map<string, string>();
  const tally = { imported: 0, duplicates: 0, failed: 0 };

  const readParams = async (
    bytes: Buffer,
    type: ImageType,
  ): Promise<{ hash: string; params: ImportedParams | null; note?: string } | { unreadable: string }> => {
    try {
      const r = await pool.inspect(bytes, type, {
        timeLimitMs: paramsLimitMs,
        what: "read this image's parameters",
        ...(signal ? { signal } : {}),
      });
      if (!r.ok) return { unreadable: r.message };
      return { hash: r.hash, params: r.params, ...(r.note ? { note: r.note } : {}) };
    } catch (err) {
      // A file made to stall or flood the readers: the worker was stopped; the image imports without them.
      if (signal?.aborted || !(err instanceof AppError) || err.code !== 'bad-image') throw err;
      const hash = createHash('sha256').update(bytes).digest('hex');
      return { hash, params: null, note: `Imported without its parameters: ${err.message}` };
    }
  };

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
    if (st.size === 0) return { path: file, status: 'not-image', message: 'The file is empty.' };
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      return { path: file, status: 'unreadable', message: `The file cannot be read: ${words(err)}` };
    }
    const type = detectImageType(bytes);
    if (!type) return { path: file, status: 'not-image', message: 'The file is not a PNG, JPEG or WebP image.' };
    const read = await readParams(bytes, type);
    if ('unreadable' in read) return { path: file, status: 'unreadable', message: read.unreadable };
    const { hash, params, note } = read;
    if (known.hashes.has(hash))
      return { path: file, status: 'duplicate', message: 'The same image is in the library already.' };
    const twin = claimed.get(hash);
    if (twin !== undefined)
      return { path: file, status: 'duplicate', message: `The same image as "${twin}" (imported in this run).` };
    claimed.set(hash, file);
    let ok = false;
    try {
      if (params?.recordId !== undefined && known.ids.has(params.recordId)) {
        return {
          path: file,
          status: 'duplicate',
          id: params.recordId,
          message: 'This image is in the library already (made by Flux Gallery).',
        };
      }
      const img = await pool.image(bytes, type, {
        timeLimitMs: IMAGE_TIME_LIMIT_MS,
        what: 'decode this image',
        ...(signal ? { signal } : {}),
      });
      if (!img.ok) return { path: file, status: img.status, message: img.message };
      signal?.throwIfAborted();
      const entry = await library.addImported({
        bytes,
        type,
        thumb: Buffer.from(img.thumb.buffer, img.thumb.byteOffset, img.thumb.byteLength),
        hash,
        createdAt: new Date(Math.min(st.mtimeMs, Date.now())),
        fields: entryFields(params, img.width, img.height),
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
    } finally {
      if (!ok) claimed.delete(hash);
    }
  };

  let lastScanning = false;
  const progress = (file?: string) => {
    if (!opts.onProgress) return;
    const elapsed = Math.max(1, now() - started);
    const rate = (done * 1000) / elapsed;
    lastScanning = scanning;
    opts.onProgress({
      done,
      total: seen,
      ...tally,
      rate,
      // While the walk goes on the total is not known yet.
      etaMs: !scanning && rate > 0 ? Math.round(((seen - done) / rate) * 1000) : null,
      scanning,
      ...(file !== undefined ? { file } : {}),
    });
  };
  const report = (at: number, r: ImportFileResult) => {
    record(at, r);
    done++;
    if (r.status === 'imported') tally.imported++;
    else if (r.status === 'duplicate') tally.duplicates++;
    else if (r.status !== 'cancelled') tally.failed++;
    progress(r.path);
  };

  // The walk runs ahead of the lanes (up to READ_AHEAD files found and waiting), so the total, and
  // with it the time left, is known early for any folder of fewer files than that; a bigger one
  // still streams (the walk waits for room) and never holds a list of every file.
  const queue: { at: number; file: string }[] = [];
  let head = 0;
  let walkError: unknown = null;
  const waiters: (() => void)[] = [];
  let room: (() => void) | null = null;
  const wakeLanes = () => {
    for (const w of waiters.splice(0)) w();
  };
  const walker = walkFiles(paths, signal);
  const walking = (async () => {
    try {
      for await (const item of walker) {
        if ('missing' in item) {
          record(-1, {
            path: item.missing,
            status: 'unreadable',
            message: 'No such file or folder, or it cannot be read.',
          });
          continue;
        }
        if (seen >= maxFiles) {
          notScanned++;
          continue;
        }
        queue.push({ at: seen++, file: item.file });
        wakeLanes();
        if (queue.length - head >= READ_AHEAD) await new Promise<void>((resolve) => (room = resolve));
      }
    } catch (err) {
      if (!signal?.aborted) walkError = err;
    } finally {
      scanning = false;
      wakeLanes();
    }
  })();
  const nextFile = async (): Promise<{ at: number; file: string } | null> => {
    for (;;) {
      // Cancelled: the lanes stop; the files still waiting are reported together below.
      if (signal?.aborted) return null;
      if (head < queue.length) {
        const item = queue[head++]!;
        if (head > 4096 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        if (room && queue.length - head < READ_AHEAD) {
          const go = room;
          room = null;
          go();
        }
        return item;
      }
      if (walkError) throw walkError;
      if (!scanning) return null;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };

  const lane = async () => {
    for (let next = await nextFile(); next; next = await nextFile()) {
      const { at, file } = next;
      if (signal?.aborted) {
        report(at, { path: file, status: 'cancelled', message: 'The import was cancelled before this file.' });
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
      report(at, r);
    }
  };
  const width = Math.max(1, Math.min(opts.concurrency ?? pool.threads * 2, 64));
  try {
    await Promise.all(Array.from({ length: width }, lane));
    if (room) (room as () => void)();
    await walking;
    // Files found but not started when the import was cancelled: one progress report for all.
    if (head < queue.length) {
      for (const { at, file } of queue.slice(head)) {
        record(at, { path: file, status: 'cancelled', message: 'The import was cancelled before this file.' });
        done++;
      }
      head = queue.length;
      progress();
    } else if (lastScanning) progress(); // the last file may finish before the walk knows it was the last
  } finally {
    await walker.return(undefined).catch(() => {});
    await ownPool?.close();
  }
  // Paths that could not be read first, then by path (the walk's order is the file system's).
  listed.sort((a, b) => (a.at < 0 !== b.at < 0 ? a.at - b.at : a.r.path < b.r.path ? -1 : a.r.path > b.r.path ? 1 : 0));
  return {
    files: listed.map((l) => l.r),
    counts,
    omitted,
    cancelled: signal?.aborted === true,
    elapsedMs: Math.round(now() - started),
    notScanned,
  };
}
