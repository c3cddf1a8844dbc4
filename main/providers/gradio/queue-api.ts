/**
 * Gradio's queue API: `POST {prefix}/queue/join` → `{event_id}`, then
 * `GET {prefix}/queue/data?session_hash=…` streams JSON messages tagged with `msg` (estimation,
 * process_starts, progress, log, process_generating, process_completed, heartbeat, close_stream,
 * unexpected_error). The stream is per session: messages for other event ids are skipped.
 */
import { cancelOnSpace } from './cancel';
import { findDependency } from './config';
import { mergeOutputs } from './diff';
import { protocolError, type HttpOptions } from './http';
import { joinWithPrefixes } from './join';
import { sessionLost, spaceError, streamClosedEarly } from './space-error';
import { parseEventData, readSse } from './sse';
import type { EndpointCall, GradioEvent } from './types';
import { createWatchdog } from './watchdog';

export interface QueueApiRequest extends EndpointCall {
  /** Random per job: the queue stream and the cancel endpoint are keyed by it. */
  sessionHash: string;
  fallbackTriggerId: number | null;
  /** Extra query for the join URL, e.g. `__theme=light`. */
  joinQuery?: string;
}

type Msg = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export async function* queueApi(req: QueueApiRequest): AsyncGenerator<GradioEvent, void, void> {
  const providerId = req.http.providerId;
  const http: HttpOptions & { headers?: Record<string, string> } = {
    ...req.http,
    idleTimeoutMs: req.idleTimeoutMs,
    ...(req.headers ? { headers: req.headers } : {}),
  };
  const dep = findDependency(req.config, req.apiName);
  const fnIndex = dep?.id ?? req.fallbackFnIndex;
  const triggerId = dep ? dep.triggerId : req.fallbackTriggerId;
  const query = req.joinQuery ? `?${req.joinQuery}` : '';
  const joined = await joinWithPrefixes(
    req.base,
    req.config,
    (p) => `${p}/queue/join${query}`,
    { data: req.data, event_data: null, fn_index: fnIndex, trigger_id: triggerId, session_hash: req.sessionHash },
    http,
  );
  yield { type: 'joined', ...joined };

  const watchdog = createWatchdog(req.progressTimeoutMs, 'The Space', providerId);
  const signal = AbortSignal.any([req.http.signal, watchdog.signal]);
  let finished = false;
  try {
    let outputs: unknown[] | null = null;
    const url = `${req.base}${joined.apiPrefix}/queue/data?session_hash=${encodeURIComponent(req.sessionHash)}`;
    for await (const raw of readSse(url, { ...http, signal }, 'The Space')) {
      const parsed = parseEventData(raw.data, providerId);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw protocolError('The Space sent a queue message that is not an object.', { providerId });
      }
      const m = parsed as Msg;
      if (m.event_id !== undefined && m.event_id !== null && m.event_id !== joined.eventId) continue;
      const msg = str(m.msg);
      if (msg === 'heartbeat') {
        yield { type: 'heartbeat' };
        continue;
      }
      if (msg === 'close_stream') throw streamClosedEarly(providerId);
      watchdog.touch();
      switch (msg) {
        case 'estimation':
          yield { type: 'queue', rank: num(m.rank) ?? 0, queueSize: num(m.queue_size), eta: num(m.rank_eta) };
          break;
        case 'process_starts':
          yield { type: 'starts', eta: num(m.eta) };
          break;
        case 'progress': {
          const p = progressOf(m.progress_data);
          if (p) yield p;
          break;
        }
        case 'log': {
          const message = str(m.log);
          if (message) yield { type: 'log', message, level: str(m.level), title: str(m.title) };
          break;
        }
        case 'process_generating': {
          const out = (m.output ?? {}) as Msg;
          if (m.success === false || typeof out.error === 'string') {
            finished = true;
            throw spaceError(str(out.error), providerId, str(out.title) ?? str(m.title));
          }
          outputs = mergeOutputs(outputs, out.data);
          yield { type: 'generating', data: outputs };
          break;
        }
        case 'process_completed': {
          finished = true;
          const out = (m.output ?? {}) as Msg;
          if (m.success === false || 'error' in out || !Array.isArray(out.data)) {
            throw spaceError(str(out.error), providerId, str(out.title) ?? str(m.title));
          }
          yield { type: 'complete', data: out.data as unknown[] };
          return;
        }
        case 'unexpected_error':
          finished = true;
          // routes.py queue_data_helper: an unknown session is `session_not_found: true`.
          if (m.session_not_found === true) throw sessionLost(providerId);
          throw spaceError(str(m.message), providerId);
        default:
          break; // send_hash, process_streaming, …: not used by these Spaces
      }
    }
    throw streamClosedEarly(providerId);
  } finally {
    watchdog.stop();
    if (!finished) await cancelOnSpace(req, joined, fnIndex, req.sessionHash, req.headers);
  }
}

function progressOf(data: unknown): GradioEvent | null {
  if (!Array.isArray(data)) return null;
  for (const item of data as unknown[]) {
    if (!item || typeof item !== 'object') continue;
    const p = item as Msg;
    const index = num(p.index);
    const length = num(p.length);
    const fraction = num(p.progress);
    if (index !== null) return { type: 'progress', index, length, unit: str(p.unit), desc: str(p.desc) };
    // A bare fraction (gr.Progress(0.3)) becomes a percentage.
    if (fraction !== null)
      return { type: 'progress', index: Math.round(fraction * 100), length: 100, unit: '%', desc: str(p.desc) };
  }
  return null;
}
