/**
 * Random sequences of faults (none included) across the three Spaces, with several jobs at once by
 * alias and pinned, on the queue API or (a Space without /config) the call API: whatever happens,
 * every job ends within the time its attempts may take, with a clear error or a saved image; only a
 * Space that was given a fault ever appears as failed; no partial file or open stream remains; the
 * history is exactly the saved images (also after a restart); and, the faults gone, the next job
 * succeeds. The runs are spread over the Gradio versions (a quarter each), not multiplied by them.
 * fast-check prints the seed of a failure.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GRADIO_VERSIONS, type Fault, type FakeSpaceOptions } from '../fake-space';
import {
  PROVIDER_IDS,
  type GenerationParamsInput,
  type ModelAlias,
  type BuiltinProviderId as ProviderId,
} from '../../shared/params';
import { allFaults } from './catalogue';
import {
  ATTEMPT_BOUND_MS,
  expectClearError,
  expectEndedOnce,
  expectHistorySurvivesRestart,
  expectLibraryIntact,
  expectNoOpenStreams,
  PINNED,
  SMALL_PARAMS,
  startHarness,
  trackProcessErrors,
  withTimeout,
} from './support';

let processErrors: ReturnType<typeof trackProcessErrors>;
beforeAll(() => {
  processErrors = trackProcessErrors();
});
afterAll(() => {
  processErrors.stop();
  expect(processErrors.errors, 'unhandled rejections or uncaught exceptions').toEqual([]);
});

type Target = ModelAlias | ProviderId;
const SERVES: Record<Target, ProviderId[]> = {
  flux: [...PROVIDER_IDS],
  'flux-dev': ['bfl-flux1-dev'],
  'flux-schnell': ['bfl-flux1-schnell', 'voodoohop-flux1-schnell'],
  'bfl-flux1-dev': ['bfl-flux1-dev'],
  'bfl-flux1-schnell': ['bfl-flux1-schnell'],
  'voodoohop-flux1-schnell': ['voodoohop-flux1-schnell'],
};
const paramsFor = (t: Target, n: number): GenerationParamsInput =>
  t in PINNED ? { ...PINNED[t as ProviderId], prompt: `job ${n}` } : { prompt: `job ${n}`, model: t as ModelAlias };

/** A fault, at a random point of the stream where it has one, for the next 1–3 requests or for good. */
const faultArb: fc.Arbitrary<{ fault: Fault; times: number | undefined }> = fc.record({
  fault: fc
    .constantFrom(...allFaults())
    .chain((f) =>
      f.route === 'stream' && 'afterMessages' in f
        ? fc.integer({ min: 0, max: 8 }).map((afterMessages): Fault => ({ ...f, afterMessages }))
        : fc.constant(f),
    ),
  // Often for good: a one-off fault is easily used up by a preview download before it matters.
  times: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined, freq: 2 }),
});

