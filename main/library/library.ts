/**
 * The library service: saved images, their thumbnails and the history index, behind entry ids.
 * Each method maps to one contract channel (history:*, image:import, drag:start). Plain Node: the
 * desktop actions (trash, reveal, clipboard, drag) come from the injected Platform.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { EventPayloads, ImportImageSchema, MediaKind } from '../../shared/contract';
import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import {
  EntryIdSchema,
  HistoryQuerySchema,
  MAX_IMAGE_BYTES,
  type HistoryEntry,
  type HistoryPage,
  type HistoryQueryInput,
  type ImportedParams,
} from '../../shared/library';
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
import { withModelThatRan } from './entry-schema';
import { HistoryStore, type LoadProblems } from './history-store';
import { toPng } from './image-bytes';
import { toIoError } from './io-errors';
import { resolveInside } from '../security/confine';
import { LAYOUT, relPathsFor } from './paths';
import { embedMetadata, importParams, toEmbeddedRecord, type ImportOptions } from './png-metadata';
import { recoverEntries, scanLibrary } from './recovery';
import { makeThumbnail } from './thumbnails';

export type LibraryEventChannel = 'history:added' | 'history:updated' | 'history:removed';
/** Compatible with EventBus.emit. */
export type LibraryEmit = <E extends LibraryEventChannel>(channel: E, payload: EventPayloads[E]) => void;

export interface LibraryOptions {
  /** The library folder (images, thumbnails, and by default the index). */
  dir: string;
  platform: Platform;
  /** electron-store in the app; conf elsewhere. */
  storeFactory?: StoreFactory;
  /** Where the history shards live; default `<dir>/.flux-gallery/history`, so a library folder is self-contained. */
  indexDir?: string;
  /** How long a deleted image can be brought back before it goes to the OS trash. */
  purgeDelayMs?: number;
  shardSize?: number;
  maxImageBytes?: number;
  /** Look for images without an entry (and temp files) at open; default true. */
  scanOnOpen?: boolean;
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

export const DEFAULT_PURGE_DELAY_MS = 10_000;
/** A delete marker older than this belongs to a delete that was cut short (deletes take milliseconds). */
const STALE_DELETE_MARKER_MS = 60_000;

const copyOf = (e: HistoryEntry): HistoryEntry => ({ ...e, params: { ...e.params } });

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
  private readonly pending = new Map<string, PendingDelete>();
  /** Ids whose files are being moved by delete/undo. */
  private readonly moving = new Set<string>();
  private readonly purging = new Set<Promise<void>>();
  private readonly log: (message: string, err?: unknown) => void;
  private readonly now: () => Date;
  private disposed = false;
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
    this.store = HistoryStore.open({
      dir: this.opts.indexDir ?? path.join(this.dir, LAYOUT.index),
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
      if (this.opts.scanOnOpen !== false || p.corruptBackups.length > 0 || p.droppedEntries > 0) {
        await this.rebuild();
      }
      if (this.opts.purgeLeftoversOnOpen !== false) this.report.purged = await this.purgeLeftovers();
    }
    this.report.entries = this.store.size;
  }

  get readOnly(): boolean {
    return this.opts.readOnly === true;
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
  async rebuild(): Promise<{ recovered: number; unreadable: string[] }> {
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
    const deleting = new Set(await readdir(path.join(this.dir, LAYOUT.deleting)).catch(() => [] as string[]));
    const orphans = scan.images.filter(
      (img) => !this.store.has(img.id) && !this.moving.has(img.id) && !deleting.has(`${img.id}.json`),
    );
    if (orphans.length === 0) return { recovered: 0, unreadable: [] };
    const found = await recoverEntries(this.dir, orphans);
    // Checked again under the index lock: an image being deleted (by any process) or gone meanwhile
    // is not brought back.
    const entries = this.store.addMany(
      found.entries,
      (e) => !this.moving.has(e.id) && !existsSync(this.markerPath(e.id)) && existsSync(path.join(this.dir, e.file)),
    );
    const unreadable = found.unreadable;
    this.report.recovered += entries.length;
    this.report.unreadable.push(...unreadable);
    if (entries.length) this.log(`library: rebuilt ${entries.length} history entries from image metadata`);
    if (unreadable.length) this.log(`library: ${unreadable.length} image files carry no readable metadata`);
    return { recovered: entries.length, unreadable };
  }

  private markerPath(id: string): string {
    return path.join(this.dir, LAYOUT.deleting, `${id}.json`);
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
    const entry: HistoryEntry = {
      ...base,
      file: rel.file,
      thumb: rel.thumb,
      width: decoded.width,
      height: decoded.height,
      bytes: png.length,
      favourite: false,
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
    return copyOf(entry);
  }

  // ---- queries ---------------------------------------------------------------------------------

  query(q: HistoryQueryInput = {}): HistoryPage {
    this.assertOpen();
    // The entries in memory would be stale: say the folder is gone rather than list them.
    this.checkFolder();
    const page = this.store.query(HistoryQuerySchema.parse(q));
    return { items: page.items.map(copyOf), total: page.total };
  }

  get(id: string): HistoryEntry {
    return copyOf(this.entry(id));
  }

  get size(): number {
    return this.store.size;
  }

  /** The parameters to make this image again: same provider, size, steps and the seed it used. */
  reuse(id: string): GenerationParams {
    const e = this.entry(id);
    const p = e.params;
    const clamp = (n: number, r: { min: number; max: number }) => Math.min(r.max, Math.max(r.min, n));
    return GenerationParamsSchema.parse({
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
    return importParams(bytes, this.opts.importOptions);
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
    for (const e of this.store.all()) {
      if (!resolveInside(this.dir, e.file).exists) missing.push(e.id);
    }
    return missing;
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
    return copyOf(p.entry);
  }

  /** Sends every parked file to the trash now (tests, shutdown). */
  async flushDeletes(): Promise<void> {
    await Promise.all([...this.pending.keys()].map((id) => this.purge(id)));
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
        if (id && EntryIdSchema.safeParse(id).success && !this.store.has(id)) {
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
    await this.flushDeletes();
    this.disposed = true;
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

/** Extras as the schema takes them (a hand-edited or newer entry's odd ones are left out). */
function reusableExtras(extras: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(extras).slice(0, 32)) {
    const ok = ExtraValueSchema.safeParse(value);
    if (EXTRA_KEY_RE.test(key) && ok.success) out[key] = ok.data;
  }
  return out;
}
