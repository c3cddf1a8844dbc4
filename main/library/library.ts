/**
 * The library service: saved images, their thumbnails and the history index, behind entry ids.
 * Each method maps to one contract channel (history:*, image:import, drag:start). Plain Node: the
 * desktop actions (trash, reveal, clipboard, drag) come from the injected Platform.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { EventPayloads, ImportImageSchema, MediaKind } from '../../shared/contract';
import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import {
  EntryIdSchema,
  HistoryFilterSchema,
  HistoryQuerySchema,
  isImportedEntry,
  MAX_IMAGE_BYTES,
  type HistoryEntry,
  type HistoryFilterInput,
  type HistoryIds,
  type HistoryPage,
  type HistoryQueryInput,
  type ImportedParams,
  type ReusedParams,
} from '../../shared/library';
import {
  BulkRequestSchema,
  BulkTargetSchema,
  type BoardInfo,
  type BoardsState,
  type BulkActionType,
  type BulkRequest,
  type BulkResult,
  type BulkUndoResult,
} from '../../shared/organise';
import {
  EXTRA_KEY_RE,
  ExtraValueSchema,
  GenerationParamsSchema,
  LIMITS,
  modelRunBy,
  type GenerationParams,
  type ProviderId,
  type ResolvedParams,
} from '../../shared/params';
import type { Platform } from '../platform';
import { confStoreFactory, type StoreFactory } from '../store';
import { writeFileAtomic } from './atomic-write';
import { BoardStore } from './boards';
import { LOCK_NAME } from './index-lock';
import { withModelThatRan } from './entry-schema';
import { HistoryStore, WRITE_CHUNK, type LoadProblems } from './history-store';
import { checkImageBytes, toPng } from './image-bytes';
import { readImageParams } from '../import/metadata';
import { toIoError } from './io-errors';
import { resolveInside } from '../security/confine';
import { LAYOUT, relPathsFor } from './paths';
import { embedMetadata, importParams, toEmbeddedRecord, type ImportOptions } from './png-metadata';
import { recoverEntries, scanLibrary } from './recovery';
import { makeThumbnail } from './thumbnails';

export type LibraryEventChannel =
  | 'history:added'
  | 'history:updated'
  | 'history:removed'
  | 'history:bulkProgressed'
  | 'history:bulkUpdated'
  | 'boards:changed';
/** Compatible with EventBus.emit. */
export type LibraryEmit = <E extends LibraryEventChannel>(channel: E, payload: EventPayloads[E]) => void;

export interface LibraryOptions {
  /** The library folder (images, thumbnails, and by default the index). */
  dir: string;
  platform: Platform;
  /** electron-store in the app; conf elsewhere. */
  storeFactory?: StoreFactory;
  /** Where the history index lives; default `<dir>/.flux-gallery/history`, so a library folder is self-contained. */
  indexDir?: string;
  /** How long a deleted image can be brought back before it goes to the OS trash. */
  purgeDelayMs?: number;
  /** Not used any more (the index is no longer sharded); accepted so callers keep working. */
  shardSize?: number;
  maxImageBytes?: number;
  /**
   * Look for images without an entry (and temp files) at open; default true (the open waits for it).
   * `'background'` (the app): the open returns first and the scan runs after it, its finds sent as
   * `history:added`; walking a million image files would otherwise hold up the first tiles by seconds.
   * A damaged index is always rebuilt before the open returns.
   */
  scanOnOpen?: boolean | 'background';
  /**
   * Send files parked for deletion by an earlier session to the trash at open; default true. The
   * CLI turns it off: the app may be running and still offer undo for them.
   */
  purgeLeftoversOnOpen?: boolean;
  /**
   * Only reads (the CLI's `history`): creates nothing, sweeps nothing, repairs nothing, takes no
   * lock; every change is refused. Implies no scan and no purge at open.
   */
  readOnly?: boolean;
  /** Reading a dropped image's parameters (tests shorten the time limit). */
  importOptions?: ImportOptions;
  /** How long an index write waits for another process's lock (tests shorten it). */
  lockWaitMs?: number;
  emit?: LibraryEmit;
  log?: (message: string, err?: unknown) => void;
  now?: () => Date;
}

/** A final image and how it was made. */
export interface SaveImageInput {
  bytes: Uint8Array;
  /** The parameters as requested (kept in the embedded JSON). */
  request: GenerationParams;
  providerId: ProviderId;
  /** What the provider sent to the Space. */
  resolved: ResolvedParams;
  /** Seed the Space reports it used; null when it does not say (then `resolved.seed`). */
  seed: number | null;
  durationMs: number;
  createdAt?: Date;
}

/** Issue 18: an imported file (main/import/importer.ts). */
export interface ImportedFileInput {
  bytes: Buffer;
  type: 'png' | 'jpeg' | 'webp';
  thumb: Buffer;
  hash: string;
  createdAt: Date;
  fields: Pick<HistoryEntry, 'prompt' | 'model' | 'providerId' | 'params' | 'seed' | 'durationMs' | 'width' | 'height'>;
  signal?: AbortSignal;
}

/** A set answered partly by the index (see Library.knownImages). */
export interface KnownSet {
  has(key: string): boolean;
  add(key: string): void;
}

export interface OpenReport {
  entries: number;
  /** Index files that could not be read, kept under these names. */
  corruptBackups: string[];
  droppedEntries: number;
  tempFilesRemoved: number;
  /** Entries rebuilt from images' embedded metadata. */
  recovered: number;
  /** Image files with no readable metadata (left in place, not in history). */
  unreadable: string[];
  /** Deleted images of an earlier session sent to the trash. */
  purged: number;
}

interface PendingDelete {
  entry: HistoryEntry;
  moves: { original: string; parked: string }[];
  timer: NodeJS.Timeout;
}

/** A bulk delete waiting for undo: one batch, one marker, one timer. */
interface PendingBatch {
  entries: HistoryEntry[];
  moves: { original: string; parked: string }[];
  timer: NodeJS.Timeout;
}

/** A bulk delete's marker in `.flux-gallery/deleting/` (one file for the whole batch). */
const BATCH_MARKER_RE = /^batch-([A-Za-z0-9_-]{6,64})\.json$/;

/** Lets the event loop run between two steps of a long operation (IPC, other saves, progress). */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

