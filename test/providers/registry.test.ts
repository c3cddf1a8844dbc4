/** Model routing with fallback, failure memory, pinning, overrides and the proxy — over real HTTP. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProxyDispatchers, type ProxyDispatchers } from '../../main/providers/dispatcher';
import { createFailureMemory, type FailureMemory } from '../../main/providers/failure-memory';
import {
  candidatesFor,
  listModels,
  listProviders,
  resolveParams,
  routeGeneration,
  type RouteOptions,
} from '../../main/providers/registry';
import type { RoutedEvent } from '../../main/providers/types';
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
    routeGeneration(p, { providerUrls: all.providerUrls, hfUrl: all.hfUrl, idleTimeoutMs: 2000, failures, ...o }),
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
    expect(resolveParams('bfl-flux1-schnell', params({ width: 1001 }))).toMatchObject({ width: 1000, steps: 2 });
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
    all.spaces['bfl-flux1-dev'].setFault({ route: 'join', kind: 'http', status: 503 }, { times: 1 });
    const first = await route(params());
    expect(first.error).toBeNull();
    expect(providersOf(first.events)).toEqual(['bfl-flux1-dev', 'bfl-flux1-schnell']);
    const failed = first.events.find((e) => e.type === 'error');
    expect(failed).toMatchObject({
      providerId: 'bfl-flux1-dev',
      error: { code: 'http', status: 503, providerId: 'bfl-flux1-dev' },
    });
    expect(first.events.at(-1)).toMatchObject({ type: 'image', providerId: 'bfl-flux1-schnell' });

    // The Dev Space would work now, but it just failed: the Schnell Spaces go first.
    const second = await route(params());
    expect(providersOf(second.events)).toEqual(['bfl-flux1-schnell']);
    expect(joins()).toEqual({ dev: 1, bfl: 2, voodoo: 0 });

    // A success clears the memory.
    failures.recordSuccess('bfl-flux1-dev');
    expect(providersOf((await route(params())).events)).toEqual(['bfl-flux1-dev']);
  });

  it('falls back after a failure mid-stream (previews already shown)', async () => {
    all.spaces['bfl-flux1-schnell'].setFault({ route: 'stream', kind: 'cut', afterMessages: 1 });
    const { events, error } = await route(params({ model: 'flux-schnell' }));
    expect(error).toBeNull();
    expect(events.map((e) => `${e.providerId}:${e.type}`)).toEqual([
      'bfl-flux1-schnell:status',
      'bfl-flux1-schnell:preview',
      'bfl-flux1-schnell:error',
      'voodoohop-flux1-schnell:status',
      'voodoohop-flux1-schnell:preview',
      'voodoohop-flux1-schnell:image',
    ]);
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
        'BlackForestLabs Flux-1-Schnell: The Space answered HTTP 500 Internal Server Error: an HTML page ("500 Something went wrong"); ' +
        'Voodoohop Flux-1-Schnell: The Space reported an error: Out of memory.',
    );
  });

  it('one provider tried: its own error comes through (quota stays quota)', async () => {
    all.spaces['bfl-flux1-dev'].setFault({ route: 'stream', kind: 'quota' });
    const { error } = await route(params({ model: 'flux-dev' }));
    expect(error).toMatchObject({ code: 'quota', providerId: 'bfl-flux1-dev' });
  });

  it('a pinned provider gets no fallback', async () => {
    all.spaces['voodoohop-flux1-schnell'].setFault({
      route: 'join',
      kind: 'http',
      status: 429,
      body: 'json',
      message: 'Rate limited',
    });
    const { error } = await route(params({ provider: 'voodoohop-flux1-schnell' }));
    expect(error).toMatchObject({ code: 'quota', status: 429, providerId: 'voodoohop-flux1-schnell' });
    expect(joins()).toEqual({ dev: 0, bfl: 0, voodoo: 1 });
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
    const { error } = await route(params({ model: 'flux-dev' }), { dispatcher: proxies.forProxy('http://127.0.0.1:1')! });
    expect(error?.code).toBe('network');
    expect(all.spaces['bfl-flux1-dev'].requests).toHaveLength(0);
  });
});
