/**
 * One fault at a time, on a pinned provider (so no fallback hides it), end to end through the
 * core: jobs:start over the router → provider against the fake Space → library. Whatever the
 * fault, the job ends in time with a clear error (or saves the image when the fault is
 * survivable), leaves no partial file and no open stream, and the next job on the same Space
 * succeeds; the history is exactly the saved images, also after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderId } from '../../shared/params';
import { faultCases, type FaultCase, type Outcome } from './catalogue';
import {
  ATTEMPT_BOUND_MS,
  expectClearError,
  expectEndedOnce,
  expectHistorySurvivesRestart,
  expectLibraryIntact,
  expectNoOpenStreams,
  PINNED,
  startHarness,
  trackProcessErrors,
} from './support';

const matches = (job: { state: string; error: { code: string; message: string } | null }, o: Outcome) =>
  o.state === 'done'
    ? job.state === 'done'
    : job.state === 'failed' && job.error?.code === o.code && o.message.test(job.error.message);

async function runFaultCase(c: FaultCase): Promise<void> {
  const h = await startHarness(c.hfToken ? { hfToken: 'hf_faultsuite' } : {});
  try {
    const space = h.spaces.spaces[c.provider];
    // No `times`: retries, previews and the cancel request meet the fault too.
    space.setFault(c.fault);
    if (c.trigger) space.setFault(c.trigger);

    const { job, ms } = await h.generate(PINNED[c.provider]);
    const expected = Array.isArray(c.expect) ? c.expect : [c.expect];
    const summary = `${job.state} ${job.error?.code ?? ''}: ${job.error?.message ?? ''}`;
    expect(
      expected.some((o) => matches(job, o)),
      `${summary} (expected ${expected.map((o) => (o.state === 'done' ? 'done' : `${o.code} ${o.message}`)).join(' or ')})`,
    ).toBe(true);
    expect(ms).toBeLessThan(ATTEMPT_BOUND_MS);
    expect(space.requestsTo(c.fault.route).length, 'the fault was met').toBeGreaterThan(0);
    expectEndedOnce(h, job.id);
    if (job.state === 'failed') {
      expectClearError(job.error);
      expect(job.error.providerId).toBe(c.provider);
      expect(job.entryId).toBeNull();
      expect(job.failedProviders.map((f) => f.providerId)).toEqual([c.provider]);
    } else {
      expect(job.providerId).toBe(c.provider);
    }
    if (c.status) {
      const lines = h.updates.filter((u) => u.id === job.id).map((u) => u.statusText);
      const told = lines.find((t): t is string => t !== null && c.status!.test(t));
      expect(told, `status lines: ${JSON.stringify(lines)}`).toBeDefined();
      expect(told, 'no HTML in the status line').not.toMatch(/<\/?[a-z!][^>]*>|DOCTYPE/i);
    }
    await expectNoOpenStreams(h);
    let saved = job.state === 'done' ? 1 : 0;
    await expectLibraryIntact(h, saved);

    // Healthy again: the same Space, the same core, a good image.
    space.clearFaults();
    const next = await h.generate(PINNED[c.provider]);
    expect(next.job.state, next.job.error?.message).toBe('done');
    saved++;
    await expectLibraryIntact(h, saved);
    await expectHistorySurvivesRestart(h, saved);
  } finally {
    await h.close();
  }
}

/** The table for one provider's cases, in a file of its own so the two protocols run in parallel. */
export function describeFaultTable(provider: ProviderId): void {
  let processErrors: ReturnType<typeof trackProcessErrors>;
  beforeAll(() => {
    processErrors = trackProcessErrors();
  });
  afterAll(() => {
    processErrors.stop();
    expect(processErrors.errors, 'unhandled rejections or uncaught exceptions').toEqual([]);
  });
  const cases = faultCases().filter((c) => c.provider === provider);
  describe(`one fault on ${provider} (pinned)`, () => {
    it.each(cases.map((c) => [c.name, c] as [string, FaultCase]))('%s', (_name, c) => runFaultCase(c));
  });
}
