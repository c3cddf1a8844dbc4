/**
 * The history index: entries spread over shard files of at most `shardSize` entries each
 * (`history-000001.json`, `history-000002.json`, …, each `{ "format": 1, "entries": [...] }`).
 * Appending rewrites only the newest shard, so the cost of an append does not grow with the
 * history. All shards are loaded at startup into memory, where queries run.
 *
 * Several processes may use one index at once (the app and the CLI). Every write therefore runs
 * under the index lock (index-lock.ts) and starts by comparing each shard file with what this
 * process last read or wrote (device, inode, size, modification and change times, in nanoseconds):
 * a shard another process changed is read again and merged into memory before anything is
 * written, so no process writes a shard from stale memory (a lost star, a deleted entry back).
 *
 * A shard that cannot be read is moved aside as `<file>.corrupt-<time>` (never emptied in place);
 * the caller then rebuilds the missing entries from the images' embedded metadata. A shard of a
 * newer format than this version knows is refused in words, never misread or overwritten.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { HistorySort, HistoryEntry, HistoryPage, HistoryQuery } from '../../shared/library';
import type { StoreFactory } from '../store';
import { removeIfAbandonedSync, writeFileAtomicSync } from './atomic-write';
import { isHistoryEntry } from './entry-schema';
import {
  byPrompt,
  byRating,
  indexed,
  matchAll,
  newerFirst,
  runQuery,
  type Indexed,
  type QueryFilter,
} from './history-query';
import { LOCK_NAME, LOCK_WAIT_MS, withLock } from './index-lock';
import { errnoCode, toIoError } from './io-errors';

export const DEFAULT_SHARD_SIZE = 500;
/** The shard format this version reads and writes. */
export const HISTORY_FORMAT = 1;

interface Shard {
  num: number;
  entries: HistoryEntry[];
  /** The file as this process last read or wrote it (see stampOf); null while it is not on disk. */
  stamp: string | null;
}

export interface HistoryStoreOptions {
  dir: string;
  /**
   * Not used for the shards any more: they are written by the store itself, under its lock, in the
   * same JSON layout conf/electron-store wrote. Accepted so existing callers keep working.
   */
  storeFactory?: StoreFactory;
  shardSize?: number;
  /** Brings an entry read from disk up to date (older formats); written back with its shard's next write. */
  migrate?: (entry: HistoryEntry) => HistoryEntry;
  log?: (message: string, err?: unknown) => void;
  /**
   * Only reads (the CLI's `history`): no lock, no temp-file sweep, no repair, no folder created;
   * every write throws.
   */
  readOnly?: boolean;
  /** Runs before every write; throws to refuse it (the library checks its folder is still there). */
  beforeWrite?: () => void;
  /** How long a write waits for another process's lock (tests shorten it). */
  lockWaitMs?: number;
}

export interface LoadProblems {
  /** Backups made of shard files that could not be read. */
  corruptBackups: string[];
  /** Entries dropped because they were malformed or duplicated. */
  droppedEntries: number;
  /** Leftover temp files of interrupted writes that were removed (only abandoned ones). */
  tempFilesRemoved: number;
  /** Read-only: shard files that could not be read (left as they are). */
  unreadableShards: string[];
}

const SHARD_RE = /^history-(\d{6})\.json$/;
const ANY_SHARD_RE = /^history-(\d{6})\.json/;
// Temp files the `atomically` writer of conf (used by earlier versions) leaves when a process dies mid-write.
const STORE_TEMP_RE = /^history-\d{6}\.json\.tmp-\d{10}[0-9a-f]{6}$/;

const shardName = (num: number) => `history-${String(num).padStart(6, '0')}`;
const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/** Identity and version of a file: any write by anyone (atomic rename: a new inode) changes it. */
function stampOf(file: string): string | null {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return null;
  }
}

type ShardRead =
  | { kind: 'ok'; entries: HistoryEntry[]; dropped: number; stamp: string | null }
  | { kind: 'corrupt'; why: string }
  | { kind: 'missing' };

export class HistoryStore {
  readonly problems: LoadProblems = {
    corruptBackups: [],
    droppedEntries: 0,
    tempFilesRemoved: 0,
    unreadableShards: [],
  };
  private readonly shards = new Map<number, Shard>();
  private readonly byId = new Map<string, { x: Indexed; shard: Shard }>();
  /** Newest first. */
  private sorted: Indexed[] = [];
  /** Bumped at every change of the index: the other orders below are made again when asked for. */
  private version = 0;
  private readonly orders = new Map<'rating' | 'prompt', { version: number; list: Indexed[] }>();
  private maxNum = 0;
  private readonly shardSize: number;
  private readonly log: (message: string, err?: unknown) => void;
  private readonly lockFile: string;

