/**
 * The history index: entries spread over shard stores of at most `shardSize` entries each
 * (`history-000001.json`, `history-000002.json`, …, each a conf/electron-store store). Appending
 * rewrites only the newest shard, so the cost of an append does not grow with the history. All
 * shards are loaded at startup into memory, where queries run.
 *
 * A shard that cannot be read is moved aside as `<file>.corrupt-<time>` (never emptied in place);
 * the caller then rebuilds the missing entries from the images' embedded metadata.
 */
import { readdirSync, readFileSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type Conf from 'conf';
import type { HistoryEntry, HistoryPage, HistoryQuery } from '../../shared/library';
import type { StoreFactory } from '../store';
import { isHistoryEntry } from './entry-schema';
import { indexed, newerFirst, runQuery, type Indexed } from './history-query';
import { toIoError } from './io-errors';

export const DEFAULT_SHARD_SIZE = 500;
const FORMAT = 1;

interface ShardData extends Record<string, unknown> {
  format: number;
  entries: HistoryEntry[];
}

interface Shard {
  num: number;
  /** Made on the first write: loading needs only the parsed file, and most shards are never written again. */
  store: Conf<ShardData> | null;
  entries: HistoryEntry[];
}

export interface HistoryStoreOptions {
  dir: string;
  storeFactory: StoreFactory;
  shardSize?: number;
  /** Brings an entry read from disk up to date (older formats); written back with its shard's next write. */
  migrate?: (entry: HistoryEntry) => HistoryEntry;
  log?: (message: string, err?: unknown) => void;
}

export interface LoadProblems {
  /** Backups made of shard files that could not be read. */
  corruptBackups: string[];
  /** Entries dropped because they were malformed or duplicated. */
  droppedEntries: number;
  /** Leftover temp files of interrupted store writes that were removed. */
  tempFilesRemoved: number;
}

const SHARD_RE = /^history-(\d{6})\.json$/;
const ANY_SHARD_RE = /^history-(\d{6})\.json/;
// Temp files the `atomically` writer used by conf leaves when the process dies mid-write.
const STORE_TEMP_RE = /^history-\d{6}\.json\.tmp-\d{10}[0-9a-f]{6}$/;

const shardName = (num: number) => `history-${String(num).padStart(6, '0')}`;
const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

export class HistoryStore {
  readonly problems: LoadProblems = { corruptBackups: [], droppedEntries: 0, tempFilesRemoved: 0 };
  private readonly shards = new Map<number, Shard>();
  private readonly byId = new Map<string, { x: Indexed; shard: Shard }>();
  /** Newest first. */
  private sorted: Indexed[] = [];
  private maxNum = 0;
  private readonly shardSize: number;
  private readonly log: (message: string, err?: unknown) => void;

  private constructor(private readonly opts: HistoryStoreOptions) {
    this.shardSize = opts.shardSize ?? DEFAULT_SHARD_SIZE;
    this.log = opts.log ?? (() => {});
  }

  /** Loads every shard. Throws an `io` AppError only when the folder itself is unusable. */
  static open(opts: HistoryStoreOptions): HistoryStore {
    const s = new HistoryStore(opts);
    s.load();
    return s;
  }

  get size(): number {
    return this.byId.size;
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

  query(q: HistoryQuery): HistoryPage {
    return runQuery(this.sorted, q);
  }

  /** Appends one entry (written to disk before this returns). */
  add(entry: HistoryEntry): void {
    this.addMany([entry]);
  }

  /** Appends entries, one write per shard touched. Ids already present are skipped. */
  addMany(entries: HistoryEntry[]): void {
    const seen = new Set<string>();
    let pending = entries.filter((e) => {
      if (this.byId.has(e.id) || seen.has(e.id)) return false;
      seen.add(e.id);
      return true;
    });
    // One insert: binary search; many (a rebuild): append, then sort once.
    const single = pending.length === 1;
    try {
      while (pending.length > 0) {
        const shard = this.appendTarget();
        const room = this.shardSize - shard.entries.length;
        const batch = pending.slice(0, room);
        pending = pending.slice(room);
        this.write(shard, [...shard.entries, ...batch]);
        for (const e of batch) this.indexEntry(e, shard, single);
      }
    } finally {
      // Also when a later shard write failed: the batches already written are indexed.
      if (!single) this.sorted.sort(newerFirst);
    }
  }

  /** Replaces an entry (same id) in place. */
  update(id: string, change: (e: HistoryEntry) => HistoryEntry): HistoryEntry | undefined {
    const hit = this.byId.get(id);
    if (!hit) return undefined;
    const next = change(hit.x.entry);
    this.write(
      hit.shard,
      hit.shard.entries.map((e) => (e.id === id ? next : e)),
    );
    this.unindex(id);
    this.indexEntry(next, hit.shard);
    return next;
  }

  remove(id: string): HistoryEntry | undefined {
    const hit = this.byId.get(id);
    if (!hit) return undefined;
    this.write(
      hit.shard,
      hit.shard.entries.filter((e) => e.id !== id),
    );
    this.unindex(id);
    return hit.x.entry;
  }

  private load(): void {
    const dir = this.opts.dir;
    let names: string[];
    try {
      mkdirSync(dir, { recursive: true });
      names = readdirSync(dir);
    } catch (err) {
      throw toIoError(err, 'open the history', dir);
    }
    for (const name of names) {
      const any = ANY_SHARD_RE.exec(name);
      if (any) this.maxNum = Math.max(this.maxNum, Number(any[1]));
      if (STORE_TEMP_RE.test(name)) {
        rmSync(path.join(dir, name), { force: true });
        this.problems.tempFilesRemoved++;
      }
    }
    const nums = names
      .map((n) => SHARD_RE.exec(n)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
    for (const num of nums) this.loadShard(num);
    this.sorted.sort(newerFirst);
  }

  private loadShard(num: number): void {
    const file = path.join(this.opts.dir, `${shardName(num)}.json`);
    // Read and check the raw file before conf sees it: conf would merge a damaged file with the
    // defaults and write the result back, and we want the damaged original kept as a backup.
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      this.moveAside(file, err);
      return;
    }
    const rawEntries = (raw as { entries?: unknown } | null)?.entries;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !Array.isArray(rawEntries)) {
      this.moveAside(file, new Error('not a history shard'));
      return;
    }
    const entries: HistoryEntry[] = [];
    const ids = new Set<string>();
    let dropped = 0;
    for (const item of rawEntries) {
      if (isHistoryEntry(item) && !this.byId.has(item.id) && !ids.has(item.id)) {
        entries.push(this.opts.migrate ? this.opts.migrate(item) : item);
        ids.add(item.id);
      } else dropped++;
    }
    if (dropped > 0) {
      // Keep the original aside, then go on with the good entries (rewritten below).
      this.moveAside(file, new Error(`${dropped} malformed or duplicate entries`));
      this.problems.droppedEntries += dropped;
    }
    const shard: Shard = { num, store: null, entries };
    if (dropped > 0) this.write(shard, entries);
    this.shards.set(num, shard);
    for (const e of entries) this.indexEntry(e, shard, false);
  }

  /** Renames the file to `<file>.corrupt-<time>`: the original is kept, never emptied in place. */
  private moveAside(file: string, why: unknown): void {
    const dest = `${file}.corrupt-${stamp()}`;
    try {
      renameSync(file, dest);
    } catch (err) {
      throw toIoError(err, 'move a damaged history file aside', file);
    }
    this.problems.corruptBackups.push(dest);
    this.log(`history: ${path.basename(file)} could not be read (${describe(why)}); kept as ${path.basename(dest)}`);
  }

  private appendTarget(): Shard {
    const last = this.shards.get(this.maxNum);
    if (last && last.entries.length < this.shardSize) return last;
    const num = this.maxNum + 1;
    const shard: Shard = { num, store: null, entries: [] };
    this.shards.set(num, shard);
    this.maxNum = num;
    return shard;
  }

  /** Disk first, memory after: a failed write leaves the in-memory index as it was. */
  private write(shard: Shard, entries: HistoryEntry[]): void {
    try {
      shard.store ??= this.opts.storeFactory<ShardData>({
        name: shardName(shard.num),
        cwd: this.opts.dir,
        defaults: { format: FORMAT, entries: [] },
      });
      shard.store.store = { format: FORMAT, entries };
    } catch (err) {
      throw toIoError(err, 'write the history', this.opts.dir);
    }
    shard.entries = entries;
  }

  private indexEntry(e: HistoryEntry, shard: Shard, keepSorted = true): void {
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
    this.byId.delete(id);
    const i = this.sorted.indexOf(hit.x);
    if (i >= 0) this.sorted.splice(i, 1);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
