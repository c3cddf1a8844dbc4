/**
 * Gradio's 15 s heartbeat (routes.py `queue_data_helper`, `heartbeat_rate = 15`) at its real rate,
 * on every version and both APIs: a Space that only keeps the stream alive must not trip the app's
 * idle timeout, and heartbeats must never count as progress. The four versions run at once, so the
 * file takes one heartbeat period.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { callApi, createSpaceConfigCache, queueApi, type GradioEvent } from '../../main/providers/gradio';
import { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_PROGRESS_TIMEOUT_MS } from '../../main/providers/types';
import { newSessionHash } from '../../main/providers/session';
import { GRADIO_VERSIONS, startFakeSpace, type FakeSpace } from '../fake-space';

const UPSTREAM_HEARTBEAT_MS = 15_000;
const spaces: FakeSpace[] = [];
afterAll(async () => {
  await Promise.all(spaces.map((s) => s.close()));
});

/** Reads events until the first heartbeat, then stops (which cancels the job on the Space). */
async function firstHeartbeat(events: AsyncGenerator<GradioEvent, void, void>): Promise<GradioEvent[]> {
  const seen: GradioEvent[] = [];
  for await (const ev of events) {
    seen.push(ev);
    if (ev.type === 'heartbeat') break;
  }
  return seen;
}

describe('heartbeats at the real rate', () => {
  it('the app waits longer than one heartbeat period before calling a stream idle', () => {
    expect(DEFAULT_IDLE_TIMEOUT_MS).toBeGreaterThan(2 * UPSTREAM_HEARTBEAT_MS);
    expect(DEFAULT_PROGRESS_TIMEOUT_MS).toBeGreaterThan(DEFAULT_IDLE_TIMEOUT_MS);
  });

  for (const version of GRADIO_VERSIONS) {
    for (const api of ['queue', 'call'] as const) {
      it.concurrent(
        `Gradio ${version}, ${api} API: a silent Space's heartbeat reaches the client`,
        async () => {
          // Default timing: upstream's 15 s heartbeat. The job never progresses, only keeps alive.
          const s = await startFakeSpace({ gradioVersion: version, layout: 'schnell', serveConfig: api === 'queue' });
          spaces.push(s);
          s.setFault({ route: 'stream', kind: 'heartbeats-only' });
          const http = { signal: new AbortController().signal, idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS };
          const config = await createSpaceConfigCache().get(s.url, http);
          const call = {
            base: s.url,
            config,
            apiName: 'infer',
            fallbackFnIndex: 2,
            data: ['a fox', 1, false, 512, 512, 2],
            idleTimeoutMs: DEFAULT_IDLE_TIMEOUT_MS,
            progressTimeoutMs: DEFAULT_PROGRESS_TIMEOUT_MS,
            http: { signal: http.signal },
          };
          const events = await firstHeartbeat(
            api === 'queue'
              ? queueApi({ ...call, sessionHash: newSessionHash(), fallbackTriggerId: null })
              : callApi(call),
          );
          expect(events[0]?.type).toBe('joined');
          expect(events.at(-1)?.type).toBe('heartbeat');
          expect(events.some((e) => e.type === 'complete')).toBe(false);
        },
        4 * UPSTREAM_HEARTBEAT_MS,
      );
    }
  }
});
