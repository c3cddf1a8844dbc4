/** The import's worker pool: its size, a time limit that stops a stuck worker, the heap cap, cancel. */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createImportPool, defaultThreads, findWorkerFile, MAX_POOL_THREADS } from '../../main/import/worker-pool';
import { tempDir } from '../library/helpers';
import { pngWith } from './fixtures';

describe('import worker pool', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('fg-pool-'));
  });
  afterEach(async () => {
    await cleanup();
  });

  /** A stand-in worker: `stall` spins forever, `flood` grows its heap, anything else answers after `ms`. */
  async function fakeWorker(): Promise<string> {
    const file = path.join(root, 'fake-worker.mjs');
    await writeFile(
      file,
      `export default async function (task) {
        task.started?.postMessage(0);
        const mode = new TextDecoder().decode(task.bytes);
        if (mode === 'stall') for (;;) {}
        if (mode === 'flood') { const keep = []; for (;;) keep.push(new Array(1e5).fill(keep.length)); }
        await new Promise((r) => setTimeout(r, Number(mode) || 0));
        return { ok: true, hash: mode, params: null };
      }`,
    );
    return file;
  }
  const bytes = (s: string) => new TextEncoder().encode(s);

  it('is sized to the machine, within 1…16 threads', () => {
    expect(defaultThreads()).toBe(Math.max(1, Math.min(os.availableParallelism(), MAX_POOL_THREADS)));
    const pools = [createImportPool({ threads: 0 }), createImportPool({ threads: 1000 })];
    expect(pools.map((p) => p.threads)).toEqual([1, MAX_POOL_THREADS]);
    return Promise.all(pools.map((p) => p.close()));
  });

  it('finds the built worker (out/main/import-worker.mjs) and runs real tasks in it', async () => {
    expect(findWorkerFile()).toMatch(/import-worker\.mjs$/);
    const pool = createImportPool({ threads: 2 });
    try {
      // The limit runs from when a worker takes the task, so a slow worker start on a busy machine does not count.
      const png = await pngWith([['parameters', 'a red fox\nSteps: 12, Seed: 42, Size: 64x48']], [64, 48]);
      const info = await pool.inspect(png, 'png', { timeLimitMs: 5000, what: 'read it' });
      expect(info).toMatchObject({ ok: true, params: { source: 'a1111', prompt: 'a red fox', params: { seed: 42 } } });
      const img = await pool.image(png, 'png', { timeLimitMs: 5000, what: 'decode it' });
      expect(img).toMatchObject({ ok: true, width: 64, height: 48 });
      const bad = await pool.image(png.subarray(0, 60), 'png', { timeLimitMs: 5000, what: 'decode it' });
      expect(bad).toMatchObject({ ok: false, status: 'unreadable' });
    } finally {
      await pool.close();
    }
  });

  it('a task past its time limit: the worker is stopped, the error says so, the pool goes on', async () => {
    const pool = createImportPool({ threads: 1, workerFile: await fakeWorker() });
    try {
      const err = await pool
        .inspect(bytes('stall'), 'png', { timeLimitMs: 300, what: 'read the stall' })
        .catch((e) => e);
      expect(err).toMatchObject({
        code: 'bad-image',
        message: expect.stringContaining('Could not read the stall: it took longer than 300 ms and was stopped'),
      });
      // The only thread was stuck: a fresh one answers the next task.
      expect(await pool.inspect(bytes('1'), 'png', { timeLimitMs: 5000, what: 'x' })).toMatchObject({ hash: '1' });
    } finally {
      await pool.close();
    }
  });

  it('a task over the heap cap is stopped with words', async () => {
    const pool = createImportPool({ threads: 1, maxHeapMb: 32, workerFile: await fakeWorker() });
    try {
      const err = await pool
        .inspect(bytes('flood'), 'png', { timeLimitMs: 20_000, what: 'read the flood' })
        .catch((e) => e);
      expect(err).toMatchObject({ code: 'bad-image', message: expect.stringContaining('more than 32 MB') });
      expect(await pool.inspect(bytes('0'), 'png', { timeLimitMs: 5000, what: 'x' })).toMatchObject({ hash: '0' });
    } finally {
      await pool.close();
    }
  });

  it('cancel: the running and the queued tasks stop at once; close rejects what comes after', async () => {
    const pool = createImportPool({ threads: 1, workerFile: await fakeWorker() });
    const ac = new AbortController();
    const limits = { timeLimitMs: 30_000, what: 'x', signal: ac.signal };
    const started = Date.now();
    const tasks = [pool.inspect(bytes('stall'), 'png', limits), pool.inspect(bytes('5000'), 'png', limits)].map((p) =>
      p.catch((e: unknown) => e),
    );
    setTimeout(() => ac.abort(new Error('cancelled by the test')), 200);
    const results = await Promise.all(tasks);
    expect(results.map((r) => (r as Error).message)).toEqual(['cancelled by the test', 'cancelled by the test']);
    expect(Date.now() - started).toBeLessThan(4000);
    await pool.close();
    await expect(pool.inspect(bytes('0'), 'png', { timeLimitMs: 1000, what: 'x' })).rejects.toThrow(/closed/);
  });
});
