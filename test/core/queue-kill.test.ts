/**
 * kill -9 in the middle of a queue: a child process (our real core, bundled with esbuild as
 * test/library/crash.test.ts does) runs jobs against a fake Space and is killed while one
 * generates; a core started again on the same data folder ends every job exactly once, the running
 * one sent again with its seed. And a writer of the queue file killed mid-write leaves the old file
 * or the new one, never half of one, and no lock that blocks the next writer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createCore, type Core } from '../../main/core';
import { QUEUE_FILE, readQueueFile, updateQueueFile } from '../../main/jobs/queue-file';
import { isTempFileName } from '../../main/library/atomic-write';
import type { EventChannel } from '../../shared/contract';
import type { JobState } from '../../shared/events';
import { startFakeSpace, type FakeSpace } from '../fake-space';
import { until } from '../jobs/helpers';

const repo = fileURLToPath(new URL('../../', import.meta.url));
// Inside the repo so the bundle's bare imports (sharp, conf, zod, undici) resolve from node_modules.
const bundle = path.join(repo, 'node_modules/.cache/flux-gallery-tests/queue-child.mjs');

beforeAll(async () => {
  await build({
    entryPoints: [path.join(repo, 'test/core/queue-child.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
}, 60_000);

interface Line {
  type: string;
  id?: string;
  state?: string;
  step?: number | null;
  ids?: string[];
  round?: number;
}

/** Starts the child; resolves once `ready(lines)` holds. */
function startChild(
  args: string[],
  ready: (lines: Line[]) => boolean,
): Promise<{ child: ChildProcess; lines: Line[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Line[] = [];
    let err = '';
    let buf = '';
    let done = false;
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as Line);
      if (!done && ready(lines)) {
        done = true;
        resolve({ child, lines });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      if (!done) reject(new Error(`child exited early (${code ?? signal}): ${err}`));
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('the persistent queue survives kill -9', () => {
  let root: string;
  let space: FakeSpace;
  const children: ChildProcess[] = [];
  const cores: Core[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'fg-queue-kill-'));
    space = await startFakeSpace({ layout: 'schnell', timing: { stepMs: 60, heartbeatMs: 1000 } });
  });
  afterAll(async () => {
    for (const c of children) await kill(c);
    for (const c of cores) await c.dispose();
    await space.close();
    await rm(root, { recursive: true, force: true });
  });

  const core = async (dataDir: string) => {
    const c = await createCore({
      dataDir,
      defaultLibraryDir: path.join(dataDir, 'library'),
      transport: 'web',
      appVersion: 'test',
      log: () => {},
      persistQueue: true,
      queuePollMs: 50,
    });
    cores.push(c);
    return c;
  };

  it('every job ends exactly once; the one running is sent again with its seed; none runs twice at once', async () => {
    const dataDir = path.join(root, 'app');
    await mkdir(dataDir, { recursive: true });
    const joinsBefore = space.jobs.length;
    // Killed while the second job generates on the Space.
    const { child, lines } = await startChild(['app', dataDir, space.url, space.url, '4'], (ls) => {
      const ids = ls.find((l) => l.type === 'started')?.ids;
      return !!ids && ls.some((l) => l.type === 'job' && l.id === ids[1] && l.step !== null);
    });
    children.push(child);
    const ids = lines.find((l) => l.type === 'started')!.ids!;

    // While the child runs the queue, a core here does not run its jobs.
    const bystander = await core(dataDir);
    expect(bystander.jobs.list()).toEqual([]);
    await bystander.dispose();

    await kill(child);
    const childDone = lines.filter((l) => l.type === 'job' && l.state === 'done').map((l) => l.id!);
    expect(childDone).toEqual([ids[0]]);
    const left = readQueueFile(dataDir).queue.jobs;
    expect(left.map((j) => [j.id, j.state])).toEqual([
      [ids[1], 'running'],
      [ids[2], 'queued'],
      [ids[3], 'queued'],
    ]);
    const seed = left[0]!.appSeed;
    expect(seed).not.toBeNull();

    const c = await core(dataDir);
    const updates: JobState[] = [...c.jobs.list()];
    c.events.subscribe((channel: EventChannel, payload) => {
      if (channel === 'jobs:updated') updates.push(payload as JobState);
    });
    await until(() => updates.filter((u) => u.state === 'done').length === 3, 30_000, 'the rest done');
    await c.jobs.idle();
    const parentDone = [...new Set(updates.filter((u) => u.state === 'done').map((u) => u.id))];
    expect([...childDone, ...parentDone].sort()).toEqual([...ids].sort());
    expect(updates.some((u) => u.state === 'failed' || u.state === 'cancelled')).toBe(false);
    expect(updates.find((u) => u.id === ids[1] && u.state === 'done')?.attempts).toBe(2);
    // Four images, one per job.
    expect(c.library().query({ offset: 0, limit: 10 }).total).toBe(4);
    // The Space saw the cut-off job twice, with the same seed, and every other job once.
    const joined = space.jobs.slice(joinsBefore);
    expect(joined).toHaveLength(5);
    expect(joined.filter((j) => j.seed === seed)).toHaveLength(2);
    // Never more than one job at once here (one per route): never the same job twice in parallel.
    const runningNow = new Set<string>();
    let most = 0;
    for (const u of updates) {
      if (u.state === 'running' || u.state === 'saving') runningNow.add(u.id);
      else runningNow.delete(u.id);
      most = Math.max(most, runningNow.size);
    }
    expect(most).toBe(1);
    expect(readQueueFile(dataDir).queue.jobs).toEqual([]);
  });

  it('a writer killed mid-write leaves a whole queue file, and its lock does not block the next writer', async () => {
    const dataDir = path.join(root, 'writer');
    await mkdir(dataDir, { recursive: true });
    const { child } = await startChild(['write', dataDir, '300'], (ls) => ls.some((l) => (l.round ?? 0) >= 5));
    children.push(child);
    await kill(child);
    const names = await readdir(dataDir);
    expect(names.some((n) => n.includes('.corrupt-'))).toBe(false);
    const { queue, exists } = readQueueFile(dataDir);
    expect(exists).toBe(true);
    expect(queue.jobs).toHaveLength(300);
    // All from one write: never half of one and half of another.
    expect(new Set(queue.jobs.map((j) => j.attempts)).size).toBe(1);
    // What may be left is a temp file of the killed writer, never anything named like the queue.
    expect(names.filter((n) => n !== QUEUE_FILE && n !== 'queue.lock').every(isTempFileName)).toBe(true);
    // A lock left by the dead writer is broken: the next write goes through.
    const next = updateQueueFile(dataDir, (q) => ({ ...q, paused: true }));
    expect(next.paused).toBe(true);
    expect(readQueueFile(dataDir).queue).toMatchObject({ paused: true, rev: next.rev });
  });
});