  private constructor(private readonly opts: HistoryStoreOptions) {
    this.shardSize = opts.shardSize ?? DEFAULT_SHARD_SIZE;
    this.log = opts.log ?? (() => {});
    this.lockFile = path.join(opts.dir, LOCK_NAME);
  }

  /** Loads every shard. Throws an `io` AppError when the folder is unusable or written by a newer version. */
  static open(opts: HistoryStoreOptions): HistoryStore {
    const s = new HistoryStore(opts);
    s.load();
    return s;
  }

  get size(): number {
    return this.byId.size;
  }

  get readOnly(): boolean {
    return this.opts.readOnly === true;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): HistoryEntry | undefined {
    return this.byId.get(id)?.x.entry;
  }

  all(): IterableIterator<HistoryEntry> {
    return (function* (sorted: Indexed[]) {
      for (const x of sorted) yield x.entry;
    })(this.sorted);
  }

  /** `liveBoards`: the boards that exist (see compileQuery). */
  query(q: HistoryQuery, liveBoards?: ReadonlySet<string>): HistoryPage {
    return runQuery(this.ordered(q.sort), q, liveBoards);
  }

  /** Every entry a filter shows, in its order. */
  matching(q: QueryFilter, liveBoards?: ReadonlySet<string>): HistoryEntry[] {
    return matchAll(this.ordered(q.sort ?? 'newest'), q, liveBoards);
  }

  /** The number of the shard holding this entry (bulk actions group their work by shard). */
  shardOf(id: string): number | undefined {
    return this.byId.get(id)?.shard.num;
  }

  private ordered(sort: HistorySort): Iterable<Indexed> {
    switch (sort) {
      case 'newest':
        return this.sorted;
      case 'oldest':
        return (function* (list: Indexed[]) {
          for (let i = list.length - 1; i >= 0; i--) yield list[i]!;
        })(this.sorted);
      case 'rating':
      case 'prompt': {
        const hit = this.orders.get(sort);
        if (hit && hit.version === this.version) return hit.list;
        const list = sort === 'rating' ? byRating(this.sorted) : [...this.sorted].sort(byPrompt);
        this.orders.set(sort, { version: this.version, list });
        return list;
      }
    }
  }

  /** Appends one entry (written to disk before this returns). */
  add(entry: HistoryEntry): void {
    this.addMany([entry]);
  }

  /**
   * Appends entries, one write per shard touched. Ids already present (also those another process
   * added) are skipped, and so are entries `accept` refuses: it runs under the lock, after the
   * index was brought up to date, so it sees what every process has done. Returns what was added.
   */
  addMany(entries: HistoryEntry[], accept?: (e: HistoryEntry) => boolean): HistoryEntry[] {
    return this.writing(() => {
      const seen = new Set<string>();
      let pending = entries.filter((e) => {
        if (this.byId.has(e.id) || seen.has(e.id) || (accept && !accept(e))) return false;
        seen.add(e.id);
        return true;
      });
      const added: HistoryEntry[] = [];
      // One insert: binary search; many (a rebuild): append, then sort once.
      const single = pending.length === 1;
      try {
        while (pending.length > 0) {
          const shard = this.appendTarget();
          const room = this.shardSize - shard.entries.length;
          const batch = pending.slice(0, room);
          pending = pending.slice(room);
          this.writeShard(shard, [...shard.entries, ...batch]);
          for (const e of batch) this.indexEntry(e, shard, single);
          added.push(...batch);
        }
      } finally {
        // Also when a later shard write failed: the batches already written are indexed.
        if (!single) this.sorted.sort(newerFirst);
      }
      return added;
    });
  }

  /** Replaces an entry (same id) in place; undefined when it is not (or no longer) in the index. */
  update(id: string, change: (e: HistoryEntry) => HistoryEntry): HistoryEntry | undefined {
    return this.writing(() => {
      const hit = this.byId.get(id);
      if (!hit) return undefined;
      const next = change(hit.x.entry);
      this.writeShard(
        hit.shard,
        hit.shard.entries.map((e) => (e.id === id ? next : e)),
      );
      this.unindex(id);
      this.indexEntry(next, hit.shard);
      return next;
    });
  }

