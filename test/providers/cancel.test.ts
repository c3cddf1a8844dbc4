/** A user cancel: AbortSignal stops the requests and Gradio's cancel endpoint is called. */
import { afterEach, describe, expect, it } from 'vitest';
import { bflFlux1Dev } from '../../main/providers/bfl-flux1-dev';
import { bflFlux1Schnell } from '../../main/providers/bfl-flux1-schnell';
import type { Provider } from '../../main/providers/types';
import { startFakeSpace, type FakeSpace } from '../fake-space';
import { ctx, params } from './helpers';

const spaces: FakeSpace[] = [];
afterEach(async () => {
  await Promise.all(spaces.splice(0).map((s) => s.close()));
});

describe.each([
  ['queue API (Dev)', bflFlux1Dev, 'preview'],
  ['call API (Schnell)', bflFlux1Schnell, 'preview'],
] as [string, Provider, string][])('cancel on the %s', (_name, provider, cancelAfter) => {
  it('aborting stops the job, throws cancelled and calls the cancel endpoint', async () => {
    const s = await startFakeSpace({ timing: { stepMs: 40, heartbeatMs: 10, previews: 2 } });
    spaces.push(s);
    const controller = new AbortController();
    const seen: string[] = [];
    let thrown: unknown = null;
    try {
      for await (const ev of provider.generate(params(), ctx(s.url, { signal: controller.signal }))) {
        seen.push(ev.type);
        if (ev.type === cancelAfter) controller.abort();
      }
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'cancelled' });
    expect(seen).not.toContain('image');
    const job = s.jobs[0]!;
    const cancel = s.requestsTo('cancel')[0];
    expect(cancel?.path).toBe('/gradio_api/cancel');
    expect(cancel?.body).toEqual({ session_hash: job.sessionHash, fn_index: 2, event_id: job.eventId });
    expect(job.state).toBe('cancelled');
    await expect.poll(() => s.openStreams(), { timeout: 1000 }).toBe(0);
  });

  it('a consumer that stops reading also cancels on the Space', async () => {
    const s = await startFakeSpace({ timing: { stepMs: 40, heartbeatMs: 10 } });
    spaces.push(s);
    for await (const ev of provider.generate(params(), ctx(s.url))) {
      if (ev.type === 'preview') break;
    }
    expect(s.requestsTo('cancel')).toHaveLength(1);
    expect(s.jobs[0]!.state).toBe('cancelled');
    await expect.poll(() => s.openStreams(), { timeout: 1000 }).toBe(0);
  });
});

describe('cancel before the job exists', () => {
  it('an already aborted signal makes no job and no cancel request', async () => {
    const s = await startFakeSpace();
    spaces.push(s);
    const controller = new AbortController();
    controller.abort();
    const gen = bflFlux1Schnell.generate(params(), ctx(s.url, { signal: controller.signal }));
    await expect(gen.next()).rejects.toMatchObject({ code: 'cancelled' });
    expect(s.jobs).toHaveLength(0);
    expect(s.requestsTo('cancel')).toHaveLength(0);
  });
});
