/**
 * Gradio's two-step call API: `POST {prefix}/call/{api}` → `{event_id}`, then
 * `GET {prefix}/call/{api}/{event_id}` streams `heartbeat` / `generating` / `complete` / `error`.
 *
 * The POST carries no `session_hash`: the server files the job under a given hash, but from 4.x to
 * 6.17 the GET streams the session named by the event id (routes.py `simple_predict_get` →
 * `queue_data_helper(request, event_id, …)`; queueing.py `Event.session_hash = session_hash or
 * self._id`), so a client-chosen hash gets `404: Not Found` while the job runs unobserved. Without
 * one, the event id is the session on every version, which is also what a cancel names.
 */
import { cancelOnSpace } from './cancel';
import { findDependency } from './config';
import { mergeOutputs } from './diff';
import type { HttpOptions } from './http';
import { joinWithPrefixes } from './join';
import { callErrorPayload, spaceError, streamClosedEarly } from './space-error';
import { parseEventData, readSse } from './sse';
import type { EndpointCall, GradioEvent } from './types';
import { createWatchdog } from './watchdog';

export async function* callApi(req: EndpointCall): AsyncGenerator<GradioEvent, void, void> {
  const providerId = req.http.providerId;
  const http: HttpOptions & { headers?: Record<string, string> } = {
    ...req.http,
    idleTimeoutMs: req.idleTimeoutMs,
    ...(req.headers ? { headers: req.headers } : {}),
  };
  const joined = await joinWithPrefixes(
    req.base,
    req.config,
    (p) => `${p}/call/${req.apiName}`,
    { data: req.data },
    http,
  );
  yield { type: 'joined', ...joined };

  const watchdog = createWatchdog(req.progressTimeoutMs, 'The Space', providerId);
  const signal = AbortSignal.any([req.http.signal, watchdog.signal]);
  let finished = false;
  try {
    let outputs: unknown[] | null = null;
    const url = `${req.base}${joined.apiPrefix}/call/${req.apiName}/${encodeURIComponent(joined.eventId)}`;
    for await (const msg of readSse(url, { ...http, signal }, 'The Space')) {
      if (msg.event === 'heartbeat') {
        yield { type: 'heartbeat' };
        continue;
      }
      if (msg.event === 'error') {
        finished = true;
        const payload = callErrorPayload(msg.data);
        throw spaceError(payload.message, providerId, payload.title, { emptyMeans: 'refused' });
      }
      if (msg.event !== 'generating' && msg.event !== 'complete') continue; // unknown: ignore
      watchdog.touch();
      outputs = mergeOutputs(outputs, parseEventData(msg.data, providerId));
      if (msg.event === 'complete') {
        finished = true;
        yield { type: 'complete', data: outputs };
        return;
      }
      yield { type: 'generating', data: outputs };
    }
    throw streamClosedEarly(providerId);
  } finally {
    watchdog.stop();
    if (!finished) {
      const fnIndex = findDependency(req.config, req.apiName)?.id ?? req.fallbackFnIndex;
      // The job's session is its event id (see above).
      await cancelOnSpace(req, joined, fnIndex, joined.eventId, req.headers);
    }
  }
}
