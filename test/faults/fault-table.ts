/**
 * One fault at a time, on a pinned provider (so no fallback hides it), end to end through the
 * core: jobs:start over the router → provider against the fake Space → library, for every Gradio
 * version the fake plays. Whatever the fault, the job ends in time with a clear error (or saves the
 * image when the fault is survivable), leaves no partial file and no open stream, and the next job
 * on the same Space succeeds; the history is exactly the saved images, also after a restart.
 *
 * Besides the faults of single requests, the states a Space is in as a whole (paused, broken,
 * asleep, starting, its queue stopped) as the Hugging Face hub reports them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobState } from '../../shared/events';
import { GRADIO_VERSIONS, type FakeSpace, type GradioVersion, type SpaceStage, type WakeOptions } from '../fake-space';
import { faultCases, PROTOCOL_SPACES, type FaultCase, type Outcome, type Protocol } from './catalogue';
import {
  ATTEMPT_BOUND_MS,
  expectClearError,
  expectEndedOnce,
  expectHistorySurvivesRestart,
  expectLibraryIntact,
  expectNoOpenStreams,
  PINNED,
  SPACE_STATES,
  startHarness,
  trackProcessErrors,
  type Harness,
} from './support';

const matches = (job: { state: string; error: { code: string; message: string } | null }, o: Outcome) =>
  o.state === 'done'
    ? job.state === 'done'
    : job.state === 'failed' && job.error?.code === o.code && o.message.test(job.error.message);

const describeOutcomes = (expected: Outcome[]) =>
  expected.map((o) => (o.state === 'done' ? 'done' : `${o.code} ${o.message}`)).join(' or ');

/** The job's end against the expected outcomes, and what every ended job must leave true. */
async function expectEnd(
  h: Harness,
  c: { provider: FaultCase['provider']; expect: Outcome | Outcome[]; statusCode?: string },
  job: JobState,
  ms: number,
): Promise<void> {
  const expected = Array.isArray(c.expect) ? c.expect : [c.expect];
  const summary = `${job.state} ${job.error?.code ?? ''}: ${job.error?.message ?? ''}`;
  expect(
    expected.some((o) => matches(job, o)),
    `${summary} (expected ${describeOutcomes(expected)})`,
  ).toBe(true);
  expect(ms).toBeLessThan(ATTEMPT_BOUND_MS);
  expectEndedOnce(h, job.id);
  if (job.state === 'failed') {
    expectClearError(job.error);
    expect(job.error.providerId).toBe(c.provider);
    expect(job.entryId).toBeNull();
    expect(job.failedProviders.map((f) => f.providerId)).toEqual([c.provider]);
  } else {
    expect(job.providerId).toBe(c.provider);
  }
  const mine = h.updates.filter((u) => u.id === job.id);
  // Whatever a status carries (a reason, a Space's log line) is words, never HTML.
  for (const u of mine) {
    for (const v of Object.values(u.status?.params ?? {})) {
      expect(String(v), 'no HTML in a status').not.toMatch(/<\/?[a-z!][^>]*>|DOCTYPE/i);
    }
  }
  if (c.statusCode) {
    expect(
      mine.map((u) => u.status?.code ?? null),
      'status codes',
    ).toContain(c.statusCode);
  }
  await expectNoOpenStreams(h);
}

