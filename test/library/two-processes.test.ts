/**
 * Two processes on one library (the app's core and the CLI): each saves, stars and deletes while the
 * other does; nothing is lost, no deleted image comes back, no star is lost, and neither sweeps the
 * other's temp files. First two library instances in this process (their awaits interleave), then
 * a real second process (SQLite's own locking: one write transaction at a time).
 */
import { describe, expect, it, beforeAll, beforeEach, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { HOST_TAG } from '../../main/library/atomic-write';
import { openLibrary, type Library, type LibraryOptions } from '../../main/library/library';
import { INDEX_FILE } from '../../main/library/history-store';
import { LAYOUT } from '../../main/library/paths';
import { createNodePlatform } from '../../main/platform';
import type { HistoryEntry } from '../../shared/library';
import { makeImage, saveInput, tempDir } from './helpers';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bundle = path.join(repo, 'node_modules/.cache/flux-gallery-tests/writer-child.mjs');

describe('two processes, one library', () => {
  let root: string;
  let dir: string;
  let cleanup: () => Promise<void>;
  const libs: Library[] = [];

  const open = async (over: Partial<LibraryOptions> = {}) => {
    const lib = await openLibrary({ dir, platform: createNodePlatform(path.join(root, 'trash')), ...over });
    libs.push(lib);
    return lib;
  };
  /** What a fresh start sees in the index itself (no rebuild that would hide a lost entry). */
  const indexNow = async () => {
    const lib = await open({ scanOnOpen: false, purgeLeftoversOnOpen: false });
    return new Map(lib.query({ limit: 5000 }).items.map((e) => [e.id, e]));
  };

  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('fg-two-'));
    dir = path.join(root, 'library');
  });
  afterEach(async () => {
    for (const l of libs.splice(0)) await l.dispose();
    await cleanup();
  });

  it('a write from stale memory loses no star, brings back no deleted entry, drops no save', async () => {
    const app = await open({ purgeDelayMs: 0 });
    const a = await app.saveImage(await saveInput({ prompt: 'one' }));
    const b = await app.saveImage(await saveInput({ prompt: 'two' }));
    // The CLI opens now: it knows a and b.
    const cli = await open({ scanOnOpen: false, purgeLeftoversOnOpen: false });
    app.setFavourite(a.id, true);
    await app.delete(b.id);
    await app.flushDeletes();
    // The CLI saves, having opened before those changes.
    const c = await cli.saveImage(await saveInput({ prompt: 'three' }));
    // And both save at once.
    const [d, e] = await Promise.all([
      app.saveImage(await saveInput({ prompt: 'four' })),
      cli.saveImage(await saveInput({ prompt: 'five' })),
    ]);
    const idx = await indexNow();
    expect(idx.get(a.id)?.favourite).toBe(true);
    expect(idx.has(b.id)).toBe(false);
    for (const x of [c, d, e]) expect(idx.get(x.id)).toEqual(x);
    expect(idx.size).toBe(4);
    // Each process sees the other's changes (reads see every process's last commit).
    expect(cli.get(a.id).favourite).toBe(true);
    expect(() => cli.get(b.id)).toThrowError(expect.objectContaining({ code: 'not-found' }));
    // Starring an entry the other process deleted says so, and does not bring it back.
    await app.delete(c.id);
    expect(() => cli.setFavourite(c.id, true)).toThrowError(expect.objectContaining({ code: 'not-found' }));
    expect((await indexNow()).has(c.id)).toBe(false);
  });

  it('saves, stars and deletes at once in two instances; a rebuild meanwhile sweeps no live temp file', async () => {
    const app = await open({ purgeDelayMs: 0 });
    const cli = await open({ scanOnOpen: false, purgeLeftoversOnOpen: false, purgeDelayMs: 0 });
    const expected = new Map<string, { favourite: boolean } | null>();
    const worker = async (lib: Library, tag: string, n: number) => {
      const mine: HistoryEntry[] = [];
      for (let i = 0; i < n; i++) {
        const e = await lib.saveImage(
          await saveInput({ prompt: `${tag} ${i}`, bytes: await makeImage('png', 40, 30, i) }),
        );
        mine.push(e);
        expected.set(e.id, { favourite: false });
        if (i % 3 === 2) {
          lib.setFavourite(mine[i - 1]!.id, true);
          expected.set(mine[i - 1]!.id, { favourite: true });
        }
        if (i % 4 === 3) {
          await lib.delete(mine[i - 3]!.id);
          expected.set(mine[i - 3]!.id, null);
        }
      }
    };
    let stop = false;
    let rebuilds = 0;
    const rebuilder = async () => {
      // The app looks for orphans (and temp files) while both write: before, it removed the other
      // writer's temp files mid-write, and that save failed.
      while (!stop) {
        await app.rebuild();
        rebuilds++;
      }
    };
    const sweeping = rebuilder();
    try {
      await Promise.all([worker(app, 'app', 14), worker(cli, 'cli', 14), worker(app, 'app2', 6)]);
    } finally {
      stop = true;
      await sweeping;
    }
    expect(rebuilds).toBeGreaterThan(0);
    await app.flushDeletes();
    await cli.flushDeletes();
    const idx = await indexNow();
    for (const [id, want] of expected) {
      if (want === null) expect(idx.has(id), `deleted ${id} is back`).toBe(false);
      else expect(idx.get(id)?.favourite, `entry ${id}`).toBe(want.favourite);
    }
    expect(idx.size).toBe([...expected.values()].filter(Boolean).length);
    // Every entry's image is there; no image is left without an entry.
    for (const e of idx.values()) expect(existsSync(path.join(dir, e.file))).toBe(true);
    const images = (await readdir(path.join(dir, LAYOUT.images), { recursive: true })).filter((f) =>
      f.endsWith('.png'),
    );
    expect(images).toHaveLength(idx.size);
  });

  describe('with a real second process', () => {
    beforeAll(async () => {
      await build({
        entryPoints: [path.join(repo, 'test/library/writer-child.ts')],
        outfile: bundle,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'esm',
        packages: 'external',
        logLevel: 'error',
      });
    }, 60_000);

    it('the app and a CLI process writing at once lose nothing (SQLite write transactions)', async () => {
      const N = 40;
      const app = await open({ purgeDelayMs: 0 });
      const lines: Record<string, unknown>[] = [];
      let stderr = '';
      const child = spawn(process.execPath, [bundle, dir, String(N), 'cli'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let buf = '';
      let opened: () => void = () => {};
      const isOpen = new Promise<void>((resolve) => (opened = resolve));
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const parts = buf.split('\n');
        buf = parts.pop() ?? '';
        for (const p of parts) {
          if (!p) continue;
          const line = JSON.parse(p) as Record<string, unknown>;
          lines.push(line);
          if ('open' in line) opened();
        }
      });
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

      // Both write from the moment the CLI has opened the index: every write of each is a transaction
      // that waits for the other's (BEGIN IMMEDIATE with a busy timeout).
      await Promise.race([isOpen, exited]);
      const expected = new Map<string, boolean | null>();
      const run = async (tag: string) => {
        const mine: string[] = [];
        for (let i = 0; i < N; i++) {
          const bytes = await makeImage('png', 24, 16, 100 + i);
          const e = await app.saveImage(await saveInput({ prompt: `${tag} ${i}`, bytes }));
          mine.push(e.id);
          expected.set(e.id, false);
          if (i % 3 === 2) {
            app.setFavourite(mine[i - 1]!, true);
            expected.set(mine[i - 1]!, true);
          }
          if (i % 4 === 3) {
            await app.delete(mine[i - 3]!);
            expected.set(mine[i - 3]!, null);
          }
        }
      };
      await Promise.all([run('app'), run('app-second-job')]);
      expect(await exited, stderr).toBe(0);
      await app.flushDeletes();
      for (const l of lines) {
        if (typeof l.saved === 'string') expected.set(l.saved, false);
        if (typeof l.starred === 'string') expected.set(l.starred, true);
        if (typeof l.deleted === 'string') expected.set(l.deleted, null);
      }
      expect(lines.at(-1)).toEqual({ done: true });
      expect(expected.size).toBe(3 * N);
      const idx = await indexNow();
      for (const [id, fav] of expected) {
        if (fav === null) expect(idx.has(id), `deleted ${id} is back`).toBe(false);
        else expect(idx.get(id)?.favourite, `entry ${id}`).toBe(fav);
      }
      expect(idx.size).toBe([...expected.values()].filter((v) => v !== null).length);
      // Every transaction ended: no rollback journal or lock is left, nor a temp file by either writer.
      const indexFiles = await readdir(path.join(dir, LAYOUT.index));
      expect(indexFiles).toEqual([INDEX_FILE]);
    }, 120_000);
  });

  it('history read-only: sweeps, repairs and creates nothing, and refuses changes', async () => {
    const app = await open();
    const e = await app.saveImage(await saveInput());
    const monthDir = path.dirname(path.join(dir, e.file));
    const live = path.join(monthDir, `.x.png.${process.pid}-${HOST_TAG}-0123456789ab.tmp`);
    await writeFile(live, 'being written');
    const old = path.join(monthDir, '.y.png.0123456789ab.tmp');
    await writeFile(old, 'older');
    const before = (await readdir(dir, { recursive: true })).sort();

    const ro = await open({ readOnly: true });
    expect(ro.query({}).items).toEqual([e]);
    expect(() => ro.setFavourite(e.id, true)).toThrowError(expect.objectContaining({ code: 'io' }));
    await expect(ro.saveImage(await saveInput())).rejects.toMatchObject({ code: 'io' });
    await expect(ro.delete(e.id)).rejects.toMatchObject({ code: 'io' });
    expect((await readdir(dir, { recursive: true })).sort()).toEqual(before);

    // A folder that is not there is not created.
    await expect(open({ dir: path.join(root, 'nothing'), readOnly: true })).rejects.toMatchObject({
      code: 'file-missing',
    });
    expect(existsSync(path.join(root, 'nothing'))).toBe(false);
  });
});
