/**
 * Gradio's two-step call API: `POST {prefix}/call/{api}` → `{event_id}`, then
 * `GET {prefix}/call/{api}/{event_id}` streams `heartbeat` / `generating` / `complete` / `error`.
 */
import { AppError } from '../../../shared/errors';
import { cancelOnSpace } from './cancel';
import { findDependency, getSpaceConfig } from './config';
import { mergeOutputs } from './diff';
import type { HttpOptions } from './http';
import { joinWithPrefixes } from './join';
import { errorPayloadMessage, spaceError } from './space-error';
import { parseEventData, readSse } from './sse';
import type { GradioEvent, GradioJob } from './types';
import { createWatchdog } from './watchdog';

export interface CallApiRequest extends GradioJob {
  apiName: string;
  data: unknown[];
  http: Omit<HttpOptions, 'idleTimeoutMs'>;
  /** Time allowed for the cancel request after an abort. */
  cancelTimeoutMs?: number;
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
    throw new AppError(
      'space-error',
      'The Space closed the stream before the image was ready (it may have restarted).',
      { providerId: req.http.providerId },
    );
  } finally {
    watchdog.stop();
    if (!finished) {
      await cancelOnSpace({
        base: req.base,
        apiPrefix: joined.apiPrefix,
        sessionHash: req.sessionHash,
        fnIndex: findDependency(config, req.apiName)?.id ?? 0,
        eventId: joined.eventId,
        timeoutMs: req.cancelTimeoutMs ?? Math.min(2000, req.idleTimeoutMs),
        ...(req.http.dispatcher ? { dispatcher: req.http.dispatcher } : {}),
      });
    }
  }
}
