/**
 * The queue on disk (queue.json with a real store in a temp folder): round trips, a crash (the store
 * dropped without the runner shutting down) re-submits the running job once with its seed, a second
 * crash marks it interrupted, a clean close keeps everything, the owner lock, atomic writes, and
 * changes another process (the CLI) makes to the file.
 */
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createJobRunner, type JobRunner, type JobRunnerOptions } from '../../main/jobs/job-runner';
import { readQueueFile, updateQueueFile, QUEUE_FILE } from '../../main/jobs/queue-file';
import { QUEUE_OWNER_FILE, queueOwner, tryOwnQueue } from '../../main/jobs/queue-owner';
import { openQueueStore, type QueueStore } from '../../main/jobs/queue-store';
import { HOST_TAG } from '../../main/library/atomic-write';
import type { SaveImageInput } from '../../main/library/library';
import type { JobState } from '../../shared/events';
import type { HistoryEntry } from '../../shared/library';
import type { ProviderId } from '../../shared/params';
import { deadPid, tempDir } from '../library/helpers';
import { controllable, fakeClock, quotaError, req, resolveParams, tick, until } from './helpers';

const DEV: ProviderId = 'bfl-flux1-dev';

describe('job runner: the persistent queue', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let updates: JobState[];
  let saved: SaveImageInput[];
  const stores: QueueStore[] = [];
  const runners: JobRunner[] = [];
  const last = (id: string) => updates.filter((u) => u.id === id).at(-1)!;

  const open = (pollMs?: number): QueueStore => {
    const s = openQueueStore(dir, pollMs ? { pollMs } : {});
    if (!s) throw new Error('the queue is owned by another store');
    stores.push(s);
    return s;
  };
  const runner = (over: Partial<JobRunnerOptions> & Pick<JobRunnerOptions, 'generate'>, store: QueueStore | null) => {
    const r = createJobRunner({
      download: async () => ({ bytes: new Uint8Array([1, 2, 3]) }),
      save: async (input) => {
        saved.push(input);
        return { id: `entry-${saved.length}` } as HistoryEntry;
      },
      resolveParams,
      onUpdate: (s) => updates.push(s),
      ...over,
    });
    if (store) r.attachStore(store);
    runners.push(r);
    return r;
  };
  const file = () => readQueueFile(dir).queue;

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('fg-queue-'));
    updates = [];
    saved = [];
  });
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.dispose();
    for (const s of stores.splice(0)) s.close();
    await cleanup();
  });

  it('keeps queued and running jobs in the file on transitions, in order, without temp files', async () => {
    const { generate, runs } = controllable();
    const r = runner({ generate, randomSeed: () => 777 }, open());
    const [a, b, c] = r.start(req({ extraPrompts: ['b', 'c'] }, { prompt: 'a' }));
    let q = file();
    expect(q.jobs.map((j) => [j.id, j.state])).toEqual([
      [a!.id, 'running'],
      [b!.id, 'queued'],
      [c!.id, 'queued'],
    ]);
    // The random seed was fixed and written before the job was sent; the job still asks for a random one.
    expect(q.jobs[0]).toMatchObject({ appSeed: 777, attempts: 1 });
    expect(runs[0]!.params).toMatchObject({ seed: 777, randomizeSeed: false });
    expect(last(a!.id).params.randomizeSeed).toBe(true);
    const rev = q.rev;
    // Progress is no transition: nothing written.
    runs[0]!.push({ type: 'progress', step: 1, total: 4, providerId: DEV });
    await until(() => last(a!.id).progress?.step === 1);
    expect(file().rev).toBe(rev);
    r.move(c!.id, 'front');
    expect(file().jobs.map((j) => j.id)).toEqual([a!.id, c!.id, b!.id]);
    runs[0]!.finish(777);
    await until(() => runs.length === 2);
    q = file();
    expect(q.jobs.map((j) => [j.id, j.state])).toEqual([
      [c!.id, 'running'],
      [b!.id, 'queued'],
    ]);
    // Saved as a random-seed image with the seed it ran with.
    expect(saved[0]).toMatchObject({ request: { seed: 777, randomizeSeed: true }, resolved: { randomizeSeed: true } });
    runs[1]!.finish();
    await until(() => runs.length === 3);
    runs[2]!.finish();
    await r.idle();
    expect(file().jobs).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual([QUEUE_FILE, QUEUE_OWNER_FILE]);
  });

  it('after a crash: queued jobs queue again in order, the running one is sent again once with its seed, then it is interrupted', async () => {
    const first = controllable();
    const storeA = open();
    runner({ generate: first.generate, randomSeed: () => 4242 }, storeA).start(
      req({ extraPrompts: ['b', 'c'] }, { prompt: 'a' }),
    );
    const ids = file().jobs.map((j) => j.id);
    // A crash: the process is gone, its lock with it; the file stays as last written.
    storeA.close();

    const second = controllable();
    const storeB = open();
    const r2 = runner({ generate: second.generate, randomSeed: () => 1 }, storeB);
    expect(r2.list().map((j) => j.id)).toEqual(ids);
    expect(second.runs).toHaveLength(1);
    expect(second.runs[0]!.params).toMatchObject({ prompt: 'a', seed: 4242, randomizeSeed: false });
    expect(last(ids[0]!)).toMatchObject({ state: 'running', attempts: 2, status: { code: 'resubmitted' } });
    expect(file().jobs[0]).toMatchObject({ id: ids[0], state: 'running', resubmitted: true, appSeed: 4242 });
    storeB.close();

    // A second crash while it runs again: not sent a third time; the user may retry it.
    const third = controllable();
    const r3 = runner({ generate: third.generate }, open());
    expect(last(ids[0]!)).toMatchObject({ state: 'failed', error: { code: 'interrupted' } });
    expect(third.runs.map((x) => x.params.prompt)).toEqual(['b']);
    expect(file().jobs.map((j) => j.id)).toEqual([ids[1], ids[2]]);
    const [again] = r3.retry(ids[0]!);
    expect(again!.params.prompt).toBe('a');
    third.runs[0]!.finish();
    await until(() => third.runs.length === 2);
    third.runs[1]!.finish();
    await until(() => third.runs.length === 3);
    // The retry is a new job: a random seed anew.
    expect(third.runs[2]!.params.prompt).toBe('a');
    third.runs[2]!.finish();
    await r3.idle();
    expect(file().jobs).toEqual([]);
  });

  it('after a clean close: every job is kept, the running one first, sent again without counting as a crash', async () => {
    const first = controllable();
    const r1 = runner({ generate: first.generate, randomSeed: () => 99 }, open());
    const [a, b] = r1.start(req({ count: 2 }, { provider: DEV }));
    r1.pause();
    await r1.dispose();
    expect(file()).toMatchObject({
      paused: true,
      jobs: [
        { id: a!.id, state: 'queued', wasRunning: true, resubmitted: false, appSeed: 99 },
        { id: b!.id, state: 'queued', wasRunning: false },
      ],
    });
    expect(readdirSync(dir)).not.toContain(QUEUE_OWNER_FILE);

    const second = controllable();
    const r2 = runner({ generate: second.generate }, open());
    // Paused is kept too.
    expect(r2.queueState()).toMatchObject({ paused: true, active: 2 });
    expect(last(a!.id)).toMatchObject({ state: 'queued', status: { code: 'resubmitted' } });
    r2.resume();
    expect(second.runs[0]!.params).toMatchObject({ seed: 99, randomizeSeed: false });
    expect(file().jobs[0]).toMatchObject({ state: 'running', resubmitted: false });
    second.runs[0]!.finish();
    await until(() => second.runs.length === 2);
    second.runs[1]!.finish();
    await r2.idle();
    expect(saved).toHaveLength(2);
  });

  it('keeps quota waits across a restart', async () => {
    const clock = fakeClock();
    const first = controllable();
    const r1 = runner({ generate: first.generate, now: clock.now, timers: clock.timers }, open());
    const [a, b] = r1.start(req({ count: 2 }, { provider: DEV }));
    first.runs[0]!.end(quotaError(DEV, 3600));
    await until(() => last(a!.id).state === 'queued');
    const waitUntil = clock.now() + 3_600_000;
    await r1.dispose();
    expect(file()).toMatchObject({
      quotaWaits: [{ providerId: DEV, until: waitUntil }],
      jobs: [
        { id: a!.id, waitUntil, waitProvider: DEV },
        // Waits for its Space's quota (quotaWaits), not one of its own.
        { id: b!.id, waitUntil: null },
      ],
    });

    const second = controllable();
    const r2 = runner({ generate: second.generate, now: clock.now, timers: clock.timers }, open());
    expect(r2.queueState().quotaWaits).toEqual([{ providerId: DEV, until: waitUntil }]);
    for (const j of [a, b])
      expect(last(j!.id)).toMatchObject({ state: 'queued', waitUntil, status: { code: 'quota-wait' } });
    await tick(5);
    expect(second.runs).toHaveLength(0);
    clock.advance(3_600_000);
    await until(() => second.runs.length === 1);
    second.runs[0]!.finish();
    await until(() => second.runs.length === 2);
    second.runs[1]!.finish();
    await r2.idle();
    expect(file()).toMatchObject({ quotaWaits: [], jobs: [] });
  });

  it('one process owns the queue; a dead owner`s lock is broken', () => {
    const a = open();
    expect(openQueueStore(dir)).toBeNull();
    expect(queueOwner(dir)).toMatchObject({ pid: process.pid, host: HOST_TAG });
    a.close();
    expect(queueOwner(dir)).toBeNull();
    // Left by a process that died (kill -9): broken.
    writeFileSync(path.join(dir, QUEUE_OWNER_FILE), JSON.stringify({ pid: deadPid(), host: HOST_TAG, at: '' }));
    expect(queueOwner(dir)).toBeNull();
    const b = tryOwnQueue(dir);
    expect(b).not.toBeNull();
    expect(JSON.parse(readFileSync(path.join(dir, QUEUE_OWNER_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    b!.release();
    // A live process of this computer (the parent of this test runner) keeps it.
    writeFileSync(path.join(dir, QUEUE_OWNER_FILE), JSON.stringify({ pid: process.ppid, host: HOST_TAG, at: '' }));
    expect(tryOwnQueue(dir)).toBeNull();
    expect(queueOwner(dir)?.pid).toBe(process.ppid);
  });

  it('a second runner on the folder does not run the owner`s jobs', () => {
    const first = controllable();
    runner({ generate: first.generate }, open()).start(req({ count: 2 }));
    expect(openQueueStore(dir)).toBeNull();
    const second = controllable();
    const r2 = runner({ generate: second.generate }, null);
    expect(r2.list()).toEqual([]);
    expect(second.runs).toHaveLength(0);
  });

  it('applies what another process changed in the file: paused, queued jobs removed', async () => {
    const { generate, runs } = controllable();
    const r = runner({ generate }, open(20));
    const [a, b, c] = r.start(req({ count: 3 }, { provider: DEV }));
    // What `queue pause` does.
    updateQueueFile(dir, (q) => ({ ...q, paused: true }));
    await until(() => r.queueState().paused, 10_000, 'paused');
    // What `queue clear` does: the queued jobs go, the running one stays.
    updateQueueFile(dir, (q) => ({ ...q, jobs: q.jobs.filter((j) => j.state !== 'queued') }));
    await until(() => last(c!.id).state === 'cancelled', 10_000, 'cancelled');
    expect(last(b!.id).state).toBe('cancelled');
    expect(last(a!.id).state).toBe('running');
    // The app's own later writes keep the other process's change.
    expect(file()).toMatchObject({ paused: true, jobs: [{ id: a!.id, state: 'running' }] });
    updateQueueFile(dir, (q) => ({ ...q, paused: false }));
    await until(() => !r.queueState().paused, 10_000, 'resumed');
    runs[0]!.finish();
    await r.idle();
    expect(runs).toHaveLength(1);
    expect(file()).toMatchObject({ paused: false, jobs: [] });
  });

  it('sets a damaged file aside and starts empty', () => {
    writeFileSync(path.join(dir, QUEUE_FILE), '{"app":"flux-gallery","kind":"queue","format":1,"rev":3,"jobs":[');
    const { generate } = controllable();
    const r = runner({ generate }, open());
    expect(r.list()).toEqual([]);
    expect(readdirSync(dir).some((n) => n.startsWith(`${QUEUE_FILE}.corrupt-`))).toBe(true);
  });

  it('refuses a newer version`s file and leaves it alone', () => {
    const text = JSON.stringify({ app: 'flux-gallery', kind: 'queue', format: 2, rev: 1, jobs: [] });
    writeFileSync(path.join(dir, QUEUE_FILE), text);
    expect(() => openQueueStore(dir)).toThrowError(expect.objectContaining({ code: 'io' }));
    expect(readFileSync(path.join(dir, QUEUE_FILE), 'utf8')).toBe(text);
    expect(queueOwner(dir)).toBeNull();
  });
});
