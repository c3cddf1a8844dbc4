/**
 * The Spaces' states and limits end to end through the core's router, against the fake Spaces and
 * their shared Hugging Face hub, for every Gradio version the fake plays: `providers:check` reads
 * each Space's stage, routing skips a paused Space (and `jobs:start` refuses a job pinned to it)
 * until `providers:retry`, `providers:changed` tells the renderer, a sleeping Space is waited for
 * while the job says so, and sizes are checked against the Space's own sliders before anything is
 * sent — and what is saved is what was sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderInfo } from '../../shared/contract';
import type { JobState } from '../../shared/events';
import type { GenerationParamsInput, ProviderId } from '../../shared/params';
import { GRADIO_VERSIONS, type FakeSpaceOptions, type GradioVersion, type RecordedRequest } from '../fake-space';
import { ATTEMPT_BOUND_MS, expectClearError, PINNED, startHarness, type Harness } from '../faults/support';

const DEV: ProviderId = 'bfl-flux1-dev';
const SCHNELL: ProviderId = 'bfl-flux1-schnell';
const VOODOOHOP: ProviderId = 'voodoohop-flux1-schnell';
/** Quick jobs; heartbeats inside the harness's 1 s idle timeout. */
const SPACES: FakeSpaceOptions = {
  timing: { stepMs: 5, queueUpdates: 1, progressSteps: 2, previews: 1, heartbeatMs: 200 },
};

const stateOf = (providers: ProviderInfo[], id: ProviderId) => providers.find((p) => p.id === id)!.state;
/** The `data` of the jobs a Space was sent (queue joins and call POSTs). */
const joinData = (requests: RecordedRequest[]) => requests.map((r) => (r.body as { data: unknown[] }).data);

