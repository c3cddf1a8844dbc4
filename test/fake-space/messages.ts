/**
 * Server messages (gradio/server_messages.py) as each version dumps them, field order included,
 * and how the two event streams render them (routes.py queue_data / simple_predict_get process_msg).
 */
import type { GradioRules } from './gradio-rules';
import type { Refusal } from './layout';
import { pyJsonDumps, pyRepr } from './py';

/** A message as `model_dump()` gives it: `msg` and `event_id` first (BaseMessage), then its own fields. */
export type Msg = { msg: string; event_id: string | null } & Record<string, unknown>;

export const estimation = (id: string, rank: number, queueSize: number, rankEta: number | null): Msg => ({
  msg: 'estimation',
  event_id: id,
  rank,
  queue_size: queueSize,
  rank_eta: rankEta,
});

export const processStarts = (id: string, eta: number | null): Msg => ({ msg: 'process_starts', event_id: id, eta });

export interface LogLine {
  log: string;
  level?: 'info' | 'warning' | 'success' | 'error';
  title?: string;
  duration?: number | null;
  visible?: boolean;
}

/** LogMessage: `title` since 5.2 (helpers.Info → "Info", Warning → "Warning", Success → "Success"). */
export function logMessage(r: GradioRules, id: string, line: LogLine): Msg {
  const level = line.level ?? 'info';
  const m: Msg = {
    msg: 'log',
    event_id: id,
    log: line.log,
    level,
    duration: line.duration === undefined ? 10 : line.duration,
    visible: line.visible ?? true,
  };
  if (r.logTitle) m.title = line.title ?? level.charAt(0).toUpperCase() + level.slice(1);
  return m;
}

export const progress = (id: string, index: number, length: number): Msg => ({
  msg: 'progress',
  event_id: id,
  progress_data: [{ index, length, unit: 'steps', progress: null, desc: null }],
});

/** blocks.py process_api output (the `iterator` key is popped by route_utils.call_process_api). */
export function output(r: GradioRules, data: unknown[], generating: boolean, duration: number, avg: number | null) {
  const out: Record<string, unknown> = {
    data,
    is_generating: generating,
    duration,
    average_duration: avg,
    render_config: null,
    changed_state_ids: [],
  };
  if (r.outputUsedCache) out.used_cache = null;
  return out;
}

export function generating(r: GradioRules, id: string, out: Record<string, unknown>): Msg {
  const m: Msg = { msg: 'process_generating', event_id: id, output: out, success: true };
  if (r.generatingTimeLimit) m.time_limit = null;
  return m;
}

/**
 * ProcessCompletedMessage. queueing.py process_events sets `title=content.get("title", "Error")`
 * only when the first call fails; a success, a failure after a yield and /cancel's message leave it
 * None. 6.12+ adds used_cache, cache_duration (output.duration) and avg_time (output.average_duration).
 */
export function completed(
  r: GradioRules,
  id: string,
  out: Record<string, unknown>,
  success: boolean,
  title: string | null = null,
): Msg {
  const m: Msg = { msg: 'process_completed', event_id: id, output: out, success };
  if (r.completedTitle) m.title = title;
  if (r.completedCacheFields) {
    m.used_cache = null;
    m.cache_duration = success ? (out.duration ?? null) : null;
    m.avg_time = success ? (out.average_duration ?? null) : null;
  }
  return m;
}

/** routes.py cancel_event: `ProcessCompletedMessage(output={}, success=True, event_id=…)`. */
export const cancelled = (r: GradioRules, id: string): Msg => completed(r, id, {}, true);

/**
 * utils.py error_payload(error, show_error=False). A gr.Error carries its message (4.x:
 * str(error) = repr(message), no title), duration and visible; any other exception only
 * `{"error": null}`.
 */
export function errorPayload(r: GradioRules, refusal: Refusal, title = 'Error'): Record<string, unknown> {
  if (refusal.kind === 'exception') return { error: null };
  if (r.appError === 'repr') return { error: pyRepr(refusal.message), duration: 10, visible: true };
  return { error: refusal.message, duration: 10, visible: true, title };
}

/** A failed job: the first-call path of process_events (message title = payload title or "Error"). */
export function failed(r: GradioRules, id: string, refusal: Refusal, title = 'Error', afterYield = false): Msg {
  const payload = errorPayload(r, refusal, title);
  return completed(r, id, payload, false, afterYield ? null : ((payload.title as string | undefined) ?? 'Error'));
}

export const heartbeat = (): Msg => ({ msg: 'heartbeat', event_id: null });
export const closeStream = (): Msg => ({ msg: 'close_stream', event_id: null });

/** UnexpectedErrorMessage (`session_not_found` since 5.38). */
export function unexpectedError(r: GradioRules, message: string, sessionNotFound = false): Msg {
  const m: Msg = { msg: 'unexpected_error', event_id: null, message, success: false };
  if (r.sessionNotFoundFlag) m.session_not_found = sessionNotFound;
  return m;
}

/** routes.py queue_data process_msg: `data: {orjson.dumps(message.model_dump())}`. */
export const renderQueue = (m: Msg): string => `data: ${JSON.stringify(m)}\n\n`;

/**
 * routes.py simple_predict_get process_msg: complete/generating/error/heartbeat events with
 * `json.dumps` data; every other message (estimation, log, progress, close_stream…) is dropped.
 */
export function renderCall(r: GradioRules, m: Msg): string | null {
  let event: string;
  let data: unknown;
  if (m.msg === 'process_completed' || m.msg === 'process_generating') {
    const success = m.success === true;
    const out = (m.output ?? {}) as Record<string, unknown>;
    event = success ? (m.msg === 'process_completed' ? 'complete' : 'generating') : 'error';
    data = success || r.callErrorData === 'null' ? (out.data ?? null) : out;
  } else if (m.msg === 'heartbeat') {
    event = 'heartbeat';
    data = null;
  } else if (m.msg === 'unexpected_error') {
    event = 'error';
    data = m.message;
  } else return null;
  return `event: ${event}\ndata: ${pyJsonDumps(data)}\n\n`;
}
