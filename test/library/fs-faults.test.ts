/**
 * Real file-system faults: a full disk (for an image, and for the SQLite index) and a read-only
 * folder, on a small tmpfs mounted for the
 * test. Mounting needs root (CI containers, this dev box); elsewhere these tests are skipped and
 * the error mapping is still covered by atomic-write.test.ts (/dev/full) and library.test.ts.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import { HistoryStore, INDEX_FILE } from '../../main/library/history-store';
import { openLibrary } from '../../main/library/library';
import { createNodePlatform } from '../../main/platform';
import { makeEntry } from './entries';
import { saveInput, tempDir } from './helpers';

function tryMount(dir: string, sizeKb: number): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Incompressible pixels: the PNG is about width × height × 3 bytes. */
const noisePng = (w: number, h: number) =>
  sharp(randomBytes(w * h * 3), { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toBuffer();

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (d.isFile()) out.push(path.relative(dir, path.join(d.parentPath, d.name)));
  }
  return out.sort();
}

describe('file-system faults (tmpfs)', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let mnt: string;
  let mounted = false;

  beforeAll(async () => {
    ({ dir: root, cleanup } = await tempDir());
    mnt = path.join(root, 'mnt');
    await mkdir(mnt);
    mounted = tryMount(mnt, 1024);
  });
  afterAll(async () => {
    if (mounted) execFileSync('umount', [mnt]);
    await cleanup();
  });

  it('a full disk gives disk-full, leaves no half file and no entry', async (ctx) => {
    if (!mounted) ctx.skip();
    const dir = path.join(mnt, 'full');
    const lib = await openLibrary({ dir, platform: createNodePlatform(path.join(root, 'trash')) });
    const ok = await lib.saveImage(await saveInput());
    const err = await lib.saveImage(await saveInput({ bytes: await noisePng(700, 700) })).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'disk-full', message: expect.stringContaining('is full') });
    expect(lib.size).toBe(1);
    const files = await listFiles(dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('images/'))).toEqual([ok.file]);
    await lib.dispose();
  });

  it('a full disk while the index grows gives disk-full; the index keeps its last commit', async (ctx) => {
    if (!mounted) ctx.skip();
    const dir = path.join(mnt, 'full-index');
    const store = HistoryStore.open({ dir });
    store.addMany(Array.from({ length: 20 }, (_, i) => makeEntry(i)));
    // Nothing else fits on the disk.
    const filler = path.join(mnt, 'filler');
    const fd = openSync(filler, 'w');
    try {
      for (;;) writeSync(fd, Buffer.alloc(16 * 1024));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
    try {
      const many = Array.from({ length: 2000 }, (_, i) =>
        makeEntry(100 + i, { prompt: `${'a long prompt '.repeat(40)}${i}` }),
      );
      expect(() => store.addMany(many)).toThrowError(
        expect.objectContaining({ code: 'disk-full', message: expect.stringContaining('is full') }),
      );
      expect(store.size).toBe(20);
    } finally {
      await rm(filler);
    }
    // Room again: writes go through, and the next process sees the index whole.
    store.add(makeEntry(50));
    store.close();
    const again = HistoryStore.open({ dir });
    expect(again.size).toBe(21);
    expect(again.problems.corruptBackups).toEqual([]);
    again.close();
    expect((await readdir(dir)).sort()).toEqual([INDEX_FILE]);
  });

  it('a read-only library opens for browsing; saving gives a clear io error', async (ctx) => {
    if (!mounted) ctx.skip();
    const dir = path.join(mnt, 'ro');
    const first = await openLibrary({ dir, platform: createNodePlatform(path.join(root, 'trash')) });
    const e = await first.saveImage(await saveInput());
    await first.dispose();
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    try {
      const lib = await openLibrary({ dir, platform: createNodePlatform(path.join(root, 'trash')) });
      expect(lib.get(e.id)).toEqual(e);
      expect(await lib.resolveMedia('image', e.id)).toBe(path.join(dir, e.file));
      const err = await lib.saveImage(await saveInput()).catch((x: unknown) => x);
      expect(err).toMatchObject({ code: 'io', message: expect.stringContaining('not writable (EROFS)') });
      expect(() => lib.setFavourite(e.id, true)).toThrowError(expect.objectContaining({ code: 'io' }));
      expect(lib.get(e.id).favourite).toBe(false);
      await lib.dispose();
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mnt]);
    }
  });
});
