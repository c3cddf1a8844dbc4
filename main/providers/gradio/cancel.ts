/**
 * Gradio's cancel endpoint: `POST {base}{prefix}/cancel` with `{session_hash, fn_index, event_id}`
 * (all required: routes.py `cancel_event`) tells the Space to stop working for us. Best effort:
 * bounded in time, never throws.
 */
import type { Dispatcher } from 'undici';
import { requestJson } from './http';
import type { Joined } from './join';
import type { GradioJob } from './types';

/** A job of either API, as far as cancelling it goes. */
export interface CancellableJob extends GradioJob {
  http: { dispatcher?: Dispatcher };
  /** Time allowed for the cancel request after an abort; default the idle timeout, at most 2 s. */
  cancelTimeoutMs?: number;
}

export async function cancelOnSpace(
  job: CancellableJob,
  joined: Joined,
  fnIndex: number,
  sessionHash: string,
  headers?: Record<string, string>,
): Promise<boolean> {
  try {
    await requestJson(
      `${job.base}${joined.apiPrefix}/cancel`,
      {
        method: 'POST',
        json: { session_hash: sessionHash, fn_index: fnIndex, event_id: joined.eventId },
        expected: 'an acknowledgement',
        ...(headers ? { headers } : {}),
      },
      {
        // Its own signal: the job's one is usually the aborted one.
        signal: new AbortController().signal,
        idleTimeoutMs: job.cancelTimeoutMs ?? Math.min(2000, job.idleTimeoutMs),
        ...(job.http.dispatcher ? { dispatcher: job.http.dispatcher } : {}),
      },
      'The Space',
    );
    return true;
  } catch {
    return false;
  }
}
