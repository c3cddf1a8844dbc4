/**
 * A user cancel: AbortSignal stops the requests and Gradio's cancel endpoint is called with what
 * routes.py `cancel_event` needs (session_hash, fn_index, event_id), on both APIs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bflFlux1Dev } from '../../main/providers/bfl-flux1-dev';
import { bflFlux1Schnell } from '../../main/providers/bfl-flux1-schnell';
import type { Provider } from '../../main/providers/types';
import { startFakeSpace, type FakeSpace, type FakeSpaceOptions } from '../fake-space';
import { ctx, params } from './helpers';

const spaces: FakeSpace[] = [];
afterEach(async () => {
  await Promise.all(spaces.splice(0).map((s) => s.close()));
});

interface Case {
  name: string;
  provider: Provider;
  options: FakeSpaceOptions;
  api: 'queue' | 'call';
  /** The fn_index the cancel names: /config's (2) on the queue API, the provider's fallback without it. */
  fnIndex: number;
}

const CASES: Case[] = [
  { name: 'queue API (Dev)', provider: bflFlux1Dev, options: {}, api: 'queue', fnIndex: 2 },
  { name: 'queue API (Schnell)', provider: bflFlux1Schnell, options: { layout: 'schnell' }, api: 'queue', fnIndex: 2 },
  {
    name: 'call API (Dev, no /config)',
    provider: bflFlux1Dev,
    options: { serveConfig: false },
    api: 'call',
    fnIndex: 2,
  },
  {
    name: 'call API (Schnell, no /config)',
    provider: bflFlux1Schnell,
    // Without /config the Schnell Spaces' fn_index cannot be known: the provider guesses 0, so this
    // Space puts `infer` there (on a Space where it is elsewhere, the cancel cannot stop the job).
    options: { layout: 'schnell', serveConfig: false, fnIndex: 0 },
    api: 'call',
    fnIndex: 0,
  },
];

async function space(o: FakeSpaceOptions, previews = 2): Promise<FakeSpace> {
  const s = await startFakeSpace({ ...o, timing: { stepMs: 40, heartbeatMs: 10, previews } });
  spaces.push(s);
  return s;
}

describe.each(CASES)('cancel on the $name', ({ provider, options, api, fnIndex }) => {
  it('aborting stops the job, throws cancelled and calls the cancel endpoint', async () => {
    const s = await space(options);
    const controller = new AbortController();
    const seen: string[] = [];
    let thrown: unknown = null;
    try {
      for await (const ev of provider.generate(params(), ctx(s.url, { signal: controller.signal }))) {
        seen.push(ev.type);
        if (ev.type === 'preview') controller.abort();
      }
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'cancelled' });
    expect(seen).not.toContain('image');
    const job = s.jobs[0]!;
    expect(job.api).toBe(api);
    if (api === 'call') expect(job.sessionHash).toBe(job.eventId);
    const cancels = s.requestsTo('cancel');
    expect(cancels).toHaveLength(1);
    expect(cancels[0]!.path).toBe('/gradio_api/cancel');
    // The call API's session is its event id (the POST carried no session_hash).
    expect(cancels[0]!.body).toEqual({ session_hash: job.sessionHash, fn_index: fnIndex, event_id: job.eventId });
    await expect.poll(() => job.state, { timeout: 2000 }).toBe('cancelled');
    await expect.poll(() => s.openStreams(), { timeout: 2000 }).toBe(0);
  });

  it('a consumer that stops reading also cancels on the Space', async () => {
    const s = await space(options);
    for await (const ev of provider.generate(params(), ctx(s.url))) {
      if (ev.type === 'preview') break;
    }
    expect(s.requestsTo('cancel')).toHaveLength(1);
    expect(s.requestsTo('cancel')[0]!.body).toMatchObject({ event_id: s.jobs[0]!.eventId, fn_index: fnIndex });
    await expect.poll(() => s.jobs[0]!.state, { timeout: 2000 }).toBe('cancelled');
    await expect.poll(() => s.openStreams(), { timeout: 2000 }).toBe(0);
  });
});

describe('a cancel the Space does not take', () => {
  it.each([
    ['queue', {}],
    ['call', { serveConfig: false }],
  ] as const)(
    'on the %s API: refused (HTTP 500) or never answered, the job still ends as cancelled',
    async (_api, o) => {
      for (const fault of [{ kind: 'http', status: 500 }, { kind: 'hang' }] as const) {
        const s = await space({ layout: 'schnell', ...o });
        s.setFault({ route: 'cancel', ...fault });
        const controller = new AbortController();
        let thrown: unknown = null;
        try {
          // A short idle timeout bounds the cancel request that hangs.
          const c = ctx(s.url, { signal: controller.signal, idleTimeoutMs: 300, hfToken: 'hf_tok' });
          for await (const ev of bflFlux1Schnell.generate(params(), c)) if (ev.type === 'preview') controller.abort();
        } catch (err) {
          thrown = err;
        }
        expect(thrown).toMatchObject({ code: 'cancelled', message: 'Cancelled.' });
        const cancel = s.requestsTo('cancel');
        expect(cancel).toHaveLength(1);
        // The cancel goes with the job's identity.
        expect(cancel[0]!.headers['x-hf-authorization']).toBe('Bearer hf_tok');
      }
    },
  );
});

describe('cancel before the job exists', () => {
  it('an already aborted signal makes no job and no cancel request', async () => {
    const s = await startFakeSpace({ layout: 'schnell' });
    spaces.push(s);
    const controller = new AbortController();
    controller.abort();
    const gen = bflFlux1Schnell.generate(params(), ctx(s.url, { signal: controller.signal }));
    await expect(gen.next()).rejects.toMatchObject({ code: 'cancelled' });
    expect(s.jobs).toHaveLength(0);
    expect(s.requestsTo('join')).toHaveLength(0);
    expect(s.requestsTo('cancel')).toHaveLength(0);
  });

  it('a cancel while a sleeping Space wakes stops the wait: no job, no cancel request', async () => {
    const s = await startFakeSpace({ layout: 'schnell' });
    spaces.push(s);
    s.setStage('SLEEPING', { wakeAfterPolls: 1000 });
    const controller = new AbortController();
    const seen: string[] = [];
    let thrown: unknown = null;
    try {
      for await (const ev of bflFlux1Schnell.generate(params(), ctx(s.url, { signal: controller.signal }))) {
        seen.push(ev.type === 'status' ? ev.status.code : ev.type);
        if (ev.type === 'status' && ev.status.code === 'space-starting') controller.abort();
      }
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'cancelled' });
    expect(seen).toEqual(['space-starting']);
    expect(s.requestsTo('join')).toHaveLength(0);
    expect(s.requestsTo('cancel')).toHaveLength(0);
  });
});
