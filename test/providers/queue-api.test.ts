/** Flux-1-Dev (Gradio queue API + ZeroGPU) over real HTTP against the fake Space. */
import { afterEach, describe, expect, it } from 'vitest';
import { bflFlux1Dev } from '../../main/providers/bfl-flux1-dev';
import { startFakeSpace, type FakeSpace, type FakeSpaceOptions } from '../fake-space';
import { collect, ctx, params, types } from './helpers';

const spaces: FakeSpace[] = [];
afterEach(async () => {
  await Promise.all(spaces.splice(0).map((s) => s.close()));
});
async function space(o: FakeSpaceOptions = {}): Promise<FakeSpace> {
  const s = await startFakeSpace({ ...o, timing: { stepMs: 2, heartbeatMs: 5, ...o.timing } });
  spaces.push(s);
  return s;
}
const run = (s: FakeSpace, c: Parameters<typeof ctx>[1] = {}, p = params()) =>
  collect(bflFlux1Dev.generate(p, ctx(s.url, c)));

describe('Flux-1-Dev provider (queue API)', () => {
  it('streams queue, start, log, progress, previews (sse_v3 diffs) and the image', async () => {
    const s = await space({ timing: { queueUpdates: 3, progressSteps: 4, previews: 3 } });
    const { events, error } = await run(s, {}, params({ seed: 5, randomizeSeed: false, steps: 20 }));
    expect(error).toBeNull();
    expect(types(events)).toEqual([
      'status', // joined
      'queue',
      'queue',
      'queue',
      'status', // process_starts
      'status', // log
      'progress',
      'preview', // full FileData
      'progress',
      'preview', // field diffs
      'progress',
      'preview', // root-replace diff
      'progress',
      'preview', // the last yield: the result itself
      'image',
    ]);
    // No job has succeeded on this Space yet: Gradio has no estimate (eta null).
    expect(events.filter((e) => e.type === 'queue')).toEqual([
      { type: 'queue', position: 3, size: 3, eta: null },
      { type: 'queue', position: 2, size: 2, eta: null },
      { type: 'queue', position: 1, size: 1, eta: null },
    ]);
    expect(
      events.filter((e) => e.type === 'progress').map((e) => e.type === 'progress' && [e.step, e.total, e.unit]),
    ).toEqual([
      [1, 4, 'steps'],
      [2, 4, 'steps'],
      [3, 4, 'steps'],
      [4, 4, 'steps'],
    ]);
    expect(events.filter((e) => e.type === 'status')).toEqual([
      { type: 'status', status: { code: 'sent' } },
      { type: 'status', status: { code: 'generating' } },
      {
        type: 'status',
        status: { code: 'space-log', params: { text: 'ZeroGPU: waiting for a GPU slice.' } },
      },
    ]);
    const previews = events.flatMap((e) => (e.type === 'preview' ? [e.url] : []));
    expect(previews).toHaveLength(4);
    expect(new Set(previews).size).toBe(4);
    for (const [i, url] of previews.slice(0, 3).entries())
      expect(url).toMatch(new RegExp(`^${s.url}/gradio_api/file=/tmp/gradio/\\w+/preview${i + 1}\\.webp$`));
    const image = events.at(-1);
    expect(image).toMatchObject({ type: 'image', seed: 5, resolved: { width: 1024, height: 1024, steps: 20 } });
    expect(image?.type === 'image' && image.url).toBe(previews[3]);
    expect(previews[3]).toMatch(new RegExp(`^${s.url}/gradio_api/file=/tmp/gradio/\\w+/image\\.webp$`));

    const join = s.requestsTo('join')[0]!;
    expect(join.path).toBe('/gradio_api/queue/join');
    expect(join.query).toEqual({ __theme: 'light' });
    const body = join.body as Record<string, unknown>;
    expect(body).toMatchObject({ fn_index: 2, trigger_id: 4, event_data: null });
    expect(body.session_hash).toMatch(/^\w{8,}$/);
    expect(body.data).toEqual(['a red fox', 5, false, 1024, 1024, 3.5, 20]);
    expect(join.headers.referer).toBe(`${s.url}/?__theme=light`);
    const stream = s.requestsTo('stream')[0]!;
    expect(stream.path).toBe('/gradio_api/queue/data');
    expect(stream.query.session_hash).toBe(body.session_hash);
    expect(stream.headers.accept).toBe('text/event-stream');
    expect(s.jobs[0]).toMatchObject({ api: 'queue', sessionHash: body.session_hash, state: 'done' });
    expect(s.requestsTo('cancel')).toHaveLength(0);
  });

  it('after a job has succeeded, queue positions carry an estimate', async () => {
    const s = await space({ timing: { queueUpdates: 2 } });
    const c = ctx(s.url);
    expect((await collect(bflFlux1Dev.generate(params(), c))).error).toBeNull();
    const { events, error } = await collect(bflFlux1Dev.generate(params(), c));
    expect(error).toBeNull();
    const queue = events.filter((e) => e.type === 'queue');
    expect(queue.length).toBeGreaterThan(0);
    for (const q of queue) expect(q.type === 'queue' && q.eta).toEqual(expect.any(Number));
    // The config and the state are the core's: read once for both jobs.
    expect(s.requestsTo('config')).toHaveLength(1);
    expect(s.requestsTo('hub')).toHaveLength(1);
  });

  it('derives the size from the aspect ratio on the 32 grid (explicit sizes win), default 28 steps', () => {
    expect(bflFlux1Dev.resolve(params({ aspectRatio: '16:9' }))).toMatchObject({
      width: 1024,
      height: 576,
      steps: 28,
      guidance: 3.5,
    });
    // 3:2 at 1024 is 1024 × 683, snapped down to 256 + 13·32.
    expect(bflFlux1Dev.resolve(params({ aspectRatio: '3:2' }))).toMatchObject({ width: 1024, height: 672 });
    expect(bflFlux1Dev.resolve(params({ aspectRatio: '16:9', width: 800, guidance: 7 }))).toMatchObject({
      width: 800,
      height: 576,
      guidance: 7,
    });
    expect(bflFlux1Dev.resolve(params({ width: 1000, height: 2048 }))).toMatchObject({ width: 992, height: 2048 });
    expect(() => bflFlux1Dev.resolve(params({ height: 128 }))).toThrow(
      'Height 128 is outside what BlackForestLabs Flux-1-Dev accepts (256–2048).',
    );
    expect(bflFlux1Dev.info('http://x')).toMatchObject({
      protocol: 'queue',
      supportsGuidance: true,
      defaults: { width: 1024, height: 1024, steps: 28, guidance: 3.5 },
      sizeLimits: { min: 256, max: 2048, step: 32 },
    });
  });

  it('takes fn_index and trigger_id from /config', async () => {
    const s = await space({ fnIndex: 7, triggerId: 12 });
    expect((await run(s)).error).toBeNull();
    expect(s.requestsTo('join')[0]!.body).toMatchObject({ fn_index: 7, trigger_id: 12 });
  });

  it('without /config (a Gradio 4 Space, bare prefix) Dev takes the call API, probed, with its ZeroGPU identity', async () => {
    const s = await space({ gradioVersion: '4.44', serveConfig: false });
    const { events, error } = await run(s);
    expect(error).toBeNull();
    expect(s.requestsTo('other').map((r) => r.path)).toEqual(['/gradio_api/call/infer']);
    const join = s.requestsTo('join')[0]!;
    expect(join.path).toBe('/call/infer');
    expect(join.body).toEqual({ data: ['a red fox', 0, true, 1024, 1024, 3.5, 28] });
    expect(join.headers['x-zerogpu-token']).toBe('page-token');
    expect(join.headers['x-zerogpu-uuid']).toBe('fake-session-uuid');
    expect(s.requestsTo('stream').map((r) => r.path)).toEqual([`/call/infer/${s.jobs[0]!.eventId}`]);
    const image = events.at(-1);
    expect(image?.type === 'image' && image.url).toMatch(new RegExp(`^${s.url}/file=`));
  });

  it('skips messages of other jobs on the same stream', async () => {
    const s = await space({ crossTalk: true });
    const { events, error } = await run(s);
    expect(error).toBeNull();
    expect(events.filter((e) => e.type === 'queue').every((e) => e.type === 'queue' && e.position !== 8)).toBe(true);
    const image = events.at(-1);
    expect(image?.type === 'image' && image.url).toMatch(/image\.webp$/);
  });
});

