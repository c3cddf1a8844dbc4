/** The Schnell providers (Gradio call API) over real HTTP against the fake Space. */
import { afterEach, describe, expect, it } from 'vitest';
import { bflFlux1Schnell } from '../../main/providers/bfl-flux1-schnell';
import { voodoohopFlux1Schnell } from '../../main/providers/voodoohop-flux1-schnell';
import { startFakeSpace, type FakeSpace, type FakeSpaceOptions } from '../fake-space';
import { collect, ctx, params, types } from './helpers';

const spaces: FakeSpace[] = [];
afterEach(async () => {
  await Promise.all(spaces.splice(0).map((s) => s.close()));
});
async function space(o: FakeSpaceOptions = {}): Promise<FakeSpace> {
  const s = await startFakeSpace({ timing: { stepMs: 2, heartbeatMs: 5, ...o.timing }, ...o });
  spaces.push(s);
  return s;
}

describe('call API providers', () => {
  it('streams status, previews and the image with its seed; sends the Schnell layout', async () => {
    const s = await space();
    const { events, error } = await collect(
      bflFlux1Schnell.generate(
        params({ width: 517, height: 33, steps: 3, seed: 77, randomizeSeed: false }),
        ctx(s.url),
      ),
    );
    expect(error).toBeNull();
    expect(types(events)).toEqual(['status', 'preview', 'preview', 'image']);
    const image = events.at(-1);
    expect(image).toMatchObject({ type: 'image', seed: 77 });
    expect(image?.type === 'image' && image.url).toMatch(
      new RegExp(`^${s.url}/gradio_api/file=/tmp/gradio/\\w+/image\\.webp$`),
    );
    const previews = events.filter((e) => e.type === 'preview').map((e) => e.type === 'preview' && e.url);
    expect(new Set(previews).size).toBe(2);

    const join = s.requestsTo('join')[0]!;
    expect(join.path).toBe('/gradio_api/call/infer');
    // Width rounded down to a multiple of 8; height floored at 32.
    expect((join.body as { data: unknown[] }).data).toEqual(['a red fox', 77, false, 512, 32, 3]);
    expect(typeof (join.body as { session_hash: unknown }).session_hash).toBe('string');
    expect(s.requestsTo('stream')[0]!.path).toBe(`/gradio_api/call/infer/${s.jobs[0]!.eventId}`);
    expect(s.requestsTo('cancel')).toHaveLength(0);
  });

  it('defaults to 768×768 and 2 steps; an aspect ratio keeps a 768 long side', async () => {
    expect(voodoohopFlux1Schnell.resolve(params())).toMatchObject({ width: 768, height: 768, steps: 2 });
    expect(voodoohopFlux1Schnell.resolve(params({ aspectRatio: '16:9' }))).toMatchObject({ width: 768, height: 432 });
    expect(voodoohopFlux1Schnell.resolve(params({ aspectRatio: '2:3', width: 1001 }))).toMatchObject({
      width: 1000,
      height: 768,
    });
    const info = voodoohopFlux1Schnell.info('http://x');
    expect(info).toMatchObject({
      id: 'voodoohop-flux1-schnell',
      protocol: 'call',
      supportsGuidance: false,
      sizeMultiple: 8,
    });
  });

  it('works on a Gradio 4 Space (no prefix announced in /config)', async () => {
    const s = await space({ apiPrefix: '' });
    const { events, error } = await collect(voodoohopFlux1Schnell.generate(params(), ctx(s.url)));
    expect(error).toBeNull();
    expect(s.requestsTo('join').map((r) => r.path)).toEqual(['/call/infer']);
    const image = events.at(-1);
    expect(image?.type === 'image' && image.url).toMatch(new RegExp(`^${s.url}/file=`));
  });

  it('probes the prefix when /config is missing: /gradio_api first, bare on 404', async () => {
    const bare = await space({ apiPrefix: '', serveConfig: false });
    const r1 = await collect(bflFlux1Schnell.generate(params(), ctx(bare.url)));
    expect(r1.error).toBeNull();
    expect(bare.requestsTo('other').map((r) => r.path)).toEqual(['/gradio_api/call/infer']);
    expect(bare.requestsTo('join').map((r) => r.path)).toEqual(['/call/infer']);
    // The prefix that worked is remembered: no second probe.
    await collect(bflFlux1Schnell.generate(params(), ctx(bare.url)));
    expect(bare.requestsTo('other')).toHaveLength(1);

    const g5 = await space({ serveConfig: false });
    expect((await collect(bflFlux1Schnell.generate(params(), ctx(g5.url)))).error).toBeNull();
    expect(g5.requestsTo('join').map((r) => r.path)).toEqual(['/gradio_api/call/infer']);
  });

  it('builds file URLs from a path, and accepts a bare path string (old servers)', async () => {
    for (const fileOutput of ['path-only', 'string'] as const) {
      const s = await space({ fileOutput, timing: { previews: 0 } });
      const { events } = await collect(bflFlux1Schnell.generate(params(), ctx(s.url)));
      const image = events.at(-1);
      expect(image?.type).toBe('image');
      expect(image?.type === 'image' && image.url).toMatch(new RegExp(`^${s.url}/gradio_api/file=/tmp/gradio/`));
    }
  });

  it('ignores heartbeats but a Space sending only heartbeats times out (no progress)', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'heartbeats-only' });
    const started = Date.now();
    const { events, error } = await collect(
      bflFlux1Schnell.generate(params(), ctx(s.url, { idleTimeoutMs: 1000, progressTimeoutMs: 150 })),
    );
    expect(types(events)).toEqual(['status']);
    expect(error).toMatchObject({ code: 'timeout', providerId: 'bfl-flux1-schnell' });
    expect(error?.message).toMatch(/made no progress/);
    expect(Date.now() - started).toBeLessThan(1000);
    // A Space that stopped on its own is told to stop working for us too.
    await s.waitForRequest((r) => r.route === 'cancel', 1000);
  });
});

