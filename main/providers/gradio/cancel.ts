/**
 * Gradio's cancel endpoint: `POST {base}{prefix}/cancel` with `{session_hash, fn_index, event_id}`
 * tells the Space to stop working for us. Best effort: bounded in time, never throws.
 */
import type { Dispatcher } from 'undici';
import { requestJson } from './http';

export interface CancelTarget {
  base: string;
  apiPrefix: string;
  sessionHash: string;
  fnIndex: number;
  eventId: string;
  dispatcher?: Dispatcher;
  timeoutMs: number;
}

export async function cancelOnSpace(t: CancelTarget): Promise<boolean> {
  try {
    await requestJson(
      `${t.base}${t.apiPrefix}/cancel`,
      {
        method: 'POST',
        json: { session_hash: t.sessionHash, fn_index: t.fnIndex, event_id: t.eventId },
        expected: 'an acknowledgement',
      },
      {
        // Its own signal: the job's one is usually the aborted one.
        signal: new AbortController().signal,
        idleTimeoutMs: t.timeoutMs,
        ...(t.dispatcher ? { dispatcher: t.dispatcher } : {}),
      },
      'The Space',
    );
    return true;
  } catch {
    return false;
  }
}
