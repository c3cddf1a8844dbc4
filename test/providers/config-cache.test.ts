/**
 * The core's Space config cache (main/providers/gradio/config.ts) as the providers use it, over real
 * HTTP: a config that was read is kept (10 min), a failed or missing one is asked for again, a join
 * failure forgets it, and the API a job takes follows what /config says.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bflFlux1Schnell } from '../../main/providers/bfl-flux1-schnell';
import { createSpaceConfigCache } from '../../main/providers/gradio/config';
import { startFakeSpace, type FakeSpace, type FakeSpaceOptions } from '../fake-space';
import { collect, ctx, params } from './helpers';

const spaces: FakeSpace[] = [];
afterEach(async () => {
  await Promise.all(spaces.splice(0).map((s) => s.close()));
});
async function space(o: FakeSpaceOptions = {}): Promise<FakeSpace> {
  const s = await startFakeSpace({
    layout: 'schnell',
    ...o,
    timing: { stepMs: 1, heartbeatMs: 50, queueUpdates: 1, progressSteps: 1, previews: 0, ...o.timing },
  });
  spaces.push(s);
  return s;
}
const apis = (s: FakeSpace) => s.requestsTo('join').map((r) => (r.path.endsWith('/queue/join') ? 'queue' : 'call'));

describe('Space config cache', () => {
  it('a config that was read serves the next jobs until its time is up', async () => {
    const s = await space();
    let t = 0;
    const c = ctx(s.url, { configs: createSpaceConfigCache({ ttlMs: 1000, now: () => t }) });
    const job = async () => expect((await collect(bflFlux1Schnell.generate(params(), c))).error).toBeNull();
    await job();
    t = 999;
    await job();
    expect(s.requestsTo('config')).toHaveLength(1);
    expect(c.configs.peek(s.url)).toMatchObject({ known: true, apiPrefix: '/gradio_api', version: '5.49.1' });
    t = 1000;
    await job();
    expect(s.requestsTo('config')).toHaveLength(2);
    expect(apis(s)).toEqual(['queue', 'queue', 'queue']);
  });

  it('a /config that fails is not cached: the job reads it again (re-probe), and so does the next job', async () => {
    const s = await space();
    const c = ctx(s.url);
    // A 500 on /config: the job forgets the config, looks at the Space again and reads it once more.
    s.setFault({ route: 'config', kind: 'http', status: 500 }, { times: 2 });
    const first = await collect(bflFlux1Schnell.generate(params(), c));
    expect(first.error).toMatchObject({ code: 'http', status: 500 });
    expect(s.requestsTo('config')).toHaveLength(2);
    expect(c.configs.peek(s.url)).toBeNull();
    // Nothing of the failure was kept: the next job reads it and takes the queue API.
    expect((await collect(bflFlux1Schnell.generate(params(), c))).error).toBeNull();
    expect(s.requestsTo('config')).toHaveLength(3);
    expect(apis(s)).toEqual(['queue']);
  });

  it('a /config failing once does not fail the job', async () => {
    const s = await space();
    s.setFault({ route: 'config', kind: 'http', status: 500 }, { times: 1 });
    const { error } = await collect(bflFlux1Schnell.generate(params(), ctx(s.url)));
    expect(error).toBeNull();
    expect(s.requestsTo('config')).toHaveLength(2);
    expect(s.requestsTo('hub')).toHaveLength(2);
    expect(apis(s)).toEqual(['queue']);
  });

  it('a missing /config (HTML where JSON belongs) sends the job to the call API, uncached', async () => {
    const s = await space();
    const c = ctx(s.url);
    s.setFault({ route: 'config', kind: 'wrong-content-type' }, { times: 1 });
    expect((await collect(bflFlux1Schnell.generate(params(), c))).error).toBeNull();
    expect(apis(s)).toEqual(['call']);
    expect(s.requestsTo('join')[0]!.body).not.toHaveProperty('session_hash');
    expect(c.spaces.protocol('bfl-flux1-schnell')).toBe('call');
  });

  // After a job on the call API only the prefix is remembered: the missing /config is asked for again,
  // so a Space whose /config comes back is driven through the queue API at once.
  it('a missing /config is asked for again on the next job, even after a call API job', async () => {
    const s = await space();
    const c = ctx(s.url);
    s.setFault({ route: 'config', kind: 'wrong-content-type' }, { times: 1 });
    expect((await collect(bflFlux1Schnell.generate(params(), c))).error).toBeNull();
    expect((await collect(bflFlux1Schnell.generate(params(), c))).error).toBeNull();
    expect(s.requestsTo('config')).toHaveLength(2);
    expect(apis(s)).toEqual(['call', 'queue']);
  });

  it('the prefix that worked on the call API is remembered: no second probe', async () => {
    const s = await space({ gradioVersion: '4.44', serveConfig: false });
    const c = ctx(s.url);
    expect((await collect(bflFlux1Schnell.generate(params(), c))).error).toBeNull();
    expect(c.configs.peek(s.url)).toMatchObject({ apiPrefix: '', known: false });
    expect((await collect(bflFlux1Schnell.generate(params(), c))).error).toBeNull();
    expect(s.requestsTo('other').map((r) => r.path)).toEqual(['/gradio_api/call/infer']);
    expect(s.requestsTo('join').map((r) => r.path)).toEqual(['/call/infer', '/call/infer']);
  });

  it('a join failure forgets the config: the retry reads it again and the next job uses the fresh one', async () => {
    const s = await space();
    const c = ctx(s.url);
    s.setFault(
      { route: 'join', kind: 'http', status: 400, body: 'json', message: 'Session hash not found.' },
      {
        times: 1,
      },
    );
    const { error } = await collect(bflFlux1Schnell.generate(params(), c));
    expect(error).toBeNull();
    expect(s.requestsTo('config')).toHaveLength(2);
    expect(s.requestsTo('join')).toHaveLength(2);
    expect((await collect(bflFlux1Schnell.generate(params(), c))).error).toBeNull();
    expect(s.requestsTo('config')).toHaveLength(2);
    expect(apis(s)).toEqual(['queue', 'queue', 'queue']);
  });

  it('one cache per core: a fresh context reads /config itself', async () => {
    const s = await space();
    expect((await collect(bflFlux1Schnell.generate(params(), ctx(s.url)))).error).toBeNull();
    expect((await collect(bflFlux1Schnell.generate(params(), ctx(s.url)))).error).toBeNull();
    expect(s.requestsTo('config')).toHaveLength(2);
    expect(s.requestsTo('hub')).toHaveLength(2);
  });
});
