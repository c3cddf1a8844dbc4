/**
 * The persistent queue through the real core, over real HTTP to fake Spaces: a core closed in the
 * middle of a queue and a new one on the same data folder finish every job, none lost, none
 * doubled (the Space's joins counted); a second core on the folder leaves the first one's jobs alone
 * and takes the queue over when it closes; the jobs:* queue channels and jobs:queueChanged.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core';
import { readQueueFile } from '../../main/jobs/queue-file';
import type { EventChannel, EventPayloads, InvokeChannel, InvokeResult } from '../../shared/contract';
import type { JobState } from '../../shared/events';
import { startFakeSpaces, type FakeSpaces } from '../fake-space';
import { until } from '../jobs/helpers';

const PINNED = { model: 'flux-schnell', provider: 'bfl-flux1-schnell' } as const;

describe('core: the persistent queue over real HTTP', () => {
  let root: string;
  let spaces: FakeSpaces;
  const cores: Core[] = [];

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'fg-core-queue-'));
    // Slow enough that a job is surely in the middle when the core closes.
    spaces = await startFakeSpaces({ timing: { stepMs: 60, heartbeatMs: 1000 } });
  });
  afterAll(async () => {
    for (const c of cores) await c.dispose();
    await spaces.close();
    await rm(root, { recursive: true, force: true });
  });

  const make = async (dataDir: string) => {
    const core = await createCore({
      dataDir,
      defaultLibraryDir: path.join(dataDir, 'library'),
      transport: 'web',
      appVersion: 'test',
      log: () => {},
      persistQueue: true,
      queuePollMs: 50,
    });
    cores.push(core);
    const seen: { channel: EventChannel; payload: unknown }[] = [];
    core.events.subscribe((channel, payload) => seen.push({ channel, payload }));
    const call = async <C extends InvokeChannel>(channel: C, args?: unknown): Promise<InvokeResult<C>> => {
      const r = await core.router.invoke(channel, args, { transport: 'web' });
      if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
      return r.value as InvokeResult<C>;
    };
    const eventsOf = <E extends EventChannel>(channel: E) =>
      seen.filter((e) => e.channel === channel).map((e) => e.payload as EventPayloads[E]);
    const updates = () => eventsOf('jobs:updated');
    return { core, call, eventsOf, updates };
  };
  const endedOnce = (updates: JobState[], state: JobState['state']) =>
    updates.filter((u) => u.state === state).map((u) => u.id);

  it('a restart in the middle of a queue: every job finishes once, the running one sent again with its seed', async () => {
    const dataDir = path.join(root, 'restart');
    const space = spaces.spaces['bfl-flux1-schnell'];
    const joinsBefore = space.jobs.length;
    const a = await make(dataDir);
    await a.call('settings:update', { providerUrls: spaces.providerUrls, hfUrl: spaces.hfUrl });
    const { jobs } = await a.call('jobs:start', { params: { prompt: 'restart', ...PINNED }, count: 4 });
    const ids = jobs.map((j) => j.id);
    // The second job is generating on the Space when the app closes.
    await until(() => a.updates().some((u) => u.id === ids[1] && u.progress !== null), 20_000, 'second job generating');
    await a.core.dispose();
    const doneBefore = endedOnce(a.updates(), 'done');
    expect(doneBefore).toEqual([ids[0]]);
    const left = readQueueFile(dataDir).queue.jobs;
    expect(left.map((j) => j.id)).toEqual(ids.slice(1));
    expect(left[0]).toMatchObject({ state: 'queued', wasRunning: true });
    const seedOfSecond = left[0]!.appSeed;
    expect(seedOfSecond).not.toBeNull();

    const b = await make(dataDir);
    expect((await b.call('jobs:list')).jobs.map((j) => j.id)).toEqual(ids.slice(1));
    await until(() => endedOnce(b.updates(), 'done').length === 3, 30_000, 'every job done');
    await b.core.jobs.idle();
    // None lost, none doubled: four images, each job done once over both runs.
    const done = [...doneBefore, ...endedOnce(b.updates(), 'done')];
    expect(done.sort()).toEqual([...ids].sort());
    expect((await b.call('history:query', {})).total).toBe(4);
    // The Space saw five joins: each job once, the one cut off twice, with the same seed.
    const joined = space.jobs.slice(joinsBefore);
    expect(joined).toHaveLength(5);
    expect(joined.filter((j) => j.seed === seedOfSecond)).toHaveLength(2);
    // Sent twice, over both runs.
    expect(b.updates().find((u) => u.id === ids[1] && u.state === 'done')?.attempts).toBe(2);
    expect(readQueueFile(dataDir).queue.jobs).toEqual([]);
    await b.core.dispose();
  });

  it('a second core on the data folder keeps its own jobs in memory, then takes the queue over', async () => {
    const dataDir = path.join(root, 'two');
    const a = await make(dataDir);
    await a.call('settings:update', { providerUrls: spaces.providerUrls, hfUrl: spaces.hfUrl });
    await a.call('jobs:pause');
    const { jobs } = await a.call('jobs:start', { params: { prompt: 'owned by a', ...PINNED }, count: 2 });
    const b = await make(dataDir);
    expect((await b.call('jobs:list')).jobs).toEqual([]);
    expect((await b.call('jobs:queueState')).paused).toBe(false);
    await a.core.dispose();
    // b takes the queue over (paused, as a left it) once a has let it go.
    await until(() => b.core.jobs.list().length === 2, 10_000, 'taken over');
    expect(b.core.jobs.list().map((j) => j.id)).toEqual(jobs.map((j) => j.id));
    expect((await b.call('jobs:queueState')).paused).toBe(true);
    await b.call('jobs:resume');
    await until(() => endedOnce(b.updates(), 'done').length === 2, 30_000, 'both done');
    await b.core.dispose();
  });

  it('a quota refusal with a time: the job waits (kept in the file) unless Settings allow fallback', async () => {
    const dataDir = path.join(root, 'quota');
    const c = await make(dataDir);
    await c.call('settings:update', { providerUrls: spaces.providerUrls, hfUrl: spaces.hfUrl });
    const refusal = 'You have exceeded your GPU quota (60s requested vs. 23s left). Try again in 1:00:00.';
    const first = spaces.spaces['bfl-flux1-schnell'];
    first.setFault({ route: 'stream', kind: 'error-event', message: refusal }, { times: 2 });
    const { jobs } = await c.call('jobs:start', { params: { prompt: 'waits', model: 'flux-schnell' } });
    await until(() => c.eventsOf('jobs:queueChanged').some((q) => q.quotaWaits.length === 1), 20_000, 'waiting');
    const wait = c.eventsOf('jobs:queueChanged').find((q) => q.quotaWaits.length === 1)!.quotaWaits[0]!;
    expect(wait.providerId).toBe('bfl-flux1-schnell');
    expect(c.core.jobs.list()[0]).toMatchObject({
      id: jobs[0]!.id,
      state: 'queued',
      status: { code: 'quota-wait', params: { provider: 'bfl-flux1-schnell', until: wait.until } },
    });
    expect(readQueueFile(dataDir).queue).toMatchObject({
      quotaWaits: [wait],
      jobs: [{ id: jobs[0]!.id, state: 'queued', waitUntil: wait.until }],
    });
    await c.call('jobs:cancel', { jobId: jobs[0]!.id });

    // With fallback allowed, the alias's next Space makes the image.
    await c.call('settings:update', { quotaFallback: true });
    const { jobs: more } = await c.call('jobs:start', { params: { prompt: 'falls back', model: 'flux-schnell' } });
    await until(() => c.updates().some((u) => u.id === more[0]!.id && u.state === 'done'), 30_000, 'fallback done');
    expect(c.updates().find((u) => u.id === more[0]!.id && u.state === 'done')).toMatchObject({
      providerId: 'voodoohop-flux1-schnell',
      failedProviders: [{ providerId: 'bfl-flux1-schnell', error: { code: 'quota' } }],
    });
    first.clearFaults();
    await c.core.dispose();
  });

  it('pause, resume, move, retry through the channels; jobs:queueChanged follows', async () => {
    const dataDir = path.join(root, 'channels');
    const c = await make(dataDir);
    await c.call('settings:update', { providerUrls: spaces.providerUrls, hfUrl: spaces.hfUrl });
    expect(await c.call('jobs:pause')).toEqual({ paused: true, quotaWaits: [], active: 0 });
    const { jobs } = await c.call('jobs:start', {
      params: { prompt: 'one', ...PINNED, seed: 5, randomizeSeed: false },
      extraPrompts: ['two', 'three'],
    });
    expect(c.eventsOf('jobs:queueChanged').at(-1)).toEqual({ paused: true, quotaWaits: [], active: 3 });
    const moved = await c.call('jobs:move', { jobId: jobs[2]!.id, to: 'front' });
    expect(moved.jobs.map((j) => j.params.prompt)).toEqual(['three', 'one', 'two']);
    await expect(c.call('jobs:move', { jobId: jobs[0]!.id, to: 'sideways' })).rejects.toThrow(/invalid-argument/);
    await c.call('jobs:cancel', { jobId: jobs[1]!.id });
    await c.call('jobs:resume');
    await until(() => endedOnce(c.updates(), 'done').length === 2, 30_000, 'two done');
    const order = c.updates().filter((u) => u.state === 'running' && u.attempts === 1);
    expect([...new Set(order.map((u) => u.params.prompt))]).toEqual(['three', 'one']);
    const { jobs: again } = await c.call('jobs:retry', { jobId: jobs[1]!.id });
    expect(again[0]!.params).toMatchObject({ prompt: 'two', seed: 5 });
    await until(() => endedOnce(c.updates(), 'done').length === 3, 30_000, 'retry done');
    expect((await c.call('jobs:retryFailed')).jobs).toEqual([]);
    await until(() => c.eventsOf('jobs:queueChanged').at(-1)?.active === 0, 10_000, 'queue empty');
    await c.core.dispose();
  });
});