describe.each(GRADIO_VERSIONS)('Space states through the core (Gradio %s)', (gradioVersion: GradioVersion) => {
  let h: Harness;
  /** The harness this test started (closed after it, also when the test failed). */
  let current: Harness | null = null;
  let changed: ProviderInfo[][] = [];

  const start = async (per: Partial<Record<ProviderId, FakeSpaceOptions>> = {}) => {
    h = current = await startHarness({ gradioVersion, spaces: SPACES, per });
    changed = [];
    h.core.events.subscribe((channel, payload) => {
      if (channel === 'providers:changed') changed.push((payload as { providers: ProviderInfo[] }).providers);
    });
  };
  /** What the user sees of one job: its updates in order. */
  const updatesOf = (job: JobState) => h.updates.filter((u) => u.id === job.id);
  /** One job with exactly these parameters (the harness's `generate` adds a small explicit size). */
  const run = async (params: GenerationParamsInput): Promise<JobState> => {
    const { jobs } = await h.call('jobs:start', { params, count: 1 });
    const job = await h.ended(jobs[0]!.id, ATTEMPT_BOUND_MS);
    await h.core.jobs.idle();
    return job;
  };
  const refusal = async (params: unknown) => {
    const r = await h.core.router.invoke('jobs:start', { params }, { transport: 'web' });
    return r.ok ? null : r.error;
  };

  afterEach(async () => {
    const done = current;
    current = null;
    await done?.close();
  });

  it('providers:check reports each Space’s stage from the hub, and changes as events', async () => {
    await start();
    h.spaces.spaces[SCHNELL].setStage('SLEEPING');
    h.spaces.spaces[VOODOOHOP].setStage('PAUSED');

    const { providers } = await h.call('providers:check');
    expect(stateOf(providers, DEV)).toMatchObject({ health: 'running', stage: 'RUNNING', skipped: false });
    expect(stateOf(providers, SCHNELL)).toMatchObject({ health: 'sleeping', stage: 'SLEEPING', skipped: false });
    expect(stateOf(providers, VOODOOHOP)).toMatchObject({ health: 'paused', stage: 'PAUSED', skipped: true });
    // Every Space was asked about; Inference Providers are no Space and have no state to read.
    for (const p of providers) {
      if (p.kind === 'inference') expect(p.state.checkedAt, p.id).toBeNull();
      else expect(p.state.checkedAt, p.id).not.toBeNull();
    }
    // Asked of the hub only: a check does not visit (and so wake) a sleeping Space.
    expect(h.spaces.hub.stage('black-forest-labs/FLUX.1-schnell')).toBe('SLEEPING');
    expect(h.spaces.spaces[SCHNELL].requests.filter((r) => r.route !== 'hub')).toEqual([]);
    // models:list tells the same without asking again.
    expect(stateOf((await h.call('models:list')).providers, VOODOOHOP)).toMatchObject({ health: 'paused' });

    // Every change was announced; the last announcement is the state now.
    expect(changed.length).toBeGreaterThan(0);
    const last = changed.at(-1)!;
    expect(stateOf(last, SCHNELL).health).toBe('sleeping');
    expect(stateOf(last, VOODOOHOP)).toMatchObject({ health: 'paused', skipped: true });

    // Nothing changed: no announcement.
    const before = changed.length;
    await h.call('providers:check');
    expect(changed).toHaveLength(before);

    // A crashed Space is broken, and skipped like a paused one.
    h.spaces.spaces[VOODOOHOP].setStage('RUNTIME_ERROR');
    const again = await h.call('providers:check');
    expect(stateOf(again.providers, VOODOOHOP)).toMatchObject({
      health: 'broken',
      stage: 'RUNTIME_ERROR',
      skipped: true,
    });
    expect(changed.length).toBeGreaterThan(before);
    expect(stateOf(changed.at(-1)!, VOODOOHOP).health).toBe('broken');
  });

  it('a paused Dev Space: `flux` falls back without joining it, a pinned job is refused, retry makes it usable', async () => {
    await start();
    const dev = h.spaces.spaces[DEV];
    dev.setStage('PAUSED');

    const { job } = await h.generate({ prompt: 'paused dev', model: 'flux' });
    expect(job.state, job.error?.message).toBe('done');
    expect(job.providerId).not.toBe(DEV);
    expect(job.failedProviders).toHaveLength(1);
    expect(job.failedProviders[0]).toMatchObject({ providerId: DEV, error: { code: 'space-paused' } });
    expectClearError(job.failedProviders[0]!.error);
    expect(dev.requestsTo('join')).toEqual([]);
    expect(dev.jobs).toEqual([]);
    expect(stateOf(changed.at(-1)!, DEV)).toMatchObject({ health: 'paused', stage: 'PAUSED', skipped: true });

    // Pinned to it: refused at jobs:start, in words, and no job is made.
    const refused = await refusal(PINNED[DEV]);
    expect(refused?.code).toBe('space-paused');
    expectClearError(refused);
    expect(refused.message).toMatch(/paused by its author/);
    expect((await h.call('jobs:list')).jobs.map((j) => j.id)).toEqual([job.id]);

    // The author restarts it; retrying reads the hub again and routing uses it again.
    dev.setStage('RUNNING');
    const seen = changed.length;
    const retried = await h.call('providers:retry', { id: DEV });
    expect(retried.id).toBe(DEV);
    expect(retried.state).toMatchObject({ health: 'running', stage: 'RUNNING', skipped: false });
    expect(changed.length).toBeGreaterThan(seen);
    expect(stateOf(changed.at(-1)!, DEV)).toMatchObject({ health: 'running', skipped: false });

    const next = await h.generate(PINNED[DEV]);
    expect(next.job.state, next.job.error?.message).toBe('done');
    expect(next.job.providerId).toBe(DEV);
    expect(dev.jobs).toHaveLength(1);
  });

  it('a pinned job on a paused Space no one has looked at yet fails space-paused without a join', async () => {
    await start();
    const dev = h.spaces.spaces[DEV];
    dev.setStage('PAUSED');
    const { job } = await h.generate(PINNED[DEV]);
    expect(job.state).toBe('failed');
    expect(job.error?.code).toBe('space-paused');
    expectClearError(job.error);
    expect(dev.requestsTo('join')).toEqual([]);
    // Now known: the next pinned job is refused before it starts.
    expect((await refusal(PINNED[DEV]))?.code).toBe('space-paused');
  });

  it('a sleeping Space is woken and waited for: the job says so, then is done', async () => {
    await start();
    const dev = h.spaces.spaces[DEV];
    dev.setStage('SLEEPING', { wakeAfterPolls: 2 });

    const { job } = await h.generate(PINNED[DEV]);
    expect(job.state, job.error?.message).toBe('done');
    const codes = updatesOf(job)
      .map((u) => u.status?.code ?? null)
      .filter((c, i, all) => c !== null && c !== all[i - 1]);
    expect(codes).toContain('space-starting');
    expect(codes).toContain('sent');
    expect(codes.indexOf('space-starting')).toBeLessThan(codes.indexOf('sent'));
    const starting = updatesOf(job).find((u) => u.status?.code === 'space-starting')!;
    expect(starting.status?.params).toMatchObject({ stage: 'SLEEPING' });

    expect(h.spaces.hub.stage(dev.spaceId)).toBe('RUNNING');
    // Nothing was sent before it was up; the one job it ran is ours.
    expect(dev.jobs).toHaveLength(1);
    // The core saw it sleeping, then running.
    const healths = changed.map((p) => stateOf(p, DEV).health);
    expect(healths).toContain('sleeping');
    expect(healths.at(-1)).toBe('running');
  });

  it('an explicit size outside the Space’s sliders fails the job, naming the limits, before anything is sent', async () => {
    // This Space's /config declares narrower sliders than the FLUX default 256–2048.
    await start({ [DEV]: { sliders: { width: { maximum: 1536 }, height: { maximum: 1536 } } } });
    const dev = h.spaces.spaces[DEV];

    const job = await run({ ...PINNED[DEV], width: 1600, height: 1024 });
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'invalid-argument', providerId: DEV });
    expectClearError(job.error);
    expect(job.error.message).toBe('Width 1600 is outside what BlackForestLabs Flux-1-Dev accepts (256–1536).');
    expect(dev.requestsTo('join')).toEqual([]);
    expect(dev.jobs).toEqual([]);
    // The core now knows the Space's limits, for the panel.
    const info = (await h.call('models:list')).providers.find((p) => p.id === DEV)!;
    expect(info.sizeLimits).toEqual({ min: 256, max: 1536, step: 32 });

    // Below the minimum too, on a Space with the FLUX sliders (256–2048).
    const schnell = h.spaces.spaces[VOODOOHOP];
    const small = await run({ ...PINNED[VOODOOHOP], width: 1024, height: 128 });
    expect(small).toMatchObject({ state: 'failed' });
    expect(small.error).toMatchObject({
      code: 'invalid-argument',
      message: 'Height 128 is outside what Voodoohop Flux-1-Schnell accepts (256–2048).',
    });
    expect(schnell.requestsTo('join')).toEqual([]);
  });

  it.each([
    ['the default sliders', {}, [1024, 672]],
    [
      'sliders of step 64, up to 1536',
      { width: { maximum: 1536, step: 64 }, height: { maximum: 1536, step: 64 } },
      [1024, 640],
    ],
  ] as const)(
    'the saved entry’s size is what went on the wire for a 3:2 preset (%s)',
    async (_name, sliders, [width, height]) => {
      await start({ [DEV]: { sliders } });
      const dev = h.spaces.spaces[DEV];

      const job = await run({ prompt: 'three by two', model: 'flux-dev', aspectRatio: '3:2', steps: 2 });
      expect(job.state, job.error?.message).toBe('done');
      const [data] = joinData(dev.requestsTo('join'));
      // Dev's layout: prompt, seed, randomize_seed, width, height, guidance_scale, num_inference_steps.
      const wire = [data![3], data![4]];
      expect(wire).toEqual([width, height]);
      const entry = await h.call('history:get', { id: job.entryId });
      expect([entry.params.width, entry.params.height]).toEqual(wire);
      expect([entry.width, entry.height]).toEqual(wire);
    },
  );
});