  /**
   * Changes many entries with one write per shard touched, under one lock. `change` returns the
   * entry unchanged (the same object) to leave it; the id and creation time must stay. Ids not in
   * the index (also those another process removed) are left out. Returns the changed entries.
   * A failed shard write stops there: the shards written before it keep their change (memory
   * follows disk, shard by shard).
   */
  updateMany(ids: Iterable<string>, change: (e: HistoryEntry) => HistoryEntry): HistoryEntry[] {
    return this.writing(() => {
      const changed: HistoryEntry[] = [];
      for (const [shard, hits] of this.groupByShard(ids)) {
        const next = new Map<string, HistoryEntry>();
        for (const hit of hits) {
          const e = change(hit.x.entry);
          if (e !== hit.x.entry) next.set(e.id, e);
        }
        if (next.size === 0) continue;
        this.writeShard(
          shard,
          shard.entries.map((e) => next.get(e.id) ?? e),
        );
        for (const e of next.values()) {
          this.replaceIndexed(e, shard);
          changed.push(e);
        }
      }
      if (changed.length > 0) this.version++;
      return changed;
    });
  }

  /** Removes many entries with one write per shard touched, under one lock. Returns those removed. */
  removeMany(ids: Iterable<string>): HistoryEntry[] {
    return this.writing(() => {
      const removed: HistoryEntry[] = [];
      const gone = new Set<Indexed>();
      try {
        for (const [shard, hits] of this.groupByShard(ids)) {
          const drop = new Set(hits.map((h) => h.x.entry.id));
          this.writeShard(
            shard,
            shard.entries.filter((e) => !drop.has(e.id)),
          );
          for (const h of hits) {
            this.byId.delete(h.x.entry.id);
            gone.add(h.x);
            removed.push(h.x.entry);
          }
        }
      } finally {
        if (gone.size > 0) {
          this.sorted = this.sorted.filter((x) => !gone.has(x));
          this.version++;
        }
      }
      return removed;
    });
  }

