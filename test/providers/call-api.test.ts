/**
 * The two-step call API (`POST {prefix}/call/infer` + `GET {prefix}/call/infer/{event_id}`), which a
 * provider uses only when the Space's /config cannot be read: the Schnell providers against a
 * Schnell-layout fake Space with `serveConfig: false`, over real HTTP. Also the sizes every provider
 * computes (shared/sizes.ts), and what /config changes (the queue API, the announced prefix).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bflFlux1Schnell } from '../../main/providers/bfl-flux1-schnell';
import { voodoohopFlux1Schnell } from '../../main/providers/voodoohop-flux1-schnell';
import { AppError } from '../../shared/errors';
import { startFakeSpace, type FakeSpace, type FakeSpaceOptions } from '../fake-space';
import { collect, ctx, params, types } from './helpers';

const spaces: FakeSpace[] = [];
afterEach(async () => {
  await Promise.all(spaces.splice(0).map((s) => s.close()));
});
/** A Schnell Space whose /config is missing (404): the call API is the only way in. */
async function space(o: FakeSpaceOptions = {}): Promise<FakeSpace> {
  const s = await startFakeSpace({
    layout: 'schnell',
    serveConfig: false,
    ...o,
    timing: { stepMs: 2, heartbeatMs: 5, ...o.timing },
  });
  spaces.push(s);
  return s;
}
const bodyOf = (s: FakeSpace, i = 0) => s.requestsTo('join')[i]!.body as Record<string, unknown>;

