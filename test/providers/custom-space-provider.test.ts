/**
 * A saved Space as a provider, over real HTTP against the strict fake Space on every Gradio version
 * mode: inspect it, save the endpoint as the app would, generate, and check what went on the wire
 * (`queue/join` bodies), what came back (image, Gallery's other images, seed), and what is refused
 * before anything is sent (extras and sizes outside the Space's inputs).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createCustomSpaceProvider } from '../../main/providers/custom-space/custom-space-provider';
import { inspectSpace } from '../../main/providers/custom-space/inspect';
import type { ProviderContext } from '../../main/providers/types';
import type { ProviderEvent } from '../../shared/events';
import type { GenerationParamsInput } from '../../shared/params';
import { DEFAULT_SIZE_LIMITS } from '../../shared/sizes';
import { SavedSpaceSchema, type SavedSpace, type SpaceInspection } from '../../shared/spaces';
import {
  GRADIO_VERSIONS,
  RULES,
  startFakeSpace,
  type FakeSpace,
  type FakeSpaceOptions,
  type GradioVersion,
} from '../fake-space';
import { collect, ctx, params } from './helpers';

const spaces: FakeSpace[] = [];
afterEach(async () => {
  await Promise.all(spaces.splice(0).map((s) => s.close()));
});

async function space(o: FakeSpaceOptions = {}): Promise<FakeSpace> {
  const s = await startFakeSpace({
    ...o,
    timing: { stepMs: 1, heartbeatMs: 50, queueUpdates: 1, progressSteps: 2, previews: 1, ...o.timing },
  });
  spaces.push(s);
  return s;
}

const inspect = (input: string, s: FakeSpace) => inspectSpace(input, { hfUrl: s.url, idleTimeoutMs: 2000 });

/** What `spaces:add` saves: the inspected endpoint as proposed. */
function save(r: SpaceInspection, n = 0, o: Partial<SavedSpace> = {}): SavedSpace {
  return SavedSpaceSchema.parse({
    id: r.providerId,
    label: r.label,
    baseUrl: r.baseUrl,
    spaceId: r.spaceId,
    endpoint: r.endpoints[n],
    aliases: ['flux'],
    addedAt: 0,
    ...o,
  });
}

async function savedSpace(s: FakeSpace, n = 0, input = s.url): Promise<SavedSpace> {
  return save(await inspect(input, s), n);
}

const run = (
  saved: SavedSpace,
  s: FakeSpace,
  p: Partial<GenerationParamsInput> = {},
  c: Partial<ProviderContext> = {},
) => collect(createCustomSpaceProvider(saved).generate(params(p), ctx(s.url, c)));

const joinBody = (s: FakeSpace, i = 0) => s.requestsTo('join')[i]!.body as Record<string, unknown>;
const imageOf = (events: ProviderEvent[]) => {
  const last = events.at(-1);
  if (last?.type !== 'image') throw new Error(`no image: ${JSON.stringify(last)}`);
  return last;
};

