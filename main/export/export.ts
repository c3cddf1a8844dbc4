/**
 * Export: images of the library to a folder or one ZIP file, streamed.
 *
 *  - PNG: the library's file as stored, byte for byte (its `parameters` and `flux-gallery` chunks).
 *    JPEG/WebP: made by sharp, with the A1111 text in EXIF UserComment (exif.ts).
 *  - Optional `.txt` sidecars (the A1111 text) and a `parameters.csv` (csv.ts).
 *  - Names from a pattern, safe on every OS, numbered when taken (names.ts).
 *  - ZIP: yazl writes the archive as a stream; one image at a time is handed to it and the next
 *    waits until it has been consumed, so memory holds a few images, never the archive. It is
 *    written to a temporary name beside the target (`.<name>.<pid>-<random>.partial`), fsynced, and
 *    renamed to its name at the end: a cancelled or failed export (a full disk) leaves no ZIP.
 *  - Folder: files are created exclusively (`wx`, never overwriting what is there); a cancelled or
 *    failed export removes every file it wrote (and the folder, if it made it and it is empty).
 *
 * Everything written goes through `ExportIo.createWriteStream` (tests inject a stream that fails
 * with ENOSPC part-way).
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, realpath, rename, rm, rmdir, stat, utimes } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import yazl from 'yazl';
import { AppError, toErrorInfo, type ErrorInfo } from '../../shared/errors';
import type { HistoryEntry } from '../../shared/library';
import type { ExportFinished, ExportFormat, ExportSkipped } from '../../shared/organise';
import { MAX_INPUT_PIXELS } from '../library/image-bytes';
import { errnoCode, toIoError } from '../library/io-errors';
import { A1111_KEYWORD, formatParameters } from '../library/png-metadata';
import { setTextChunks } from '../library/png-text-chunks';
import { resolveInside } from '../security/confine';
import { csvHeader, csvRow } from './csv';
import { jpegWithExif, userCommentTiff, webpWithExif } from './exif';
import { NameBook, namePattern } from './names';

export interface ExportIo {
  /** Every file the export writes is opened here (`flags`: `wx` for new files). */
  createWriteStream(file: string, opts: { flags: string }): Writable;
}

export const nodeExportIo: ExportIo = {
  createWriteStream: (file, opts) => createWriteStream(file, { flags: opts.flags, mode: 0o644 }),
};

export interface ExportPlan {
  libraryDir: string;
  entries: readonly HistoryEntry[];
  destination: { kind: 'folder'; dir: string } | { kind: 'zip'; file: string; overwrite: boolean };
  format: ExportFormat;
  quality: number;
  sidecar: boolean;
  csv: boolean;
  pattern: string;
  /** Board id → name, for the CSV. */
  boardNames: ReadonlyMap<string, string>;
}

export interface ExportRunOptions {
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; bytes: number }) => void;
  io?: ExportIo;
  /** Images converted ahead of the one being written (JPEG/WebP). */
  prefetch?: number;
}

export type ExportOutcome = Omit<ExportFinished, 'operationId'>;

const EXT: Record<ExportFormat, string> = { png: '.png', jpeg: '.jpg', webp: '.webp' };
const CSV_NAME = 'parameters';
/** Reads of stored PNGs in 1 MiB chunks: a third faster through the ZIP's streams than the 64 KiB default. */
const READ_CHUNK = 1 << 20;

/**
 * Where an export may write: an absolute path, not inside the library folder (nor the library
 * inside a folder export's... the library folder itself), a ZIP file name ending in `.zip` in an
 * existing folder. Returns the resolved path.
 */
