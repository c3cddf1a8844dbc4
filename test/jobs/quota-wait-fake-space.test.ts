/**
 * A ZeroGPU quota refusal that names a time ("Try again in 0:05:12"), from a fake Space over real
 * HTTP through the real router: without quota fallback the job waits for that time (the runner's
 * clock is a fake one the test moves; the HTTP is real) and then runs by itself; with fallback the
 * router sends it to the alias's next Space as before. Never asserts timings.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createJobRunner, type JobRunner } from '../../main/jobs/job-runner';
import { downloadImage } from '../../main/providers/download';
import { createFailureMemory } from '../../main/providers/failure-memory';
import { routeGeneration } from '../../main/providers/registry';
import type { HistoryEntry } from '../../shared/library';
import type { JobState } from '../../shared/events';
import type { ProviderId } from '../../shared/params';
import { startFakeSpaces, type FakeSpaces } from '../fake-space';
import { fakeClock, req, resolveParams, tick, until } from './helpers';

const REFUSAL =
  'You have exceeded your GPU quota (60s requested vs. 23s left). Try again in 0:05:12. Subscribe to PRO to get 5x more usage quota.';
const FIRST: ProviderId = 'bfl-flux1-schnell';
const NEXT: ProviderId = 'voodoohop-flux1-schnell';

describe('quota waits × router × fake Spaces', () => {
  let spaces: FakeSpaces;
  let updates: JobState[];
  let clock: ReturnType<typeof fakeClock>;
  const last = (id: string) => updates.filter((u) => u.id === id).at(-1)!;

  beforeAll(async () => {
    spaces = await startFakeSpaces({ timing: { stepMs: 5, heartbeatMs: 1000 } });
  });
  afterAll(() => spaces.close());
  beforeEach(() => {
    for (const s of Object.values(spaces.spaces)) s.clearFaults();
    updates = [];
    clock = fakeClock();
  });

  const runner = (waitOnQuota: boolean): JobRunner => {
    const failures = createFailureMemory();
    return createJobRunner({
      generate: (params, { signal }) =>
        routeGeneration(params, {
          signal,
          providerUrls: spaces.providerUrls,
          hfUrl: spaces.hfUrl,
          failures,
          waitOnQuota,
        }),
      download: (url, signal, o) => downloadImage(url, { signal, ...o }),
      save: async () => ({ id: 'entry' }) as HistoryEntry,
      resolveParams,
      onUpdate: (s) => updates.push(s),
      now: clock.now,
      timers: clock.timers,
      providerFor: (p) => p.provider ?? (waitOnQuota && p.model === 'flux-schnell' ? FIRST : null),
    });
  };

  it('waits for the time the Space names instead of falling back, then runs by itself', async () => {
    spaces.spaces[FIRST].setFault({ route: 'stream', kind: 'error-event', message: REFUSAL }, { times: 1 });
    const next = spaces.spaces[NEXT].jobs.length;
    const r = runner(true);
    const t0 = clock.now();
    const [job] = r.start(req({}, { model: 'flux-schnell' }));
    await until(() => last(job!.id).state === 'queued' && last(job!.id).waitUntil != null, 20_000, 'waiting');
    const at = t0 + 312_000;
    expect(last(job!.id)).toMatchObject({
      waitUntil: at,
      status: { code: 'quota-wait', params: { until: at, provider: FIRST } },
      failedProviders: [],
    });
    expect(r.queueState().quotaWaits).toEqual([{ providerId: FIRST, until: at }]);
    // Not sent to the alias's next Space.
    expect(spaces.spaces[NEXT].jobs.length).toBe(next);
    clock.advance(311_000);
    await tick(20);
    expect(last(job!.id).state).toBe('queued');
    clock.advance(1_000);
    await r.idle();
    expect(last(job!.id)).toMatchObject({ state: 'done', providerId: FIRST, attempts: 2, waitUntil: null });
    expect(spaces.spaces[NEXT].jobs.length).toBe(next);
  });

  it('falls back to the next Space when quota fallback is on', async () => {
    spaces.spaces[FIRST].setFault({ route: 'stream', kind: 'error-event', message: REFUSAL }, { times: 1 });
    const r = runner(false);
    const [job] = r.start(req({}, { model: 'flux-schnell' }));
    await r.idle();
    expect(last(job!.id)).toMatchObject({
      state: 'done',
      providerId: NEXT,
      attempts: 1,
      failedProviders: [{ providerId: FIRST, error: { code: 'quota', quota: { retryInSeconds: 312 } } }],
    });
    expect(r.queueState().quotaWaits).toEqual([]);
  });

  it('a pinned job waits either way', async () => {
    spaces.spaces[NEXT].setFault({ route: 'stream', kind: 'error-event', message: REFUSAL }, { times: 1 });
    const r = runner(false);
    const [job] = r.start(req({}, { model: 'flux-schnell', provider: NEXT }));
    await until(() => last(job!.id).status?.code === 'quota-wait', 20_000, 'waiting');
    expect(r.queueState().quotaWaits.map((w) => w.providerId)).toEqual([NEXT]);
    clock.advance(312_000);
    await r.idle();
    expect(last(job!.id)).toMatchObject({ state: 'done', providerId: NEXT });
  });
});