describe.each(GRADIO_VERSIONS)('a saved Space on Gradio %s', (version: GradioVersion) => {
  const prefix = RULES[version].apiPrefix;
  const fake = (o: FakeSpaceOptions) => space({ gradioVersion: version, ...o });

  it('FLUX.1-dev saved: the same wire as the built-in provider, through the queue API by name', async () => {
    const s = await fake({ layout: 'dev' });
    const { events, error } = await run(await savedSpace(s), s, { seed: 77, randomizeSeed: false });
    expect(error).toBeNull();
    expect(s.requestsTo('join')[0]!.path).toBe(`${prefix}/queue/join`);
    expect(joinBody(s)).toMatchObject({ fn_index: 2, trigger_id: 4 });
    expect(joinBody(s).data).toEqual(['a red fox', 77, false, 1024, 1024, 3.5, 28]);
    expect(events.map((e) => e.type)).toContain('progress');
    expect(imageOf(events)).toMatchObject({
      seed: 77,
      resolved: { width: 1024, height: 1024, steps: 28, guidance: 3.5 },
    });
    expect(imageOf(events).moreUrls).toBeUndefined();
  });

  it('FLUX.1-schnell saved: the Space’s own defaults (1024², 4 steps); the seed it reports', async () => {
    const s = await fake({ layout: 'schnell' });
    const { events, error } = await run(await savedSpace(s), s);
    expect(error).toBeNull();
    const data = joinBody(s).data as unknown[];
    expect(data).toEqual(['a red fox', 0, true, 1024, 1024, 4]);
    expect(imageOf(events).seed).toBe(s.jobs[0]!.seed);
  });

  it('sd: negative prompt, extras and a seed the app picks (nothing on the Space randomises)', async () => {
    const s = await fake({ layout: 'sd' });
    const saved = await savedSpace(s);
    const { events, error } = await run(saved, s, {
      negativePrompt: 'blurry',
      extras: { scheduler: 'DDIM', upscale: true },
      aspectRatio: '16:9',
    });
    expect(error).toBeNull();
    const data = joinBody(s).data as unknown[];
    const seed = data[6] as number;
    expect(Number.isInteger(seed) && seed >= 0 && seed <= 2147483647).toBe(true);
    // 16:9 at the Space's 1024 long side, on its 64 grid.
    expect(data).toEqual(['a red fox', 'blurry', 7, 30, 1024, 576, seed, 'DDIM', true]);
    const image = imageOf(events);
    expect(image.seed).toBe(seed);
    expect(s.jobs[0]!.seed).toBe(seed);
    expect(image.resolved).toMatchObject({
      seed,
      randomizeSeed: false,
      negativePrompt: 'blurry',
      extras: { scheduler: 'DDIM', upscale: true },
      steps: 30,
    });
  });

  it('sd: a fixed seed is sent as is; extras left alone keep the Space’s defaults', async () => {
    const s = await fake({ layout: 'sd' });
    const { error } = await run(await savedSpace(s), s, { seed: 1234, randomizeSeed: false, guidance: 7.5, steps: 20 });
    expect(error).toBeNull();
    expect(joinBody(s).data).toEqual(['a red fox', '', 7.5, 20, 1024, 1024, 1234, 'Euler a', false]);
  });

  it('gallery: every image of the Gallery comes back (url + moreUrls), the seed from its Number output', async () => {
    const s = await fake({ layout: 'gallery' });
    const { events, error } = await run(await savedSpace(s), s, { extras: { num_images: 3 } });
    expect(error).toBeNull();
    expect(joinBody(s).data).toEqual(['a red fox', 3, 0, true]);
    const image = imageOf(events);
    expect(image.moreUrls).toHaveLength(2);
    const urls = [image.url, ...image.moreUrls!];
    expect(new Set(urls).size).toBe(3);
    for (const u of urls) expect(u.startsWith(`${s.url}${prefix}/file=`)).toBe(true);
    expect(image.seed).toBe(s.jobs[0]!.seed);
  });

  it('two endpoints: the second one saved is called by its own name and fn_index', async () => {
    const s = await fake({ layout: 'two-endpoints' });
    const { error } = await run(await savedSpace(s, 1), s, { width: 640, height: 512 });
    expect(error).toBeNull();
    expect(joinBody(s)).toMatchObject({ fn_index: 1, data: ['a red fox', '', 640, 512, 28] });
  });

  it('an endpoint without a name goes by fn_index through the queue API, with /config and without', async () => {
    const s = await fake({ layout: 'two-endpoints' });
    const saved = await savedSpace(s, 1);
    const unnamed = { ...saved, endpoint: { ...saved.endpoint, apiName: null } };
    expect((await run(unnamed, s)).error).toBeNull();
    expect(s.requestsTo('join')[0]!.path).toBe(`${prefix}/queue/join`);
    const trigger = joinBody(s).trigger_id;
    expect(joinBody(s)).toMatchObject({ fn_index: 1, data: ['a red fox', '', 1024, 1024, 28] });
    expect(typeof trigger).toBe('number');

    const t = await fake({ layout: 'two-endpoints', serveConfig: false });
    const again = await run({ ...unnamed, baseUrl: t.url }, t);
    expect(again.error).toBeNull();
    expect(t.requestsTo('join')[0]!.path).toBe(`${prefix}/queue/join`);
    expect(joinBody(t)).toMatchObject({ fn_index: 1, trigger_id: null });
  });

  it('a named endpoint without /config goes through the call API', async () => {
    const s = await fake({ layout: 'sd' });
    const saved = await savedSpace(s);
    const t = await fake({ layout: 'sd', serveConfig: false });
    const { events, error } = await run({ ...saved, baseUrl: t.url }, t, { extras: { scheduler: 'DPM++ 2M' } });
    expect(error).toBeNull();
    expect(t.requestsTo('join')[0]!.path).toBe(`${prefix}/call/generate`);
    expect((joinBody(t).data as unknown[])[7]).toBe('DPM++ 2M');
    expect(imageOf(events).seed).toBe((joinBody(t).data as unknown[])[6]);
  });

  it('extras and sizes outside the Space’s inputs are refused in words before anything is sent', async () => {
    const s = await fake({ layout: 'sd' });
    const saved = await savedSpace(s);
    const refusal = async (p: Partial<GenerationParamsInput>) => {
      const { error } = await run(saved, s, p);
      expect(error?.code).toBe('invalid-argument');
      return error!.message;
    };
    expect(await refusal({ extras: { scheduler: 'Karras' } })).toMatch(
      /^Scheduler must be one of its choices \(Euler a, DPM\+\+ 2M, DDIM\); got "Karras"\.$/,
    );
    expect(await refusal({ extras: { upscale: 'yes' } })).toMatch(/^Upscale takes true or false\.$/);
    expect(await refusal({ guidance: 12, steps: 20, width: 2048 })).toMatch(/Width 2048 .*\(256–1536\)/);
    // Pinned to this Space: a name it does not have is a mistake, said with the names it has.
    expect(await refusal({ provider: saved.id, extras: { sampler: 'x' } })).toMatch(
      /has no input called "sampler" \(its own inputs: scheduler, upscale\)/,
    );
    expect(await refusal({ provider: saved.id, extras: { seed: 3 } })).toMatch(
      /Seed is set by the app's own seed control/,
    );
    expect(s.requestsTo('join')).toHaveLength(0);
    // Routed by alias, another provider's extras are ignored.
    const { error } = await run(saved, s, { extras: { sampler: 'x' } });
    expect(error).toBeNull();
    expect(joinBody(s).data).toHaveLength(9);
  });

  it('gallery: a slider extra outside its range is refused', async () => {
    const s = await fake({ layout: 'gallery' });
    const { error } = await run(await savedSpace(s), s, { extras: { num_images: 5 } });
    expect(error).toMatchObject({
      code: 'invalid-argument',
      message: 'Number of images must be between 1 and 4 (got 5).',
    });
  });
});