export async function checkDestination(dest: ExportPlan['destination'], libraryDir: string): Promise<string> {
  const raw = dest.kind === 'folder' ? dest.dir : dest.file;
  if (raw.includes('\0') || !path.isAbsolute(raw)) {
    throw new AppError('invalid-argument', 'Choose where to export with a full path (a folder or a .zip file).');
  }
  const target = path.resolve(raw);
  const lib = await realOr(path.resolve(libraryDir));
  // The nearest existing folder, with every symlink followed: a link into the library is caught.
  const probe = dest.kind === 'folder' ? target : path.dirname(target);
  const real = path.join(
    await realOr(await nearestExisting(probe)),
    path.relative(await nearestExisting(probe), probe),
  );
  if (isInsideOrSame(lib, real)) {
    throw new AppError('forbidden', 'Export to a folder outside the library folder: it holds the library itself.');
  }
  if (dest.kind === 'zip') {
    if (!/\.zip$/i.test(target)) throw new AppError('invalid-argument', 'The export file must end in .zip.');
    const parent = await stat(path.dirname(target)).catch(() => null);
    if (!parent?.isDirectory()) {
      throw new AppError('file-missing', `The folder "${path.dirname(target)}" does not exist.`);
    }
    const existing = await stat(target).catch(() => null);
    if (existing?.isDirectory()) throw new AppError('invalid-argument', `"${target}" is a folder, not a .zip file.`);
    if (existing && !dest.overwrite) {
      throw new AppError('invalid-argument', `"${path.basename(target)}" exists already: choose another name.`);
    }
  } else {
    const st = await stat(target).catch(() => null);
    if (st && !st.isDirectory()) throw new AppError('invalid-argument', `"${target}" is a file, not a folder.`);
  }
  return target;
}

async function realOr(p: string): Promise<string> {
  return realpath(p).catch(() => p);
}

async function nearestExisting(p: string): Promise<string> {
  let cur = p;
  for (;;) {
    if (await stat(cur).catch(() => null)) return cur;
    const up = path.dirname(cur);
    if (up === cur) return cur;
    cur = up;
  }
}

