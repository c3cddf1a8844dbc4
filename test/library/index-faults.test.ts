/**
 * Faults of the library folder and its index: the folder deleted while the app runs, a shard of an
 * unknown or newer format, a byte-order mark, a save whose index write failed, a delete cut short.
 */
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HOST_TAG } from '../../main/library/atomic-write';
import { HISTORY_FORMAT } from '../../main/library/history-store';
import { LOCK_NAME } from '../../main/library/index-lock';
import { openLibrary, type Library, type LibraryOptions } from '../../main/library/library';
import { LAYOUT } from '../../main/library/paths';
import { createNodePlatform, type NodePlatform } from '../../main/platform';
import { saveInput, tempDir } from './helpers';

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

  describe('shard format', () => {
    it('refuses a shard of a newer format in words, and changes nothing', async () => {
      const lib = await open();
      await lib.saveImage(await saveInput());
      await lib.dispose();
      const newer = { format: HISTORY_FORMAT + 1, entries: [{ id: 'written-by-v2', whatever: true }] };
      await writeFile(shard1(), JSON.stringify(newer));
      const before = (await readdir(shardDir)).sort();
      await expect(open()).rejects.toMatchObject({
        code: 'io',
        message: expect.stringContaining('was written by a newer version of Flux Gallery'),
      });
      expect((await readdir(shardDir)).sort()).toEqual(before);
      expect(JSON.parse(await readFile(shard1(), 'utf8'))).toEqual(newer);
    });

    it('never reads a shard of an unknown format as ours: kept aside, entries rebuilt from the images', async () => {
      for (const format of ['1', 0, null, undefined]) {
        const lib = await open();
        const e = await lib.saveImage(await saveInput());
        const data = JSON.parse(await readFile(shard1(), 'utf8')) as Record<string, unknown>;
        await lib.dispose();
        await writeFile(shard1(), JSON.stringify({ ...data, format }));
        const again = await open();
        expect(again.report.corruptBackups).toHaveLength(1);
        expect(again.get(e.id)).toEqual(e);
        await again.dispose();
        await rm(dir, { recursive: true });
      }
    });

    it('reads a shard that starts with a byte-order mark, and writes it back without one', async () => {
      const lib = await open();
      const e = await lib.saveImage(await saveInput());
      await lib.dispose();
      await writeFile(shard1(), `\uFEFF${await readFile(shard1(), 'utf8')}`);
      const again = await open();
      expect(again.report.corruptBackups).toEqual([]);
      expect(again.get(e.id)).toEqual(e);
      again.setFavourite(e.id, true);
      const text = await readFile(shard1(), 'utf8');
      expect(text.charCodeAt(0)).not.toBe(0xfeff);
      expect(JSON.parse(text)).toMatchObject({ format: 1, entries: [{ id: e.id, favourite: true }] });
    });
  });

  describe('a save whose index write failed', () => {
    it('leaves no image behind to reappear at the next start', async () => {
      const lib = await open({ lockWaitMs: 50 });
      const kept = await lib.saveImage(await saveInput());
      // Another live process holds the index lock (this process stands in for it) past the wait.
      const lock = path.join(shardDir, LOCK_NAME);
      await writeFile(lock, JSON.stringify({ pid: process.pid, host: HOST_TAG, at: new Date().toISOString() }));
      await expect(lib.saveImage(await saveInput({ prompt: 'never saved' }))).rejects.toMatchObject({
        code: 'io',
        message: expect.stringContaining('has held its lock for too long'),
      });
      await rm(lock);
      const images = (await readdir(path.join(dir, LAYOUT.images), { recursive: true })).filter((f) =>
        f.endsWith('.png'),
      );
      expect(images.map((f) => `images/${f}`)).toEqual([kept.file]);
      await lib.dispose();
      const again = await open();
      expect(again.report.recovered).toBe(0);
      expect(again.query({}).items.map((x) => x.id)).toEqual([kept.id]);
    });

    it('a lock left by a process that died is broken, not waited for', async () => {
      const lib = await open({ lockWaitMs: 50 });
      const lock = path.join(shardDir, LOCK_NAME);
      await writeFile(lock, JSON.stringify({ pid: 2 ** 31 - 2, host: HOST_TAG, at: new Date().toISOString() }));
      await lib.saveImage(await saveInput());
      // So is a lock older than any write takes, whoever holds it.
      await writeFile(lock, JSON.stringify({ pid: process.pid, host: 'elsewhere' }));
      const old = new Date(Date.now() - 60_000);
      await utimes(lock, old, old);
      await lib.saveImage(await saveInput());
      expect(lib.size).toBe(2);
      expect(existsSync(lock)).toBe(false);
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
      const data = JSON.parse(await readFile(shard1(), 'utf8')) as { entries: { id: string }[] };
      data.entries = data.entries.filter((x) => x.id !== e.id);
      await writeFile(shard1(), JSON.stringify(data));
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
