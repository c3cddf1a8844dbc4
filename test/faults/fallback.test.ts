/**
 * Fallback across Spaces: a model alias survives a Space that fails in any way (including its
 * file server, after the image was made), remembers the failure, and names every Space in words
 * when none can make the image — each within the time its attempts may take.
 */
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import type { Fault } from '../fake-space';
import { faultCases, GENERIC_KINDS, ROUTES, STREAM_KINDS } from './catalogue';
import {
  ATTEMPT_BOUND_MS,
  expectClearError,
  expectHistorySurvivesRestart,
  expectLibraryIntact,
  expectNoOpenStreams,
  startHarness,
  trackProcessErrors,
} from './support';

let processErrors: ReturnType<typeof trackProcessErrors>;
beforeAll(() => {
  processErrors = trackProcessErrors();
});
afterAll(() => {
  processErrors.stop();
  expect(processErrors.errors, 'unhandled rejections or uncaught exceptions').toEqual([]);
});

describe('the fault table', () => {
  it('covers every fault kind on every route it can hit, for both protocols where they differ', () => {
    const cases = faultCases();
    const seen = new Set(cases.map((c) => `${c.fault.route}/${c.fault.kind}`));
    for (const route of ROUTES) for (const kind of GENERIC_KINDS) expect(seen).toContain(`${route}/${kind}`);
    for (const kind of STREAM_KINDS) expect(seen).toContain(`stream/${kind}`);
    expect(new Set(cases.map((c) => c.provider))).toEqual(new Set(['bfl-flux1-dev', 'voodoohop-flux1-schnell']));
  });
});

describe('fallback across Spaces (alias)', () => {
  const representative: Fault[] = [
    { route: 'join', kind: 'http', status: 503 },
    { route: 'stream', kind: 'quota' },
    { route: 'stream', kind: 'stall' },
    { route: 'file', kind: 'hang' },
  ];
  it.each(representative.map((f) => [`${f.route} ${f.kind}`, f] as [string, Fault]))(
    '`flux` falls back from a Dev Space with %s to a healthy one',
    async (_name, fault) => {
      const h = await startHarness();
      try {
        h.spaces.spaces['bfl-flux1-dev'].setFault(fault);
        const { job, ms } = await h.generate({ prompt: 'fallback', model: 'flux' }, 3 * ATTEMPT_BOUND_MS);
        expect(job.state, job.error?.message).toBe('done');
        expect(ms).toBeLessThan(2 * ATTEMPT_BOUND_MS);
        expect(job.providerId).not.toBe('bfl-flux1-dev');
        expect(job.failedProviders.map((f) => f.providerId)).toEqual(['bfl-flux1-dev']);
        expectClearError(job.failedProviders[0]!.error);
        const entry = h.core.library().get(job.entryId!);
        expect(entry.providerId).toBe(job.providerId);
        await expectNoOpenStreams(h);
        await expectLibraryIntact(h, 1);
        // The Space that just failed is tried last: the next job goes straight to a healthy one.
        const next = await h.generate({ prompt: 'fallback again', model: 'flux' });
        expect(next.job).toMatchObject({ state: 'done', failedProviders: [] });
        await expectHistorySurvivesRestart(h, 2);
      } finally {
        await h.close();
      }
    },
  );

  it('names every Space when all of them fail, in time', async () => {
    const h = await startHarness();
    try {
      h.spaces.spaces['bfl-flux1-dev'].setFault({ route: 'stream', kind: 'heartbeats-only' });
      h.spaces.spaces['bfl-flux1-schnell'].setFault({ route: 'join', kind: 'http', status: 500 });
      h.spaces.spaces['voodoohop-flux1-schnell'].setFault({ route: 'file', kind: 'stall' });
      const { job, ms } = await h.generate({ prompt: 'nobody home', model: 'flux' }, 3 * ATTEMPT_BOUND_MS);
      expect(job.state).toBe('failed');
      expect(ms).toBeLessThan(3 * ATTEMPT_BOUND_MS);
      expectClearError(job.error);
      expect(job.error.code).toBe('all-providers-failed');
      expect(job.error.message).toMatch(/^No provider could make the image\. /);
      for (const label of [
        'Flux-1-Dev: The Space made no progress',
        'BlackForestLabs Flux-1-Schnell: The Space answered HTTP 500',
        'Voodoohop Flux-1-Schnell: The image server stopped answering',
      ]) {
        expect(job.error.message).toContain(label);
      }
      expect(new Set(job.failedProviders.map((f) => f.providerId)).size).toBe(3);
      await expectNoOpenStreams(h);
      await expectLibraryIntact(h, 0);
      for (const s of Object.values(h.spaces.spaces)) s.clearFaults();
      expect((await h.generate({ prompt: 'back', model: 'flux' })).job.state).toBe('done');
      await expectHistorySurvivesRestart(h, 1);
    } finally {
      await h.close();
    }
  });
});
