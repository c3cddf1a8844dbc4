/**
 * Fallback across Spaces, for every Gradio version: a model alias survives a Space that fails in
 * any way (including its file server, after the image was made; a busy queue after its retries; a
 * paused Space, which is skipped without a join), remembers the failure, and names every Space in
 * words when none can make the image — each within the time its attempts may take.
 */
import { afterAll, beforeAll, expect, it, describe } from 'vitest';
import type { ErrorCode } from '../../shared/errors';
import { GRADIO_VERSIONS, type Fault } from '../fake-space';
import {
  faultCases,
  GENERIC_KINDS,
  JOIN_KINDS,
  PROTOCOLS,
  PROXY_KINDS,
  RATE_LIMITED_ROUTES,
  ROUTES,
  STREAM_KINDS,
} from './catalogue';
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
  it.each(GRADIO_VERSIONS)('covers every fault kind on every route it can hit, on both protocols (Gradio %s)', (v) => {
    const cases = PROTOCOLS.flatMap((p) => faultCases(p, v));
    const seen = new Set(cases.map((c) => `${c.fault.route}/${c.fault.kind}`));
    for (const route of ROUTES) for (const kind of GENERIC_KINDS) expect(seen).toContain(`${route}/${kind}`);
    for (const kind of STREAM_KINDS) expect(seen).toContain(`stream/${kind}`);
    for (const kind of JOIN_KINDS) expect(seen).toContain(`join/${kind}`);
    for (const route of RATE_LIMITED_ROUTES) for (const kind of PROXY_KINDS) expect(seen).toContain(`${route}/${kind}`);
    // Every fault of a fatal route meets both protocols.
    for (const p of PROTOCOLS) {
      const mine = new Set(
        faultCases(p, v)
          .filter((c) => c.fault.route !== 'page' && c.fault.route !== 'jwt')
          .map((c) => c.name.replace(/^\w+ API: /, '')),
      );
      const other = new Set(
        faultCases(p === 'queue' ? 'call' : 'queue', v)
          .filter((c) => c.fault.route !== 'page' && c.fault.route !== 'jwt')
          .map((c) => c.name.replace(/^\w+ API: /, '')),
      );
      expect(mine).toEqual(other);
    }
    expect(new Set(cases.map((c) => c.provider))).toEqual(new Set(['bfl-flux1-dev', 'voodoohop-flux1-schnell']));
  });
});

/** A fault on the Dev Space, and what its failure is, on the way to a healthy Space. */
type Representative = [name: string, fault: Fault, code: ErrorCode];
const rep = (fault: Fault, code: ErrorCode): Representative => [`${fault.route} ${fault.kind}`, fault, code];

describe.each(GRADIO_VERSIONS)('fallback across Spaces (alias), Gradio %s', (gradioVersion) => {
  async function fallsBack(fault: Fault, code: ErrorCode): Promise<void> {
    const h = await startHarness({ gradioVersion });
    try {
      h.spaces.spaces['bfl-flux1-dev'].setFault(fault);
      const { job, ms } = await h.generate({ prompt: 'fallback', model: 'flux' }, 3 * ATTEMPT_BOUND_MS);
      expect(job.state, job.error?.message).toBe('done');
      expect(ms).toBeLessThan(2 * ATTEMPT_BOUND_MS);
      expect(job.providerId).not.toBe('bfl-flux1-dev');
      expect(job.failedProviders.map((f) => f.providerId)).toEqual(['bfl-flux1-dev']);
      expectClearError(job.failedProviders[0]!.error);
      expect(job.failedProviders[0]!.error.code, job.failedProviders[0]!.error.message).toBe(code);
      if (code === 'busy') {
        // Retried (and said so) before falling back.
        const codes = h.updates.filter((u) => u.id === job.id).map((u) => u.status?.code);
        expect(codes).toContain('busy-retry');
      }
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
  }

  it.each([
    rep({ route: 'join', kind: 'http', status: 503 }, 'http'),
    rep({ route: 'join', kind: 'queue-full' }, 'busy'),
    rep({ route: 'join', kind: 'rate-limit' }, 'rate-limited'),
    rep({ route: 'stream', kind: 'quota' }, 'quota'),
  ])('`flux` falls back from a Dev Space with %s to a healthy one', (_name, fault, code) => fallsBack(fault, code));

  // Mostly waiting for a timeout: these share the time (each has its own servers and core).
  describe.concurrent('after a timeout', () => {
    it.each([rep({ route: 'stream', kind: 'stall' }, 'timeout'), rep({ route: 'file', kind: 'hang' }, 'timeout')])(
      '`flux` falls back from a Dev Space with %s to a healthy one',
      (_name, fault, code) => fallsBack(fault, code),
    );

    it('names every Space when all of them fail, in time', async () => {
      const h = await startHarness({ gradioVersion });
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

  it('skips a paused Dev Space without joining it, and names it when nothing else is left', async () => {
    const h = await startHarness({ gradioVersion });
    try {
      const dev = h.spaces.spaces['bfl-flux1-dev'];
      dev.setStage('PAUSED');
      const { job } = await h.generate({ prompt: 'paused', model: 'flux' }, 3 * ATTEMPT_BOUND_MS);
      expect(job.state, job.error?.message).toBe('done');
      expect(job.providerId).not.toBe('bfl-flux1-dev');
      expect(job.failedProviders.map((f) => [f.providerId, f.error.code])).toEqual([['bfl-flux1-dev', 'space-paused']]);
      // The next `flux` job does not even ask Dev: it is skipped until the user retries it.
      const next = await h.generate({ prompt: 'paused again', model: 'flux' });
      expect(next.job).toMatchObject({ state: 'done', failedProviders: [] });
      expect(dev.requestsTo('join')).toEqual([]);
      expect(dev.jobs).toEqual([]);
      // Nothing else serves flux-dev: refused at once, in words.
      const r = await h.core.router.invoke(
        'jobs:start',
        { params: { prompt: 'dev only', model: 'flux-dev' } },
        { transport: 'web' },
      );
      expect(r.ok ? 'started' : r.error.code).toBe('space-paused');
      if (!r.ok) expectClearError(r.error);
      await expectNoOpenStreams(h);
      await expectLibraryIntact(h, 2);
      await expectHistorySurvivesRestart(h, 2);
    } finally {
      await h.close();
    }
  });
});