describe('ZeroGPU credentials', () => {
  it('anonymous: token and uuid from the Space page (HTML-escaped JSON)', async () => {
    const s = await space({ zeroGpu: { pageToken: 'anon.tok-1', sessionUuid: 'uuid-1' } });
    expect((await run(s)).error).toBeNull();
    expect(s.requestsTo('page').map((r) => r.path)).toEqual(['/spaces/black-forest-labs/FLUX.1-dev']);
    expect(s.requestsTo('jwt')).toHaveLength(0);
    const join = s.requestsTo('join')[0]!;
    expect(join.headers['x-zerogpu-token']).toBe('anon.tok-1');
    expect(join.headers['x-zerogpu-uuid']).toBe('uuid-1');
    expect(join.headers.authorization).toBeUndefined();
  });

  it('with an HF token: the jwt endpoint token, sent with the page uuid; the Space gets the HF token only as X-HF-Authorization', async () => {
    const s = await space({ zeroGpu: { jwtToken: 'eyJ.jwt.sig', acceptHfToken: 'hf_secret' } });
    expect((await run(s, { hfToken: 'hf_secret' })).error).toBeNull();
    const jwt = s.requestsTo('jwt')[0]!;
    expect(jwt.path).toBe('/api/spaces/black-forest-labs/FLUX.1-dev/jwt');
    expect(jwt.headers.authorization).toBe('Bearer hf_secret');
    expect(jwt.query.include_pro_status).toBe('true');
    const exp = Date.parse(jwt.query.expiration!);
    expect(exp - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(exp - Date.now()).toBeLessThan(11 * 60_000);
    const join = s.requestsTo('join')[0]!;
    expect(join.headers['x-zerogpu-token']).toBe('eyJ.jwt.sig');
    expect(join.headers['x-zerogpu-uuid']).toBe('fake-session-uuid');
    // The official Python client's header to the Space host; never as Authorization, never as a ZeroGPU token.
    for (const r of [...s.requestsTo('join'), ...s.requestsTo('stream')]) {
      const { 'x-hf-authorization': hf, ...rest } = r.headers;
      expect(hf).toBe('Bearer hf_secret');
      expect(JSON.stringify(rest)).not.toContain('hf_secret');
    }
    // Hugging Face's own API (the Space's state) gets it as Authorization.
    expect(s.requestsTo('hub')[0]!.headers.authorization).toBe('Bearer hf_secret');
  });

  it('a refused HF token is a warning, the page token is used, and the quota error explains itself', async () => {
    const s = await space({ zeroGpu: { acceptHfToken: 'hf_good', quotaWithoutJwt: true } });
    const { events, error } = await run(s, { hfToken: 'hf_bad' });
    const warning = events.find((e) => e.type === 'status' && e.status.code === 'zerogpu-token-refused');
    expect(warning).toMatchObject({
      status: {
        code: 'zerogpu-token-refused',
        params: {
          reason: 'Hugging Face answered HTTP 401 Unauthorized: Invalid credentials in Authorization header',
        },
      },
    });
    expect(JSON.stringify(events)).not.toContain('hf_bad');
    expect(s.requestsTo('join')[0]!.headers['x-zerogpu-token']).toBe('page-token');
    expect(error).toMatchObject({ code: 'quota', providerId: 'bfl-flux1-dev' });
    expect(error?.message).not.toContain('<a');
    // With the right token the same Space lets the job through.
    expect((await run(s, { hfToken: 'hf_good' })).error).toBeNull();
  });

  it('an unreachable Space page does not stop the job', async () => {
    const s = await space();
    s.setFault({ route: 'page', kind: 'http', status: 500 });
    const { events, error } = await run(s);
    expect(error).toBeNull();
    const reason = 'Hugging Face answered HTTP 500 Internal Server Error: an HTML page';
    expect(events[0]).toEqual({
      type: 'status',
      status: { code: 'zerogpu-no-page-token', params: { reason } },
    });
    expect(s.requestsTo('join')[0]!.headers['x-zerogpu-token']).toBeUndefined();
  });

  it("a space_id that does not match the Space's host is not believed: the token is minted for Dev's own", async () => {
    // Served from 127.0.0.1, not from me-my-flux-dev.hf.space: it could be any Space naming another.
    const s = await space({ spaceId: 'me/my-flux-dev' });
    expect((await run(s, { hfToken: 'hf_x' })).error).toBeNull();
    expect(s.requestsTo('page')[0]!.path).toBe('/spaces/black-forest-labs/FLUX.1-dev');
    expect(s.requestsTo('jwt')[0]!.path).toBe('/api/spaces/black-forest-labs/FLUX.1-dev/jwt');
  });
});

describe('queue API faults', () => {
  it('process_completed with success:false and a null error', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'error-event', message: null, afterMessages: 3 });
    const { error } = await run(s);
    expect(error).toMatchObject({ code: 'space-error', providerId: 'bfl-flux1-dev' });
    expect(error?.message).toMatch(/without details/);
  });

  it('process_completed with an error message', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'error-event', message: 'Prompt too long', afterMessages: 3 });
    expect((await run(s)).error?.message).toBe('The Space reported an error: Prompt too long.');
  });

  it('ZeroGPU quota refusal', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'quota', afterMessages: 3 });
    const { events, error } = await run(s);
    expect(types(events).slice(0, 3)).toEqual(['status', 'queue', 'queue']);
    expect(error?.code).toBe('quota');
    expect(error?.message).toMatch(
      /^You have exceeded your GPU quota \(60s requested vs\. 23s left\)\. Add a Hugging Face token in Settings/,
    );
  });

  it('unexpected_error', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'unexpected-error', message: 'Session not found.' });
    expect((await run(s)).error).toMatchObject({
      code: 'space-error',
      message: 'The Space reported an error: Session not found.',
    });
  });

  it('close_stream before completion, and a clean end without it', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'end-early', afterMessages: 4, closeStream: true }, { times: 1 });
    expect((await run(s)).error?.message).toMatch(/closed the stream before the image was ready/);
    s.setFault({ route: 'stream', kind: 'end-early', afterMessages: 4 }, { times: 1 });
    expect((await run(s)).error?.message).toMatch(/closed the stream before the image was ready/);
  });

  it('cut mid-way', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'cut', afterMessages: 5 });
    const { events, error } = await run(s);
    expect(events.length).toBeGreaterThanOrEqual(5);
    expect(error?.code).toBe('network');
  });

  it.each([
    [429, 'Too Many Requests', 'rate-limited', 1],
    [500, 'Internal Server Error', 'http', 2],
    [503, 'Service Unavailable', 'http', 2],
  ] as const)('HTTP %i (HTML) on queue/join', async (status, reason, code, joins) => {
    const s = await space();
    s.setFault({ route: 'join', kind: 'http', status });
    const { error } = await run(s);
    expect(error).toMatchObject({ status, code, providerId: 'bfl-flux1-dev' });
    expect(error?.message).toBe(`The Space answered HTTP ${status} ${reason}: an HTML page.`);
    // A failed join (not a rate limit) forgets the config and tries once more, after a fresh look.
    expect(s.requestsTo('join')).toHaveLength(joins);
    expect(s.requestsTo('config')).toHaveLength(joins);
    expect(s.requestsTo('hub')).toHaveLength(joins);
  });

  it('a join failing once recovers: the config is read again and the job joins a second time', async () => {
    const s = await space();
    s.setFault({ route: 'join', kind: 'http', status: 500 }, { times: 1 });
    const { events, error } = await run(s);
    expect(error).toBeNull();
    expect(events.at(-1)?.type).toBe('image');
    expect(s.requestsTo('config')).toHaveLength(2);
    expect(s.requestsTo('hub')).toHaveLength(2);
    expect(s.requestsTo('join')).toHaveLength(2);
    expect(s.jobs).toHaveLength(1);
    // Two different sessions: the failed join's hash is not reused.
    const [a, b] = s.requestsTo('join').map((r) => (r.body as { session_hash: string }).session_hash);
    expect(a).not.toBe(b);
  });

  it("the Hugging Face proxy's rate limit (429 page) is rate-limited, not quota, wherever it answers", async () => {
    for (const route of ['config', 'join', 'stream'] as const) {
      const s = await space();
      s.setFault({ route, kind: 'rate-limit' });
      const { error } = await run(s);
      expect(error).toMatchObject({
        code: 'rate-limited',
        status: 429,
        providerId: 'bfl-flux1-dev',
        message: 'The Space answered HTTP 429 Too Many Requests: an HTML page.',
      });
      expect(s.requestsTo('join')).toHaveLength(route === 'config' ? 0 : 1);
    }
  });

  it("a full queue is retried with backoff, then ends as busy in the queue's words", async () => {
    const s = await space();
    s.setFault({ route: 'join', kind: 'queue-full', maxSize: 3, size: 3 });
    const { events, error } = await run(s);
    expect(error).toMatchObject({
      code: 'busy',
      status: 503,
      message: 'The Space answered HTTP 503 Service Unavailable: Queue is full. Max size is 3 and size is 3.',
    });
    // ctx() retries after 10 and 20 ms: two retries, three joins, one config read (it was not the config's fault).
    expect(events.filter((e) => e.type === 'status' && e.status.code === 'busy-retry')).toEqual([
      {
        type: 'status',
        status: { code: 'busy-retry', params: { attempt: 1, waitSeconds: 1 } },
      },
      {
        type: 'status',
        status: { code: 'busy-retry', params: { attempt: 2, waitSeconds: 1 } },
      },
    ]);
    expect(s.requestsTo('join')).toHaveLength(3);
    expect(s.requestsTo('config')).toHaveLength(1);
    expect(s.jobs).toHaveLength(0);
  });

  it('malformed JSON, wrong content type, endless and silent answers to queue/join (once: retried and through)', async () => {
    const s = await space();
    for (const kind of ['malformed-json', 'wrong-content-type', 'endless'] as const) {
      s.setFault({ route: 'join', kind }, { times: 1 });
      expect((await run(s)).error).toBeNull();
    }
    expect(s.jobs.map((j) => j.state)).toEqual(['done', 'done', 'done']);
    s.setFault({ route: 'join', kind: 'malformed-json' }, { times: 2 });
    expect((await run(s)).error).toMatchObject({
      code: 'protocol',
      message: 'The Space sent malformed JSON where an event id was expected.',
    });
    s.setFault({ route: 'join', kind: 'wrong-content-type' }, { times: 2 });
    expect((await run(s)).error).toMatchObject({
      code: 'protocol',
      message: 'The Space sent an HTML page where an event id (JSON) was expected.',
    });
    s.setFault({ route: 'join', kind: 'endless' }, { times: 2 });
    expect((await run(s)).error).toMatchObject({
      code: 'protocol',
      message: 'The Space sent an answer larger than 1024 KB.',
    });
    s.setFault({ route: 'join', kind: 'hang' }, { times: 1 });
    expect((await run(s, { idleTimeoutMs: 200 })).error).toMatchObject({
      code: 'timeout',
      message: 'The Space did not answer within 200 ms.',
    });
    expect(s.jobs).toHaveLength(3);
  });

  it('malformed JSON, wrong content type, endless and silent streams', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'malformed-json' }, { times: 1 });
    expect((await run(s)).error).toMatchObject({ code: 'protocol' });
    s.setFault({ route: 'stream', kind: 'wrong-content-type' }, { times: 1 });
    expect((await run(s)).error?.message).toMatch(/HTML page where an event stream was expected/);
    s.setFault({ route: 'stream', kind: 'endless' }, { times: 1 });
    expect((await run(s)).error?.message).toMatch(/never ends/);
    s.setFault({ route: 'stream', kind: 'stall' }, { times: 1 });
    expect((await run(s, { idleTimeoutMs: 150 })).error).toMatchObject({ code: 'timeout' });
    s.setFault({ route: 'stream', kind: 'heartbeats-only' }, { times: 1 });
    expect((await run(s, { progressTimeoutMs: 100 })).error?.message).toMatch(/made no progress for 100 ms/);
  });
});