const scenarioArb = fc.record({
  faults: fc.record(
    Object.fromEntries(PROVIDER_IDS.map((id) => [id, fc.array(faultArb, { maxLength: 3 })])) as Record<
      ProviderId,
      fc.Arbitrary<{ fault: Fault; times: number | undefined }[]>
    >,
  ),
  jobs: fc.array(
    fc.record({
      target: fc.constantFrom<Target>(...(Object.keys(SERVES) as Target[])),
      // Sometimes the user gives up on a job: at any point, also mid-fault or mid-download.
      cancelAfterMs: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined, freq: 4 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  hfToken: fc.boolean(),
  // These Spaces serve no /config: the call API is their only way in.
  callApi: fc.subarray([...PROVIDER_IDS]),
});

/** The runs the suite made before it met every Gradio version; now spread over them. */
const TOTAL_RUNS = 25;
const RUNS_PER_VERSION = Math.ceil(TOTAL_RUNS / GRADIO_VERSIONS.length);

it.each(GRADIO_VERSIONS)(
  'random faults across the Spaces never break the invariants (Gradio %s)',
  { timeout: 120_000 },
  async (gradioVersion) => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        runs++;
        const noConfig: FakeSpaceOptions = { serveConfig: false };
        const h = await startHarness({
          gradioVersion,
          per: Object.fromEntries(s.callApi.map((id) => [id, noConfig])),
          ...(s.hfToken ? { hfToken: 'hf_faultsuite' } : {}),
        });
        try {
          const faulted = new Set<ProviderId>();
          for (const id of PROVIDER_IDS) {
            for (const { fault, times } of s.faults[id]) {
              h.spaces.spaces[id].setFault(fault, times === undefined ? {} : { times });
              faulted.add(id);
            }
          }

          // All at once: jobs for one route wait their turn, different routes run side by side.
          const started = await Promise.all(
            s.jobs.map(async ({ target, cancelAfterMs }, n) => {
              const { jobs } = await h.call('jobs:start', { params: { ...SMALL_PARAMS, ...paramsFor(target, n) } });
              const id = jobs[0]!.id;
              if (cancelAfterMs !== undefined) {
                setTimeout(
                  () => void h.core.router.invoke('jobs:cancel', { jobId: id }, { transport: 'web' }),
                  cancelAfterMs,
                );
              }
              return { target, id, cancels: cancelAfterMs !== undefined };
            }),
          );
          const ended = await Promise.all(
            started.map(async (j) => ({ ...j, job: await h.ended(j.id, s.jobs.length * 3 * ATTEMPT_BOUND_MS) })),
          );
          // Cancelled jobs free their slot once the provider has really stopped.
          await withTimeout(h.core.jobs.idle(), ATTEMPT_BOUND_MS, 'the runner did not become idle');

          let saved = 0;
          for (const { target, job, cancels } of ended) {
            expectEndedOnce(h, job.id);
            // A job cancelled while queued never started.
            const ran = job.endedAt! - (job.startedAt ?? job.endedAt!);
            expect(ran, `${target} ran for ${ran} ms`).toBeLessThan(SERVES[target].length * ATTEMPT_BOUND_MS);
            if (job.state === 'cancelled') {
              expect(cancels).toBe(true);
              expect(job.entryId).toBeNull();
              continue;
            }
            // Only a Space given a fault may fail; a job fails only when every Space it may use did.
            for (const f of job.failedProviders) {
              expect(faulted, `${f.providerId} failed with no fault: ${f.error.message}`).toContain(f.providerId);
              expect(SERVES[target]).toContain(f.providerId);
              expectClearError(f.error);
            }
            if (job.state === 'failed') {
              expectClearError(job.error);
              expect(SERVES[target].every((id) => faulted.has(id))).toBe(true);
              // A single Space's failure names it; several are summed up as all-providers-failed.
              if (job.error.code !== 'all-providers-failed') expect(SERVES[target]).toContain(job.error.providerId);
              expect(job.entryId).toBeNull();
            } else {
              expect(job.state).toBe('done');
              expect(h.core.library().get(job.entryId!).providerId).toBe(job.providerId);
              saved++;
            }
          }
          expect(h.logs.filter((l) => /^(IPC |event listener|jobs: update listener)/.test(l))).toEqual([]);
          await expectNoOpenStreams(h);
          await expectLibraryIntact(h, saved);

          for (const space of Object.values(h.spaces.spaces)) space.clearFaults();
          const next = await h.generate({ prompt: 'after the storm', model: 'flux' }, 3 * ATTEMPT_BOUND_MS);
          expect(next.job.state, next.job.error?.message).toBe('done');
          await expectHistorySurvivesRestart(h, saved + 1);
        } finally {
          await h.close();
        }
      }),
      // Modest: each run may wait out a few timeouts; the single-fault tables cover each fault once.
      { numRuns: RUNS_PER_VERSION },
    );
    expect(runs).toBeGreaterThanOrEqual(RUNS_PER_VERSION);
  },
);
