/**
 * The history index: one SQLite database (`history.sqlite` in the index folder) through
 * better-sqlite3. Why SQLite, and the figures, are in main/library/README.md ("The index at a
 * million entries"). In short: queries, orders and substring search run on B-tree and trigram
 * indexes on disk, so opening the index reads nothing but its header, memory does not grow with the
 * number of entries, and a search is an index lookup; SQLite's own locking and transactions make
 * the app and the CLI safe on one library.
 *
 * Every write is one transaction begun IMMEDIATE (the write lock taken at once, waiting up to
 * `lockWaitMs` for another process's), so `accept` and `change` callbacks see what every process
 * has committed. Reads always see the last commit: there is no copy in memory to go stale.
 *
 * A library of an earlier version (JSON shards, legacy-shards.ts) is moved into the database when
 * it is first opened. A database that cannot be read is kept aside as `history.sqlite.corrupt-<time>`
 * and started again (the caller rebuilds its entries from the images' embedded metadata); one of a
 * newer version is refused in words.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import type { HistoryEntry, HistoryPage, HistoryQuery } from '../../shared/library';
import type { StoreFactory } from '../store';
import { removeIfAbandonedSync } from './atomic-write';
import { compileFilter, INDEX_VERSION, orderBy, PER_MS, SCHEMA, type CompiledFilter } from './history-sql';
import { promptKeyOf, type QueryFilter } from './history-query';
import { LOCK_NAME, LOCK_WAIT_MS, withLock } from './index-lock';
import { errnoCode, toIoError } from './io-errors';
import { listShards, MIGRATED_DIR, readShard, type ShardRead } from './legacy-shards';

export const INDEX_FILE = 'history.sqlite';
/** Left by a process that met a damaged index while running: the next open starts it again. */
const DAMAGED_MARK = 'history.sqlite.damaged';
/** How many entries one write transaction of a bulk change holds (the lock is released in between). */
export const WRITE_CHUNK = 500;

export interface HistoryStoreOptions {
  dir: string;
  /** Not used by the index (settings stay in conf/electron-store). Accepted so callers keep working. */
  storeFactory?: StoreFactory;
  /** Not used any more (the index is no longer sharded). Accepted so callers keep working. */
  shardSize?: number;
  /** Brings an entry of an older format up to date (entries read from shards of earlier versions). */
  migrate?: (entry: HistoryEntry) => HistoryEntry;
  log?: (message: string, err?: unknown) => void;
  /** Only reads (the CLI's `history`): nothing on disk is created, changed or repaired; every write throws. */
  readOnly?: boolean;
  /** Runs before every write; throws to refuse it (the library checks its folder is still there). */
  beforeWrite?: () => void;
  /** How long a write waits for another process's write lock (tests shorten it). */
  lockWaitMs?: number;
}

export interface LoadProblems {
  /** Backups made of index files that could not be read. */
  corruptBackups: string[];
  /** Entries dropped because they were malformed or duplicated (shards of earlier versions). */
  droppedEntries: number;
  /** Leftover temp files of interrupted writes that were removed (only abandoned ones). */
  tempFilesRemoved: number;
  /** Read-only: index files that could not be read (left as they are). */
  unreadableShards: string[];
}

// Temp files the `atomically` writer of conf (used by earlier versions) leaves when a process dies mid-write.
const STORE_TEMP_RE = /^history-\d{6}\.json\.tmp-\d{10}[0-9a-f]{6}$/;
const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

type Row = { entry: string };
type Params = (string | number | null)[];