describe('call API providers', () => {
  it('streams status, previews and the image with its seed; sends the Schnell layout without a session_hash', async () => {
    const s = await space();
    const c = ctx(s.url);
    const { events, error } = await collect(
      bflFlux1Schnell.generate(params({ width: 517, height: 300, steps: 3, seed: 77, randomizeSeed: false }), c),
    );
    expect(error).toBeNull();
    // Two previews, then the last yield (the result itself) as generating, then complete.
    expect(types(events)).toEqual(['status', 'preview', 'preview', 'preview', 'image']);
    expect(events[0]).toEqual({ type: 'status', status: { code: 'sent' } });
    const image = events.at(-1);
    expect(image).toMatchObject({ type: 'image', seed: 77, resolved: { width: 512, height: 288, steps: 3 } });
    const url = image?.type === 'image' ? image.url : '';
    expect(url).toMatch(new RegExp(`^${s.url}/gradio_api/file=/tmp/gradio/\\w+/image\\.webp$`));
    const previews = events.flatMap((e) => (e.type === 'preview' ? [e.url] : []));
    expect(new Set(previews).size).toBe(3);
    expect(previews.at(-1)).toBe(url);

    const join = s.requestsTo('join')[0]!;
    expect(join.path).toBe('/gradio_api/call/infer');
    // Sizes snapped down onto the sliders' grid (256 + k·32); no session_hash: the event id is the session.
    expect(join.body).toEqual({ data: ['a red fox', 77, false, 512, 288, 3] });
    const job = s.jobs[0]!;
    expect(job).toMatchObject({ api: 'call', sessionHash: job.eventId, state: 'done' });
    expect(s.requestsTo('stream').map((r) => r.path)).toEqual([`/gradio_api/call/infer/${job.eventId}`]);
    expect(s.requestsTo('cancel')).toHaveLength(0);
    // The state was read once, the missing /config once; the core now knows this Space speaks the call API.
    expect(s.requestsTo('hub').map((r) => r.path)).toEqual(['/api/spaces/black-forest-labs/FLUX.1-schnell']);
    expect(s.requestsTo('config')).toHaveLength(1);
    expect(c.spaces.protocol('bfl-flux1-schnell')).toBe('call');
    expect(c.spaces.limits('bfl-flux1-schnell')).toEqual({ min: 256, max: 2048, step: 32 });
  });

  it('refuses an explicit size outside the sliders before sending anything', async () => {
    const s = await space();
    for (const [p, message] of [
      [params({ height: 33 }), 'Height 33 is outside what BlackForestLabs Flux-1-Schnell accepts (256–2048).'],
      // Past the schema's own bound too (a caller that skipped validation).
      [{ ...params(), width: 4096 }, 'Width 4096 is outside what BlackForestLabs Flux-1-Schnell accepts (256–2048).'],
    ] as const) {
      const { events, error } = await collect(bflFlux1Schnell.generate(p, ctx(s.url)));
      expect(events).toEqual([]);
      expect(error).toMatchObject({ code: 'invalid-argument', providerId: 'bfl-flux1-schnell', message });
    }
    expect(s.requestsTo('join')).toHaveLength(0);
    expect(s.jobs).toHaveLength(0);
  });

  it('defaults to 768×768 and 2 steps; presets keep a 768 long side on the 32 grid; explicit sizes snap down', () => {
    expect(voodoohopFlux1Schnell.resolve(params())).toMatchObject({ width: 768, height: 768, steps: 2 });
    // 16:9 at 768 is 768 × 432; 432 is not on 256 + k·32, so it goes down to 416.
    expect(voodoohopFlux1Schnell.resolve(params({ aspectRatio: '16:9' }))).toMatchObject({ width: 768, height: 416 });
    expect(voodoohopFlux1Schnell.resolve(params({ aspectRatio: '2:3', width: 1001 }))).toMatchObject({
      width: 992,
      height: 768,
    });
    expect(voodoohopFlux1Schnell.resolve(params()).guidance).toBeUndefined();
    // A Space's own limits (from its /config) bound and snap the same way.
    const limits = { min: 256, max: 1024, step: 64 };
    expect(voodoohopFlux1Schnell.resolve(params({ aspectRatio: '16:9' }), limits)).toMatchObject({
      width: 768,
      height: 384,
    });
    const refused = (() => {
      try {
        voodoohopFlux1Schnell.resolve(params({ width: 1088 }), limits);
        return null;
      } catch (err) {
        return err;
      }
    })();
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({
      code: 'invalid-argument',
      providerId: 'voodoohop-flux1-schnell',
      message: 'Width 1088 is outside what Voodoohop Flux-1-Schnell accepts (256–1024).',
    });
    expect(() => voodoohopFlux1Schnell.resolve(params({ height: 255 }))).toThrow(/Height 255 is outside/);

    const info = voodoohopFlux1Schnell.info('http://x');
    expect(info).toMatchObject({
      id: 'voodoohop-flux1-schnell',
      baseUrl: 'http://x',
      protocol: 'queue',
      supportsGuidance: false,
      defaults: { width: 768, height: 768, steps: 2 },
      sizeLimits: { min: 256, max: 2048, step: 32 },
      state: { health: 'unknown', stage: null, checkedAt: null, skipped: false },
    });
    expect(info).not.toHaveProperty('sizeMultiple');
    // What the core learnt of the Space wins.
    const live = voodoohopFlux1Schnell.info('http://x', {
      sizeLimits: limits,
      state: { health: 'running', stage: 'RUNNING', checkedAt: 1, skipped: false },
      protocol: 'call',
    });
    expect(live).toMatchObject({ protocol: 'call', sizeLimits: limits, state: { health: 'running' } });
  });

  it('with /config (Gradio 4: no prefix) a Schnell provider uses the queue API on the bare paths, no probing', async () => {
    const s = await space({ gradioVersion: '4.44', serveConfig: true });
    const { events, error } = await collect(voodoohopFlux1Schnell.generate(params(), ctx(s.url)));
    expect(error).toBeNull();
    expect(types(events)).toContain('queue');
    expect(s.requestsTo('join').map((r) => r.path)).toEqual(['/queue/join']);
    expect(bodyOf(s)).toMatchObject({ fn_index: 2, trigger_id: 4, data: ['a red fox', 0, true, 768, 768, 2] });
    expect(s.requestsTo('stream').map((r) => r.path)).toEqual(['/queue/data']);
    expect(s.requestsTo('other')).toHaveLength(0);
    const image = events.at(-1);
    expect(image?.type === 'image' && image.url).toMatch(new RegExp(`^${s.url}/file=/tmp/gradio/`));
  });

  it('probes the prefix when /config is missing: /gradio_api first, bare on 404, then remembers it', async () => {
    const bare = await space({ gradioVersion: '4.44' });
    const c = ctx(bare.url);
    const r1 = await collect(bflFlux1Schnell.generate(params(), c));
    expect(r1.error).toBeNull();
    expect(bare.requestsTo('other').map((r) => `${r.method} ${r.path}`)).toEqual(['POST /gradio_api/call/infer']);
    expect(bare.requestsTo('join').map((r) => r.path)).toEqual(['/call/infer']);
    const image = r1.events.at(-1);
    expect(image?.type === 'image' && image.url).toMatch(new RegExp(`^${bare.url}/file=/tmp/gradio/`));
    // The prefix that worked is remembered by the core's config cache: no second probe.
    expect((await collect(bflFlux1Schnell.generate(params(), c))).error).toBeNull();
    expect(bare.requestsTo('other')).toHaveLength(1);
    expect(bare.requestsTo('join').map((r) => r.path)).toEqual(['/call/infer', '/call/infer']);

    const g5 = await space();
    expect((await collect(bflFlux1Schnell.generate(params(), ctx(g5.url)))).error).toBeNull();
    expect(g5.requestsTo('join').map((r) => r.path)).toEqual(['/gradio_api/call/infer']);
    expect(g5.requestsTo('other')).toHaveLength(0);
  });

  it('builds file URLs from a path, and accepts a bare path string (old servers), on both APIs', async () => {
    for (const serveConfig of [false, true]) {
      for (const fileOutput of ['path-only', 'string'] as const) {
        const s = await space({ serveConfig, fileOutput, timing: { previews: 0 } });
        const { events, error } = await collect(bflFlux1Schnell.generate(params(), ctx(s.url)));
        expect(error).toBeNull();
        expect(s.requestsTo('join')[0]!.path).toBe(serveConfig ? '/gradio_api/queue/join' : '/gradio_api/call/infer');
        const image = events.at(-1);
        expect(image?.type).toBe('image');
        const url = image?.type === 'image' ? image.url : '';
        expect(url).toMatch(new RegExp(`^${s.url}/gradio_api/file=/tmp/gradio/\\w+/image\\.webp$`));
        // The URL is real: the Space serves the file there.
        const res = await fetch(url);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/webp');
        await res.arrayBuffer();
      }
    }
  });

  it('ignores heartbeats but a Space sending only heartbeats times out (no progress)', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'heartbeats-only' });
    const { events, error } = await collect(
      bflFlux1Schnell.generate(params(), ctx(s.url, { idleTimeoutMs: 2000, progressTimeoutMs: 150 })),
    );
    expect(types(events)).toEqual(['status']);
    expect(error).toMatchObject({
      code: 'timeout',
      providerId: 'bfl-flux1-schnell',
      message: 'The Space made no progress for 150 ms.',
    });
    // A job we gave up on is told to stop: its session is its event id.
    const cancel = await s.waitForRequest((r) => r.route === 'cancel', 2000);
    const eventId = s.jobs[0]!.eventId;
    expect(cancel.body).toEqual({ session_hash: eventId, fn_index: 0, event_id: eventId });
  });
});