describe('call API faults', () => {
  const run = async (s: FakeSpace, idleTimeoutMs = 2000) =>
    collect(bflFlux1Schnell.generate(params(), ctx(s.url, { idleTimeoutMs })));

  it('error event without a message', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'error-event', message: null });
    const { error } = await run(s);
    expect(error).toMatchObject({ code: 'space-error', providerId: 'bfl-flux1-schnell' });
    expect(error?.message).toMatch(/without details/);
  });

  it('error event with a message', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'error-event', message: 'NSFW content detected', afterMessages: 2 });
    const { events, error } = await run(s);
    expect(types(events)).toEqual(['status', 'preview', 'preview']);
    expect(error?.message).toBe('The Space reported an error: NSFW content detected.');
  });

  it('quota refusal, cut at the link', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'quota' });
    const { error } = await run(s);
    expect(error?.code).toBe('quota');
    expect(error?.message).toMatch(
      /^You have exceeded your GPU quota \(60s requested vs\. 23s left\)\. Add a Hugging Face token/,
    );
    expect(error?.message).not.toMatch(/<a|href/);
  });

  it.each([429, 500, 503])('HTTP %i with an HTML page on join', async (status) => {
    const s = await space();
    s.setFault({ route: 'join', kind: 'http', status, message: 'Service Unavailable' });
    const { error } = await run(s);
    expect(error?.status).toBe(status);
    expect(error?.code).toBe(status === 429 ? 'quota' : 'http');
    expect(error?.message).toMatch(
      new RegExp(`^The Space answered HTTP ${status} .*an HTML page \\("${status} Service Unavailable"\\)\\.$`),
    );
    expect(error?.message).not.toMatch(/<|script/);
  });

  it('HTTP 500 with a JSON body on the stream', async () => {
    const s = await space();
    s.setFault({ route: 'stream', kind: 'http', status: 500, body: 'json', message: 'worker crashed' });
    const { error } = await run(s);
    expect(error).toMatchObject({
      code: 'http',
      status: 500,
      message: 'The Space answered HTTP 500 Internal Server Error: worker crashed.',
    });
  });

  it('a Space that is down on /config', async () => {
    const s = await space();
    s.setFault({ route: 'config', kind: 'http', status: 503, message: 'Space is sleeping' });
    const { error } = await run(s);
    expect(error).toMatchObject({ code: 'space-asleep', status: 503 });
    expect(s.requestsTo('join')).toHaveLength(0);
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
    expect(error?.message).toMatch(/closed the stream before the image was ready/);
  });

  it('malformed JSON on join and in the stream', async () => {
    const s = await space();
    s.setFault({ route: 'join', kind: 'malformed-json' }, { times: 1 });
    expect((await run(s)).error).toMatchObject({
      code: 'protocol',
      message: 'The Space sent malformed JSON where an event id was expected.',
    });
    s.setFault({ route: 'stream', kind: 'malformed-json' }, { times: 1 });
    const r = await run(s);
    expect(r.error).toMatchObject({ code: 'protocol' });
    expect(r.error?.message).toMatch(/malformed JSON in its event stream/);
  });

  it('wrong content types: HTML instead of JSON, HTML instead of an event stream', async () => {
    const s = await space();
    s.setFault({ route: 'join', kind: 'wrong-content-type' }, { times: 1 });
    expect((await run(s)).error?.message).toBe('The Space sent an HTML page where an event id (JSON) was expected.');
    s.setFault({ route: 'stream', kind: 'wrong-content-type' }, { times: 1 });
    expect((await run(s)).error?.message).toBe('The Space sent an HTML page where an event stream was expected.');
  });

  it('endless bodies: a JSON answer and an event that never end', async () => {
    const s = await space();
    s.setFault({ route: 'join', kind: 'endless' }, { times: 1 });
    const r1 = await run(s);
    expect(r1.error).toMatchObject({ code: 'protocol' });
    expect(r1.error?.message).toMatch(/larger than 1024 KB/);
    s.setFault({ route: 'stream', kind: 'endless' }, { times: 1 });
    const r2 = await run(s);
    expect(r2.error?.message).toMatch(/an event that never ends/);
  });

  it('slow-loris: accepted, never answered (join) and headers then silence (stream)', async () => {
    const s = await space();
    s.setFault({ route: 'join', kind: 'hang' }, { times: 1 });
    const t0 = Date.now();
    const r1 = await run(s, 200);
    expect(r1.error).toMatchObject({ code: 'timeout' });
    expect(Date.now() - t0).toBeLessThan(1500);
    s.setFault({ route: 'stream', kind: 'stall' }, { times: 1 });
    const r2 = await run(s, 200);
    expect(r2.error).toMatchObject({ code: 'timeout', message: 'The Space stopped answering (timed out).' });
  });

  it('422 validation error from the Space is readable', async () => {
    const s = await space();
    const { error } = await collect(bflFlux1Schnell.generate({ ...params(), width: 4096 }, ctx(s.url)));
    expect(error).toMatchObject({
      code: 'http',
      status: 422,
      message: 'The Space answered HTTP 422 Unprocessable Entity: bad size.',
    });
  });
});
