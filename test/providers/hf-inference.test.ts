/**
 * The Inference Providers provider over real HTTP against the fake router, Hub and CDN
 * (test/fake-inference): auto and named providers, what goes on the wire, every error code,
 * cancel, where the token goes, size limits and answers that are not images.
 */
import { createServer } from 'node:net';
import sharp from 'sharp';
import { ProxyAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderEvent } from '../../shared/events';
import {
  INFERENCE_DEFAULT_MODELS,
  INFERENCE_DEFAULT_PROVIDERS,
  INFERENCE_SIZE_LIMITS,
  createInferenceProvider,
  imageKind,
} from '../../main/providers/hf-inference';
import type { ProviderContext } from '../../main/providers/types';
import {
  FAKE_BROKE_TOKEN,
  FAKE_READ_TOKEN,
  FAKE_TOKEN,
  startFakeInference,
  type FakeInference,
  type FakeInferenceOptions,
} from '../fake-inference';
import { startTestProxy } from '../helpers/proxy';
import { collect, ctx as baseCtx, params } from './helpers';

const SCHNELL = 'black-forest-labs/FLUX.1-schnell';
const DEV = 'black-forest-labs/FLUX.1-dev';
const schnell = createInferenceProvider(SCHNELL, { aliases: ['flux-schnell', 'flux'], pollMs: 10 });
const dev = createInferenceProvider(DEV, { aliases: ['flux-dev', 'flux'], pollMs: 10 });

let fake: FakeInference;
const fakes: FakeInference[] = [];
async function start(o: FakeInferenceOptions = {}): Promise<FakeInference> {
  const f = await startFakeInference(o);
  fakes.push(f);
  return f;
}
beforeEach(async () => {
  fake = await start();
});
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

/** A job's context on the fake: the router as base URL, the Hub as hfUrl, the token for both. */
const ctx = (c: Partial<ProviderContext> = {}, f: FakeInference = fake): ProviderContext =>
  baseCtx(f.routerUrl, { hfUrl: f.hubUrl, hfToken: FAKE_TOKEN, inferenceProvider: 'auto', ...c });

type ImageEvent = Extract<ProviderEvent, { type: 'image' }>;
const imageOf = (events: ProviderEvent[]): ImageEvent => {
  const last = events.at(-1);
  if (last?.type !== 'image') throw new Error(`no image: ${JSON.stringify(events)}`);
  return last;
};