const newOperationId = () => `op${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;

const nameOrder = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Prompts as one text: in order, each distinct prompt once, one per line. */
function promptsText(entries: readonly HistoryEntry[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const e of entries) {
    const line = e.prompt.replace(/\s*[\r\n]+\s*/g, ' ').trim();
    if (!line || seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
  }
  return lines.join('\n');
}

/** The entry with this rating (0: the field goes, as for an image never rated). */
function withRating(e: HistoryEntry, rating: number): HistoryEntry {
  const { rating: _old, ...rest } = e;
  return rating > 0 ? { ...rest, rating } : rest;
}

/** The entry on these boards (none: the field goes). */
function withBoards(e: HistoryEntry, boards: readonly string[]): HistoryEntry {
  const { boards: _old, ...rest } = e;
  return boards.length > 0 ? { ...rest, boards: [...boards] } : rest;
}

export const DEFAULT_PURGE_DELAY_MS = 10_000;
/** A delete marker older than this belongs to a delete that was cut short (deletes take milliseconds). */
const STALE_DELETE_MARKER_MS = 60_000;

const copyOf = (e: HistoryEntry): HistoryEntry => ({
  ...e,
  params: { ...e.params },
  ...(e.boards ? { boards: [...e.boards] } : {}),
});

/** Sortable by time, unique enough, and a valid EntryId. */
function newId(now: Date): string {
  return `${now.getTime().toString(36)}${randomBytes(5).toString('hex')}`;
}

export async function openLibrary(opts: LibraryOptions): Promise<Library> {
  const lib = new Library(opts);
  await lib.init();
  return lib;
}

export class Library {
  readonly dir: string;
  readonly report: OpenReport = {
    entries: 0,
    corruptBackups: [],
    droppedEntries: 0,
    tempFilesRemoved: 0,
    recovered: 0,
    unreadable: [],
    purged: 0,
  };
  private store!: HistoryStore;
  private boardStore!: BoardStore;
  private readonly pending = new Map<string, PendingDelete>();
  private readonly pendingBatches = new Map<string, PendingBatch>();
  /** Ids whose files are being moved by delete/undo. */
  private readonly moving = new Set<string>();
  private readonly purging = new Set<Promise<void>>();
  private readonly log: (message: string, err?: unknown) => void;
  private readonly now: () => Date;
  private disposed = false;
  private scanning: Promise<void> = Promise.resolve();
  /** Device and inode of the library folder when it was opened (see checkFolder). */
  private folderKey: string | null = null;

  constructor(private readonly opts: LibraryOptions) {
    this.dir = path.resolve(opts.dir);
    this.log = opts.log ?? (() => {});
    this.now = opts.now ?? (() => new Date());
  }

  /** @internal Use openLibrary. */
  async init(): Promise<void> {
    const readOnly = this.opts.readOnly === true;
    if (readOnly) {
      const st = await stat(this.dir).catch(() => null);
      if (!st?.isDirectory()) throw new AppError('file-missing', `There is no library folder at "${this.dir}".`);
    } else {
      try {
        for (const sub of [LAYOUT.images, LAYOUT.thumbs, LAYOUT.pendingDelete, LAYOUT.deleting]) {
          await mkdir(path.join(this.dir, sub), { recursive: true });
        }
      } catch (err) {
        throw toIoError(err, 'open the library', this.dir);
      }
    }
    this.folderKey = this.folderIdentity();
    const indexDir = this.opts.indexDir ?? path.join(this.dir, LAYOUT.index);
    this.boardStore = new BoardStore({
      file: this.opts.indexDir ? path.join(path.dirname(indexDir), 'boards.json') : path.join(this.dir, LAYOUT.boards),
      lockFile: path.join(indexDir, LOCK_NAME),
      readOnly,
      beforeWrite: () => this.checkFolder(),
      log: this.log,
      now: this.now,
      ...(this.opts.lockWaitMs !== undefined ? { lockWaitMs: this.opts.lockWaitMs } : {}),
    });
    this.store = HistoryStore.open({
      dir: indexDir,
      storeFactory: this.opts.storeFactory ?? confStoreFactory,
      shardSize: this.opts.shardSize,
      migrate: withModelThatRan,
      log: this.log,
      readOnly,
      beforeWrite: () => this.checkFolder(),
      ...(this.opts.lockWaitMs !== undefined ? { lockWaitMs: this.opts.lockWaitMs } : {}),
    });
    const p: LoadProblems = this.store.problems;
    this.report.corruptBackups = [...p.corruptBackups];
    this.report.droppedEntries = p.droppedEntries;
    this.report.tempFilesRemoved = p.tempFilesRemoved;
    if (!readOnly) {
      // A damaged index must be rebuilt even when the caller turned the routine scan off.
      const damaged = p.corruptBackups.length > 0 || p.droppedEntries > 0;
      if (this.opts.scanOnOpen === 'background' && !damaged) this.scanning = this.scanInBackground();
      else if (this.opts.scanOnOpen !== false || damaged) await this.rebuild();
      if (this.opts.purgeLeftoversOnOpen !== false) this.report.purged = await this.purgeLeftovers();
    }
    this.report.entries = this.store.size;
  }

  get readOnly(): boolean {
    return this.opts.readOnly === true;
  }

  /** The scan started by `scanOnOpen: 'background'` (resolves at once when there is none). */
  async waitForScan(): Promise<void> {
    await this.scanning;
  }

  private async scanInBackground(): Promise<void> {
    // After the caller's first queries: the open has returned and the first page went out.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (this.disposed || this.folderGone) return;
    try {
      const found = await this.rebuild();
      for (const e of found.entries) this.opts.emit?.('history:added', copyOf(e));
    } catch (err) {
      this.log('library: the scan for images without history entries failed', err);
    }
  }

  /**
   * True when the library folder is no longer the one opened (deleted, moved, replaced, its drive
   * removed). Nothing is written then, and the folder is never created again behind the user's back.
   */
  get folderGone(): boolean {
    return this.folderKey !== null && this.folderIdentity() !== this.folderKey;
  }

  private folderIdentity(): string | null {
    try {
      const s = statSync(this.dir, { bigint: true });
      return s.isDirectory() ? `${s.dev}:${s.ino}` : null;
    } catch {
      return null;
    }
  }

  /** Throws `file-missing`, in words, when the folder is gone (see folderGone). */
  private checkFolder(): void {
    if (!this.folderGone) return;
    throw new AppError(
      'file-missing',
      `The library folder "${this.dir}" is gone: it was deleted, moved or its drive was removed while ` +
        'Flux Gallery was running. Nothing was written and the folder was not created again. Put the ' +
        'folder back and restart Flux Gallery, or choose a library folder in Settings.',
    );
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.readOnly) throw new AppError('io', `The library "${this.dir}" is open read-only here.`);
    this.checkFolder();
  }

  /**
   * Adds an entry for every image file that has none, from its embedded metadata, and removes temp
   * files of interrupted writes. Runs at open; callable any time.
   */
  async rebuild(): Promise<{ recovered: number; unreadable: string[]; entries: HistoryEntry[] }> {
    this.assertWritable();
    // What other processes saved since this one loaded is not an orphan. (On a read-only volume the
    // lock cannot be made: the library still opens for browsing.)
    try {
      this.store.refresh();
    } catch (err) {
      this.log('library: could not read the history again before looking for orphans', err);
    }
    const scan = await scanLibrary(this.dir);
    this.report.tempFilesRemoved += scan.tempFilesRemoved;
    const deleting = this.deletingIds();
    const orphans = scan.images.filter(
      (img) => !this.store.has(img.id) && !this.moving.has(img.id) && !deleting.has(img.id),
    );
    if (orphans.length === 0) return { recovered: 0, unreadable: [], entries: [] };
    const found = await recoverEntries(this.dir, orphans);
    // Checked again under the index lock: an image being deleted (by any process) or gone meanwhile
    // is not brought back.
    let underWay: Set<string> | null = null;
    const entries = this.store.addMany(found.entries, (e) => {
      underWay ??= this.deletingIds();
      return !this.moving.has(e.id) && !underWay.has(e.id) && existsSync(path.join(this.dir, e.file));
    });
    const unreadable = found.unreadable;
    this.report.recovered += entries.length;
    this.report.unreadable.push(...unreadable);
    if (entries.length) this.log(`library: rebuilt ${entries.length} history entries from image metadata`);
    if (unreadable.length) this.log(`library: ${unreadable.length} image files carry no readable metadata`);
    return { recovered: entries.length, unreadable, entries };
  }

  private markerPath(id: string): string {
    return path.join(this.dir, LAYOUT.deleting, `${id}.json`);
  }

  private batchMarkerPath(operationId: string): string {
    return path.join(this.dir, LAYOUT.deleting, `batch-${operationId}.json`);
  }

  /**
   * Ids of images whose delete is under way in any process: one marker per image (`<id>.json`), or
   * one per bulk delete (`batch-<operation>.json`, listing its images). Read from disk each time.
   */
  private deletingIds(): Set<string> {
    const dir = path.join(this.dir, LAYOUT.deleting);
    const ids = new Set<string>();
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      return ids;
    }
    for (const name of names) {
      if (BATCH_MARKER_RE.test(name)) {
        for (const item of readBatchMarker(path.join(dir, name))) ids.add(item.id);
      } else if (name.endsWith('.json')) ids.add(name.slice(0, -'.json'.length));
    }
    return ids;
  }

  // ---- saving --------------------------------------------------------------------------------

  /**
   * Checks, converts and stores a final image, then adds its history entry. The entry is written
   * only after the image and thumbnail files are in place.
   */
  async saveImage(input: SaveImageInput): Promise<HistoryEntry> {
    this.assertWritable();
    const decoded = await toPng(input.bytes, this.opts.maxImageBytes ?? MAX_IMAGE_BYTES);
    const createdAt = input.createdAt ?? this.now();
    const id = newId(createdAt);
    const r = input.resolved;
    const seed = input.seed ?? r.seed;
    const params: HistoryEntry['params'] = {
      aspectRatio: r.aspectRatio,
      width: r.width,
      height: r.height,
      steps: r.steps,
      seed,
      randomizeSeed: r.randomizeSeed,
    };
    if (r.guidance !== undefined) params.guidance = r.guidance;
    if (r.negativePrompt) params.negativePrompt = r.negativePrompt;
    if (r.extras && Object.keys(r.extras).length > 0) params.extras = { ...r.extras };
    if (r.servedBy) params.servedBy = r.servedBy;
    // The style applied when the job was made (the prompt is the styled one).
    const style = r.style ?? input.request.style;
    if (style) params.style = style;
    // Filed under the model that ran; the alias asked for (`flux`) is kept beside it.
    const model = modelRunBy(input.providerId, input.request.model);
    const base = {
      id,
      prompt: input.request.prompt,
      model,
      ...(input.request.model !== model ? { requestedModel: input.request.model } : {}),
      providerId: input.providerId,
      params,
      seed,
      createdAt: createdAt.toISOString(),
      durationMs: Math.max(0, Math.round(input.durationMs)),
    };
    const png = embedMetadata(decoded.png, toEmbeddedRecord(base, input.request));
    const thumb = await makeThumbnail(png);
    const rel = relPathsFor(id, createdAt);
    const imageAbs = path.join(this.dir, rel.file);
    const thumbAbs = path.join(this.dir, rel.thumb);
    // Checked again after the slow steps: mkdir must not create a folder the user deleted meanwhile.
    this.checkFolder();
    try {
      await mkdir(path.dirname(imageAbs), { recursive: true });
      await mkdir(path.dirname(thumbAbs), { recursive: true });
      await writeFileAtomic(imageAbs, png);
    } catch (err) {
      throw toIoError(err, 'save the image', this.dir);
    }
    try {
      await writeFileAtomic(thumbAbs, thumb);
    } catch (err) {
      // No entry will point at it; an image without a thumbnail would be picked up by rebuild,
      // but the caller is told it failed, so do not leave it behind.
      await rm(imageAbs, { force: true }).catch(() => {});
      throw toIoError(err, 'save the thumbnail', this.dir);
    }
    // Boards marked "auto-add new images" (a damaged boards file must not stop a save).
    let autoAdd: string[] = [];
    try {
      autoAdd = this.boardStore.autoAddIds();
    } catch (err) {
      this.log('library: could not read the boards for a new image', err);
    }
    const entry: HistoryEntry = {
      ...base,
      file: rel.file,
      thumb: rel.thumb,
      width: decoded.width,
      height: decoded.height,
      bytes: png.length,
      favourite: false,
      hash: createHash('sha256').update(png).digest('hex'),
      ...(autoAdd.length > 0 ? { boards: autoAdd } : {}),
    };
    try {
      this.store.add(entry);
    } catch (err) {
      // The caller is told the save failed (disk full, folder gone): the files must not come back
      // as an orphan at the next start. (A crash here, with nobody told, is what rebuild is for.)
      await rm(imageAbs, { force: true }).catch(() => {});
      await rm(thumbAbs, { force: true }).catch(() => {});
      throw err;
    }
    this.opts.emit?.('history:added', copyOf(entry));
    if (autoAdd.length > 0) this.emitBoards();
    return copyOf(entry);
  }

  /**
   * Issue 18: an imported image file, stored with its original bytes (PNG stays PNG, JPEG/WebP as
   * they are) beside its thumbnail, then indexed. main/import/ reads its metadata and makes the
   * thumbnail. Image and thumbnail are written atomically before the entry; a failure removes them.
   */
  async addImported(input: ImportedFileInput): Promise<HistoryEntry> {
    this.assertWritable();
    const createdAt = input.createdAt;
    const id = newId(createdAt);
    const rel = relPathsFor(id, createdAt);
    const file = input.type === 'png' ? rel.file : rel.file.replace(/\.png$/, input.type === 'jpeg' ? '.jpg' : '.webp');
    const imageAbs = path.join(this.dir, file);
    const thumbAbs = path.join(this.dir, rel.thumb);
    this.checkFolder();
    const removeFiles = async () => {
      await rm(imageAbs, { force: true }).catch(() => {});
      await rm(thumbAbs, { force: true }).catch(() => {});
    };
    try {
      await mkdir(path.dirname(imageAbs), { recursive: true });
      await mkdir(path.dirname(thumbAbs), { recursive: true });
      await writeFileAtomic(imageAbs, input.bytes);
      await writeFileAtomic(thumbAbs, input.thumb);
      input.signal?.throwIfAborted();
    } catch (err) {
      await removeFiles();
      if (input.signal?.aborted) throw err;
      throw toIoError(err, 'import the image', this.dir);
    }
    let autoAdd: string[] = [];
    try {
      autoAdd = this.boardStore.autoAddIds();
    } catch (err) {
      this.log('library: could not read the boards for an imported image', err);
    }
    const entry: HistoryEntry = {
      ...input.fields,
      id,
      createdAt: createdAt.toISOString(),
      file,
      thumb: rel.thumb,
      bytes: input.bytes.length,
      favourite: false,
      hash: input.hash,
      ...(autoAdd.length > 0 ? { boards: autoAdd } : {}),
    };
    try {
      this.store.add(entry);
    } catch (err) {
      await removeFiles();
      throw err;
    }
    this.opts.emit?.('history:added', copyOf(entry));
    if (autoAdd.length > 0) this.emitBoards();
    return copyOf(entry);
  }

  /**
   * Issue 18: what an import checks duplicates against. Answered by the index (a lookup per file, not
   * a set of every entry: a million hashes would cost a hundred megabytes), plus what this import
   * added itself.
   */
  knownImages(): { hashes: KnownSet; ids: KnownSet } {
    this.assertOpen();
    const known = (inIndex: (key: string) => boolean): KnownSet => {
      const added = new Set<string>();
      return {
        has: (key) => added.has(key) || inIndex(key),
        add: (key) => void added.add(key),
      };
    };
    return { hashes: known((h) => this.store.hasHash(h)), ids: known((id) => this.store.has(id)) };
  }

  // ---- queries ---------------------------------------------------------------------------------

  query(q: HistoryQueryInput = {}): HistoryPage {
    this.assertOpen();
    // The entries in memory would be stale: say the folder is gone rather than list them.
    this.checkFolder();
    const page = this.store.query(HistoryQuerySchema.parse(q), this.liveBoards());
    return { items: page.items.map(copyOf), total: page.total };
  }

  /** Every id a filter shows, in its order (Ctrl+A selects all of them, not only the loaded page). */
  listIds(q: HistoryFilterInput = {}): HistoryIds {
    this.assertOpen();
    this.checkFolder();
    const ids = this.store.matchingIds(HistoryFilterSchema.parse(q), this.liveBoards());
    return { ids, total: ids.length };
  }

  /** Ids of the boards that exist now. */
  private liveBoards(): Set<string> {
    return new Set(this.boardStore.list().map((b) => b.id));
  }

  get(id: string): HistoryEntry {
    return copyOf(this.entry(id));
  }

  get size(): number {
    return this.store.size;
  }

  /** The parameters to make this image again: same provider, size, steps and the seed it used. */
  reuse(id: string): ReusedParams {
    const e = this.entry(id);
    const p = e.params;
    const clamp = (n: number, r: { min: number; max: number }) => Math.min(r.max, Math.max(r.min, n));
    const params = GenerationParamsSchema.parse({
      prompt: e.prompt,
      model: e.model,
      provider: e.providerId,
      aspectRatio: p.aspectRatio,
      width: clamp(p.width, LIMITS.size),
      height: clamp(p.height, LIMITS.size),
      steps: clamp(p.steps, LIMITS.steps),
      // None recorded: the provider's own default again.
      ...(p.guidance !== undefined ? { guidance: clamp(p.guidance, LIMITS.guidance) } : {}),
      seed: clamp(e.seed, LIMITS.seed),
      randomizeSeed: false,
      // A user's Space's own inputs as sent; the prompt is already styled, so no style again.
      ...(p.negativePrompt ? { negativePrompt: p.negativePrompt.slice(0, LIMITS.promptMaxLength) } : {}),
      ...(p.extras ? { extras: reusableExtras(p.extras) } : {}),
    });
    if (!isImportedEntry(e)) return params;
    // Another tool made it (issue 18): its model and `space:imported/…` name nothing the app can
    // run, so the parameters go to the user's current model and route.
    const { model: _model, provider: _provider, ...rest } = params;
    return rest;
  }

  /** 0–5 stars; 0 removes the rating. */
  setRating(id: string, rating: number): HistoryEntry {
    this.assertWritable();
    this.entry(id);
    if (!Number.isInteger(rating) || rating < 0 || rating > 5) {
      throw new AppError('invalid-argument', 'rating must be 0 to 5');
    }
    const next = this.store.update(id, (e) => withRating(e, rating));
    if (!next) throw this.notFound();
    this.opts.emit?.('history:updated', copyOf(next));
    return copyOf(next);
  }

  setFavourite(id: string, favourite: boolean): HistoryEntry {
    this.assertWritable();
    this.entry(id);
    const next = this.store.update(id, (e) => ({ ...e, favourite }));
    // Deleted by another process meanwhile (the index was brought up to date before the write).
    if (!next) throw this.notFound();
    this.opts.emit?.('history:updated', copyOf(next));
    return copyOf(next);
  }

  /**
   * Parameters embedded in a dropped image (our chunk, else A1111's). Nothing is stored. Only the
   * app's two keywords are decoded, within the chunk limits; A1111 text is parsed in a worker
   * thread with a time limit.
   */
  async importImage(args: z.output<typeof ImportImageSchema>): Promise<ImportedParams> {
    this.assertOpen();
    const bytes = Buffer.from(args.dataBase64, 'base64');
    if (bytes.length === 0) throw new AppError('bad-image', `"${args.fileName}" is empty or not base64.`);
    // Issue 18: every tool's metadata (main/import/metadata.ts), ours first.
    checkImageBytes(bytes, this.opts.maxImageBytes ?? MAX_IMAGE_BYTES);
    const found = await readImageParams(bytes, this.opts.importOptions);
    return found ?? importParams(bytes, this.opts.importOptions);
  }

  // ---- files -----------------------------------------------------------------------------------

  /**
   * Absolute path of an entry's image or thumbnail, confined to the library folder. A missing
   * thumbnail is made again from the image; a missing image is `file-missing`.
   */
  async resolveMedia(kind: MediaKind, id: string): Promise<string> {
    const e = this.entry(id);
    const image = resolveInside(this.dir, e.file);
    if (kind === 'image') {
      if (!image.exists) throw this.missing(e);
      return image.abs;
    }
    const thumb = resolveInside(this.dir, e.thumb);
    if (thumb.exists) return thumb.abs;
    if (!image.exists) throw this.missing(e);
    this.checkFolder();
    if (this.readOnly) return image.abs;
    try {
      await mkdir(path.dirname(thumb.abs), { recursive: true });
      await writeFileAtomic(thumb.abs, await makeThumbnail(image.abs));
    } catch (err) {
      throw toIoError(err, 'make the thumbnail', this.dir);
    }
    return thumb.abs;
  }

  async reveal(id: string): Promise<{ revealed: boolean }> {
    return { revealed: await this.opts.platform.showItemInFolder(this.imagePath(id)) };
  }

  async copyImage(id: string): Promise<{ copied: boolean }> {
    return { copied: await this.opts.platform.copyImageToClipboard(this.imagePath(id)) };
  }

  /**
   * Synchronous on purpose: the native drag must start while the renderer's dragstart is handled.
   * The icon is always the 256 px thumbnail, never the full image (decoding a large image for an
   * icon would stall the drag). A missing thumbnail is made again in the background, for the next
   * drag and the gallery.
   */
  startDrag(id: string): void {
    const file = this.imagePath(id);
    const thumb = resolveInside(this.dir, this.entry(id).thumb);
    if (!thumb.exists && !this.readOnly) {
      void this.resolveMedia('thumb', id).catch((err: unknown) =>
        this.log('library: could not remake a thumbnail', err),
      );
    }
    this.opts.platform.startDrag(file, thumb.abs);
  }

  /** Ids of entries whose image file is gone (for a "missing files" report). */
  async findMissing(): Promise<string[]> {
    const missing: string[] = [];
    for (const e of this.store.files()) {
      if (!resolveInside(this.dir, e.file).exists) missing.push(e.id);
    }
    return missing;
  }

  // ---- boards ----------------------------------------------------------------------------------

  /** The boards by name, each with its count, and how many images are on none. */
  boards(): BoardsState {
    this.assertOpen();
    this.checkFolder();
    const boards = this.boardStore.list();
    // Counted by the index; ids of deleted boards left on entries count for nothing.
    const { counts: byBoard, total } = this.store.boardCounts();
    const counts = new Map(boards.map((b) => [b.id, byBoard.get(b.id) ?? 0]));
    const unboarded = total - this.store.countOnAnyBoard(boards.map((b) => b.id));
    return {
      boards: boards
        .map((b) => ({ ...b, count: counts.get(b.id) ?? 0 }))
        .sort((a, b) => nameOrder.compare(a.name, b.name) || a.createdAt.localeCompare(b.createdAt)),
      unboarded,
    };
  }

  createBoard(name: string, autoAdd = false): BoardInfo {
    this.assertWritable();
    const board = this.boardStore.create(name, autoAdd);
    this.emitBoards();
    return { ...board, count: 0 };
  }

  renameBoard(id: string, name: string): BoardInfo {
    this.assertWritable();
    this.boardStore.rename(id, name);
    return this.boardInfo(id);
  }

  setBoardAutoAdd(id: string, autoAdd: boolean): BoardInfo {
    this.assertWritable();
    this.boardStore.setAutoAdd(id, autoAdd);
    return this.boardInfo(id);
  }

  /**
   * The board goes; its images stay. The board's id is then taken off its images, one transaction
   * per 500 (an id left behind by a process cut short here counts for nothing, see compileFilter).
   */
  async deleteBoard(id: string): Promise<{ deleted: boolean }> {
    this.assertWritable();
    if (!this.boardStore.delete(id)) return { deleted: false };
    const operationId = newOperationId();
    const on: string[] = [];
    on.push(...this.store.idsOnBoard(id));
    try {
      const changed = await this.changeInSteps(on, (e) =>
        withBoards(
          e,
          (e.boards ?? []).filter((b) => b !== id),
        ),
      );
      if (changed.length > 0) {
        this.opts.emit?.('history:bulkUpdated', {
          operationId,
          action: 'removeFromBoard',
          ids: changed.map((e) => e.id),
          removed: false,
          restored: false,
        });
      }
    } catch (err) {
      // The board is gone already: its id on the entries is ignored until they are next changed.
      this.log('library: could not take a deleted board off its images', err);
    }
    this.emitBoards();
    return { deleted: true };
  }

  private boardInfo(id: string): BoardInfo {
    const info = this.boards().boards.find((b) => b.id === id);
    if (!info) throw new AppError('not-found', 'There is no such board (it may have been deleted).');
    this.emitBoards();
    return info;
  }

  private emitBoards(): void {
    if (!this.opts.emit) return;
    try {
      this.opts.emit('boards:changed', this.boards());
    } catch (err) {
      this.log('library: could not count the boards', err);
    }
  }

  // ---- bulk actions ------------------------------------------------------------------------------

  /** The entries a target names, in its order (explicit ids: each once; unknown ones counted). */
  resolveTarget(raw: unknown): { entries: HistoryEntry[]; missing: number } {
    this.assertOpen();
    this.checkFolder();
    const target = BulkTargetSchema.parse(raw);
    if (target.kind === 'ids') {
      const seen = new Set<string>();
      const entries: HistoryEntry[] = [];
      let missing = 0;
      for (const id of target.ids) {
        if (seen.has(id)) continue;
        seen.add(id);
        const e = this.store.get(id);
        if (e) entries.push(e);
        else missing++;
      }
      return { entries, missing };
    }
    const except = new Set(target.except ?? []);
    const entries = this.store.matching(target.query, this.liveBoards()).filter((e) => !except.has(e.id));
    return { entries, missing: 0 };
  }

  /** The ids a target names, in its order (explicit ids: each once, those in the index; unknown ones counted). */
  private resolveTargetIds(raw: unknown): { ids: string[]; missing: number } {
    this.assertOpen();
    this.checkFolder();
    const target = BulkTargetSchema.parse(raw);
    if (target.kind === 'ids') {
      const ids = [...new Set(target.ids)].filter((id) => this.store.has(id));
      return { ids, missing: new Set(target.ids).size - ids.length };
    }
    const except = new Set(target.except ?? []);
    return { ids: this.store.matchingIds(target.query, this.liveBoards()).filter((id) => !except.has(id)), missing: 0 };
  }

  /**
   * One action on many images as one library operation: the entries are changed 500 at a time
   * (one transaction each, the event loop free in between),
   * `history:bulkProgressed` after each, one `history:bulkUpdated` at the end.
   */
  async bulk(raw: BulkRequest): Promise<BulkResult> {
    this.assertOpen();
    const req = BulkRequestSchema.parse(raw);
    const action = req.action;
    if (action.type !== 'copyPrompts') this.assertWritable();
    const operationId = req.operationId ?? newOperationId();
    if (action.type === 'copyPrompts' || action.type === 'delete') {
      const { entries, missing } = this.resolveTarget(req.target);
      const base = { operationId, action: action.type, matched: entries.length, missing };
      if (action.type === 'copyPrompts') return { ...base, changed: 0, text: promptsText(entries) };
      return this.bulkDelete(operationId, entries, base);
    }
    // Changes need only the ids: a million entries are not read into memory for a star each.
    const { ids, missing } = this.resolveTargetIds(req.target);
    const base = { operationId, action: action.type, matched: ids.length, missing };

    let change: (e: HistoryEntry) => HistoryEntry;
    switch (action.type) {
      case 'setFavourite':
        change = (e) => (e.favourite === action.favourite ? e : { ...e, favourite: action.favourite });
        break;
      case 'rate':
        change = (e) => ((e.rating ?? 0) === action.rating ? e : withRating(e, action.rating));
        break;
      case 'addToBoard':
      case 'removeFromBoard': {
        const live = this.liveBoards();
        const board = action.boardId;
        if (!live.has(board)) throw new AppError('not-found', 'There is no such board (it may have been deleted).');
        const add = action.type === 'addToBoard';
        change = (e) => {
          const has = e.boards?.includes(board) ?? false;
          if (has === add) return e;
          // Ids of boards deleted meanwhile go too, while the entry is written anyway.
          const kept = (e.boards ?? []).filter((b) => b !== board && live.has(b));
          return withBoards(e, add ? [...kept, board] : kept);
        };
        break;
      }
    }
    const progress = (done: number) =>
      this.opts.emit?.('history:bulkProgressed', { operationId, action: action.type, done, total: ids.length });
    const changed = await this.changeInSteps(ids, change, progress);
    if (changed.length > 0) {
      this.opts.emit?.('history:bulkUpdated', {
        operationId,
        action: action.type,
        ids: changed.map((e) => e.id),
        removed: false,
        restored: false,
      });
      if (action.type === 'addToBoard' || action.type === 'removeFromBoard') this.emitBoards();
    }
    return { ...base, changed: changed.length };
  }

  /** Ids in chunks of WRITE_CHUNK: one write transaction each, the event loop free in between. */
  private inChunks(ids: readonly string[]): string[][] {
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += WRITE_CHUNK) chunks.push(ids.slice(i, i + WRITE_CHUNK));
    return chunks;
  }

  /** `store.updateMany` one chunk at a time, with progress and the event loop free in between. */
  private async changeInSteps(
    ids: readonly string[],
    change: (e: HistoryEntry) => HistoryEntry,
    progress?: (done: number) => void,
  ): Promise<HistoryEntry[]> {
    const changed: HistoryEntry[] = [];
    let done = 0;
    progress?.(0);
    for (const group of this.inChunks(ids)) {
      this.assertWritable();
      changed.push(...this.store.updateMany(group, change));
      done += group.length;
      progress?.(done);
      await breathe();
    }
    return changed;
  }

  /**
   * Deletes a batch as one delete: one marker for the batch (`batch-<operation>.json`, written
   * first), the entries out shard by shard, then the files parked in `.trash-pending/`. Any failure
   * puts everything back. `undoBulkDelete` brings the batch back until it is purged to the trash.
   */
  private async bulkDelete(
    operationId: string,
    entries: HistoryEntry[],
    base: { operationId: string; action: BulkActionType; matched: number; missing: number },
  ): Promise<BulkResult> {
    if (entries.length === 0) return { ...base, changed: 0 };
    const marker = this.batchMarkerPath(operationId);
    if (this.pendingBatches.has(operationId) || existsSync(marker)) {
      throw new AppError('invalid-argument', 'This operation id was used already: ask with a new one.');
    }
    const total = entries.length;
    const progress = (done: number) =>
      this.opts.emit?.('history:bulkProgressed', { operationId, action: 'delete', done: Math.floor(done), total });
    try {
      await mkdir(path.dirname(marker), { recursive: true });
      await writeFileAtomic(
        marker,
        Buffer.from(JSON.stringify({ items: entries.map((e) => ({ id: e.id, file: e.file, thumb: e.thumb })) })),
      );
    } catch (err) {
      throw toIoError(err, 'delete the images', this.dir);
    }
    progress(0);
    // 1. The entries leave the index, one write per shard.
    const removed: HistoryEntry[] = [];
    const undoIndex = async () => {
      try {
        this.store.addMany(removed);
      } catch (err) {
        // Left as images without entries: the next start's scan brings them back once the marker is gone.
        this.log('library: could not put back the entries of a failed bulk delete', err);
      }
      await rm(marker, { force: true }).catch(() => {});
    };
    try {
      for (const group of this.inChunks(entries.map((e) => e.id))) {
        this.assertWritable();
        removed.push(...this.store.removeMany(group));
        progress(removed.length / 2);
        await breathe();
      }
    } catch (err) {
      await undoIndex();
      throw err;
    }
    // 2. Their files are parked (a rebuild meanwhile must not take them for orphans).
    for (const e of removed) this.moving.add(e.id);
    const moves: PendingBatch['moves'] = [];
    try {
      let n = 0;
      for (const e of removed) {
        for (const rel of [e.file, e.thumb]) {
          let src: { abs: string; exists: boolean };
          try {
            src = resolveInside(this.dir, rel);
          } catch {
            continue; // a path leading out of the library is never moved
          }
          if (!src.exists) continue;
          const parked = path.join(this.dir, LAYOUT.pendingDelete, path.basename(src.abs));
          await rename(src.abs, parked);
          moves.push({ original: src.abs, parked });
        }
        if (++n % 250 === 0) {
          progress((removed.length + n) / 2);
          await breathe();
        }
      }
    } catch (err) {
      for (const m of moves.reverse()) await rename(m.parked, m.original).catch(() => {});
      await undoIndex();
      throw toIoError(err, 'delete the images', this.dir);
    } finally {
      for (const e of removed) this.moving.delete(e.id);
    }
    progress(total);
    const delay = this.opts.purgeDelayMs ?? DEFAULT_PURGE_DELAY_MS;
    const timer = setTimeout(() => void this.purgeBatch(operationId), delay);
    timer.unref();
    this.pendingBatches.set(operationId, { entries: removed, moves, timer });
    this.opts.emit?.('history:bulkUpdated', {
      operationId,
      action: 'delete',
      ids: removed.map((e) => e.id),
      removed: true,
      restored: false,
    });
    if (removed.some((e) => e.boards?.length)) this.emitBoards();
    return { ...base, changed: removed.length, undoUntil: Date.now() + delay };
  }

  /** The whole batch of a bulk delete back, until it is purged to the trash. */
  async undoBulkDelete(operationId: string): Promise<BulkUndoResult> {
    this.assertWritable();
    const batch = this.pendingBatches.get(operationId);
    if (!batch) {
      throw new AppError(
        'not-found',
        'These images can no longer be restored (they are already in the trash, or were not deleted).',
      );
    }
    this.pendingBatches.delete(operationId);
    clearTimeout(batch.timer);
    for (const e of batch.entries) this.moving.add(e.id);
    const back: { original: string; parked: string }[] = [];
    try {
      for (const m of batch.moves) {
        await mkdir(path.dirname(m.original), { recursive: true });
        await rename(m.parked, m.original);
        back.push(m);
      }
    } catch (err) {
      // Parked again as they were; the batch stays undoable until its purge (now).
      for (const m of back) await rename(m.original, m.parked).catch(() => {});
      this.pendingBatches.set(operationId, { ...batch, timer: setTimeout(() => void this.purgeBatch(operationId), 0) });
      throw toIoError(err, 'restore the images', this.dir);
    } finally {
      for (const e of batch.entries) this.moving.delete(e.id);
    }
    const restored = this.store.addMany(batch.entries);
    await rm(this.batchMarkerPath(operationId), { force: true }).catch(() => {});
    const ids = restored.map((e) => e.id);
    this.opts.emit?.('history:bulkUpdated', { operationId, action: 'undoDelete', ids, removed: false, restored: true });
    if (restored.some((e) => e.boards?.length)) this.emitBoards();
    return { operationId, restored: restored.length, ids };
  }

  private purgeBatch(operationId: string): Promise<void> {
    const batch = this.pendingBatches.get(operationId);
    if (!batch) return Promise.resolve();
    this.pendingBatches.delete(operationId);
    clearTimeout(batch.timer);
    const job = (async () => {
      for (const m of batch.moves) {
        try {
          await this.opts.platform.trashItem(m.parked);
        } catch (err) {
          this.log(`library: could not move ${path.basename(m.parked)} to the trash`, err);
        }
      }
      await rm(this.batchMarkerPath(operationId), { force: true }).catch(() => {});
    })();
    this.purging.add(job);
    return job.finally(() => this.purging.delete(job));
  }

  // ---- delete with undo ------------------------------------------------------------------------

  /**
   * Hides the entry and parks its files in `.trash-pending/` until `undoDelete` or the purge (after
   * `purgeDelayMs`, or at dispose) sends them to the OS trash. The entry goes first: a crash before
   * the files move leaves an image without an entry, which rebuild restores — never an entry
   * pointing at nothing.
   */
  async delete(id: string): Promise<{ id: string }> {
    this.assertWritable();
    const entry = this.entry(id);
    // Before the entry goes: while the marker exists no process re-indexes the image, and a crash
    // before the files are parked leaves a delete the next start completes.
    const marker = this.markerPath(id);
    try {
      await mkdir(path.dirname(marker), { recursive: true });
      await writeFile(marker, JSON.stringify({ file: entry.file, thumb: entry.thumb }));
    } catch (err) {
      throw toIoError(err, 'delete the image', this.dir);
    }
    try {
      this.store.remove(id);
    } catch (err) {
      await rm(marker, { force: true }).catch(() => {});
      throw err;
    }
    // While its files move, a concurrent rebuild must not take the image for an orphan.
    this.moving.add(id);
    const moves: PendingDelete['moves'] = [];
    try {
      for (const rel of [entry.file, entry.thumb]) {
        const src = resolveInside(this.dir, rel);
        if (!src.exists) continue;
        const parked = path.join(this.dir, LAYOUT.pendingDelete, path.basename(src.abs));
        await rename(src.abs, parked);
        moves.push({ original: src.abs, parked });
      }
    } catch (err) {
      // Put back what moved and the entry, so the delete has no effect at all.
      for (const m of moves) await rename(m.parked, m.original).catch(() => {});
      this.store.add(entry);
      await rm(marker, { force: true }).catch(() => {});
      throw toIoError(err, 'delete the image', this.dir);
    } finally {
      this.moving.delete(id);
    }
    const timer = setTimeout(() => void this.purge(id), this.opts.purgeDelayMs ?? DEFAULT_PURGE_DELAY_MS);
    timer.unref();
    this.pending.set(id, { entry, moves, timer });
    this.opts.emit?.('history:removed', { id });
    if (entry.boards?.length) this.emitBoards();
    return { id };
  }

  async undoDelete(id: string): Promise<HistoryEntry> {
    this.checkId(id);
    this.assertWritable();
    const p = this.pending.get(id);
    if (!p)
      throw new AppError(
        'not-found',
        'This image can no longer be restored (it is already in the trash, or was not deleted).',
      );
    this.pending.delete(id);
    clearTimeout(p.timer);
    this.moving.add(id);
    try {
      for (const m of p.moves) {
        await mkdir(path.dirname(m.original), { recursive: true });
        await rename(m.parked, m.original);
      }
    } catch (err) {
      this.pending.set(id, { ...p, timer: setTimeout(() => void this.purge(id), 0).unref() });
      throw toIoError(err, 'restore the image', this.dir);
    } finally {
      this.moving.delete(id);
    }
    this.store.add(p.entry);
    await rm(this.markerPath(id), { force: true }).catch(() => {});
    this.opts.emit?.('history:added', copyOf(p.entry));
    if (p.entry.boards?.length) this.emitBoards();
    return copyOf(p.entry);
  }

  /** Sends every parked file to the trash now (tests, shutdown). */
  async flushDeletes(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((id) => this.purge(id)));
    await Promise.all([...this.pendingBatches.keys()].map((op) => this.purgeBatch(op)));
    await Promise.all([...this.purging]);
  }

  private purge(id: string): Promise<void> {
    const p = this.pending.get(id);
    if (!p) return Promise.resolve();
    this.pending.delete(id);
    clearTimeout(p.timer);
    const job = (async () => {
      for (const m of p.moves) {
        try {
          await this.opts.platform.trashItem(m.parked);
        } catch (err) {
          // Left in .trash-pending/: the next start tries again.
          this.log(`library: could not move ${path.basename(m.parked)} to the trash`, err);
        }
      }
      await rm(this.markerPath(id), { force: true }).catch(() => {});
    })();
    this.purging.add(job);
    return job.finally(() => this.purging.delete(job));
  }

  /**
   * Files parked by an earlier session that ended before its purge: they were deleted, so trash
   * them. And deletes cut short by a crash (a marker older than a minute whose entry is gone):
   * their files are trashed from where they are.
   */
  private async purgeLeftovers(): Promise<number> {
    return (await this.finishInterruptedDeletes()) + (await this.purgeParked());
  }

  private async finishInterruptedDeletes(): Promise<number> {
    const dir = path.join(this.dir, LAYOUT.deleting);
    const names = await readdir(dir).catch(() => [] as string[]);
    let n = 0;
    for (const name of names) {
      const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
      const file = path.join(dir, name);
      try {
        if (Date.now() - (await stat(file)).mtimeMs < STALE_DELETE_MARKER_MS) continue; // under way elsewhere
        if (BATCH_MARKER_RE.test(name)) {
          // A bulk delete cut short: its images whose entries are gone go to the trash from where they are.
          for (const item of readBatchMarker(file)) {
            if (this.store.has(item.id)) continue;
            for (const rel of [item.file, item.thumb]) {
              const target = resolveInside(this.dir, rel);
              if (!target.exists) continue;
              await this.opts.platform.trashItem(target.abs);
              n++;
            }
          }
        } else if (id && EntryIdSchema.safeParse(id).success && !this.store.has(id)) {
          const paths = JSON.parse(await readFile(file, 'utf8')) as { file?: unknown; thumb?: unknown };
          for (const rel of [paths.file, paths.thumb]) {
            if (typeof rel !== 'string') continue;
            const target = resolveInside(this.dir, rel);
            if (!target.exists) continue;
            await this.opts.platform.trashItem(target.abs);
            n++;
          }
        }
        await rm(file, { force: true });
      } catch (err) {
        this.log(`library: could not finish the delete recorded in ${name}`, err);
      }
    }
    return n;
  }

  private async purgeParked(): Promise<number> {
    const dir = path.join(this.dir, LAYOUT.pendingDelete);
    let names: string[] = [];
    try {
      names = await readdir(dir);
    } catch {
      return 0;
    }
    let n = 0;
    for (const name of names) {
      try {
        await this.opts.platform.trashItem(path.join(dir, name));
        n++;
      } catch (err) {
        this.log(`library: could not move ${name} to the trash`, err);
      }
    }
    return n;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.scanning;
    await this.flushDeletes();
    this.disposed = true;
    this.store?.close();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.disposed) throw new AppError('internal', 'The library is closed.');
  }

  private checkId(id: string): void {
    this.assertOpen();
    if (!EntryIdSchema.safeParse(id).success) throw new AppError('invalid-argument', 'id is not a valid entry id');
  }

  private entry(id: string): HistoryEntry {
    this.checkId(id);
    const e = this.store.get(id);
    if (!e) throw this.notFound();
    return e;
  }

  private notFound(): AppError {
    return new AppError('not-found', 'This image is not in the history (it may have been deleted).');
  }

  private imagePath(id: string): string {
    const e = this.entry(id);
    const image = resolveInside(this.dir, e.file);
    if (!image.exists) throw this.missing(e);
    return image.abs;
  }

  private missing(e: HistoryEntry): AppError {
    return new AppError('file-missing', `The image file "${e.file}" is missing from the library folder.`);
  }
}

/** The images a bulk delete's marker lists (nothing when it cannot be read). */
function readBatchMarker(file: string): { id: string; file: string; thumb: string }[] {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { items?: unknown };
    if (!Array.isArray(raw.items)) return [];
    return raw.items.filter(
      (x): x is { id: string; file: string; thumb: string } =>
        typeof x === 'object' &&
        x !== null &&
        typeof (x as { id?: unknown }).id === 'string' &&
        typeof (x as { file?: unknown }).file === 'string' &&
        typeof (x as { thumb?: unknown }).thumb === 'string',
    );
  } catch {
    return [];
  }
}

/** Extras as the schema takes them (a hand-edited or newer entry's odd ones are left out). */
function reusableExtras(extras: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(extras).slice(0, 32)) {
    const ok = ExtraValueSchema.safeParse(value);
    if (EXTRA_KEY_RE.test(key) && ok.success) out[key] = ok.data;
  }
  return out;
}