describe('call API faults', () => {
  const run = async (s: FakeSpace, idleTimeoutMs = 2000) =>
    collect(bflFlux1Schnell.generate(params(), ctx(s.url, { idleTimeoutMs })));

  it('error event without a message: a refusal without details, with the token advice', async () => {
    for (const gradioVersion of ['5.49', '6.25'] as const) {
      const s = await space({ gradioVersion });
      s.setFault({ route: 'stream', kind: 'error-event', message: null });
      const { error } = await run(s);
      expect(error).toMatchObject({ code: 'space-refused', providerId: 'bfl-flux1-schnell' });
      expect(error?.message).toBe(
        'The Space refused the job without details (often the GPU quota). Add a Hugging Face token in Settings for a larger quota, or wait and try again.',
      );
    }
  });

  it('error event with a message: readable from Gradio 6.13; up to 6.12 the call API drops it', async () => {
    const s6 = await space({ gradioVersion: '6.25' });
    s6.setFault({ route: 'stream', kind: 'error-event', message: 'NSFW content detected', afterMessages: 2 });
    const r6 = await run(s6);
    expect(types(r6.events)).toEqual(['status', 'preview', 'preview']);
    expect(r6.error).toMatchObject({
      code: 'space-error',
      message: 'The Space reported an error: NSFW content detected.',
    });

    const s5 = await space({ gradioVersion: '5.49' });
    s5.setFault({ route: 'stream', kind: 'error-event', message: 'NSFW content detected', afterMessages: 2 });
    const r5 = await run(s5);
    expect(types(r5.events)).toEqual(['status', 'preview', 'preview']);
    expect(r5.error?.code).toBe('space-refused');
    expect(r5.error?.message).not.toContain('NSFW');
  });

  it('quota refusal, cut at the link (Gradio 6.13+ carries it on the call API)', async () => {
    const s = await space({ gradioVersion: '6.25' });
    s.setFault({ route: 'stream', kind: 'quota' });
    const { error } = await run(s);
    expect(error?.code).toBe('quota');
    expect(error?.quota).toEqual({ requestedSeconds: 60, leftSeconds: 23, retryInSeconds: null });
    expect(error?.message).toBe(
      'You have exceeded your GPU quota (60s requested vs. 23s left). Add a Hugging Face token in Settings for a larger quota, or wait and try again.',
    );
    expect(error?.message).not.toMatch(/<a|href|\.\./);
  });

  it('a slider value the Space refuses inside the job is an invalid argument (limits unknown without /config)', async () => {
    const sliders = { width: { maximum: 1024 } };
    const s = await space({ gradioVersion: '6.25', sliders });
    const { error } = await collect(bflFlux1Schnell.generate(params({ width: 1536 }), ctx(s.url)));
    expect(error).toMatchObject({
      code: 'invalid-argument',
      providerId: 'bfl-flux1-schnell',
      message: 'The Space refused a value: Value 1536 is greater than maximum value 1024.',
    });
    expect(bodyOf(s).data).toEqual(['a red fox', 0, true, 1536, 768, 2]);
    expect(s.jobs[0]!.state).toBe('failed');

    // Up to 6.12 the call API drops the reason; Gradio 4 does not check slider bounds at all.
    const s5 = await space({ gradioVersion: '5.49', sliders });
    expect((await collect(bflFlux1Schnell.generate(params({ width: 1536 }), ctx(s5.url)))).error?.code).toBe(
      'space-refused',
    );
    const s4 = await space({ gradioVersion: '4.44', sliders });
    expect((await collect(bflFlux1Schnell.generate(params({ width: 1536 }), ctx(s4.url)))).error).toBeNull();
    expect(s4.jobs[0]!.state).toBe('done');
  });

  it.each([
    [429, 'Too Many Requests', 'rate-limited', 1],
    [500, 'Internal Server Error', 'http', 2],
    [503, 'Service Unavailable', 'http', 2],
  ] as const)('HTTP %i with an HTML page on join', async (status, reason, code, joins) => {
    const s = await space();
    s.setFault({ route: 'join', kind: 'http', status, message: 'Service Unavailable' });
    const { error } = await run(s);
    expect(error).toMatchObject({ status, code, providerId: 'bfl-flux1-schnell' });
    // The page says nothing we can use: only that it was one, never its title or markup.
    expect(error?.message).toBe(`The Space answered HTTP ${status} ${reason}: an HTML page.`);
    // A join failure (not a rate limit) reads the state and /config again and tries once more.
    expect(s.requestsTo('join')).toHaveLength(joins);
    expect(s.requestsTo('config')).toHaveLength(joins);
    expect(s.requestsTo('hub')).toHaveLength(joins);
  });

  it("the Hugging Face proxy's rate limit (429 page) is rate-limited, not quota, wherever it answers", async () => {
    for (const route of ['config', 'join', 'stream'] as const) {
      const s = await space();
      s.setFault({ route, kind: 'rate-limit' });
      const { error } = await run(s);
      expect(error).toMatchObject({ code: 'rate-limited', status: 429, providerId: 'bfl-flux1-schnell' });
      expect(error?.message).toMatch(/^The Space answered HTTP 429 Too Many Requests: an HTML page\.$/);
      expect(s.requestsTo('join')).toHaveLength(route === 'config' ? 0 : 1);
    }
  });

  it('HTTP 500 with a JSON body on the stream', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'http', status: 500, body: 'json', message: 'CUDA out of memory' });
    const { error } = await run(s);
    expect(error).toMatchObject({
      code: 'http',
      status: 500,
      message: 'The Space answered HTTP 500 Internal Server Error: CUDA out of memory.',
    });
    // The job was accepted: no second attempt.
    expect(s.requestsTo('join')).toHaveLength(1);
  });

  it('a Space that is down on /config: asleep, tried twice, and the failure is not cached', async () => {
    const s = await space();
    const c = ctx(s.url);
    s.setFault({ route: 'config', kind: 'http', status: 503, message: 'Space is sleeping' });
    const { error } = await collect(bflFlux1Schnell.generate(params(), c));
    expect(error).toMatchObject({
      code: 'space-asleep',
      status: 503,
      message: 'The Space answered HTTP 503 Service Unavailable: the Space is asleep.',
    });
    expect(s.requestsTo('join')).toHaveLength(0);
    expect(s.requestsTo('config')).toHaveLength(2);
    // The next job asks again (nothing about the failed read was kept), and gets through.
    s.clearFaults();
    expect((await collect(bflFlux1Schnell.generate(params(), c))).error).toBeNull();
    expect(s.requestsTo('config')).toHaveLength(3);
    expect(s.requestsTo('join')).toHaveLength(1);
  });

  it('stream cut mid-way', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'cut', afterMessages: 1 });
    const { events, error } = await run(s);
    expect(types(events)).toEqual(['status', 'preview']);
    expect(error).toMatchObject({ code: 'network' });
    expect(error?.message).toMatch(/closed the connection|reset the connection|terminated/i);
  });

  it('stream that ends without a result', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'end-early', afterMessages: 1 });
    const { error } = await run(s);
    expect(error).toMatchObject({ code: 'space-error' });
    expect(error?.message).toBe('The Space closed the stream before the image was ready (it may have restarted).');
  });

  it('unexpected error on the stream: its message, as a JSON string', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'unexpected-error', message: 'Worker died' });
    const { error } = await run(s);
    expect(error).toMatchObject({ code: 'space-error', message: 'The Space reported an error: Worker died.' });
  });

  it('malformed JSON on join (once: the retry gets through; always: a protocol error) and in the stream', async () => {
    const s = await space();
    s.setFault({ route: 'join', kind: 'malformed-json' }, { times: 1 });
    expect((await run(s)).error).toBeNull();
    expect(s.requestsTo('join')).toHaveLength(2);
    expect(s.requestsTo('config')).toHaveLength(2);

    s.setFault({ route: 'join', kind: 'malformed-json' }, { times: 2 });
    expect((await run(s)).error).toMatchObject({
      code: 'protocol',
      message: 'The Space sent malformed JSON where an event id was expected.',
    });
    s.setFault({ route: 'stream', kind: 'malformed-json' }, { times: 1 });
    const r = await run(s);
    expect(r.error).toMatchObject({
      code: 'protocol',
      message: 'The Space sent malformed JSON in its event stream (expected a Gradio message).',
    });
  });

  it('wrong content types: HTML instead of JSON, HTML instead of an event stream', async () => {
    const s = await space();
    s.setFault({ route: 'join', kind: 'wrong-content-type' }, { times: 2 });
    expect((await run(s)).error).toMatchObject({
      code: 'protocol',
      message: 'The Space sent an HTML page where an event id (JSON) was expected.',
    });
    s.setFault({ route: 'stream', kind: 'wrong-content-type' }, { times: 1 });
    expect((await run(s)).error).toMatchObject({
      code: 'protocol',
      message: 'The Space sent an HTML page where an event stream was expected.',
    });
  });

  it('endless bodies: a JSON answer and an event that never end', async () => {
    const s = await space();
    s.setFault({ route: 'join', kind: 'endless' }, { times: 2 });
    const r1 = await run(s);
    expect(r1.error).toMatchObject({ code: 'protocol', message: 'The Space sent an answer larger than 1024 KB.' });
    s.setFault({ route: 'stream', kind: 'endless' }, { times: 1 });
    const r2 = await run(s);
    expect(r2.error).toMatchObject({ code: 'protocol' });
    expect(r2.error?.message).toMatch(/^The Space sent an event that never ends/);
  });

  it('slow-loris: accepted, never answered (join) and headers then silence (stream)', async () => {
    const s = await space();
    s.setFault({ route: 'join', kind: 'hang' }, { times: 1 });
    const r1 = await run(s, 200);
    expect(r1.error).toMatchObject({ code: 'timeout', message: 'The Space did not answer within 200 ms.' });
    // A timeout is not retried.
    expect(s.requestsTo('join')).toHaveLength(1);
    s.setFault({ route: 'stream', kind: 'stall' }, { times: 1 });
    const r2 = await run(s, 200);
    expect(r2.error).toMatchObject({ code: 'timeout', message: 'The Space stopped answering (timed out).' });
  });
});