describe('hf-inference provider: success', () => {
  it('auto picks the first live text-to-image provider (hf-inference) and sends the parameters', async () => {
    const { events, error } = await collect(
      schnell.generate(
        params({
          prompt: 'a red fox',
          width: 768,
          height: 512,
          steps: 3,
          guidance: 4.5,
          seed: 1234,
          randomizeSeed: false,
        }),
        ctx(),
      ),
    );
    expect(error).toBeNull();
    expect(events.map((e) => e.type)).toEqual(['status', 'image']);
    expect(events[0]).toEqual({ type: 'status', status: { code: 'sent' } });
    const img = imageOf(events);
    expect(img.url).toBe(`${fake.routerUrl}/hf-inference/models/${SCHNELL}`);
    expect(img.seed).toBe(1234);
    expect(img.resolved).toMatchObject({
      prompt: 'a red fox',
      width: 768,
      height: 512,
      steps: 3,
      guidance: 4.5,
      seed: 1234,
      randomizeSeed: false,
      servedBy: 'hf-inference',
    });
    expect(imageKind(img.bytes!)).toBe('jpeg');
    expect(await sharp(img.bytes!).metadata()).toMatchObject({ format: 'jpeg', width: 768, height: 512 });

    const [mapping] = fake.requestsTo('mapping');
    expect(mapping!.path).toBe(`/api/models/${SCHNELL}?expand[]=inferenceProviderMapping`);
    expect(mapping!.headers.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
    const [sent] = fake.requestsTo('hf-inference');
    expect(sent!.path).toBe(`/hf-inference/models/${SCHNELL}`);
    expect(sent!.headers.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
    expect(sent!.headers['content-type']).toBe('application/json');
    expect(sent!.headers['user-agent']).toMatch(/^@huggingface\/inference\/4\./);
    expect(sent!.json).toEqual({
      inputs: 'a red fox',
      parameters: { width: 768, height: 512, num_inference_steps: 3, guidance_scale: 4.5, seed: 1234 },
    });
  });

  it('uses the model defaults: Schnell 4 steps, Dev 28, guidance 3.5, 1024×1024', async () => {
    await collect(schnell.generate(params({ randomizeSeed: false }), ctx({ inferenceProvider: 'hf-inference' })));
    await collect(dev.generate(params({ randomizeSeed: false }), ctx({ inferenceProvider: 'hf-inference' })));
    const [a, b] = fake.requestsTo('hf-inference');
    expect(a!.json).toMatchObject({
      parameters: { width: 1024, height: 1024, num_inference_steps: 4, guidance_scale: 3.5 },
    });
    expect(b!.json).toMatchObject({ parameters: { width: 1024, height: 1024, num_inference_steps: 28 } });
  });

  it('a named provider: fal-ai through its queue, image from the CDN without the token', async () => {
    const { events, error } = await collect(
      dev.generate(
        params({ width: 640, height: 384, steps: 20, seed: 77, randomizeSeed: false }),
        ctx({ inferenceProvider: 'fal-ai' }),
      ),
    );
    expect(error).toBeNull();
    expect(events.map((e) => e.type)).toEqual(['status', 'queue', 'queue', 'status', 'image']);
    expect(events[1]).toEqual({ type: 'queue', position: 1, size: null, eta: null });
    expect(events[2]).toEqual({ type: 'queue', position: 0, size: null, eta: null });
    expect(events[3]).toEqual({ type: 'status', status: { code: 'generating' } });
    const img = imageOf(events);
    expect(img.url).toBe(`${fake.routerUrl}/fal-ai/models/${DEV}`);
    expect(img.resolved).toMatchObject({ servedBy: 'fal-ai', width: 640, height: 384, steps: 20, seed: 77 });
    expect(await sharp(img.bytes!).metadata()).toMatchObject({ format: 'jpeg', width: 640, height: 384 });

    const [submit] = fake.requestsTo('fal-ai');
    expect(submit!.method).toBe('POST');
    expect(submit!.path).toBe('/fal-ai/fal-ai/flux/dev?_subdomain=queue');
    expect(submit!.json).toEqual({
      prompt: 'a red fox',
      image_size: { width: 640, height: 384 },
      num_inference_steps: 20,
      guidance_scale: 3.5,
      seed: 77,
    });
    const polls = fake.requestsTo('fal-status');
    expect(polls).toHaveLength(3);
    expect(polls[0]!.path).toMatch(/^\/fal-ai\/fal-ai\/flux\/requests\/[\w-]+\/status\?_subdomain=queue$/);
    const [result] = fake.requestsTo('fal-result');
    expect(result!.path).toMatch(/^\/fal-ai\/fal-ai\/flux\/requests\/[\w-]+\?_subdomain=queue$/);
    for (const r of [...polls, result!]) expect(r.headers.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
    const [file] = fake.requestsTo('cdn');
    expect(file!.headers.authorization).toBeUndefined();
  });

  it('together (base64 in JSON) and replicate (an output URL)', async () => {
    const t = await collect(
      schnell.generate(
        params({ width: 512, height: 512, seed: 5, randomizeSeed: false }),
        ctx({ inferenceProvider: 'together' }),
      ),
    );
    expect(t.error).toBeNull();
    expect(imageOf(t.events).resolved?.servedBy).toBe('together');
    expect(await sharp(imageOf(t.events).bytes!).metadata()).toMatchObject({ format: 'png', width: 512, height: 512 });
    expect(fake.requestsTo('together')[0]!.json).toEqual({
      prompt: 'a red fox',
      model: SCHNELL,
      width: 512,
      height: 512,
      steps: 4,
      guidance_scale: 3.5,
      seed: 5,
      response_format: 'base64',
    });

    const r = await collect(
      dev.generate(params({ seed: 9, randomizeSeed: false }), ctx({ inferenceProvider: 'replicate' })),
    );
    expect(r.error).toBeNull();
    expect(imageOf(r.events).resolved?.servedBy).toBe('replicate');
    expect(imageKind(imageOf(r.events).bytes!)).toBe('png');
    const [pred] = fake.requestsTo('replicate');
    expect(pred!.path).toBe('/replicate/v1/models/black-forest-labs/flux-dev/predictions');
    expect(pred!.headers.prefer).toBe('wait');
    expect(pred!.json).toMatchObject({ input: { prompt: 'a red fox', seed: 9, num_inference_steps: 28 } });
    expect(fake.requestsTo('cdn')[0]!.headers.authorization).toBeUndefined();
  });

  it('auto skips other tasks, staging entries and providers the app cannot read; the object-shaped mapping works too', async () => {
    const f = await start({
      mappingShape: 'object',
      models: {
        'acme/painter': [
          { provider: 'wavespeed', providerId: 'acme/painter' },
          { provider: 'fal-ai', providerId: 'acme/painter-fal', status: 'staging' },
          { provider: 'together', providerId: 'acme/painter-chat', task: 'conversational' },
          { provider: 'hf-inference', providerId: 'acme/painter' },
        ],
      },
    });
    const painter = createInferenceProvider('acme/painter');
    const { events, error } = await collect(painter.generate(params(), ctx({}, f)));
    expect(error).toBeNull();
    expect(imageOf(events).resolved?.servedBy).toBe('hf-inference');
    expect(imageOf(events).resolved?.steps).toBe(28);
  });

  it('records the seed it sent: a random one when asked, else the given one', async () => {
    const a = imageOf((await collect(schnell.generate(params({ randomizeSeed: true, seed: 3 }), ctx()))).events);
    const b = imageOf((await collect(schnell.generate(params({ randomizeSeed: true, seed: 3 }), ctx()))).events);
    const sent = fake
      .requestsTo('hf-inference')
      .map((r) => (r.json as { parameters: { seed: number } }).parameters.seed);
    expect(sent).toEqual([a.seed, b.seed]);
    expect(a.resolved?.seed).toBe(a.seed);
    expect(a.resolved?.randomizeSeed).toBe(true);
    expect(a.seed).not.toBe(b.seed);
    for (const s of sent) expect(s).toBeGreaterThanOrEqual(0);
  });

  it('goes through the proxy agent for the router, the Hub and the CDN', async () => {
    const proxy = await startTestProxy();
    const agent = new ProxyAgent(proxy.url);
    try {
      const { error } = await collect(dev.generate(params(), ctx({ inferenceProvider: 'fal-ai', dispatcher: agent })));
      expect(error).toBeNull();
      const hosts = [fake.routerUrl, fake.hubUrl, fake.cdnUrl].map((u) => new URL(u).host);
      for (const h of hosts) expect(proxy.tunnels.some((t) => t.includes(h))).toBe(true);
    } finally {
      await agent.close();
      await proxy.close();
    }
  });
});

describe('hf-inference provider: where the token goes', () => {
  it('without a token: token-missing, nothing sent', async () => {
    const { events, error } = await collect(schnell.generate(params(), ctx({ hfToken: null, spaceToken: null })));
    expect(events).toEqual([]);
    expect(error).toMatchObject({
      code: 'token-missing',
      message: 'Inference Providers need a Hugging Face token: add one in Settings.',
      providerId: `hf-inference:${SCHNELL}`,
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('a token that may not go to the router: token-missing, said so', async () => {
    const { error } = await collect(schnell.generate(params(), ctx({ hfToken: FAKE_TOKEN, spaceToken: null })));
    expect(error).toMatchObject({ code: 'token-missing' });
    expect(error!.message).toContain(new URL(fake.routerUrl).origin);
    expect(fake.requests).toHaveLength(0);
  });

  it('a token for the router only: the Hub is asked without it; the CDN never gets it', async () => {
    const { error } = await collect(
      dev.generate(params(), ctx({ hfToken: null, spaceToken: FAKE_TOKEN, inferenceProvider: 'fal-ai' })),
    );
    expect(error).toBeNull();
    expect(fake.requestsTo('mapping')[0]!.headers.authorization).toBeUndefined();
    for (const r of fake.requests) {
      if (r.server === 'router') expect(r.headers.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
      else expect(r.headers.authorization).toBeUndefined();
    }
  });
});

describe('hf-inference provider: errors in words', () => {
  const run = async (c: Partial<ProviderContext> = {}, p = params(), provider = schnell) => {
    const { events, error } = await collect(provider.generate(p, ctx(c)));
    expect(error, JSON.stringify(events)).not.toBeNull();
    expect(error!.providerId).toBe(provider.id);
    expect(error!.message).not.toContain(FAKE_TOKEN);
    expect(error!.message).not.toMatch(/<[a-z!]/i);
    return error!;
  };

  it('401 unknown token → token-refused (on the Hub and on the router)', async () => {
    expect(await run({ hfToken: 'hf_notAValidToken999' })).toMatchObject({ code: 'token-refused', status: 401 });
    expect(await run({ hfToken: null, spaceToken: 'hf_notAValidToken999' })).toMatchObject({
      code: 'token-refused',
      status: 401,
    });
  });

  it('403 without the Inference Providers permission → token-permission', async () => {
    const e = await run({ hfToken: FAKE_READ_TOKEN });
    expect(e).toMatchObject({ code: 'token-permission', status: 403 });
    expect(e.message).toContain('Make calls to Inference Providers');
  });

  it('402 credits used up → out-of-credits', async () => {
    const e = await run({ hfToken: FAKE_BROKE_TOKEN });
    expect(e).toMatchObject({ code: 'out-of-credits', status: 402 });
    expect(e.message).toContain('exceeded your monthly included credits');
  });

  it('model-not-served: unknown model, no provider, provider not serving, other task, router 404', async () => {
    const nobody = createInferenceProvider('acme/nothing');
    expect(await run({}, params(), nobody)).toMatchObject({ code: 'model-not-served', status: 404 });
    fake.setModel('acme/nothing', []);
    expect(await run({}, params(), nobody)).toMatchObject({
      code: 'model-not-served',
      message: 'No Inference Provider serves acme/nothing.',
    });
    fake.setModel('acme/nothing', [{ provider: 'together', providerId: 'x/y', task: 'conversational' }]);
    expect((await run({}, params(), nobody)).message).toBe(
      'acme/nothing is served as conversational, not text-to-image.',
    );
    const e = await run({ inferenceProvider: 'nebius' });
    expect(e).toMatchObject({ code: 'model-not-served' });
    expect(e.message).toBe(
      `The provider nebius does not serve ${SCHNELL} (it is served by hf-inference, fal-ai, together, replicate).`,
    );
    fake.setFault({ route: 'generate', kind: 'http', status: 404 }, { times: 1 });
    expect(await run()).toMatchObject({ code: 'model-not-served', status: 404 });
  });

  it('429 → rate-limited; 500 and 503 → http, not retried', async () => {
    fake.setFault({ route: 'generate', kind: 'http', status: 429 }, { times: 1 });
    expect(await run()).toMatchObject({ code: 'rate-limited', status: 429 });
    fake.setFault({ route: 'generate', kind: 'http', status: 500 }, { times: 1 });
    expect(await run()).toMatchObject({
      code: 'http',
      status: 500,
      message: 'Inference Providers (hf-inference) answered HTTP 500 Internal Server Error: Internal Server Error.',
    });
    const before = fake.requestsTo('hf-inference').length;
    fake.setFault({ route: 'generate', kind: 'http', status: 503 }, { times: 1 });
    expect(await run()).toMatchObject({ code: 'http', status: 503 });
    expect(fake.requestsTo('hf-inference').length).toBe(before + 1);
  });

  it('a provider refusing the parameters (fal 422) → invalid-argument with its words', async () => {
    fake.setFault(
      {
        route: 'fal-ai',
        kind: 'http',
        status: 422,
        body: JSON.stringify({
          detail: [{ loc: ['body', 'num_inference_steps'], msg: 'ensure this value is less than or equal to 12' }],
        }),
      },
      { times: 1 },
    );
    expect(await run({ inferenceProvider: 'fal-ai' })).toMatchObject({
      code: 'invalid-argument',
      status: 422,
      message: 'Inference Providers (fal-ai) refused the parameters: ensure this value is less than or equal to 12.',
    });
  });

  it('an HTML error page is said without its HTML; a token in a message is hidden', async () => {
    fake.setFault({ route: 'generate', kind: 'html', status: 502 }, { times: 1 });
    expect(await run()).toMatchObject({
      code: 'http',
      status: 502,
      message: 'Inference Providers (hf-inference) answered HTTP 502 Bad Gateway.',
    });
    fake.setFault(
      { route: 'generate', kind: 'http', status: 500, body: JSON.stringify({ error: `token ${FAKE_TOKEN} exploded` }) },
      { times: 1 },
    );
    expect((await run()).message).toContain('token [token] exploded');
  });

  it('network: nothing listening → network', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const e = await run({ baseUrl: `http://127.0.0.1:${port}` });
    expect(e).toMatchObject({ code: 'network' });
    expect(e.message).toContain('refused the connection');
  });

  it('timeouts: a router that never answers, a Hub that never answers, a fal queue that never moves', async () => {
    fake.setFault({ route: 'generate', kind: 'hang' }, { times: 1 });
    expect(await run({ progressTimeoutMs: 300, idleTimeoutMs: 200 })).toMatchObject({ code: 'timeout' });
    fake.setFault({ route: 'mapping', kind: 'hang' }, { times: 1 });
    expect(await run({ idleTimeoutMs: 200 })).toMatchObject({ code: 'timeout' });
    const stuck = await start({ falPolls: 1000 });
    const { error } = await collect(
      dev.generate(params(), ctx({ inferenceProvider: 'fal-ai', progressTimeoutMs: 200 }, stuck)),
    );
    expect(error).toMatchObject({
      code: 'timeout',
      message: 'Inference Providers (fal-ai) left the job running for 200 ms without news.',
    });
  });

  it('a slow answer within the limits is fine', async () => {
    fake.setFault({ route: 'hf-inference', kind: 'slow', delayMs: 300 }, { times: 1 });
    const { error } = await collect(schnell.generate(params(), ctx({ idleTimeoutMs: 200, progressTimeoutMs: 2000 })));
    expect(error).toBeNull();
  });

  it('cancel mid-request aborts the HTTP request → cancelled', async () => {
    fake.setFault({ route: 'generate', kind: 'hang' });
    const ac = new AbortController();
    const gen = schnell.generate(params(), ctx({ signal: ac.signal }));
    const done = collect(gen);
    await until(() => fake.requestsTo('hf-inference').length === 1);
    ac.abort();
    const { error } = await done;
    expect(error).toMatchObject({ code: 'cancelled', providerId: schnell.id });
    await until(() => fake.requestsTo('hf-inference')[0]!.aborted);
  });

  it('cancel while fal polls its queue → cancelled, no result asked for', async () => {
    const slow = await start({ falPolls: 1000 });
    const ac = new AbortController();
    const done = collect(dev.generate(params(), ctx({ inferenceProvider: 'fal-ai', signal: ac.signal }, slow)));
    await until(() => slow.requestsTo('fal-status').length >= 2);
    ac.abort();
    expect((await done).error).toMatchObject({ code: 'cancelled' });
    expect(slow.requestsTo('fal-result')).toHaveLength(0);
  });

  it('a size outside the limits, or a bad provider name: invalid-argument before any request', async () => {
    expect(await run({}, params({ width: 128 }))).toMatchObject({ code: 'invalid-argument' });
    expect(await run({ inferenceProvider: 'Not A Name!' })).toMatchObject({ code: 'invalid-argument' });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('hf-inference provider: what comes back', () => {
  const run = async (provider = 'auto') =>
    (await collect(schnell.generate(params(), ctx({ inferenceProvider: provider })))).error;

  it('an answer over 40 MB, declared or streamed → too-large', async () => {
    fake.setFault({ route: 'hf-inference', kind: 'huge', bytes: 41 * 1024 * 1024, declareLength: true }, { times: 1 });
    expect(await run()).toMatchObject({ code: 'too-large', message: expect.stringContaining('40 MB') });
    // An image URL (fal's CDN) over the limit, too.
    fake.setFault({ route: 'cdn', kind: 'huge', bytes: 41 * 1024 * 1024 }, { times: 1 });
    expect(await run('fal-ai')).toMatchObject({ code: 'too-large', message: 'The image is larger than 40 MB.' });
    fake.setFault({ route: 'hf-inference', kind: 'huge', bytes: 70 * 1024 * 1024 }, { times: 1 });
    expect(await run()).toMatchObject({
      code: 'too-large',
      message: 'Inference Providers (hf-inference) sent an answer larger than 40 MB.',
    });
  });

  it('an image just under the limit passes the size check (then is judged by its bytes)', async () => {
    fake.setFault({ route: 'hf-inference', kind: 'huge', bytes: 2 * 1024 * 1024 }, { times: 1 });
    const { events, error } = await collect(schnell.generate(params(), ctx()));
    expect(error).toBeNull();
    expect(imageOf(events).bytes!.length).toBe(2 * 1024 * 1024);
  });

  it('not an image: text, bytes that are no image, JSON without an image', async () => {
    fake.setFault({ route: 'hf-inference', kind: 'not-image', as: 'text' }, { times: 1 });
    expect(await run()).toMatchObject({
      code: 'bad-image',
      message: 'Inference Providers (hf-inference) sent text/plain instead of an image.',
    });
    fake.setFault({ route: 'hf-inference', kind: 'not-image', as: 'bytes' }, { times: 1 });
    expect(await run()).toMatchObject({
      code: 'bad-image',
      message: 'Inference Providers (hf-inference) sent something that is not a PNG, JPEG or WebP image.',
    });
    fake.setFault({ route: 'together', kind: 'not-image', as: 'json' }, { times: 1 });
    expect(await run('together')).toMatchObject({ code: 'protocol' });
  });

  it('the CDN failing a fal image → an http error, the job fails', async () => {
    fake.setFault({ route: 'cdn', kind: 'http', status: 404, body: 'gone', contentType: 'text/plain' }, { times: 1 });
    const { error } = await collect(dev.generate(params(), ctx({ inferenceProvider: 'fal-ai' })));
    expect(error).toMatchObject({ code: 'http', status: 404 });
  });
});

describe('hf-inference provider: description', () => {
  it('says what it is: inference, costs, guidance, sizes 256–2048 step 16, defaults per model', () => {
    const info = dev.info('https://router.huggingface.co');
    expect(info).toMatchObject({
      id: `hf-inference:${DEV}`,
      kind: 'inference',
      costs: true,
      supportsGuidance: true,
      supportsNegativePrompt: false,
      extraInputs: [],
      aliases: ['flux-dev', 'flux'],
      defaultBaseUrl: 'https://router.huggingface.co',
      sizeLimits: { min: 256, max: 2048, step: 16 },
      defaults: { steps: 28, width: 1024, height: 1024, guidance: 3.5 },
    });
    expect(schnell.info('x').defaults.steps).toBe(4);
    expect(dev.kind).toBe('inference');
    expect(dev.spaceId).toBeNull();
    expect(dev.hfSpaceId('x', undefined as never)).toBeNull();
    expect(INFERENCE_SIZE_LIMITS).toEqual({ min: 256, max: 2048, step: 16 });
    expect(() => createInferenceProvider('not a model')).toThrow(/not a model id/);
  });

  it('the two FLUX models and their aliases', () => {
    expect(INFERENCE_DEFAULT_MODELS).toEqual([
      { model: DEV, aliases: ['flux-dev', 'flux'] },
      { model: SCHNELL, aliases: ['flux-schnell', 'flux'] },
    ]);
    expect(INFERENCE_DEFAULT_PROVIDERS.map((p) => p.id)).toEqual([`hf-inference:${DEV}`, `hf-inference:${SCHNELL}`]);
  });

  it('resolves sizes onto the 16-pixel grid', () => {
    expect(dev.resolve(params({ aspectRatio: '3:2' }))).toMatchObject({ width: 1024, height: 672 });
    expect(() => dev.resolve(params({ width: 2048, height: 100 }))).toThrow(/Height 100/);
  });
});

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