async function runFaultCase(c: FaultCase, version: GradioVersion): Promise<void> {
  const h = await startHarness({
    gradioVersion: version,
    per: { [c.provider]: PROTOCOL_SPACES[c.protocol].options },
    ...(c.hfToken ? { hfToken: 'hf_faultsuite' } : {}),
  });
  try {
    const space = h.spaces.spaces[c.provider];
    // No `times`: retries, the re-probe, previews and the cancel request meet the fault too.
    space.setFault(c.fault);
    if (c.trigger) space.setFault(c.trigger);

    const { job, ms } = await h.generate(PINNED[c.provider]);
    await expectEnd(h, c, job, ms);
    expect(space.requestsTo(c.fault.route).length, 'the fault was met').toBeGreaterThan(0);
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

/** A state of the whole Space (the hub's stage, or its queue), and how it ends. */
interface StateCase {
  name: string;
  apply(space: FakeSpace): void;
  restore(space: FakeSpace): void;
  expect: Outcome;
  statusCode?: string;
  /** Whether the Space got a job (a paused, broken or sleeping one must not). */
  joins: boolean;
  /** Paused and broken Spaces are skipped until the user retries them. */
  skipped: boolean;
}

const stage = (s: SpaceStage, wake?: WakeOptions) => (space: FakeSpace) => space.setStage(s, wake);
const running = (space: FakeSpace) => space.setStage('RUNNING');
const failed = (code: Extract<Outcome, { state: 'failed' }>['code'], message: RegExp): Outcome => ({
  state: 'failed',
  code,
  message,
});

const STATE_CASES: StateCase[] = [
  {
    name: 'PAUSED: refused without a join, skipped until retried',
    apply: stage('PAUSED'),
    restore: running,
    expect: failed(
      'space-paused',
      /^[A-Z][\w -]+ is paused by its author; only they can restart it\. It is skipped until you retry it in Settings\.$/,
    ),
    joins: false,
    skipped: true,
  },
  {
    name: 'RUNTIME_ERROR: broken, skipped until retried',
    apply: stage('RUNTIME_ERROR'),
    restore: running,
    expect: failed(
      'space-broken',
      /^[A-Z][\w -]+ is broken \(RUNTIME_ERROR\)\. It is skipped until you retry it in Settings\.$/,
    ),
    joins: false,
    skipped: true,
  },
  {
    name: 'SLEEPING for good: waited for, then space-asleep',
    apply: stage('SLEEPING'),
    restore: running,
    expect: failed(
      'space-asleep',
      new RegExp(
        `^[A-Z][\\w -]+ did not wake up within ${Math.round(SPACE_STATES.wakeTimeoutMs / 1000)} s\\. Try again later, or another provider\\.$`,
      ),
    ),
    statusCode: 'space-starting',
    joins: false,
    skipped: false,
  },
  {
    name: 'SLEEPING, wakes after two polls: the job waits and is done',
    apply: stage('SLEEPING', { wakeAfterPolls: 2 }),
    restore: () => {},
    expect: { state: 'done' },
    statusCode: 'space-starting',
    joins: true,
    skipped: false,
  },
  {
    name: 'APP_STARTING, running soon: the job waits and is done',
    apply: stage('APP_STARTING', { wakeAfterMs: 100 }),
    restore: () => {},
    expect: { state: 'done' },
    statusCode: 'space-starting',
    joins: true,
    skipped: false,
  },
  {
    name: 'queue stopped: retried with backoff, then busy',
    apply: (space) => space.setQueueStopped(true),
    restore: (space) => space.setQueueStopped(false),
    expect: failed('busy', /^The Space answered HTTP 503 Service Unavailable: Queue is stopped\.$/),
    statusCode: 'busy-retry',
    joins: true,
    skipped: false,
  },
];

async function runStateCase(c: StateCase, protocol: Protocol, version: GradioVersion): Promise<void> {
  const { provider, options } = PROTOCOL_SPACES[protocol];
  const h = await startHarness({ gradioVersion: version, per: { [provider]: options } });
  try {
    const space = h.spaces.spaces[provider];
    c.apply(space);
    const { job, ms } = await h.generate(PINNED[provider]);
    await expectEnd(h, { provider, expect: c.expect, ...(c.statusCode ? { statusCode: c.statusCode } : {}) }, job, ms);
    expect(space.requestsTo('join').length > 0, 'the Space got a job').toBe(c.joins);
    expect(space.jobs.length > 0, 'a job ran on the Space').toBe(c.expect.state === 'done');
    await expectLibraryIntact(h, job.state === 'done' ? 1 : 0);
    const state = (await h.call('models:list')).providers.find((p) => p.id === provider)!.state;
    expect(state.skipped, JSON.stringify(state)).toBe(c.skipped);

    c.restore(space);
    if (c.skipped) {
      // Pinned to a skipped Space: refused at once, in words, with no job started.
      const r = await h.core.router.invoke('jobs:start', { params: PINNED[provider] }, { transport: 'web' });
      expect(r.ok ? 'started' : r.error.code).toBe(job.error!.code);
      expect((await h.call('jobs:list')).jobs).toHaveLength(1);
      const retried = await h.call('providers:retry', { id: provider });
      expect(retried.state).toMatchObject({ health: 'running', stage: 'RUNNING', skipped: false });
    }
    const next = await h.generate(PINNED[provider]);
    expect(next.job.state, next.job.error?.message).toBe('done');
    const saved = (job.state === 'done' ? 1 : 0) + 1;
    await expectLibraryIntact(h, saved);
    await expectHistorySurvivesRestart(h, saved);
  } finally {
    await h.close();
  }
}

/** Faults whose job ends by a timeout (idle or progress): the case is mostly waiting. */
const waitsOut = (f: FaultCase['fault']) => f.kind === 'hang' || f.kind === 'stall' || f.kind === 'heartbeats-only';

/** The table for one protocol, every Gradio version, in a file of its own so the two protocols run in parallel. */
export function describeFaultTable(protocol: Protocol): void {
  let processErrors: ReturnType<typeof trackProcessErrors>;
  beforeAll(() => {
    processErrors = trackProcessErrors();
  });
  afterAll(() => {
    processErrors.stop();
    expect(processErrors.errors, 'unhandled rejections or uncaught exceptions').toEqual([]);
  });
  const { provider } = PROTOCOL_SPACES[protocol];
  describe.each(GRADIO_VERSIONS)(`Gradio %s, ${protocol} API (${provider}, pinned)`, (version) => {
    const cases = faultCases(protocol, version);
    const quick = cases.filter((c) => !waitsOut(c.fault));
    const slow = cases.filter((c) => waitsOut(c.fault));
    describe('one fault', () => {
      it.each(quick.map((c) => [c.name, c] as [string, FaultCase]))('%s', (_name, c) => runFaultCase(c, version));
    });
    // Each harness is its own servers, core and folders: cases that mostly wait for a timer share
    // the time (vitest's maxConcurrency), the quick ones, which use the CPU, run one by one.
    describe.concurrent('one fault that waits out a timeout', () => {
      it.each(slow.map((c) => [c.name, c] as [string, FaultCase]))('%s', (_name, c) => runFaultCase(c, version));
    });
    // Small cases, one of which waits out the wake-up timeout: they share the time too.
    describe.concurrent('the Space as a whole', () => {
      it.each(STATE_CASES.map((c) => [c.name, c] as [string, StateCase]))('%s', (_name, c) =>
        runStateCase(c, protocol, version),
      );
    });
  });
}