  /** The index's hits for these ids, by shard (unknown ids left out, each id once). */
  private groupByShard(ids: Iterable<string>): Map<Shard, { x: Indexed; shard: Shard }[]> {
    const groups = new Map<Shard, { x: Indexed; shard: Shard }[]>();
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      const hit = this.byId.get(id);
      if (!hit) continue;
      const list = groups.get(hit.shard);
      if (list) list.push(hit);
      else groups.set(hit.shard, [hit]);
    }
    return groups;
  }

  /**
   * Puts a changed entry in its old place: same id and time, so the same position in the
   * newest-first list, found by binary search (a bulk change of 10 000 entries stays linear).
   */
  private replaceIndexed(e: HistoryEntry, shard: Shard): void {
    const old = this.byId.get(e.id);
    const x = indexed(e);
    if (!old || old.x.time !== x.time) {
      this.unindex(e.id);
      this.indexEntry(e, shard);
      return;
    }
    this.byId.set(e.id, { x, shard });
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (newerFirst(this.sorted[mid]!, old.x) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (this.sorted[lo] === old.x) this.sorted[lo] = x;
    else {
      const i = this.sorted.indexOf(old.x);
      if (i >= 0) this.sorted[i] = x;
    }
  }

  remove(id: string): HistoryEntry | undefined {
    return this.writing(() => {
      const hit = this.byId.get(id);
      if (!hit) return undefined;
      this.writeShard(
        hit.shard,
        hit.shard.entries.filter((e) => e.id !== id),
      );
      this.unindex(id);
      return hit.x.entry;
    });
  }

  /**
   * Reads again every shard another process changed since this one last looked (for a caller that
   * wants what is on disk now). Writes do this by themselves.
   */
  refresh(): void {
    if (this.readOnly) this.syncFromDisk(false);
    else withLock(this.lockFile, () => this.syncFromDisk(true), this.opts.lockWaitMs ?? LOCK_WAIT_MS);
  }

  // ---- writing ---------------------------------------------------------------------------------

  /** Every write: the caller's check, the lock, the index brought up to date, then `fn`. */
  private writing<T>(fn: () => T): T {
    if (this.readOnly) throw new AppError('io', `The history in "${this.opts.dir}" is open read-only.`);
    this.opts.beforeWrite?.();
    return withLock(
      this.lockFile,
      () => {
        this.syncFromDisk(true);
        return fn();
      },
      this.opts.lockWaitMs ?? LOCK_WAIT_MS,
    );
  }

  /** Disk first, memory after: a failed write leaves the in-memory index as it was. */
  private writeShard(shard: Shard, entries: HistoryEntry[]): void {
    const file = this.fileOf(shard.num);
    try {
      // The layout conf/electron-store used (tab-indented), so files written by either read the same.
      writeFileAtomicSync(file, JSON.stringify({ format: HISTORY_FORMAT, entries }, undefined, '\t'));
    } catch (err) {
      throw toIoError(err, 'write the history', this.opts.dir);
    }
    shard.entries = entries;
    shard.stamp = stampOf(file);
  }

  private appendTarget(): Shard {
    const last = this.shards.get(this.maxNum);
    if (last && last.entries.length < this.shardSize) return last;
    const num = this.maxNum + 1;
    const shard: Shard = { num, stamp: null, entries: [] };
    this.shards.set(num, shard);
    this.maxNum = num;
    return shard;
  }

  // ---- reading ---------------------------------------------------------------------------------

  private fileOf(num: number): string {
    return path.join(this.opts.dir, `${shardName(num)}.json`);
  }

  private listDir(): string[] {
    try {
      return readdirSync(this.opts.dir);
    } catch (err) {
      if (this.readOnly && errnoCode(err) === 'ENOENT') return [];
      throw toIoError(err, 'open the history', this.opts.dir);
    }
  }

  private load(): void {
    const dir = this.opts.dir;
    if (!this.readOnly) {
      try {
        mkdirSync(dir, { recursive: true });
      } catch (err) {
        throw toIoError(err, 'open the history', dir);
      }
      for (const name of this.listDir()) {
        if (removeIfAbandonedSync(path.join(dir, name), STORE_TEMP_RE)) this.problems.tempFilesRemoved++;
      }
    }
    const needsRepair = this.loadAll(false);
    if (needsRepair && !this.readOnly) {
      // Moving files aside and rewriting shards are writes: done again under the lock, from what
      // is on disk then (another process may have repaired them meanwhile).
      withLock(
        this.lockFile,
        () => {
          this.reset();
          this.loadAll(true);
        },
        this.opts.lockWaitMs ?? LOCK_WAIT_MS,
      );
    }
  }

  private reset(): void {
    this.version++;
    this.shards.clear();
    this.byId.clear();
    this.sorted = [];
    this.maxNum = 0;
  }

  /** Reads every shard; returns whether one needs a repair (left undone unless `repair`). */
  private loadAll(repair: boolean): boolean {
    const names = this.listDir();
    this.noteNames(names);
    const nums = names
      .map((n) => SHARD_RE.exec(n)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    let needsRepair = false;
    for (const num of nums) {
      const read = this.readShard(num);
      if (read.kind === 'missing') continue;
      if (read.kind === 'corrupt') {
        needsRepair = true;
        if (repair) this.moveAside(this.fileOf(num), read.why);
        else if (this.readOnly) this.skipUnreadable(num, read.why);
        continue;
      }
      const shard: Shard = { num, entries: read.entries, stamp: read.stamp };
      if (read.dropped > 0) {
        needsRepair = true;
        if (repair) {
          // Keep the original aside, then go on with the good entries.
          this.moveAside(this.fileOf(num), `${read.dropped} malformed or duplicate entries`);
          this.problems.droppedEntries += read.dropped;
          this.writeShard(shard, read.entries);
        } else if (this.readOnly) this.problems.droppedEntries += read.dropped;
      }
      this.shards.set(num, shard);
      for (const e of read.entries) this.indexEntry(e, shard, false);
    }
    this.sorted.sort(newerFirst);
    return needsRepair;
  }

  /**
   * Brings memory up to date with the folder: shards another process wrote, made or removed since
   * this one last looked are read again. `repair`: under the lock, so a damaged shard may be moved aside.
   */
  private syncFromDisk(repair: boolean): void {
    const names = this.listDir();
    this.noteNames(names);
    const onDisk = new Set(
      names
        .map((n) => SHARD_RE.exec(n)?.[1])
        .filter((n): n is string => n !== undefined)
        .map(Number),
    );
    let changed = false;
    for (const shard of [...this.shards.values()]) {
      if (shard.stamp !== null && !onDisk.has(shard.num)) {
        // Moved aside by another process (it rebuilds those entries from the images).
        this.dropShard(shard);
        changed = true;
      }
    }
    for (const num of onDisk) {
      const known = this.shards.get(num);
      if (known && known.stamp !== null && known.stamp === stampOf(this.fileOf(num))) continue;
      // Out of memory first: its own entries must not count as duplicates when it is read again.
      if (known) this.dropShard(known);
      changed = true;
      const read = this.readShard(num);
      if (read.kind === 'missing') continue;
      if (read.kind === 'corrupt') {
        if (repair) this.moveAside(this.fileOf(num), read.why);
        else this.skipUnreadable(num, read.why);
        continue;
      }
      const shard: Shard = { num, entries: read.entries, stamp: read.stamp };
      // Entries this process cannot read stay out of memory; the file keeps them until a repair.
      if (read.dropped > 0 && repair) {
        this.moveAside(this.fileOf(num), `${read.dropped} malformed or duplicate entries`);
        this.problems.droppedEntries += read.dropped;
        this.writeShard(shard, read.entries);
      }
      this.shards.set(num, shard);
      for (const e of read.entries) this.indexEntry(e, shard, false);
    }
    if (changed) this.sorted.sort(newerFirst);
  }

  private noteNames(names: string[]): void {
    for (const name of names) {
      const any = ANY_SHARD_RE.exec(name);
      if (any) this.maxNum = Math.max(this.maxNum, Number(any[1]));
    }
  }

  /**
   * Reads and checks one shard file, raw (the original must stay intact to be kept as a backup).
   * Throws for a shard of a newer format: reading it as ours would lose what we do not know.
   */
  private readShard(num: number): ShardRead {
    const file = this.fileOf(num);
    const before = stampOf(file);
    let raw: unknown;
    try {
      let text = readFileSync(file, 'utf8');
      // A byte-order mark (some editors add one) is not part of the JSON.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      raw = JSON.parse(text);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return { kind: 'missing' };
      return { kind: 'corrupt', why: describe(err) };
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return { kind: 'corrupt', why: 'not a history shard' };
    }
    const { format, entries: rawEntries } = raw as { format?: unknown; entries?: unknown };
    if (format !== HISTORY_FORMAT) {
      if (typeof format === 'number' && Number.isInteger(format) && format > HISTORY_FORMAT) {
        throw new AppError(
          'io',
          `The history in "${this.opts.dir}" was written by a newer version of Flux Gallery ` +
            `(${path.basename(file)} has index format ${format}; this version reads format ${HISTORY_FORMAT}). ` +
            'Update Flux Gallery, or choose another library folder. Nothing was changed.',
        );
      }
      return {
        kind: 'corrupt',
        why: format === undefined ? 'no index format' : `unknown index format ${JSON.stringify(format)}`,
      };
    }
    if (!Array.isArray(rawEntries)) return { kind: 'corrupt', why: 'no entries list' };
    const entries: HistoryEntry[] = [];
    const ids = new Set<string>();
    let dropped = 0;
    for (const item of rawEntries) {
      if (isHistoryEntry(item) && !this.byId.has(item.id) && !ids.has(item.id)) {
        entries.push(this.opts.migrate ? this.opts.migrate(item) : item);
        ids.add(item.id);
      } else dropped++;
    }
    // Read twice in a row unchanged, or the stamp could describe a newer file than the one read.
    const after = stampOf(file);
    return { kind: 'ok', entries, dropped, stamp: before === after ? after : null };
  }

  private dropShard(shard: Shard): void {
    this.version++;
    for (const e of shard.entries) {
      if (this.byId.get(e.id)?.shard === shard) this.byId.delete(e.id);
    }
    this.sorted = this.sorted.filter((x) => this.byId.get(x.entry.id)?.x === x);
    this.shards.delete(shard.num);
  }

  private skipUnreadable(num: number, why: string): void {
    const file = this.fileOf(num);
    if (!this.problems.unreadableShards.includes(file)) this.problems.unreadableShards.push(file);
    this.log(`history: ${path.basename(file)} could not be read (${why}); left as it is`);
  }

  /** Renames the file to `<file>.corrupt-<time>`: the original is kept, never emptied in place. */
  private moveAside(file: string, why: string): void {
    const dest = `${file}.corrupt-${stamp()}`;
    try {
      renameSync(file, dest);
    } catch (err) {
      throw toIoError(err, 'move a damaged history file aside', file);
    }
    this.problems.corruptBackups.push(dest);
    this.log(`history: ${path.basename(file)} could not be read (${why}); kept as ${path.basename(dest)}`);
  }

  private indexEntry(e: HistoryEntry, shard: Shard, keepSorted = true): void {
    this.version++;
    const x = indexed(e);
    this.byId.set(e.id, { x, shard });
    if (!keepSorted) {
      this.sorted.push(x);
      return;
    }
    // Binary search for the insert point (new entries usually land at the front).
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (newerFirst(this.sorted[mid]!, x) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.sorted.splice(lo, 0, x);
  }

  private unindex(id: string): void {
    const hit = this.byId.get(id);
    if (!hit) return;
    this.version++;
    this.byId.delete(id);
    const i = this.sorted.indexOf(hit.x);
    if (i >= 0) this.sorted.splice(i, 1);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
