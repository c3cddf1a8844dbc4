/**
 * Issue 15 through the core, as the app drives it: a Gradio Space the user adds (inspect, save, a
 * provider with its own controls, routing and fallback, Gallery outputs, remove), bad input refused
 * with nothing saved, and FLUX through Inference Providers only where the user opted in. Real HTTP
 * to the fake Spaces (every Gradio version) and the fake Inference router; real files.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core';
import type { InvokeChannel, InvokeResult } from '../../shared/contract';
import type { ErrorInfo } from '../../shared/errors';
import type { JobState } from '../../shared/events';
import { FAKE_TOKEN, startFakeInference, type FakeInference } from '../fake-inference';
import { GRADIO_VERSIONS, startFakeSpace, startFakeSpaces, type FakeSpace, type FakeSpaces } from '../fake-space';

/** One Hub for both fakes: `/api/models/…` goes to the fake Inference Hub, the rest to the Spaces' hub. */
async function startJointHub(spacesHub: string, modelsHub: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const target = (req.url ?? '/').startsWith('/api/models/') ? modelsHub : spacesHub;
    const headers: Record<string, string> = {};
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    fetch(`${target}${req.url ?? '/'}`, { headers })
      .then(async (r) => {
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await r.arrayBuffer()));
      })
      .catch(() => {
        res.writeHead(502);
        res.end();
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe.each(GRADIO_VERSIONS)('any Space and Inference Providers through the core (Gradio %s)', (gradioVersion) => {
  let root: string;
  let spaces: FakeSpaces;
  let extra: FakeSpace[] = [];
  let inference: FakeInference;
  let hub: { url: string; close(): Promise<void> };
  let core: Core;
  const jobs: JobState[] = [];
  /** The SD-style Space saved by the second test. */
  let sdId = '';

  const invoke = (channel: InvokeChannel, args?: unknown) => core.router.invoke(channel, args, { transport: 'web' });
  const call = async <C extends InvokeChannel>(channel: C, args?: unknown): Promise<InvokeResult<C>> => {
    const r = await invoke(channel, args);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.value as InvokeResult<C>;
  };
  const refusal = async (channel: InvokeChannel, args?: unknown): Promise<ErrorInfo> => {
    const r = await invoke(channel, args);
    if (r.ok) throw new Error(`${channel} was accepted`);
    return r.error;
  };
  const run = async (params: Record<string, unknown>): Promise<JobState> => {
    const { jobs: started } = await call('jobs:start', { params: { prompt: 'a fox', ...params }, count: 1 });
    await core.jobs.idle();
    return jobs.filter((j) => j.id === started[0]!.id).at(-1)!;
  };
  const space = async (o: Parameters<typeof startFakeSpace>[0]) => {
    const s = await startFakeSpace({ gradioVersion, hub: spaces.hub, timing: { stepMs: 2, heartbeatMs: 1000 }, ...o });
    extra.push(s);
    return s;
  };
  const joinData = (s: FakeSpace) => {
    const join = s.requestsTo('join').at(-1);
    return (join?.body as { data: unknown[] }).data;
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'fg-anyspace-'));
    spaces = await startFakeSpaces({ gradioVersion, timing: { stepMs: 2, heartbeatMs: 1000 } });
    inference = await startFakeInference({ falPolls: 1 });
    hub = await startJointHub(spaces.hfUrl, inference.hubUrl);
    core = await createCore({
      dataDir: path.join(root, 'data'),
      defaultLibraryDir: path.join(root, 'lib'),
      transport: 'web',
      appVersion: 'test',
      overrides: { hfToken: FAKE_TOKEN },
      busyRetryDelaysMs: [],
      spaceStates: { pollMs: 5 },
      log: () => {},
    });
    core.events.subscribe((channel, payload) => {
      if (channel === 'jobs:updated') jobs.push(payload as JobState);
    });
    await call('settings:update', {
      providerUrls: spaces.providerUrls,
      hfUrl: hub.url,
      inference: { url: inference.routerUrl, provider: 'hf-inference' },
    });
  });
  afterAll(async () => {
    await core.dispose();
    await Promise.all([spaces.close(), inference.close(), hub.close(), ...extra.map((s) => s.close())]);
    extra = [];
    await rm(root, { recursive: true, force: true });
  });

  it('inspects an SD-style Space: its endpoint, the proposed mapping and its own inputs; nothing saved', async () => {
    const sd = await space({ layout: 'sd', spaceId: 'me/sd-style' });
    const found = await call('spaces:inspect', { url: sd.url });
    // A local app's claim to be a Hugging Face Space is not believed: it is known by its host.
    expect(found.providerId).toBe(`space:local/127.0.0.1-${new URL(sd.url).port}`);
    const ep = found.endpoints[0]!;
    expect(ep.apiName).toBe('generate');
    const mapped = Object.fromEntries(ep.mapping.map((m) => [ep.inputs[m.index]!.key, m.param]));
    expect(mapped).toEqual({
      prompt: 'prompt',
      negative_prompt: 'negativePrompt',
      guidance_scale: 'guidance',
      num_inference_steps: 'steps',
      width: 'width',
      height: 'height',
      seed: 'seed',
    });
    expect((await call('settings:get')).customSpaces).toEqual([]);
  });

  it('a saved Space is a provider with its own controls, sends its own inputs and lands in history', async () => {
    const sd = await space({ layout: 'sd', spaceId: 'me/sd-saved' });
    const saved = await call('spaces:add', { url: sd.url, label: 'My SD', aliases: ['flux-schnell'] });
    sdId = saved.id;
    expect(saved).toMatchObject({ label: 'My SD', aliases: ['flux-schnell'], baseUrl: sd.url });
    const { providers, models } = await call('models:list');
    const info = providers.find((p) => p.id === saved.id)!;
    expect(info).toMatchObject({ kind: 'space', costs: false, supportsNegativePrompt: true, supportsGuidance: true });
    expect(info.extraInputs.map((i) => i.key)).toEqual(['scheduler', 'upscale']);
    // After the built-in Spaces in the alias's order.
    expect(models.find((m) => m.alias === 'flux-schnell')!.providers.at(-1)).toBe(saved.id);

    const job = await run({
      provider: saved.id,
      negativePrompt: 'blurry',
      extras: { scheduler: 'DDIM', upscale: true },
      width: 768,
      height: 512,
      seed: 42,
      randomizeSeed: false,
    });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    // The Space's order: prompt, negative, guidance, steps, width, height, seed, scheduler, upscale.
    const data = joinData(sd);
    expect(data[0]).toBe('a fox');
    expect(data[1]).toBe('blurry');
    expect(data.slice(4, 9)).toEqual([768, 512, 42, 'DDIM', true]);
    const entry = await call('history:get', { id: job.entryId });
    expect(entry).toMatchObject({ providerId: saved.id, width: 768, height: 512 });
    expect(entry.params).toMatchObject({ negativePrompt: 'blurry', extras: { scheduler: 'DDIM', upscale: true } });
    // Reuse gives all of it back (the seed locked), for the app and the CLI alike.
    expect(await call('history:reuse', { id: job.entryId })).toMatchObject({
      provider: saved.id,
      negativePrompt: 'blurry',
      extras: { scheduler: 'DDIM', upscale: true },
      seed: 42,
      randomizeSeed: false,
    });

    // A value the Space would refuse is refused before sending, in words.
    const bad = await run({ provider: saved.id, extras: { scheduler: 'PLMS' } });
    expect(bad.state).toBe('failed');
    expect(bad.error?.code).toBe('invalid-argument');
    expect(bad.error?.message).toMatch(/PLMS/);
  });

  it("routing falls back to the user's Space when the built-in Spaces fail", async () => {
    for (const id of ['bfl-flux1-schnell', 'voodoohop-flux1-schnell'] as const) {
      spaces.spaces[id].setFault({ route: 'join', kind: 'http', status: 500 });
    }
    try {
      const job = await run({ model: 'flux-schnell' });
      expect(job.state, JSON.stringify(job.error)).toBe('done');
      expect(job.providerId).toBe(sdId);
      expect(job.failedProviders.map((f) => f.providerId)).toEqual(['bfl-flux1-schnell', 'voodoohop-flux1-schnell']);
    } finally {
      for (const s of Object.values(spaces.spaces)) s.clearFaults();
    }
  });

  it('a Gallery output: every image is saved', async () => {
    const gallery = await space({ layout: 'gallery', spaceId: 'me/gallery' });
    const saved = await call('spaces:add', { url: gallery.url });
    const job = await run({ provider: saved.id, extras: { num_images: 3 } });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(job.moreEntryIds).toHaveLength(2);
    const page = await call('history:query', { providerId: saved.id });
    expect(page.total).toBe(3);
  });

  it('two endpoints: the one named is used; a file-input endpoint is not offered', async () => {
    const two = await space({ layout: 'two-endpoints', spaceId: 'me/two' });
    const found = await call('spaces:inspect', { url: two.url });
    expect(found.endpoints.map((e) => e.apiName)).toEqual(expect.arrayContaining(['infer', 'infer_hd']));
    expect(found.endpoints.map((e) => e.apiName)).not.toContain('enhance_prompt');
    const saved = await call('spaces:add', { url: two.url, endpoint: 'infer_hd' });
    expect(saved.endpoint.apiName).toBe('infer_hd');
    const job = await run({ provider: saved.id, negativePrompt: 'text' });
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    expect(joinData(two)[1]).toBe('text');
  });

  it('bad input is refused in words and nothing is saved', async () => {
    const before = (await call('settings:get')).customSpaces.length;
    const file = await space({ layout: 'file-input', spaceId: 'me/img2img' });
    expect((await refusal('spaces:add', { url: file.url })).code).toBe('needs-file-input');
    const ws = await space({ layout: 'ws', spaceId: 'me/old' });
    expect((await refusal('spaces:inspect', { url: ws.url })).code).toBe('gradio-too-old');
    // The Inference router is no Gradio app.
    expect((await refusal('spaces:add', { url: inference.routerUrl })).code).toBe('not-gradio');
    const gone = await space({ layout: 'sd' });
    const goneUrl = gone.url;
    await gone.close();
    extra = extra.filter((s) => s !== gone);
    const unreachable = await refusal('spaces:add', { url: goneUrl });
    expect(unreachable.code).toBe('network');
    expect(unreachable.message).toContain(new URL(goneUrl).host);
    expect((await refusal('spaces:add', { url: 'ftp://example.com/x' })).code).toBe('invalid-argument');
    expect((await call('settings:get')).customSpaces).toHaveLength(before);
  });

  it('update and remove: a changed mapping is checked; a removed Space is no provider', async () => {
    const id = sdId;
    const updated = await call('spaces:update', { id, label: 'Renamed', aliases: [] });
    expect(updated).toMatchObject({ label: 'Renamed', aliases: [] });
    expect((await refusal('spaces:update', { id, mapping: [{ index: 7, param: 'seed' }] })).code).toBe(
      'invalid-argument',
    );
    expect((await refusal('spaces:update', { id: 'space:no/such' })).code).toBe('not-found');
    expect(await call('spaces:remove', { id })).toEqual({ removed: true });
    expect(await call('spaces:remove', { id })).toEqual({ removed: false });
    const { providers } = await call('models:list');
    expect(providers.some((p) => p.id === id)).toBe(false);
    expect((await refusal('jobs:start', { params: { prompt: 'x', provider: id } })).code).toBe('invalid-argument');
    // Its images stay, and say who made them.
    expect((await call('history:query', { providerId: id })).total).toBeGreaterThan(0);
  });

  it('Inference Providers: never by default; after every free Space once opted in; pinned always', async () => {
    const schnellSpaces = ['bfl-flux1-schnell', 'voodoohop-flux1-schnell'] as const;
    for (const id of schnellSpaces) spaces.spaces[id].setFault({ route: 'join', kind: 'http', status: 500 });
    try {
      const before = inference.requestsTo('hf-inference').length;
      const off = await run({ model: 'flux-schnell' });
      expect(off.state).toBe('failed');
      expect(inference.requestsTo('hf-inference')).toHaveLength(before);

      await call('settings:update', { inference: { fallbackAliases: ['flux-schnell'] } });
      const on = await run({ model: 'flux-schnell', seed: 9, randomizeSeed: false });
      expect(on.state, JSON.stringify(on.error)).toBe('done');
      expect(on.providerId).toBe('hf-inference:black-forest-labs/FLUX.1-schnell');
      expect(on.failedProviders.map((f) => f.providerId)).toEqual([...schnellSpaces]);
      const entry = await call('history:get', { id: on.entryId });
      expect(entry).toMatchObject({ providerId: on.providerId, model: 'flux-schnell', seed: 9 });
      expect(entry.params.servedBy).toBe('hf-inference');
      // The token went to the router as a bearer token.
      expect(inference.requestsTo('hf-inference').at(-1)!.headers.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
    } finally {
      for (const s of Object.values(spaces.spaces)) s.clearFaults();
      await call('settings:update', { inference: { fallbackAliases: [] } });
    }
    const pinned = await run({ provider: 'hf-inference:black-forest-labs/FLUX.1-dev', model: 'flux-dev' });
    expect(pinned.state, JSON.stringify(pinned.error)).toBe('done');
    const info = (await call('models:list')).providers.find((p) => p.id === pinned.providerId)!;
    expect(info).toMatchObject({ kind: 'inference', costs: true });
  });
});
