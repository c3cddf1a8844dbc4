/**
 * Gradio's two-step call API: `POST {prefix}/call/{api}` → `{event_id}`, then
 * `GET {prefix}/call/{api}/{event_id}` streams `heartbeat` / `generating` / `complete` / `error`.
 */
import { cancelOnSpace, type CancellableJob } from './cancel';
import { findDependency, getSpaceConfig } from './config';
import { mergeOutputs } from './diff';
import type { HttpOptions } from './http';
import { joinWithPrefixes } from './join';
import { errorPayloadMessage, spaceError, streamClosedEarly } from './space-error';
import { parseEventData, readSse } from './sse';
import type { GradioEvent } from './types';
import { createWatchdog } from './watchdog';

export interface CallApiRequest extends CancellableJob {
  apiName: string;
  data: unknown[];
  http: Omit<HttpOptions, 'idleTimeoutMs'>;
}

export async function* callApi(req: CallApiRequest): AsyncGenerator<GradioEvent, void, void> {
  const http: HttpOptions = { ...req.http, idleTimeoutMs: req.idleTimeoutMs };
  const config = await getSpaceConfig(req.base, http);
  const joined = await joinWithPrefixes(
    req.base,
    config,
    (p) => `${p}/call/${req.apiName}`,
    // session_hash is optional for the call API; sending ours makes the job cancellable.
    { data: req.data, session_hash: req.sessionHash },
    http,
  );
  yield { kind: 'joined', ...joined };

  const watchdog = createWatchdog(req.progressTimeoutMs, 'The Space', req.http.providerId);
  const signal = AbortSignal.any([req.http.signal, watchdog.signal]);
  let finished = false;
  try {
    let outputs: unknown[] | null = null;
    const url = `${req.base}${joined.apiPrefix}/call/${req.apiName}/${encodeURIComponent(joined.eventId)}`;
    for await (const msg of readSse(url, { ...http, signal }, 'The Space')) {
      if (msg.event === 'heartbeat') {
        yield { kind: 'heartbeat' };
        continue;
      }
      if (msg.event === 'error') {
        finished = true;
        throw spaceError(errorPayloadMessage(msg.data), req.http.providerId);
      }
      if (msg.event !== 'generating' && msg.event !== 'complete') continue; // unknown: ignore
      watchdog.touch();
      outputs = mergeOutputs(outputs, parseEventData(msg.data, req.http.providerId));
      if (msg.event === 'complete') {
        finished = true;
        yield { kind: 'complete', data: outputs };
        return;
      }
      yield { kind: 'generating', data: outputs };
    }
    throw streamClosedEarly(req.http.providerId);
  } finally {
    watchdog.stop();
    if (!finished) await cancelOnSpace(req, joined, findDependency(config, req.apiName)?.id ?? 0);
  }
}