describe('a saved Space: around the call', () => {
  it('info: kind space, its own defaults, negative prompt, guidance and extra inputs', async () => {
    const s = await space({ layout: 'sd' });
    const saved = await savedSpace(s);
    const p = createCustomSpaceProvider(saved);
    expect(p.kind).toBe('space');
    expect(p.spaceId).toBeNull();
    const info = p.info(saved.baseUrl);
    expect(info).toMatchObject({
      id: saved.id,
      kind: 'space',
      supportsNegativePrompt: true,
      supportsGuidance: true,
      costs: false,
      defaults: { width: 1024, height: 1024, steps: 30, guidance: 7 },
      aliases: ['flux'],
    });
    expect(info.extraInputs.map((i) => i.key)).toEqual(['scheduler', 'upscale']);
    expect(info.sizeLimits).toEqual({ min: 256, max: 1536, step: 64 });
    // Before /config is read (the core's states still hold the FLUX defaults), the saved inputs bound the size.
    const state = { health: 'unknown', stage: null, checkedAt: null, skipped: false } as const;
    expect(p.info(saved.baseUrl, { sizeLimits: DEFAULT_SIZE_LIMITS, state }).sizeLimits).toEqual({
      min: 256,
      max: 1536,
      step: 64,
    });
    expect(() => p.resolve(params({ width: 1600 }))).toThrow(/256–1536/);
    expect(() => p.resolve(params({ width: 1600 }), DEFAULT_SIZE_LIMITS)).toThrow(/256–1536/);
    // Limits a /config gave are used as given.
    expect(p.resolve(params({ width: 1600 }), { min: 256, max: 2048, step: 32 }).width).toBe(1600);
    expect(p.resolve(params({ width: 1000, height: 300 }))).toMatchObject({ width: 960, height: 256 });
  });

  it('a local app: no Hub look-up; a Space on Hugging Face: its state is read first', async () => {
    const s = await space({ layout: 'sd' });
    expect((await run(await savedSpace(s), s)).error).toBeNull();
    expect(s.requestsTo('hub')).toHaveLength(0);
    const t = await space({ layout: 'sd' });
    const onHub = await savedSpace(t, 0, 'fake-org/stable-diffusion');
    expect(onHub.spaceId).toBe('fake-org/stable-diffusion');
    const hubBefore = t.requestsTo('hub').length;
    expect((await run(onHub, t)).error).toBeNull();
    expect(t.requestsTo('hub').length).toBe(hubBefore + 1);
    t.setStage('PAUSED');
    const c = ctx(t.url);
    const paused = await collect(createCustomSpaceProvider(onHub).generate(params(), c));
    expect(paused.error).toMatchObject({ code: 'space-paused' });
  });

  it('the user’s token goes as X-HF-Authorization, on /config and the join', async () => {
    const s = await space({ layout: 'gallery' });
    const saved = await savedSpace(s);
    const { error } = await run(saved, s, {}, { hfToken: 'hf_abc' });
    expect(error).toBeNull();
    expect(s.requestsTo('config').at(-1)!.headers['x-hf-authorization']).toBe('Bearer hf_abc');
    expect(s.requestsTo('join')[0]!.headers['x-hf-authorization']).toBe('Bearer hf_abc');
  });

  it('a Space whose endpoint changed since it was saved is told so, nothing is sent', async () => {
    const s = await space({ layout: 'sd' });
    const saved = await savedSpace(s);
    const extra = { ...saved.endpoint.inputs[8]!, index: 9, key: 'extra_input' };
    const changed = { ...saved, endpoint: { ...saved.endpoint, inputs: [...saved.endpoint.inputs, extra] } };
    const { error } = await run(changed, s);
    expect(error?.code).toBe('no-text-to-image');
    expect(error?.message).toMatch(/has changed since it was added \(9 inputs and 1 outputs, not 10 and 1\)/);
    const gone = { ...saved, endpoint: { ...saved.endpoint, apiName: 'generate_v2' } };
    expect((await run(gone, s)).error?.message).toMatch(/no longer has the endpoint \/generate_v2/);
    expect(s.requestsTo('join')).toHaveLength(0);
  });

  it('a mapping the user changed: a parameter mapped onto a dropdown must be one of its choices', async () => {
    const s = await space({ layout: 'sd' });
    const saved = await savedSpace(s);
    // The user says the scheduler dropdown is the "steps" and drops the real steps input.
    const mapping = saved.endpoint.mapping.filter((m) => m.param !== 'steps').concat({ index: 7, param: 'steps' });
    const odd = SavedSpaceSchema.parse({ ...saved, endpoint: { ...saved.endpoint, mapping } });
    const { error } = await run(odd, s, { steps: 4 });
    expect(error).toMatchObject({ code: 'invalid-argument' });
    expect(error!.message).toMatch(/^Scheduler must be one of its choices/);
  });
});
