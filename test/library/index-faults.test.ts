/**
 * Faults of the library folder and its index: the folder deleted while the app runs; shards of an
 * earlier version moved into the SQLite index (an unknown or newer format, malformed entries, a
 * byte-order mark); a SQLite index that is not a database, of a newer version, or damaged while
 * running; a save whose index write failed (another process holding the write lock); a delete cut short.
 */
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { HOST_TAG } from '../../main/library/atomic-write';
import { INDEX_VERSION } from '../../main/library/history-sql';
import { HistoryStore, INDEX_FILE } from '../../main/library/history-store';
import { LOCK_NAME } from '../../main/library/index-lock';
import { MIGRATED_DIR, SHARD_FORMAT } from '../../main/library/legacy-shards';
import { openLibrary, type Library, type LibraryOptions } from '../../main/library/library';
import { LAYOUT } from '../../main/library/paths';
import { createNodePlatform, type NodePlatform } from '../../main/platform';
import type { HistoryEntry } from '../../shared/library';
import { holdWriteLock, saveInput, tempDir, writeLegacyShard } from './helpers';

describe('library folder and index faults', () => {
  let root: string;
  let dir: string;
  let shardDir: string;
  let platform: NodePlatform;
  let cleanup: () => Promise<void>;
  const libs: Library[] = [];
  const open = async (over: Partial<LibraryOptions> = {}) => {
    const lib = await openLibrary({ dir, platform, ...over });
    libs.push(lib);
    return lib;
  };
  const shard1 = () => path.join(shardDir, 'history-000001.json');

  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('fg-faults-'));
    dir = path.join(root, 'library');
    shardDir = path.join(dir, LAYOUT.index);
    platform = createNodePlatform(path.join(root, 'trash'));
  });
  afterEach(async () => {
    for (const l of libs.splice(0)) await l.dispose().catch(() => {});
    await cleanup();
  });

  describe('a library folder deleted while the app runs', () => {
    it('is not created again: saving, starring, deleting and listing say it is gone', async () => {
      const lib = await open();
      const e = await lib.saveImage(await saveInput());
      await rm(dir, { recursive: true });
      expect(lib.folderGone).toBe(true);
      const gone = { code: 'file-missing', message: expect.stringContaining(`The library folder "${dir}" is gone`) };
      await expect(lib.saveImage(await saveInput())).rejects.toMatchObject(gone);
      expect(() => lib.setFavourite(e.id, true)).toThrowError(expect.objectContaining(gone));
      await expect(lib.delete(e.id)).rejects.toMatchObject(gone);
      expect(() => lib.query({})).toThrowError(expect.objectContaining(gone));
      await expect(lib.rebuild()).rejects.toMatchObject(gone);
      expect(existsSync(dir)).toBe(false);
    });

    it('is not mistaken for a new, empty folder put in its place', async () => {
      const lib = await open();
      const e = await lib.saveImage(await saveInput());
      await rename(dir, path.join(root, 'moved'));
      await mkdir(dir);
      await expect(lib.saveImage(await saveInput())).rejects.toMatchObject({ code: 'file-missing' });
      expect(() => lib.setFavourite(e.id, true)).toThrowError(expect.objectContaining({ code: 'file-missing' }));
      // The stale entries were not written into the new folder.
      expect(await readdir(dir)).toEqual([]);
      // The moved library is intact.
      const moved = await openLibrary({ dir: path.join(root, 'moved'), platform });
      libs.push(moved);
      expect(moved.get(e.id).favourite).toBe(false);
    });
  });

  describe('shards of an earlier version (moved into the SQLite index once)', () => {
    /** A library as an earlier version left it: images on disk, their entries in a shard. */
    const legacyLibrary = async (n = 2) => {
      const lib = await open();
      const saved: HistoryEntry[] = [];
      for (let i = 0; i < n; i++) saved.push(await lib.saveImage(await saveInput({ prompt: `picture ${i}` })));
      await lib.dispose();
      await rm(path.join(shardDir, INDEX_FILE));
      await writeLegacyShard(shardDir, 1, saved);
      return saved;
    };

    it('refuses a shard of a newer format in words, and changes nothing', async () => {
      await legacyLibrary();
      const newer = { format: SHARD_FORMAT + 1, entries: [{ id: 'written-by-v2', whatever: true }] };
      await writeFile(shard1(), JSON.stringify(newer));
      const before = (await readdir(shardDir)).sort();
      await expect(open()).rejects.toMatchObject({
        code: 'io',
        message: expect.stringContaining('was written by a newer version of Flux Gallery'),
      });
      expect((await readdir(shardDir)).sort()).toEqual(before);
      expect(existsSync(path.join(shardDir, INDEX_FILE))).toBe(false);
      expect(JSON.parse(await readFile(shard1(), 'utf8'))).toEqual(newer);
      // The command line's read-only open refuses it the same way.
      await expect(open({ readOnly: true })).rejects.toMatchObject({ code: 'io' });
      expect((await readdir(shardDir)).sort()).toEqual(before);
    });

    it('moves a shard in once: entries as they were, the shard kept in shards-before-sqlite/', async () => {
      const saved = await legacyLibrary(3);
      const text = await readFile(shard1(), 'utf8');
      const lib = await open();
      expect(lib.report).toMatchObject({ corruptBackups: [], droppedEntries: 0, recovered: 0 });
      for (const e of saved) expect(lib.get(e.id)).toEqual(e);
      expect((await readdir(shardDir)).sort()).toEqual([INDEX_FILE, MIGRATED_DIR]);
      expect(await readFile(path.join(shardDir, MIGRATED_DIR, 'history-000001.json'), 'utf8')).toBe(text);
      lib.setFavourite(saved[0]!.id, true);
      await lib.dispose();
      const again = await open();
      expect(again.get(saved[0]!.id).favourite).toBe(true);
      expect(again.size).toBe(3);
    });

    it('never reads a shard of an unknown format as ours: kept aside, entries rebuilt from the images', async () => {
      for (const format of ['1', 0, null, undefined]) {
        const saved = await legacyLibrary();
        await writeFile(shard1(), JSON.stringify({ format, entries: saved }));
        const again = await open();
        expect(again.report.corruptBackups, `format ${String(format)}`).toHaveLength(1);
        expect(path.basename(again.report.corruptBackups[0]!)).toMatch(/^history-000001\.json\.corrupt-/);
        expect(again.report.recovered).toBe(2);
        for (const e of saved) expect(again.get(e.id)).toEqual(e);
        await again.dispose();
        await rm(dir, { recursive: true });
      }
    });

    it('drops malformed and duplicate entries, keeping the original aside; the images bring them back', async () => {
      const saved = await legacyLibrary(3);
      const broken = { ...saved[2]!, createdAt: 'not a date', width: 'wide' };
      await writeLegacyShard(shardDir, 1, [saved[0], saved[1], saved[0], broken]);
      const again = await open();
      expect(again.report.droppedEntries).toBe(2);
      expect(again.report.corruptBackups).toHaveLength(1);
      expect(JSON.parse(await readFile(again.report.corruptBackups[0]!, 'utf8'))).toMatchObject({
        entries: [{ id: saved[0]!.id }, { id: saved[1]!.id }, { id: saved[0]!.id }, { id: saved[2]!.id }],
      });
      // The dropped entry is rebuilt from its image.
      expect(again.report.recovered).toBe(1);
      for (const e of saved) expect(again.get(e.id)).toEqual(e);
    });

    it('reads a shard that starts with a byte-order mark', async () => {
      const [e] = await legacyLibrary(1);
      await writeFile(shard1(), `\uFEFF${await readFile(shard1(), 'utf8')}`);
      const again = await open();
      expect(again.report.corruptBackups).toEqual([]);
      expect(again.report.recovered).toBe(0);
      expect(again.get(e!.id)).toEqual(e);
      again.setFavourite(e!.id, true);
      expect(again.get(e!.id).favourite).toBe(true);
      expect(existsSync(shard1())).toBe(false);
      // Kept as it was, mark and all.
      const kept = await readFile(path.join(shardDir, MIGRATED_DIR, 'history-000001.json'), 'utf8');
      expect(kept.charCodeAt(0)).toBe(0xfeff);
    });

    it('read-only (the CLI): reads the shards, moves and creates nothing', async () => {
      const saved = await legacyLibrary(2);
      const before = (await readdir(dir, { recursive: true })).sort();
      const ro = await open({ readOnly: true });
      expect(ro.query({}).total).toBe(2);
      for (const e of saved) expect(ro.get(e.id)).toEqual(e);
      expect((await readdir(dir, { recursive: true })).sort()).toEqual(before);
    });
  });

  describe('the SQLite index', () => {
    const dbFile = () => path.join(shardDir, INDEX_FILE);

    it('a file that is not a database is kept aside; the entries are rebuilt from the images', async () => {
      const lib = await open();
      const saved = [await lib.saveImage(await saveInput()), await lib.saveImage(await saveInput({ prompt: 'b' }))];
      lib.setFavourite(saved[0]!.id, true);
      await lib.dispose();
      const garbage = randomBytes(64 * 1024);
      await writeFile(dbFile(), garbage);
      const again = await open({ scanOnOpen: false });
      expect(again.report.corruptBackups).toHaveLength(1);
      expect(path.basename(again.report.corruptBackups[0]!)).toMatch(/^history\.sqlite\.corrupt-\d{4}-/);
      expect(await readFile(again.report.corruptBackups[0]!)).toEqual(garbage);
      expect(again.report.recovered).toBe(2);
      // Rebuilt from each image's embedded metadata (a star given afterwards is not in it).
      expect(again.get(saved[1]!.id)).toEqual(saved[1]);
      expect(again.get(saved[0]!.id)).toEqual({ ...saved[0], favourite: false });
    });

    it('one of a newer version is refused in words, and left untouched', async () => {
      const lib = await open();
      await lib.saveImage(await saveInput());
      await lib.dispose();
      const db = new Database(dbFile());
      db.pragma(`user_version = ${INDEX_VERSION + 1}`);
      db.close();
      const bytes = await readFile(dbFile());
      const before = (await readdir(shardDir)).sort();
      for (const readOnly of [false, true]) {
        await expect(open({ readOnly })).rejects.toMatchObject({
          code: 'io',
          message: expect.stringContaining('was written by a newer version of Flux Gallery'),
        });
      }
      expect(await readFile(dbFile())).toEqual(bytes);
      expect((await readdir(shardDir)).sort()).toEqual(before);
    });

    it('damage met while running is said in words, marked, and repaired at the next start', async () => {
      const lib = await open();
      const saved: HistoryEntry[] = [];
      for (let i = 0; i < 3; i++) saved.push(await lib.saveImage(await saveInput({ prompt: `picture ${i}` })));
      // Every page but the first is overwritten (a disk error, a bad copy); the change counter
      // moves, so the running process reads the pages again.
      const bytes = await readFile(dbFile());
      const pageSize = bytes.readUInt16BE(16);
      bytes.fill(0xff, pageSize);
      bytes.writeUInt32BE(bytes.readUInt32BE(24) + 1, 24);
      await writeFile(dbFile(), bytes);
      expect(() => lib.query({})).toThrowError(
        expect.objectContaining({ code: 'io', message: expect.stringContaining('is damaged') }),
      );
      expect(existsSync(path.join(shardDir, 'history.sqlite.damaged'))).toBe(true);
      await lib.dispose();
      const again = await open({ scanOnOpen: false });
      expect(again.report.corruptBackups).toHaveLength(1);
      expect(path.basename(again.report.corruptBackups[0]!)).toMatch(/^history\.sqlite\.corrupt-/);
      expect(existsSync(path.join(shardDir, 'history.sqlite.damaged'))).toBe(false);
      expect(again.report.recovered).toBe(3);
      for (const e of saved) expect(again.get(e.id)).toEqual(e);
    });
  });

  describe('a save whose index write failed', () => {
    it('leaves no image behind to reappear at the next start', async () => {
      const lib = await open({ lockWaitMs: 200 });
      const kept = await lib.saveImage(await saveInput());
      // Another process (the CLI, the app) holds a write transaction on the index past the wait.
      const holder = await holdWriteLock(path.join(shardDir, INDEX_FILE));
      try {
        const started = Date.now();
        await expect(lib.saveImage(await saveInput({ prompt: 'never saved' }))).rejects.toMatchObject({
          code: 'io',
          message: expect.stringMatching(/another Flux Gallery process .* kept the history .* busy for too long/),
        });
        expect(Date.now() - started).toBeGreaterThanOrEqual(190);
        expect(() => lib.setFavourite(kept.id, true)).toThrowError(expect.objectContaining({ code: 'io' }));
        // Reads go on meanwhile.
        expect(lib.query({}).items).toEqual([kept]);
      } finally {
        await holder.release();
      }
      const images = (await readdir(path.join(dir, LAYOUT.images), { recursive: true })).filter((f) =>
        f.endsWith('.png'),
      );
      expect(images.map((f) => `images/${f}`)).toEqual([kept.file]);
      // Once the other process is done, writes go through again.
      lib.setFavourite(kept.id, true);
      await lib.dispose();
      const again = await open();
      expect(again.report.recovered).toBe(0);
      expect(again.query({}).items.map((x) => [x.id, x.favourite])).toEqual([[kept.id, true]]);
    });

    it('a write waits for a write transaction of another process that ends within the wait', async () => {
      const lib = await open({ lockWaitMs: 10_000 });
      const e = await lib.saveImage(await saveInput());
      // The other process ends its transaction by itself (this one waits synchronously meanwhile).
      const holder = await holdWriteLock(path.join(shardDir, INDEX_FILE), 400);
      const started = Date.now();
      lib.setFavourite(e.id, true);
      const waited = Date.now() - started;
      await holder.release();
      expect(waited).toBeGreaterThanOrEqual(100);
      expect(waited).toBeLessThan(10_000);
      expect(lib.get(e.id).favourite).toBe(true);
    });

    it('a lock left by a process that died is broken, not waited for (boards, the first open)', async () => {
      const lib = await open({ lockWaitMs: 50 });
      // `history.lock` still guards boards.json, and the one-time setup of the index.
      const lock = path.join(shardDir, LOCK_NAME);
      await writeFile(lock, JSON.stringify({ pid: 2 ** 31 - 2, host: HOST_TAG, at: new Date().toISOString() }));
      lib.createBoard('One');
      expect(existsSync(lock)).toBe(false);
      // So is a lock older than any write takes, whoever holds it.
      await writeFile(lock, JSON.stringify({ pid: process.pid, host: 'elsewhere' }));
      const old = new Date(Date.now() - 60_000);
      await utimes(lock, old, old);
      lib.createBoard('Two');
      expect(lib.boards().boards).toHaveLength(2);
      expect(existsSync(lock)).toBe(false);
      await lib.dispose();
      // The first open of a library (the database is made under the lock).
      await rm(path.join(shardDir, INDEX_FILE));
      await writeFile(lock, JSON.stringify({ pid: 2 ** 31 - 2, host: HOST_TAG, at: new Date().toISOString() }));
      const again = await open({ lockWaitMs: 50 });
      expect(existsSync(path.join(shardDir, INDEX_FILE))).toBe(true);
      expect(existsSync(lock)).toBe(false);
      await again.saveImage(await saveInput());
      expect(again.size).toBe(1);
    });
  });

  describe('a delete cut short', () => {
    it('is completed at the next start, not undone by recovery', async () => {
      const lib = await open();
      const e = await lib.saveImage(await saveInput());
      const other = await lib.saveImage(await saveInput());
      await lib.dispose();
      // A crash after the entry left the index, before the files were parked: marker, no entry.
      const marker = path.join(dir, LAYOUT.deleting, `${e.id}.json`);
      await writeFile(marker, JSON.stringify({ file: e.file, thumb: e.thumb }));
      const store = HistoryStore.open({ dir: shardDir });
      store.remove(e.id);
      store.close();
      // A marker this fresh may be a delete under way in another process: its image is not re-indexed.
      const meanwhile = await open({ purgeLeftoversOnOpen: false });
      expect(meanwhile.report.recovered).toBe(0);
      expect(existsSync(path.join(dir, e.file))).toBe(true);
      await meanwhile.dispose();
      // A minute later it is a delete that was cut short: finished.
      const old = new Date(Date.now() - 120_000);
      await utimes(marker, old, old);
      const again = await open();
      expect(again.report.recovered).toBe(0);
      expect(again.report.purged).toBe(2);
      expect(existsSync(path.join(dir, e.file))).toBe(false);
      expect(existsSync(marker)).toBe(false);
      expect(again.query({}).items.map((x) => x.id)).toEqual([other.id]);
    });

    it('a normal delete, undo and purge leave no marker', async () => {
      const lib = await open({ purgeDelayMs: 60_000 });
      const e = await lib.saveImage(await saveInput());
      await lib.delete(e.id);
      expect(await readdir(path.join(dir, LAYOUT.deleting))).toEqual([`${e.id}.json`]);
      await lib.undoDelete(e.id);
      expect(await readdir(path.join(dir, LAYOUT.deleting))).toEqual([]);
      await lib.delete(e.id);
      await lib.flushDeletes();
      expect(await readdir(path.join(dir, LAYOUT.deleting))).toEqual([]);
    });
  });
});