function isInsideOrSame(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** What one image becomes: its bytes (or a stream of them) and its A1111 text. */
interface Prepared {
  entry: HistoryEntry;
  base: string;
  text: string;
  /** Converted bytes; absent for PNG, which is streamed from the library file. */
  bytes?: Buffer;
  source: string;
  size: number;
}

const cancelledError = () => new AppError('cancelled', 'The export was cancelled.');

export async function runExport(plan: ExportPlan, opts: ExportRunOptions = {}): Promise<ExportOutcome> {
  const io = opts.io ?? nodeExportIo;
  const signal = opts.signal ?? new AbortController().signal;
  const total = plan.entries.length;
  const destination = plan.destination.kind === 'folder' ? plan.destination.dir : plan.destination.file;
  const skipped: ExportSkipped[] = [];
  let bytes = 0;
  let done = 0;
  let lastProgress = 0;
  const progress = (force = false) => {
    const now = Date.now();
    if (!force && now - lastProgress < 100) return;
    lastProgress = now;
    opts.onProgress?.({ done, total, bytes });
  };
  const nameOf = namePattern(plan.pattern, total);
  const ext = EXT[plan.format];
  const imageExts = plan.sidecar ? [ext, '.txt'] : [ext];
  const sink =
    plan.destination.kind === 'zip'
      ? await ZipSink.open(plan.destination.file, io)
      : await FolderSink.open(plan.destination.dir, io);
  const outcome = (status: ExportFinished['status'], error: ErrorInfo | null): ExportOutcome => ({
    status,
    destination,
    written: status === 'done' ? done - skipped.length : 0,
    total,
    bytes: status === 'done' ? bytes : 0,
    skipped,
    error,
  });
  try {
    const csv = plan.csv ? await sink.openCsv(CSV_NAME) : null;
    if (csv) await csv.write(csvHeader());
    progress(true);
    const prefetch = plan.format === 'png' ? 1 : Math.max(1, opts.prefetch ?? 3);
    const pending: Promise<Prepared | ExportSkipped>[] = [];
    let next = 0;
    const fill = () => {
      while (pending.length < prefetch && next < total) {
        const i = next++;
        const p = prepare(plan, plan.entries[i]!, nameOf(plan.entries[i]!, i));
        p.catch(() => {}); // awaited in order below
        pending.push(p);
      }
    };
    for (let i = 0; i < total; i++) {
      if (signal.aborted) throw cancelledError();
      fill();
      const item = await pending.shift()!;
      fill();
      if (signal.aborted) throw cancelledError();
      if ('error' in item) {
        skipped.push(item);
        done++;
        progress();
        continue;
      }
      const base = sink.book.claim(item.base, imageExts);
      const at = new Date(item.entry.createdAt);
      const data = item.bytes;
      await sink.add(
        base + ext,
        () => (data ? Readable.from([data]) : createReadStream(item.source, { highWaterMark: READ_CHUNK })),
        at,
        signal,
      );
      bytes += item.size;
      if (plan.sidecar) {
        const text = Buffer.from(item.text, 'utf8');
        await sink.add(`${base}.txt`, () => Readable.from([text]), at, signal, true);
        bytes += text.length;
      }
      if (csv) await csv.write(csvRow(item.entry, base + ext, plan.boardNames));
      done++;
      progress();
    }
    if (csv) bytes += await csv.close();
    if (signal.aborted) throw cancelledError();
    await sink.finish(plan.destination.kind === 'zip' ? plan.destination.overwrite : false);
    progress(true);
    return outcome('done', null);
  } catch (err) {
    await sink.abort().catch(() => {});
    if (signal.aborted) return outcome('cancelled', null);
    const info = err instanceof AppError ? err.toInfo() : toErrorInfo(toIoError(err, 'export the images', destination));
    return outcome('failed', info);
  }
}

/** Reads (and for JPEG/WebP converts) one image; a missing or unreadable file is skipped, not fatal. */
async function prepare(plan: ExportPlan, entry: HistoryEntry, base: string): Promise<Prepared | ExportSkipped> {
  try {
    const file = resolveInside(plan.libraryDir, entry.file);
    if (!file.exists)
      throw new AppError('file-missing', `The image file "${entry.file}" is missing from the library folder.`);
    const text = formatParameters(entry);
    if (plan.format === 'png' && /\.png$/i.test(entry.file)) {
      const st = await stat(file.abs);
      return { entry, base, text, source: file.abs, size: st.size };
    }
    if (plan.format === 'png') {
      // An imported JPEG or WebP: made a PNG, with the parameters as A1111 writes them.
      const png = await sharp(file.abs, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS }).png().toBuffer();
      const bytes = setTextChunks(png, [[A1111_KEYWORD, text]]);
      return { entry, base, text, bytes, source: file.abs, size: bytes.length };
    }
    const tiff = userCommentTiff(text);
    const img = sharp(file.abs, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS });
    let bytes: Buffer;
    if (plan.format === 'jpeg') {
      const out = await img.flatten({ background: '#ffffff' }).jpeg({ quality: plan.quality }).toBuffer();
      bytes = jpegWithExif(out, tiff);
    } else {
      // Effort 2 of 0–6: about six times faster than sharp's default 4, for a slightly larger file.
      const { data, info } = await img.webp({ quality: plan.quality, effort: 2 }).toBuffer({ resolveWithObject: true });
      bytes = webpWithExif(data, tiff, { width: info.width, height: info.height, alpha: info.channels === 4 });
    }
    return { entry, base, text, bytes, source: file.abs, size: bytes.length };
  } catch (err) {
    const info =
      err instanceof AppError
        ? err.toInfo()
        : {
            code: 'bad-image' as const,
            message: `Could not read the image "${entry.file}": ${err instanceof Error ? err.message : String(err)}`,
          };
    return { id: entry.id, error: info };
  }
}

// ---- sinks -------------------------------------------------------------------------------------

interface CsvSink {
  write(text: string): Promise<void>;
  /** Bytes written. */
  close(): Promise<number>;
}

interface Sink {
  book: NameBook;
  /** Adds one file; resolves once it is written (or handed to the archive and consumed). */
  add(name: string, body: () => Readable, mtime: Date, signal: AbortSignal, compress?: boolean): Promise<void>;
  openCsv(base: string): Promise<CsvSink>;
  finish(overwrite: boolean): Promise<void>;
  abort(): Promise<void>;
}