/** SQLite's answers that mean the file is not (or no longer) a readable database. */
function isDamage(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

function sqliteCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

export class HistoryStore {
  readonly problems: LoadProblems = {
    corruptBackups: [],
    droppedEntries: 0,
    tempFilesRemoved: 0,
    unreadableShards: [],
  };
  private db!: Database.Database;
  private readonly log: (message: string, err?: unknown) => void;
  private readonly file: string;
  private readonly stmts = new Map<string, Database.Statement>();
  /** Counts by filter, kept while no process has written (see changeStamp). */
  private readonly counts = new Map<string, number>();
  private countsStamp = '';
  /** Bumped by this connection's writes (`PRAGMA data_version` tells only other connections' commits). */
  private ownWrites = 0;

  private constructor(private readonly opts: HistoryStoreOptions) {
    this.log = opts.log ?? (() => {});
    this.file = path.join(opts.dir, INDEX_FILE);
  }

  /** Opens (or makes) the index. Throws an `io` AppError when the folder is unusable or written by a newer version. */
  static open(opts: HistoryStoreOptions): HistoryStore {
    const s = new HistoryStore(opts);
    if (opts.readOnly) s.openReadOnly();
    else s.openWritable();
    return s;
  }

  get readOnly(): boolean {
    return this.opts.readOnly === true;
  }

  get size(): number {
    return this.count({});
  }

  close(): void {
    if (this.db?.open) this.db.close();
  }

  has(id: string): boolean {
    return this.read(() => this.stmt('SELECT 1 FROM entries WHERE id = ?').get(id) !== undefined);
  }

  get(id: string): HistoryEntry | undefined {
    const row = this.read(() => this.stmt('SELECT entry FROM entries WHERE id = ?').get(id) as Row | undefined);
    return row ? parse(row) : undefined;
  }

  /** Whether an entry has this content hash (an import's duplicate check). */
  hasHash(hash: string): boolean {
    return this.read(() => this.stmt('SELECT 1 FROM entries WHERE hash = ?').get(hash) !== undefined);
  }

  /** Every entry, newest first, read lazily (do not write to the index while iterating). */
  *all(): IterableIterator<HistoryEntry> {
    for (const row of this.read(() =>
      this.stmt(`SELECT e.entry FROM entries e ORDER BY ${orderBy('newest')}`).iterate(),
    ))
      yield parse(row as Row);
  }

  /** `liveBoards`: the boards that exist (see compileFilter). */
  query(q: HistoryQuery, liveBoards?: ReadonlySet<string>): HistoryPage {
    const f = compileFilter(q, liveBoards);
    const total = this.count(q, liveBoards);
    // A page past the middle is read from the other end: an OFFSET walks every row it skips, so the
    // last page of a million costs what the first half's middle does, not four times that.
    const fromEnd = q.offset > total / 2;
    const offset = fromEnd ? Math.max(0, total - q.offset - q.limit) : q.offset;
    const limit = fromEnd ? Math.min(q.limit, total - q.offset) : q.limit;
    if (limit <= 0) return { items: [], total };
    const { sql, params } = selectSql('e.entry', f, q.sort, fromEnd);
    const rows = this.read(() => this.stmt(`${sql} LIMIT ? OFFSET ?`).all(...params, limit, offset) as Row[]);
    if (fromEnd) rows.reverse();
    return { items: rows.map(parse), total };
  }

  /** The number of entries a filter shows (kept until any process writes). */
  count(q: QueryFilter, liveBoards?: ReadonlySet<string>): number {
    const f = compileFilter(q, liveBoards);
    const key = `${f.conds.join(' AND ')}\u0000${f.match ?? ''}\u0000${JSON.stringify(f.params)}`;
    const now = this.changeStamp();
    if (now !== this.countsStamp) {
      this.counts.clear();
      this.countsStamp = now;
    }
    const hit = this.counts.get(key);
    if (hit !== undefined) return hit;
    const { sql, params } = countSql(f);
    const n = this.read(() => (this.stmt(sql).get(...params) as { n: number }).n);
    if (this.counts.size > 64) this.counts.clear();
    this.counts.set(key, n);
    return n;
  }

  /** Every entry a filter shows, in its order. */
  matching(q: QueryFilter, liveBoards?: ReadonlySet<string>): HistoryEntry[] {
    const { sql, params } = selectSql('e.entry', compileFilter(q, liveBoards), q.sort);
    return this.read(() => this.stmt(sql).all(...params) as Row[]).map(parse);
  }

  /** The ids a filter shows, in its order (no entry is parsed: Ctrl+A on a million). */
  matchingIds(q: QueryFilter, liveBoards?: ReadonlySet<string>): string[] {
    const { sql, params } = selectSql('e.id', compileFilter(q, liveBoards), q.sort);
    return this.read(
      () =>
        this.stmt(sql)
          .pluck()
          .all(...params) as string[],
    );
  }

  /** How many entries carry each board id (ids of deleted boards included: the caller filters). */
  boardCounts(): { counts: Map<string, number>; total: number } {
    const rows = this.read(
      () =>
        this.stmt('SELECT board, count(*) AS n FROM board_entries GROUP BY board').all() as {
          board: string;
          n: number;
        }[],
    );
    return { counts: new Map(rows.map((r) => [r.board, r.n])), total: this.size };
  }

  /** Entries on at least one of these boards. */
  countOnAnyBoard(boards: readonly string[]): number {
    return this.read(
      () =>
        (
          this.stmt(
            'SELECT count(DISTINCT n) AS n FROM board_entries WHERE board IN (SELECT value FROM json_each(?))',
          ).get(JSON.stringify(boards)) as { n: number }
        ).n,
    );
  }

  /** Ids of the entries on a board. */
  idsOnBoard(board: string): string[] {
    return this.read(
      () =>
        this.stmt('SELECT e.id FROM board_entries b JOIN entries e ON e.n = b.n WHERE b.board = ?')
          .pluck()
          .all(board) as string[],
    );
  }

  /** Id and stored image path of every entry, for a check of missing files. */
  *files(): IterableIterator<{ id: string; file: string }> {
    const it = this.read(() =>
      this.stmt("SELECT id, json_extract(entry, '$.file') AS file FROM entries ORDER BY n").iterate(),
    );
    for (const row of it) yield row as { id: string; file: string };
  }

  /** Appends one entry (committed before this returns). */
  add(entry: HistoryEntry): void {
    this.addMany([entry]);
  }

  /**
   * Adds entries in one transaction. Ids already present (also those another process added) are
   * skipped, and so are entries `accept` refuses: it runs inside the write transaction, so it sees
   * what every process has done. Returns what was added.
   */
  addMany(entries: HistoryEntry[], accept?: (e: HistoryEntry) => boolean): HistoryEntry[] {
    return this.writing(() => {
      const added: HistoryEntry[] = [];
      const seen = new Set<string>();
      for (const e of entries) {
        if (seen.has(e.id) || this.has(e.id) || (accept && !accept(e))) continue;
        seen.add(e.id);
        this.insertRow(e);
        added.push(e);
      }
      return added;
    });
  }

  /** Replaces an entry (same id); undefined when it is not (or no longer) in the index. */
  update(id: string, change: (e: HistoryEntry) => HistoryEntry): HistoryEntry | undefined {
    return this.writing(() => {
      const old = this.get(id);
      if (!old) return undefined;
      const next = change(old);
      this.updateRow(id, next);
      return next;
    });
  }

  /**
   * Changes many entries in one transaction. `change` returns the entry unchanged (the same object)
   * to leave it. Ids not in the index (also those another process removed) are left out. Returns the
   * changed entries. Callers with many ids go in chunks of WRITE_CHUNK, so the write lock is held
   * for milliseconds at a time.
   */
  updateMany(ids: Iterable<string>, change: (e: HistoryEntry) => HistoryEntry): HistoryEntry[] {
    return this.writing(() => {
      const changed: HistoryEntry[] = [];
      for (const id of new Set(ids)) {
        const old = this.get(id);
        if (!old) continue;
        const next = change(old);
        if (next === old) continue;
        this.updateRow(id, next);
        changed.push(next);
      }
      return changed;
    });
  }

  /** Removes many entries in one transaction. Returns those removed. */
  removeMany(ids: Iterable<string>): HistoryEntry[] {
    return this.writing(() => {
      const removed: HistoryEntry[] = [];
      for (const id of new Set(ids)) {
        const old = this.get(id);
        if (!old) continue;
        this.stmt('DELETE FROM entries WHERE id = ?').run(id);
        removed.push(old);
      }
      return removed;
    });
  }

  remove(id: string): HistoryEntry | undefined {
    return this.removeMany([id])[0];
  }

  /** Kept for callers of the shard era: reads always see the last commit of every process. */
  refresh(): void {}

  // ---- rows ------------------------------------------------------------------------------------

  private rowValues(e: HistoryEntry): Params {
    return [
      Date.parse(e.createdAt),
      e.model,
      e.providerId,
      e.favourite ? 1 : 0,
      Math.min(5, Math.max(0, e.rating ?? 0)),
      e.hash ?? null,
      e.prompt.toLowerCase(),
      promptKeyOf(e.prompt),
      JSON.stringify(e),
    ];
  }

  /** The row key of a new entry: its time in ms × PER_MS, plus one per entry of the same millisecond. */
  private newKey(time: number): number {
    const base = Math.floor(time) * PER_MS;
    const top = this.stmt('SELECT max(n) FROM entries WHERE n >= ? AND n < ?')
      .pluck()
      .get(base, base + PER_MS) as number | null;
    let n = top === null ? base : top + 1;
    // More than PER_MS in one millisecond spill into the next one's keys: find a free one.
    while (this.stmt('SELECT 1 FROM entries WHERE n = ?').get(n) !== undefined) n++;
    return n;
  }

  private insertRow(e: HistoryEntry): void {
    const values = this.rowValues(e);
    const n = this.newKey(values[0] as number);
    this.stmt(
      `INSERT INTO entries (n, id, time, model, provider, favourite, rating, hash, prompt_lower, prompt_key, entry)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(n, e.id, ...values);
    this.setBoards(n, e.boards);
  }

  /** The id and time stay (the key is made from the time). */
  private updateRow(id: string, e: HistoryEntry): void {
    const values = this.rowValues(e);
    this.stmt(
      `UPDATE entries SET time = ?, model = ?, provider = ?, favourite = ?, rating = ?, hash = ?,
       prompt_lower = ?, prompt_key = ?, entry = ? WHERE id = ?`,
    ).run(...values, id);
    const n = (this.stmt('SELECT n FROM entries WHERE id = ?').get(id) as { n: number } | undefined)?.n;
    if (n === undefined) return;
    this.stmt('DELETE FROM board_entries WHERE n = ?').run(n);
    this.setBoards(n, e.boards);
  }

  private setBoards(n: number, boards: readonly string[] | undefined): void {
    for (const b of new Set(boards ?? [])) this.stmt('INSERT INTO board_entries (board, n) VALUES (?, ?)').run(b, n);
  }

  // ---- statements, reads and writes ------------------------------------------------------------

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Changes whenever any process (this one included) commits a write. */
  private changeStamp(): string {
    return `${this.read(() => this.db.pragma('data_version', { simple: true }) as number)}:${this.ownWrites}`;
  }

  /** A read; a damaged database is reported in words (and started again at the next open). */
  private read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw this.asAppError(err, 'read the history');
    }
  }

  /** Every write: the caller's check, then one IMMEDIATE transaction. */
  private writing<T>(fn: () => T): T {
    if (this.readOnly) throw new AppError('io', `The history in "${this.opts.dir}" is open read-only.`);
    this.opts.beforeWrite?.();
    try {
      const result = this.db.transaction(fn).immediate();
      this.ownWrites++;
      return result;
    } catch (err) {
      throw this.asAppError(err, 'write the history');
    }
  }

  private asAppError(err: unknown, what: string): unknown {
    if (err instanceof AppError) return err;
    const code = sqliteCode(err);
    if (isDamage(err)) {
      if (!this.readOnly) this.markDamaged();
      return new AppError(
        'io',
        `The history index in "${this.opts.dir}" is damaged (${code}). Restart Flux Gallery: it keeps the ` +
          'damaged file aside and rebuilds the history from the images.',
      );
    }
    if (code === 'SQLITE_FULL')
      return toIoError(Object.assign(new Error(String(err)), { code: 'ENOSPC' }), what, this.opts.dir);
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      return new AppError(
        'io',
        `Could not ${what}: another Flux Gallery process (the app or the command line) kept the history ` +
          `in "${this.opts.dir}" busy for too long. Try again.`,
      );
    }
    if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) {
      const errno = code.startsWith('SQLITE_READONLY') ? 'EACCES' : 'EIO';
      return toIoError(Object.assign(new Error(`${code}: ${String(err)}`), { code: errno }), what, this.opts.dir);
    }
    return err;
  }

  private markDamaged(): void {
    try {
      if (existsSync(this.file)) writeFileSync(path.join(this.opts.dir, DAMAGED_MARK), new Date().toISOString());
    } catch {
      // Best effort: the error in words already tells the user to restart.
    }
  }

  // ---- opening ---------------------------------------------------------------------------------

  private connect(file: string, readonly: boolean): Database.Database {
    const db = new Database(file, readonly ? { readonly: true, fileMustExist: true } : {});
    db.pragma(`busy_timeout = ${Math.max(0, Math.round(this.opts.lockWaitMs ?? LOCK_WAIT_MS))}`);
    // The rollback journal, not WAL: it works on every file system a library may live on (network
    // shares, exFAT drives), and needs no `-shm` file beside the index for a read-only reader.
    db.pragma('journal_mode = DELETE');
    db.pragma('synchronous = FULL');
    db.pragma('cache_size = -16000'); // 16 MB of pages, whatever the size of the library
    return db;
  }

  /** The version check; throws for a newer index, returns whether the schema must be made. */
  private checkVersion(db: Database.Database): boolean {
    const v = db.pragma('user_version', { simple: true }) as number;
    if (v > INDEX_VERSION) {
      db.close();
      throw new AppError(
        'io',
        `The history in "${this.opts.dir}" was written by a newer version of Flux Gallery ` +
          `(${INDEX_FILE} has index version ${v}; this version reads version ${INDEX_VERSION}). ` +
          'Update Flux Gallery, or choose another library folder. Nothing was changed.',
      );
    }
    return v === 0;
  }

  private openWritable(): void {
    const dir = this.opts.dir;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw toIoError(err, 'open the history', dir);
    }
    this.sweepTemps();
    const lockFile = path.join(dir, LOCK_NAME);
    const lockWait = this.opts.lockWaitMs ?? LOCK_WAIT_MS;
    // Making the database, keeping a damaged one aside and moving shards in are done under the
    // index lock, so two processes opening an old library at once do it once.
    const needsSetup = () =>
      !existsSync(this.file) || existsSync(path.join(dir, DAMAGED_MARK)) || listShards(dir).length > 0;
    if (needsSetup()) withLock(lockFile, () => this.setUp(), lockWait);
    else this.attach();
  }

  private attach(): void {
    try {
      this.db = this.connect(this.file, false);
      if (this.checkVersion(this.db)) this.db.exec(SCHEMA);
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (isDamage(err)) {
        this.db?.close();
        withLock(path.join(this.opts.dir, LOCK_NAME), () => this.setUp(true), this.opts.lockWaitMs ?? LOCK_WAIT_MS);
        return;
      }
      throw toIoError(err, 'open the history', this.opts.dir);
    }
  }

  /**
   * Under the lock: a damaged index kept aside, the database made, shards of earlier versions moved
   * in. The shards are read first: one of a newer format stops the open before anything is changed.
   */
  private setUp(damaged = false, shards = this.readShards()): void {
    const dir = this.opts.dir;
    const mark = path.join(dir, DAMAGED_MARK);
    if (damaged || existsSync(mark)) {
      if (existsSync(this.file))
        this.moveAside(this.file, damaged ? 'not a readable database' : 'found damaged while running');
      for (const extra of ['-journal', '-wal', '-shm']) rmSync(this.file + extra, { force: true });
      rmSync(mark, { force: true });
    }
    try {
      this.db = this.connect(this.file, false);
      if (this.checkVersion(this.db)) this.db.exec(SCHEMA);
    } catch (err) {
      if (err instanceof AppError) throw err;
      if (isDamage(err) && !damaged) {
        this.db?.close();
        this.setUp(true, shards);
        return;
      }
      throw toIoError(err, 'open the history', dir);
    }
    this.moveShardsIn(shards);
  }

  /** The shards of an earlier version, read and checked; nothing is changed (throws for a newer format). */
  private readShards(): { file: string; read: ShardRead }[] {
    const seen = new Set<string>();
    return listShards(this.opts.dir).map((file) => ({ file, read: readShard(file, seen, this.opts.migrate) }));
  }

  /** Shards of an earlier version: read into the index (one transaction), then kept in MIGRATED_DIR. */
  private moveShardsIn(shards: { file: string; read: ShardRead }[]): void {
    if (shards.length === 0) return;
    const entries: HistoryEntry[] = [];
    const kept: string[] = [];
    for (const { file, read } of shards) {
      if (read.kind === 'missing') continue;
      if (read.kind === 'corrupt') {
        this.moveAside(file, read.why);
        continue;
      }
      if (read.dropped > 0) {
        this.problems.droppedEntries += read.dropped;
        this.moveAside(file, `${read.dropped} malformed or duplicate entries`);
      } else kept.push(file);
      entries.push(...read.entries);
    }
    this.writing(() => {
      for (const e of entries) if (!this.has(e.id)) this.insertRow(e);
    });
    const dest = path.join(this.opts.dir, MIGRATED_DIR);
    try {
      mkdirSync(dest, { recursive: true });
      for (const file of kept) renameSync(file, path.join(dest, path.basename(file)));
    } catch (err) {
      throw toIoError(err, 'move the old history files aside', this.opts.dir);
    }
    this.log(`history: ${entries.length} entries moved from ${shards.length} shard files into ${INDEX_FILE}`);
  }

  /**
   * Read-only (the CLI's `history` while the app may run): the database as it is; a library of an
   * earlier version is read from its shards into memory, and nothing on disk is touched.
   */
  private openReadOnly(): void {
    const shards = listShards(this.opts.dir);
    if (existsSync(this.file) && shards.length === 0) {
      try {
        this.db = this.connect(this.file, true);
        if (!this.checkVersion(this.db)) return;
        // An index made but never given its schema (a process cut short): nothing in it.
        this.db.close();
      } catch (err) {
        if (err instanceof AppError) throw err;
        if (!isDamage(err)) throw toIoError(err, 'open the history', this.opts.dir);
        this.db?.close();
        this.problems.unreadableShards.push(this.file);
        this.log(`history: ${INDEX_FILE} could not be read (${sqliteCode(err)}); left as it is`);
      }
    }
    this.db = new Database(':memory:');
    this.db.exec(SCHEMA);
    const seen = new Set<string>();
    const insert = this.db.transaction((entries: HistoryEntry[]) => {
      for (const e of entries) this.insertRow(e);
    });
    for (const file of shards) {
      const read = readShard(file, seen, this.opts.migrate);
      if (read.kind === 'ok') {
        this.problems.droppedEntries += read.dropped;
        insert(read.entries);
      } else if (read.kind === 'corrupt') {
        this.problems.unreadableShards.push(file);
        this.log(`history: ${path.basename(file)} could not be read (${read.why}); left as it is`);
      }
    }
  }

  private sweepTemps(): void {
    let names: string[] = [];
    try {
      names = readdirSync(this.opts.dir);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw toIoError(err, 'open the history', this.opts.dir);
    }
    for (const name of names) {
      if (removeIfAbandonedSync(path.join(this.opts.dir, name), STORE_TEMP_RE)) this.problems.tempFilesRemoved++;
    }
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
}

/**
 * A filter's rows in a sort's order. A search in the newest or oldest order walks the word index
 * itself in rowid order (= time order) and stops at the page's end; other orders collect the matches.
 */
function selectSql(
  what: string,
  f: CompiledFilter,
  sort: QueryFilter['sort'],
  reversed = false,
): { sql: string; params: Params } {
  const order = sort ?? 'newest';
  if (f.match !== null && (order === 'newest' || order === 'oldest')) {
    const conds = ['prompt_search MATCH ?', ...f.conds].join(' AND ');
    const descending = (order === 'newest') !== reversed;
    return {
      sql: `SELECT ${what} FROM prompt_search s JOIN entries e ON e.n = s.rowid WHERE ${conds} ORDER BY s.rowid ${descending ? 'DESC' : 'ASC'}`,
      params: [f.match, ...f.params],
    };
  }
  const conds =
    f.match !== null ? ['e.n IN (SELECT rowid FROM prompt_search WHERE prompt_search MATCH ?)', ...f.conds] : f.conds;
  const params = f.match !== null ? [f.match, ...f.params] : f.params;
  const where = conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : '';
  return { sql: `SELECT ${what} FROM entries e ${where} ORDER BY ${orderBy(order, reversed)}`, params };
}

/** A search alone is counted by the word index without reading a row. */
function countSql(f: CompiledFilter): { sql: string; params: Params } {
  if (f.match !== null && f.conds.length === 0) {
    return { sql: 'SELECT count(*) AS n FROM prompt_search WHERE prompt_search MATCH ?', params: [f.match] };
  }
  if (f.match !== null) {
    return {
      sql: `SELECT count(*) AS n FROM prompt_search s JOIN entries e ON e.n = s.rowid WHERE prompt_search MATCH ? AND ${f.conds.join(' AND ')}`,
      params: [f.match, ...f.params],
    };
  }
  if (f.conds.length === 0) return { sql: "SELECT n FROM totals WHERE what = 'entries'", params: [] };
  return { sql: `SELECT count(*) AS n FROM entries e WHERE ${f.conds.join(' AND ')}`, params: f.params };
}

function parse(row: Row): HistoryEntry {
  return JSON.parse(row.entry) as HistoryEntry;
}
