/**
 * The runner's queue: order and moves, pause/resume, retry, per-provider concurrency, GPU quota
 * waits on a fake clock. No store here (queue-persistence.test.ts keeps the queue on disk).
 */
import { describe, expect, it, beforeEach } from 'vitest';
import { createJobRunner, type JobRunnerOptions } from '../../main/jobs/job-runner';
import type { SaveImageInput } from '../../main/library/library';
import type { JobState } from '../../shared/events';
import type { HistoryEntry } from '../../shared/library';
import type { ProviderId } from '../../shared/params';
import type { QueueState } from '../../shared/queue';
import { controllable, fakeClock, quotaError, req, resolveParams, tick, until } from './helpers';

const DEV: ProviderId = 'bfl-flux1-dev';
const SCHNELL: ProviderId = 'bfl-flux1-schnell';

describe('job runner: the queue', () => {
  let updates: JobState[];
  let queueStates: QueueState[];
  let saved: SaveImageInput[];
  const last = (id: string) => updates.filter((u) => u.id === id).at(-1)!;
  const runner = (over: Partial<JobRunnerOptions> & Pick<JobRunnerOptions, 'generate'>) =>
    createJobRunner({
      download: async () => ({ bytes: new Uint8Array([1, 2, 3]) }),
      save: async (input) => {
        saved.push(input);
        return { id: `entry-${saved.length}` } as HistoryEntry;
      },
      resolveParams,
      onUpdate: (s) => updates.push(s),
      onQueueChange: (s) => queueStates.push(s),
      ...over,
    });

  beforeEach(() => {
    updates = [];
    queueStates = [];
    saved = [];
  });

  it('runs jobs in order; a queued job moves up, down or to the front', async () => {
    const { generate, runs } = controllable();
    const r = runner({ generate });
    const [a, b, c, d] = r.start(req({ extraPrompts: ['b', 'c', 'd'] }, { prompt: 'a' }));
    expect(runs.map((x) => x.params.prompt)).toEqual(['a']);
    const order = (jobs: JobState[]) => jobs.map((j) => j.params.prompt);
    expect(order(r.move(d!.id, 'front'))).toEqual(['d', 'b', 'c']);
    expect(order(r.move(b!.id, 'down'))).toEqual(['d', 'c', 'b']);
    expect(order(r.move(c!.id, 'up'))).toEqual(['c', 'd', 'b']);
    expect(order(r.move(c!.id, 'up'))).toEqual(['c', 'd', 'b']);
    expect(order(r.move(b!.id, 'down'))).toEqual(['c', 'd', 'b']);
    // list(): finished and running first, then the queue in the order it will run.
    expect(order(r.list())).toEqual(['a', 'c', 'd', 'b']);
    expect(() => r.move(a!.id, 'front')).toThrowError(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => r.move('nope', 'front')).toThrowError(expect.objectContaining({ code: 'not-found' }));
    for (const expected of ['c', 'd', 'b']) {
      runs.at(-1)!.finish();
      await until(() => runs.length > 1 && runs.at(-1)!.params.prompt === expected);
    }
    runs.at(-1)!.finish();
    await r.idle();
    expect(saved.map((s) => s.request.prompt)).toEqual(['a', 'c', 'd', 'b']);
    expect([a, b, c, d].map((j) => last(j!.id).state)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('pauses: running jobs finish, queued ones wait until resumed', async () => {
    const { generate, runs } = controllable();
    const r = runner({ generate });
    const [a, b] = r.start(req({ count: 2 }));
    expect(r.pause()).toMatchObject({ paused: true, active: 2 });
    expect(queueStates.at(-1)).toMatchObject({ paused: true });
    runs[0]!.finish();
    await until(() => last(a!.id).state === 'done');
    await tick(5);
    expect(runs).toHaveLength(1);
    expect(last(b!.id).state).toBe('queued');
    expect(r.queueState()).toEqual({ paused: true, quotaWaits: [], active: 1 });
    // Jobs started while paused wait too.
    const [c] = r.start(req({}, { prompt: 'later' }));
    expect(last(c!.id).state).toBe('queued');
    expect(r.resume()).toMatchObject({ paused: false, active: 2 });
    expect(queueStates.at(-1)?.paused).toBe(false);
    await until(() => runs.length === 2);
    runs[1]!.finish();
    await until(() => runs.length === 3);
    runs[2]!.finish();
    await r.idle();
    expect(r.queueState()).toEqual({ paused: false, quotaWaits: [], active: 0 });
    expect(queueStates.at(-1)?.active).toBe(0);
  });

  it('retries a failed or cancelled job as a new job with the same parameters; retry-all once', async () => {
    const { generate, runs } = controllable();
    const r = runner({ generate, concurrency: () => 4 });
    const [a, b, c] = r.start(req({ extraPrompts: ['b', 'c'] }, { prompt: 'a', seed: 42, randomizeSeed: false }));
    runs[0]!.end(new Error('boom'));
    runs[1]!.end(quotaError(DEV, null));
    r.cancel(c!.id);
    await r.idle();
    expect([a, b, c].map((j) => last(j!.id).state)).toEqual(['failed', 'failed', 'cancelled']);
    expect(() => r.retry('nope')).toThrowError(expect.objectContaining({ code: 'not-found' }));

    const [c2] = r.retry(c!.id);
    expect(c2!.id).not.toBe(c!.id);
    expect(c2!.params).toEqual(last(c!.id).params);
    expect(() => r.retry(c2!.id)).toThrowError(expect.objectContaining({ code: 'invalid-argument' }));
    const again = r.retryFailed();
    expect(again.map((j) => j.params.prompt).sort()).toEqual(['a', 'b']);
    expect(again.every((j) => j.params.seed === 42)).toBe(true);
    // Each failed job is retried once by "retry all".
    expect(r.retryFailed()).toEqual([]);
    await until(() => runs.length === 6);
    for (const run of runs.slice(3)) run.finish();
    await r.idle();
    expect(saved).toHaveLength(3);
  });

  it('limits jobs at once per provider from its own setting; alias routes keep the global limit', async () => {
    const { generate, runs } = controllable();
    const limits: Record<string, number> = { [SCHNELL]: 2 };
    const r = runner({ generate, concurrency: (key) => limits[key] ?? 1 });
    r.start(req({ count: 3 }, { model: 'flux-schnell', provider: SCHNELL }));
    r.start(req({ count: 3 }, { model: 'flux' }));
    await tick(5);
    const running = () => r.list().filter((j) => j.state === 'running');
    expect(running().map((j) => j.params.provider ?? j.params.model)).toEqual([SCHNELL, SCHNELL, 'flux']);
    limits[SCHNELL] = 3;
    r.reschedule();
    expect(running()).toHaveLength(4);
    for (let i = 0; i < 6; i++) {
      await until(() => runs.length > i);
      runs[i]!.finish();
    }
    await r.idle();
    expect(saved).toHaveLength(6);
  });

  it('a quota refusal with a time: the job and its Space`s jobs wait, others run; all start again by themselves', async () => {
    const clock = fakeClock();
    const { generate, runs } = controllable();
    // Alias jobs of flux-dev would go to Dev first.
    const r = runner({
      generate,
      now: clock.now,
      timers: clock.timers,
      concurrency: () => 4,
      providerFor: (p) => p.provider ?? (p.model === 'flux-dev' ? DEV : null),
    });
    const [first] = r.start(req({}, { provider: DEV, prompt: 'first' }));
    const t0 = clock.now();
    runs[0]!.end(quotaError(DEV, 300));
    await until(() => last(first!.id).state === 'queued');
    const until300 = t0 + 300_000;
    expect(last(first!.id)).toMatchObject({
      state: 'queued',
      waitUntil: until300,
      status: { code: 'quota-wait', params: { until: until300, provider: DEV } },
      error: null,
      attempts: 1,
    });
    expect(r.queueState().quotaWaits).toEqual([{ providerId: DEV, until: until300 }]);
    expect(queueStates.at(-1)?.quotaWaits).toEqual([{ providerId: DEV, until: until300 }]);

    const [pinned] = r.start(req({}, { provider: DEV, prompt: 'pinned' }));
    const [alias] = r.start(req({}, { prompt: 'alias' }));
    const [other] = r.start(req({}, { provider: SCHNELL, model: 'flux-schnell', prompt: 'other' }));
    const [fallback] = r.start(req({}, { model: 'flux', prompt: 'fallback' }));
    await tick(5);
    for (const j of [pinned, alias]) expect(last(j!.id)).toMatchObject({ state: 'queued', waitUntil: until300 });
    expect(last(other!.id).state).toBe('running');
    expect(last(fallback!.id).state).toBe('running');
    expect(runs.map((x) => x.params.prompt)).toEqual(['first', 'other', 'fallback']);

    clock.advance(299_000);
    await tick(5);
    expect(runs).toHaveLength(3);
    clock.advance(1_000);
    await until(() => runs.length === 6);
    expect(runs.slice(3).map((x) => x.params.prompt)).toEqual(['first', 'pinned', 'alias']);
    expect(last(first!.id)).toMatchObject({ state: 'running', waitUntil: null, status: null, attempts: 2 });
    expect(r.queueState().quotaWaits).toEqual([]);
    expect(queueStates.at(-1)?.quotaWaits).toEqual([]);
    for (const run of runs.slice(1)) run.finish();
    await r.idle();
    expect(saved).toHaveLength(5);
    expect(last(first!.id).state).toBe('done');
  });

  it('waits at least a little for "try again in 0:00:00", and fails a quota refusal without a time', async () => {
    const clock = fakeClock();
    const { generate, runs } = controllable();
    const r = runner({ generate, now: clock.now, timers: clock.timers });
    const [a] = r.start(req({}, { provider: DEV }));
    runs[0]!.end(quotaError(DEV, 0));
    await until(() => last(a!.id).state === 'queued');
    expect(last(a!.id).waitUntil).toBeGreaterThan(clock.now());
    clock.advance(10_000);
    await until(() => runs.length === 2);
    runs[1]!.end(quotaError(DEV, null));
    await r.idle();
    expect(last(a!.id)).toMatchObject({ state: 'failed', error: { code: 'quota' } });
  });

  it('cancels a job waiting for the quota; cancel all reaches waiting jobs', async () => {
    const clock = fakeClock();
    const { generate, runs } = controllable();
    const r = runner({ generate, now: clock.now, timers: clock.timers });
    const [a, b] = r.start(req({ count: 2 }, { provider: DEV }));
    runs[0]!.end(quotaError(DEV, 60));
    await until(() => last(a!.id).state === 'queued');
    expect(r.cancel(a!.id)).toBe(true);
    expect(r.cancelAll()).toBe(1);
    await r.idle();
    expect([a, b].map((j) => last(j!.id).state)).toEqual(['cancelled', 'cancelled']);
    clock.advance(120_000);
    await tick(5);
    expect(runs).toHaveLength(1);
  });
});