/** Writes to a stream, waiting for it to drain; fails when the stream fails. */
function streamWriter(ws: Writable): { write(text: string): Promise<void>; end(): Promise<void>; bytes: () => number } {
  let failure: Error | null = null;
  let count = 0;
  ws.on('error', (err) => {
    failure = err;
  });
  return {
    bytes: () => count,
    async write(text) {
      if (failure) throw failure;
      const buf = Buffer.from(text, 'utf8');
      count += buf.length;
      if (!ws.write(buf)) {
        await new Promise<void>((resolve, reject) => {
          const done = () => {
            ws.off('drain', done);
            ws.off('error', fail);
            resolve();
          };
          const fail = (err: Error) => {
            ws.off('drain', done);
            reject(err);
          };
          ws.on('drain', done);
          ws.once('error', fail);
        });
      }
      if (failure) throw failure;
    },
    async end() {
      if (failure) throw failure;
      await new Promise<void>((resolve, reject) => {
        ws.once('error', reject);
        ws.end(() => resolve());
      });
      if (failure) throw failure;
    },
  };
}

class FolderSink implements Sink {
  private readonly written: string[] = [];
  private readonly open = new Set<Writable>();

  private constructor(
    private readonly dir: string,
    private readonly made: string | null,
    readonly book: NameBook,
    private readonly io: ExportIo,
  ) {}

  static async open(dir: string, io: ExportIo): Promise<FolderSink> {
    let made: string | null = null;
    try {
      made = (await mkdir(dir, { recursive: true })) ?? null;
    } catch (err) {
      throw toIoError(err, 'make the export folder', dir);
    }
    const existing = await readdir(dir).catch(() => [] as string[]);
    return new FolderSink(dir, made, new NameBook(existing), io);
  }

  async add(name: string, body: () => Readable, mtime: Date, signal: AbortSignal): Promise<void> {
    const file = path.join(this.dir, name);
    // Noted before the stream opens: a failure half-way must still remove it.
    this.written.push(file);
    const ws = this.io.createWriteStream(file, { flags: 'wx' });
    this.open.add(ws);
    try {
      await pipeline(body(), ws, { signal });
    } catch (err) {
      if (errnoCode(err) === 'EEXIST') {
        // Made by someone else since the folder was read: not ours to remove.
        this.written.pop();
        const dot = name.lastIndexOf('.');
        const again = this.book.claimFile(name.slice(0, dot), name.slice(dot));
        return this.add(again, body, mtime, signal);
      }
      throw err;
    } finally {
      this.open.delete(ws);
    }
    await utimes(file, mtime, mtime).catch(() => {});
  }

  async openCsv(base: string): Promise<CsvSink> {
    const name = this.book.claimFile(base, '.csv');
    const file = path.join(this.dir, name);
    this.written.push(file);
    const ws = this.io.createWriteStream(file, { flags: 'wx' });
    this.open.add(ws);
    const w = streamWriter(ws);
    return {
      write: (t) => w.write(t),
      close: async () => {
        await w.end();
        this.open.delete(ws);
        return w.bytes();
      },
    };
  }

  async finish(): Promise<void> {}

  async abort(): Promise<void> {
    for (const ws of this.open) ws.destroy();
    await Promise.all([...this.open].map((ws) => closed(ws)));
    for (const f of this.written) await rm(f, { force: true }).catch(() => {});
    if (this.made) await removeEmptyUpTo(this.made, this.dir);
  }
}

/** Removes `leaf` and its parents up to `top` (the first folder mkdir made) while they are empty. */
async function removeEmptyUpTo(top: string, leaf: string): Promise<void> {
  let cur = leaf;
  for (;;) {
    try {
      await rmdir(cur);
    } catch {
      return;
    }
    if (path.resolve(cur) === path.resolve(top)) return;
    cur = path.dirname(cur);
  }
}

