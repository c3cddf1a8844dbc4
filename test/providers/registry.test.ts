/** Model routing with fallback, failure memory, pinning, overrides and the proxy — over real HTTP. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProxyDispatchers, type ProxyDispatchers } from '../../main/providers/dispatcher';
import { createFailureMemory, type FailureMemory } from '../../main/providers/failure-memory';
import { createSpaceConfigCache } from '../../main/providers/gradio/config';
import {
  candidatesFor,
  listModels,
  listProviders,
  resolveParams,
  routeGeneration,
  type RouteOptions,
} from '../../main/providers/registry';
import { createSpaceStates } from '../../main/providers/space-states';
import type { RoutedEvent } from '../../shared/events';
import type { GenerationParams } from '../../shared/params';
import { startFakeSpaces, type FakeSpaces } from '../fake-space';
import { startTestProxy, type TestProxy } from '../helpers/proxy';
import { collect, params } from './helpers';

let all: FakeSpaces;
let failures: FailureMemory;
beforeEach(async () => {
  all = await startFakeSpaces({
    timing: { stepMs: 1, heartbeatMs: 5, queueUpdates: 1, progressSteps: 2, previews: 1 },
  });
  failures = createFailureMemory();
});
afterEach(async () => {
  await all.close();
});

const route = (p: GenerationParams, o: RouteOptions = {}) =>
  collect<RoutedEvent>(
    routeGeneration(p, {
      providerUrls: all.providerUrls,
      hfUrl: all.hfUrl,
      idleTimeoutMs: 2000,
      failures,
      busyRetryDelaysMs: [10, 20],
      ...o,
    }),
  );
const providersOf = (events: RoutedEvent[]) => [...new Set(events.map((e) => e.providerId))];
const joins = () => ({
  dev: all.spaces['bfl-flux1-dev'].requestsTo('join').length,
  bfl: all.spaces['bfl-flux1-schnell'].requestsTo('join').length,
  voodoo: all.spaces['voodoohop-flux1-schnell'].requestsTo('join').length,
});

describe('model registry', () => {
  it('lists models and providers with overrides', () => {
    expect(listModels()).toEqual([
      { alias: 'flux', providers: ['bfl-flux1-dev', 'bfl-flux1-schnell', 'voodoohop-flux1-schnell'] },
      { alias: 'flux-dev', providers: ['bfl-flux1-dev'] },
      { alias: 'flux-schnell', providers: ['bfl-flux1-schnell', 'voodoohop-flux1-schnell'] },
    ]);
    const infos = listProviders({ 'voodoohop-flux1-schnell': 'https://me-flux.hf.space/' });
    expect(infos.map((p) => [p.id, p.baseUrl])).toEqual([
      ['bfl-flux1-dev', 'https://black-forest-labs-flux-1-dev.hf.space'],
      ['bfl-flux1-schnell', 'https://black-forest-labs-flux-1-schnell.hf.space'],
      ['voodoohop-flux1-schnell', 'https://me-flux.hf.space'],
    ]);
    expect(infos[2]).toMatchObject({
      defaultBaseUrl: 'https://voodoohop-flux-1-schnell.hf.space',
      aliases: ['flux-schnell', 'flux'],
    });
    // Sizes go onto the sliders' grid (256 + k·32), down.
    expect(resolveParams('bfl-flux1-schnell', params({ width: 1001 }))).toMatchObject({ width: 992, steps: 2 });
    expect(resolveParams('bfl-flux1-dev', params({ aspectRatio: '3:2' }))).toMatchObject({ width: 1024, height: 672 });
    expect(() => resolveParams('bfl-flux1-dev', params({ width: 200 }))).toThrow(/Width 200 is outside/);
    // Without a core's view: the FLUX Spaces' limits, state unknown, the queue API assumed.
    expect(infos[0]).toMatchObject({
      protocol: 'queue',
      sizeLimits: { min: 256, max: 2048, step: 32 },
      state: { health: 'unknown', stage: null, checkedAt: null, skipped: false },
    });
  });

  it('lists what the core learnt of each Space: its limits, API and state', async () => {
    // A Dev Space with narrower sliders: the next job (and the history's params) follow them.
    const narrow = await startFakeSpaces(
      { timing: { stepMs: 1, heartbeatMs: 5, queueUpdates: 1, progressSteps: 1, previews: 0 } },
      { 'bfl-flux1-dev': { sliders: { width: { maximum: 1536 }, height: { maximum: 1536 } } } },
    );
    try {
      const spaces = createSpaceStates({ pollMs: 20, wakeTimeoutMs: 2000 });
      const { error } = await collect(
        routeGeneration(params({ model: 'flux-dev' }), {
          providerUrls: narrow.providerUrls,
          hfUrl: narrow.hfUrl,
          failures,
          spaces,
          configs: createSpaceConfigCache(),
        }),
      );
      expect(error).toBeNull();
      const infos = listProviders(narrow.providerUrls, spaces);
      expect(infos[0]).toMatchObject({
        id: 'bfl-flux1-dev',
        protocol: 'queue',
        sizeLimits: { min: 256, max: 1536, step: 32 },
        state: { health: 'running', stage: 'RUNNING', skipped: false },
      });
      expect(infos[0]!.state.checkedAt).toEqual(expect.any(Number));
      expect(resolveParams('bfl-flux1-dev', params({ width: 1536, height: 1000 }), spaces)).toMatchObject({
        width: 1536,
        height: 992,
      });
      expect(() => resolveParams('bfl-flux1-dev', params({ width: 2048 }), spaces)).toThrow(
        'Width 2048 is outside what BlackForestLabs Flux-1-Dev accepts (256–1536).',
      );
      // Only Dev was used: the others are still unknown.
      expect(infos[1]!.state).toMatchObject({ health: 'unknown', checkedAt: null });
    } finally {
      await narrow.close();
    }
  });

  it('routes aliases in order; a pinned provider is tried alone; a pin must serve the model', () => {
    const ids = (p: GenerationParams) => candidatesFor(p, failures).map((x) => x.id);
    expect(ids(params())).toEqual(['bfl-flux1-dev', 'bfl-flux1-schnell', 'voodoohop-flux1-schnell']);
    expect(ids(params({ model: 'flux-schnell' }))).toEqual(['bfl-flux1-schnell', 'voodoohop-flux1-schnell']);
    expect(ids(params({ model: 'flux-dev' }))).toEqual(['bfl-flux1-dev']);
    expect(ids(params({ provider: 'voodoohop-flux1-schnell' }))).toEqual(['voodoohop-flux1-schnell']);
    expect(() => ids(params({ model: 'flux-dev', provider: 'voodoohop-flux1-schnell' }))).toThrow(
      /does not serve the model "flux-dev"/,
    );
  });

  it('failure memory: failed providers go last, oldest failure first, and come back after the TTL', () => {
    let t = 0;
    const m = createFailureMemory({ ttlMs: 1000, now: () => t });
    const ps = [{ id: 'bfl-flux1-dev' }, { id: 'bfl-flux1-schnell' }, { id: 'voodoohop-flux1-schnell' }] as const;
    m.recordFailure('bfl-flux1-schnell');
    t = 10;
    m.recordFailure('bfl-flux1-dev');
    expect(m.order(ps).map((p) => p.id)).toEqual(['voodoohop-flux1-schnell', 'bfl-flux1-schnell', 'bfl-flux1-dev']);
    m.recordSuccess('bfl-flux1-dev');
    expect(m.order(ps).map((p) => p.id)).toEqual(['bfl-flux1-dev', 'voodoohop-flux1-schnell', 'bfl-flux1-schnell']);
    t = 1000;
    expect(m.order(ps).map((p) => p.id)).toEqual(['bfl-flux1-dev', 'bfl-flux1-schnell', 'voodoohop-flux1-schnell']);
  });
});

describe('routeGeneration', () => {
  it('tags each event with its provider and ends with one image', async () => {
    const { events, error } = await route(params());
    expect(error).toBeNull();
    expect(providersOf(events)).toEqual(['bfl-flux1-dev']);
    expect(events.filter((e) => e.type === 'image')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('image');
  });

  it('falls back to the next provider on failure, and tries the failed Space last next time', async () => {
    // Twice: a join failure is retried once with a fresh config, so once would recover.
    all.spaces['bfl-flux1-dev'].setFault({ route: 'join', kind: 'http', status: 503 }, { times: 2 });
    const first = await route(params());
    expect(first.error).toBeNull();
    expect(providersOf(first.events)).toEqual(['bfl-flux1-dev', 'bfl-flux1-schnell']);
    const failed = first.events.find((e) => e.type === 'error');
    expect(failed).toMatchObject({
      providerId: 'bfl-flux1-dev',
      error: {
        code: 'http',
        status: 503,
        providerId: 'bfl-flux1-dev',
        message: 'The Space answered HTTP 503 Service Unavailable: an HTML page.',
      },
    });
    expect(first.events.at(-1)).toMatchObject({ type: 'image', providerId: 'bfl-flux1-schnell' });
    expect(joins()).toEqual({ dev: 2, bfl: 1, voodoo: 0 });

    // The Dev Space would work now, but it just failed: the Schnell Spaces go first.
    expect(candidatesFor(params(), failures).map((p) => p.id)).toEqual([
      'bfl-flux1-schnell',
      'voodoohop-flux1-schnell',
      'bfl-flux1-dev',
    ]);
    const second = await route(params());
    expect(providersOf(second.events)).toEqual(['bfl-flux1-schnell']);
    expect(joins()).toEqual({ dev: 2, bfl: 2, voodoo: 0 });

    // A success clears the memory.
    failures.recordSuccess('bfl-flux1-dev');
    const third = await route(params());
    expect(providersOf(third.events)).toEqual(['bfl-flux1-dev']);
    expect(third.events.at(-1)).toMatchObject({ type: 'image', providerId: 'bfl-flux1-dev' });
    expect(joins()).toEqual({ dev: 3, bfl: 2, voodoo: 0 });
  });

  it('a join failing once does not fall back: the provider re-reads its config and gets through', async () => {
    all.spaces['bfl-flux1-dev'].setFault({ route: 'join', kind: 'http', status: 500 }, { times: 1 });
    const { events, error } = await route(params());
    expect(error).toBeNull();
    expect(providersOf(events)).toEqual(['bfl-flux1-dev']);
    expect(events.some((e) => e.type === 'error')).toBe(false);
    expect(all.spaces['bfl-flux1-dev'].requestsTo('config')).toHaveLength(2);
    expect(joins()).toEqual({ dev: 2, bfl: 0, voodoo: 0 });
  });

  it('falls back after a failure mid-stream (previews already shown)', async () => {
    // Estimation, start, log, two progress steps and a preview are delivered; then the cut.
    all.spaces['bfl-flux1-schnell'].setFault({ route: 'stream', kind: 'cut', afterMessages: 6 });
    const { events, error } = await route(params({ model: 'flux-schnell' }));
    expect(error).toBeNull();
    const job = [
      ':status', // sent
      ':queue',
      ':status', // generating
      ':status', // log
      ':progress',
      ':progress',
      ':preview',
    ];
    expect(events.map((e) => `${e.providerId}:${e.type}`)).toEqual([
      ...job.map((t) => `bfl-flux1-schnell${t}`),
      'bfl-flux1-schnell:error',
      ...job.map((t) => `voodoohop-flux1-schnell${t}`),
      'voodoohop-flux1-schnell:preview', // the last yield: the result
      'voodoohop-flux1-schnell:image',
    ]);
    expect(events.find((e) => e.type === 'error')).toMatchObject({ error: { code: 'network' } });
    // Failed after the join: no second attempt on the same Space.
    expect(joins()).toEqual({ dev: 0, bfl: 1, voodoo: 1 });
  });

  it('when every provider fails: all-providers-failed naming each failure in words', async () => {
    all.spaces['bfl-flux1-dev'].setFault({ route: 'stream', kind: 'quota' });
    all.spaces['bfl-flux1-schnell'].setFault({ route: 'join', kind: 'http', status: 500 });
    all.spaces['voodoohop-flux1-schnell'].setFault({ route: 'stream', kind: 'error-event', message: 'Out of memory' });
    const { events, error } = await route(params());
    expect(events.filter((e) => e.type === 'error').map((e) => e.providerId)).toEqual([
      'bfl-flux1-dev',
      'bfl-flux1-schnell',
      'voodoohop-flux1-schnell',
    ]);
    expect(error?.code).toBe('all-providers-failed');
    expect(error?.message).toBe(
      'No provider could make the image. ' +
        'BlackForestLabs Flux-1-Dev: You have exceeded your GPU quota (60s requested vs. 23s left). Add a Hugging Face token in Settings for a larger quota, or wait and try again; ' +
        'BlackForestLabs Flux-1-Schnell: The Space answered HTTP 500 Internal Server Error: an HTML page; ' +
        'Voodoohop Flux-1-Schnell: The Space reported an error: Out of memory.',
    );
    expect(error?.message).not.toMatch(/\.\./);
    // Every one is remembered as failed.
    expect(candidatesFor(params(), failures).map((p) => p.id)).toEqual([
      'bfl-flux1-dev',
      'bfl-flux1-schnell',
      'voodoohop-flux1-schnell',
    ]);
    expect(joins()).toEqual({ dev: 1, bfl: 2, voodoo: 1 });
  });

  it('one provider tried: its own error comes through (quota stays quota)', async () => {
    all.spaces['bfl-flux1-dev'].setFault({ route: 'stream', kind: 'quota' });
    const { error } = await route(params({ model: 'flux-dev' }));
    expect(error).toMatchObject({ code: 'quota', providerId: 'bfl-flux1-dev' });
  });

  it('a pinned provider gets no fallback (a 429 is a rate limit, not the GPU quota)', async () => {
    all.spaces['voodoohop-flux1-schnell'].setFault({
      route: 'join',
      kind: 'http',
      status: 429,
      body: 'json',
      message: 'Rate limited',
    });
    const { events, error } = await route(params({ provider: 'voodoohop-flux1-schnell' }));
    expect(error).toMatchObject({
      code: 'rate-limited',
      status: 429,
      providerId: 'voodoohop-flux1-schnell',
      message: 'The Space answered HTTP 429 Too Many Requests: Rate limited.',
    });
    expect(providersOf(events)).toEqual(['voodoohop-flux1-schnell']);
    expect(joins()).toEqual({ dev: 0, bfl: 0, voodoo: 1 });
  });

  it("the Hugging Face proxy's rate limit makes the router move on", async () => {
    all.spaces['bfl-flux1-dev'].setFault({ route: 'join', kind: 'rate-limit' });
    const { events, error } = await route(params());
    expect(error).toBeNull();
    expect(events.find((e) => e.type === 'error')).toMatchObject({
      providerId: 'bfl-flux1-dev',
      error: { code: 'rate-limited', status: 429 },
    });
    expect(events.at(-1)).toMatchObject({ type: 'image', providerId: 'bfl-flux1-schnell' });
    expect(joins()).toEqual({ dev: 1, bfl: 1, voodoo: 0 });
  });

  it('a paused Space is skipped by routing until the user retries it', async () => {
    const spaces = createSpaceStates({ pollMs: 20, wakeTimeoutMs: 2000 });
    const configs = createSpaceConfigCache();
    const dev = all.spaces['bfl-flux1-dev'];
    const devStateReads = () => dev.requestsTo('hub').filter((r) => r.path.endsWith('/FLUX.1-dev')).length;
    dev.setStage('PAUSED');
    const paused =
      'BlackForestLabs Flux-1-Dev is paused by its author; only they can restart it. It is skipped until you retry it in Settings.';

    // First time: its state is read, it is refused before any request to it, and Schnell makes the image.
    const first = await route(params(), { spaces, configs });
    expect(first.error).toBeNull();
    expect(first.events.find((e) => e.type === 'error')).toMatchObject({
      providerId: 'bfl-flux1-dev',
      error: { code: 'space-paused', message: paused },
    });
    expect(first.events.at(-1)).toMatchObject({ type: 'image', providerId: 'bfl-flux1-schnell' });
    expect(first.events.some((e) => e.type === 'status' && e.status.code === 'space-starting')).toBe(false);
    expect(spaces.get('bfl-flux1-dev')).toMatchObject({ health: 'paused', stage: 'PAUSED', skipped: true });
    expect(devStateReads()).toBe(1);

    // Next time it is not even tried, whatever the failure memory says.
    failures.clear();
    expect(candidatesFor(params(), failures, undefined, spaces).map((p) => p.id)).toEqual([
      'bfl-flux1-schnell',
      'voodoohop-flux1-schnell',
    ]);
    const second = await route(params(), { spaces, configs });
    expect(providersOf(second.events)).toEqual(['bfl-flux1-schnell']);
    expect(second.events.some((e) => e.type === 'error')).toBe(false);
    expect(devStateReads()).toBe(1);

    // Pinned (or the only server of the model): its own error, no request anywhere.
    for (const p of [params({ provider: 'bfl-flux1-dev' }), params({ model: 'flux-dev' })]) {
      expect(() => candidatesFor(p, failures, undefined, spaces)).toThrow(paused);
      const pinned = await route(p, { spaces, configs });
      expect(pinned.events).toEqual([]);
      expect(pinned.error).toMatchObject({ code: 'space-paused', providerId: 'bfl-flux1-dev', message: paused });
    }
    expect(devStateReads()).toBe(1);

    // A retry while it is still paused looks again, and it is skipped again.
    spaces.retry('bfl-flux1-dev');
    expect(spaces.get('bfl-flux1-dev').skipped).toBe(false);
    const still = await route(params({ model: 'flux-dev' }), { spaces, configs });
    expect(still.error).toMatchObject({ code: 'space-paused' });
    expect(devStateReads()).toBe(2);
    expect(spaces.get('bfl-flux1-dev').skipped).toBe(true);

    // Restarted by its author and retried by the user: it is tried again, and works.
    dev.setStage('RUNNING');
    spaces.retry('bfl-flux1-dev');
    const back = await route(params({ model: 'flux-dev' }), { spaces, configs });
    expect(back.error).toBeNull();
    expect(back.events.at(-1)).toMatchObject({ type: 'image', providerId: 'bfl-flux1-dev' });
    expect(devStateReads()).toBe(3);
    expect(spaces.get('bfl-flux1-dev')).toMatchObject({ health: 'running', stage: 'RUNNING', skipped: false });
    expect(joins()).toEqual({ dev: 1, bfl: 2, voodoo: 0 });
  });

  it('a broken Space is skipped too; with every Space out, the first one says why', async () => {
    const spaces = createSpaceStates({ pollMs: 20, wakeTimeoutMs: 2000 });
    all.spaces['bfl-flux1-schnell'].setStage('RUNTIME_ERROR');
    all.spaces['voodoohop-flux1-schnell'].setStage('PAUSED');
    const first = await route(params({ model: 'flux-schnell' }), { spaces });
    expect(first.error?.code).toBe('all-providers-failed');
    expect(first.events.filter((e) => e.type === 'error').map((e) => e.type === 'error' && e.error.code)).toEqual([
      'space-broken',
      'space-paused',
    ]);
    const again = await route(params({ model: 'flux-schnell' }), { spaces });
    expect(again.events).toEqual([]);
    expect(again.error).toMatchObject({
      code: 'space-broken',
      providerId: 'bfl-flux1-schnell',
      message:
        'BlackForestLabs Flux-1-Schnell is broken (RUNTIME_ERROR). It is skipped until you retry it in Settings.',
    });
    // Flux still has Dev.
    const flux = await route(params(), { spaces });
    expect(providersOf(flux.events)).toEqual(['bfl-flux1-dev']);
    expect(joins()).toEqual({ dev: 1, bfl: 0, voodoo: 0 });
  });

  it('a user cancel stops everything: no fallback, not remembered as a failure', async () => {
    all.spaces['bfl-flux1-dev'].setTiming({ stepMs: 30 });
    const controller = new AbortController();
    const seen: RoutedEvent[] = [];
    let thrown: unknown;
    try {
      for await (const ev of routeGeneration(params(), {
        providerUrls: all.providerUrls,
        hfUrl: all.hfUrl,
        failures,
        signal: controller.signal,
      })) {
        seen.push(ev);
        if (ev.type === 'progress') controller.abort();
      }
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'cancelled' });
    expect(seen.some((e) => e.type === 'error')).toBe(false);
    expect(joins()).toEqual({ dev: 1, bfl: 0, voodoo: 0 });
    expect(all.spaces['bfl-flux1-dev'].requestsTo('cancel')).toHaveLength(1);
    expect(candidatesFor(params(), failures)[0]!.id).toBe('bfl-flux1-dev');
  });

  it('timeouts fall back too (a hung Space)', async () => {
    all.spaces['bfl-flux1-dev'].setFault({ route: 'join', kind: 'hang' });
    const { events, error } = await route(params(), { idleTimeoutMs: 150 });
    expect(error).toBeNull();
    expect(events.find((e) => e.type === 'error')).toMatchObject({ error: { code: 'timeout' } });
    expect(events.at(-1)).toMatchObject({ type: 'image', providerId: 'bfl-flux1-schnell' });
  });

  it('the HF token reaches the jwt endpoint through the hfUrl override', async () => {
    await route(params({ model: 'flux-dev' }), { hfToken: 'hf_abc' });
    const dev = all.spaces['bfl-flux1-dev'];
    expect(dev.requestsTo('jwt')[0]?.headers.authorization).toBe('Bearer hf_abc');
    expect(dev.requestsTo('join')[0]?.headers['x-zerogpu-token']).toBe('jwt-token');
  });
});

describe('proxy', () => {
  let proxy: TestProxy;
  let proxies: ProxyDispatchers;
  beforeEach(async () => {
    proxy = await startTestProxy();
    proxies = createProxyDispatchers();
  });
  afterEach(async () => {
    await proxies.close();
    await proxy.close();
  });

  it('sends every request through the HTTP proxy (undici ProxyAgent)', async () => {
    const { events, error } = await route(params({ model: 'flux-dev' }), { dispatcher: proxies.forProxy(proxy.url)! });
    expect(error).toBeNull();
    expect(events.at(-1)?.type).toBe('image');
    const devHost = new URL(all.spaces['bfl-flux1-dev'].url).host;
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(proxy.tunnels.every((t) => t.includes(devHost))).toBe(true);
  });

  it('a dead proxy is a network error, not a silent direct connection', async () => {
    const { error } = await route(params({ model: 'flux-dev' }), {
      dispatcher: proxies.forProxy('http://127.0.0.1:1')!,
    });
    expect(error?.code).toBe('network');
    expect(all.spaces['bfl-flux1-dev'].requests).toHaveLength(0);
  });
});
