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
      'image',
    ]);
    expect(events.filter((e) => e.type === 'queue')).toEqual([
      { type: 'queue', position: 3, size: 3, eta: 0.006 },
      { type: 'queue', position: 2, size: 3, eta: 0.004 },
      { type: 'queue', position: 1, size: 3, eta: 0.002 },
    ]);
    expect(
      events.filter((e) => e.type === 'progress').map((e) => e.type === 'progress' && [e.step, e.total, e.unit]),
    ).toEqual([
      [1, 4, 'steps'],
      [2, 4, 'steps'],
      [3, 4, 'steps'],
      [4, 4, 'steps'],
    ]);
    expect(events).toContainEqual({ type: 'status', message: 'ZeroGPU: waiting for a GPU slice.' });
    const previews = events.flatMap((e) => (e.type === 'preview' ? [e.url] : []));
    expect(previews).toHaveLength(3);
    expect(new Set(previews).size).toBe(3);
    for (const [i, url] of previews.entries())
      expect(url).toMatch(new RegExp(`^${s.url}/gradio_api/file=/tmp/gradio/\\w+/preview${i + 1}\\.webp$`));
    expect(events.at(-1)).toMatchObject({ type: 'image', seed: 5 });

    const join = s.requestsTo('join')[0]!;
    expect(join.path).toBe('/gradio_api/queue/join');
    expect(join.query).toEqual({ __theme: 'light' });
    const body = join.body as Record<string, unknown>;
    expect(body).toMatchObject({ fn_index: 2, trigger_id: 4, event_data: null });
    expect(body.data).toEqual(['a red fox', 5, false, 1024, 1024, 3.5, 20]);
    expect(join.headers.referer).toBe(`${s.url}/?__theme=light`);
    const stream = s.requestsTo('stream')[0]!;
    expect(stream.query.session_hash).toBe(body.session_hash);
    expect(stream.headers.accept).toBe('text/event-stream');
  });

  it('derives the size from the aspect ratio (explicit sizes win), default 28 steps', () => {
    expect(bflFlux1Dev.resolve(params({ aspectRatio: '16:9' }))).toMatchObject({
      width: 1024,
      height: 576,
      steps: 28,
      guidance: 3.5,
    });
    expect(bflFlux1Dev.resolve(params({ aspectRatio: '3:2' }))).toMatchObject({ width: 1024, height: 680 });
    expect(bflFlux1Dev.resolve(params({ aspectRatio: '16:9', width: 800, guidance: 7 }))).toMatchObject({
      width: 800,
      height: 576,
      guidance: 7,
    });
    expect(bflFlux1Dev.info('http://x')).toMatchObject({
      protocol: 'queue',
      supportsGuidance: true,
      defaults: { steps: 28, guidance: 3.5 },
    });
  });

  it('takes fn_index and trigger_id from /config', async () => {
    const s = await space({ fnIndex: 7, triggerId: 12 });
    expect((await run(s)).error).toBeNull();
    expect(s.requestsTo('join')[0]!.body).toMatchObject({ fn_index: 7, trigger_id: 12 });
  });

  it('works on a bare-prefix Space without /config (falls back to the built-in ids)', async () => {
    const s = await space({ apiPrefix: '', serveConfig: false });
    const { events, error } = await run(s);
    expect(error).toBeNull();
    expect(s.requestsTo('join').map((r) => r.path)).toEqual(['/queue/join']);
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

  it('with an HF token: the jwt endpoint token, sent with the page uuid; the HF token never reaches the Space', async () => {
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
    for (const r of [...s.requestsTo('join'), ...s.requestsTo('stream')])
      expect(JSON.stringify(r.headers)).not.toContain('hf_secret');
  });

  it('a refused HF token is a warning, the page token is used, and the quota error explains itself', async () => {
    const s = await space({ zeroGpu: { acceptHfToken: 'hf_good', quotaWithoutJwt: true } });
    const { events, error } = await run(s, { hfToken: 'hf_bad' });
    const warning = events.find((e) => e.type === 'status' && /token could not be used/.test(e.message));
    expect(warning).toMatchObject({
      message:
        'Your Hugging Face token could not be used for ZeroGPU (Hugging Face answered HTTP 401 Unauthorized: Invalid credentials in Authorization header); using the anonymous quota.',
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
    expect(events[0]).toMatchObject({ type: 'status' });
    expect(events[0]).toEqual({
      type: 'status',
      message:
        'Could not read the ZeroGPU token from the Space page (Hugging Face answered HTTP 500 Internal Server Error: an HTML page ("500 Something went wrong")).',
    });
    expect(s.requestsTo('join')[0]!.headers['x-zerogpu-token']).toBeUndefined();
  });

  it('a duplicated Space (space_id in /config) gets its own token', async () => {
    const s = await space({ spaceId: 'me/my-flux-dev' });
    expect((await run(s, { hfToken: 'hf_x' })).error).toBeNull();
    expect(s.requestsTo('page')[0]!.path).toBe('/spaces/me/my-flux-dev');
    expect(s.requestsTo('jwt')[0]!.path).toBe('/api/spaces/me/my-flux-dev/jwt');
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

  it.each([429, 500, 503])('HTTP %i (HTML) on queue/join', async (status) => {
    const s = await space();
    s.setFault({ route: 'join', kind: 'http', status });
    const { error } = await run(s);
    expect(error?.status).toBe(status);
    expect(error?.message).toMatch(new RegExp(`^The Space answered HTTP ${status} `));
    expect(error?.message).not.toMatch(/<|DOCTYPE/);
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