function closed(ws: Writable): Promise<void> {
  const fsStream = ws as WriteStream;
  if (fsStream.closed || ws.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    ws.once('close', () => resolve());
    setTimeout(resolve, 1000).unref();
  });
}

class ZipSink implements Sink {
  readonly book = new NameBook();
  private readonly zip = new yazl.ZipFile();
  private readonly out: Writable;
  private readonly failed: Promise<never>;
  private failure: Error | null = null;
  private csvTemp: string | null = null;
  private csvName: string | null = null;
  /** The entry being handed to the archive (destroyed on abort: its file must not stay open). */
  private current: Readable | null = null;
  private csvStream: Writable | null = null;

  private constructor(
    private readonly target: string,
    private readonly temp: string,
    private readonly io: ExportIo,
  ) {
    this.out = io.createWriteStream(temp, { flags: 'wx' });
    this.failed = new Promise<never>((_, reject) => {
      const fail = (err: Error) => {
        this.failure ??= err;
        reject(this.failure);
      };
      this.out.on('error', fail);
      (this.zip.outputStream as Readable).on('error', fail);
    });
    this.failed.catch(() => {});
    (this.zip.outputStream as Readable).pipe(this.out);
  }

  static async open(target: string, io: ExportIo): Promise<ZipSink> {
    return new ZipSink(target, tempName(target, 'partial'), io);
  }

  async add(name: string, make: () => Readable, mtime: Date, signal: AbortSignal, compress = false): Promise<void> {
    if (this.failure) throw this.failure;
    if (signal.aborted) throw cancelledError();
    const body = make();
    this.current = body;
    const consumed = new Promise<void>((resolve, reject) => {
      body.once('end', resolve);
      body.once('error', reject);
    });
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(cancelledError());
      signal.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => {});
    // Already-compressed images are stored; only text is deflated.
    this.zip.addReadStream(body, name, { mtime, compress });
    try {
      await Promise.race([consumed, this.failed, aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.current = null;
    }
  }

  async openCsv(base: string): Promise<CsvSink> {
    this.csvName = this.book.claimFile(base, '.csv');
    this.csvTemp = tempName(this.target, 'csv.partial');
    const ws = this.io.createWriteStream(this.csvTemp, { flags: 'wx' });
    this.csvStream = ws;
    const w = streamWriter(ws);
    return {
      write: (t) => w.write(t),
      close: async () => {
        await w.end();
        return w.bytes();
      },
    };
  }

  async finish(overwrite: boolean): Promise<void> {
    if (this.csvTemp && this.csvName) {
      const csv = this.csvTemp;
      await this.add(this.csvName, () => createReadStream(csv), new Date(), new AbortController().signal, true);
    }
    const finished = new Promise<void>((resolve, reject) => {
      this.out.once('finish', resolve);
      this.out.once('error', reject);
    });
    this.zip.end();
    await Promise.race([finished, this.failed]);
    await closed(this.out);
    // Durable before it takes its name: a crash right after must not leave a truncated archive.
    const fh = await open(this.temp, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (!overwrite && (await stat(this.target).catch(() => null))) {
      throw new AppError(
        'invalid-argument',
        `"${path.basename(this.target)}" was made meanwhile: export again with another name.`,
      );
    }
    await rename(this.temp, this.target);
    if (this.csvTemp) await rm(this.csvTemp, { force: true }).catch(() => {});
  }

  async abort(): Promise<void> {
    this.current?.destroy();
    (this.zip.outputStream as Readable).unpipe(this.out);
    (this.zip.outputStream as Readable).destroy();
    this.out.destroy();
    this.csvStream?.destroy();
    await closed(this.out);
    if (this.csvStream) await closed(this.csvStream);
    await rm(this.temp, { force: true }).catch(() => {});
    if (this.csvTemp) await rm(this.csvTemp, { force: true }).catch(() => {});
  }
}

/** `.<name>.<pid>-<random>.<tag>` beside the target: hidden, and never taken for the export itself. */
function tempName(target: string, tag: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}-${randomBytes(6).toString('hex')}.${tag}`,
  );
}
