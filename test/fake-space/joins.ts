/**
 * The routes that create or stop jobs, in upstream's order of checks (routes.py queue_join,
 * simple_predict_post, queue_join_helper, cancel_event, reset_iterator; queueing.py Queue.push).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  CANCEL_BODY,
  PREDICT_BODY,
  RESET_BODY,
  SIMPLE_PREDICT_BODY,
  sendHttpException,
  sendInternalError,
  sendValidationError,
  validateBody,
} from './fastapi';
import { sendJson } from './http-util';
import { createJob } from './job';
import type { GradioQueue, QueueJob } from './queue';
import type { JoinFault } from './types';

export interface JoinContext {
  queue: GradioQueue;
  /** Whether the app has a dependency with this fn_index (else Queue.push's KeyError: 500). */
  hasFn(fnIndex: number): boolean;
  /** route_utils.get_fn: the fn_index of an api_name, or null (FnIndexInferError: 500). */
  fnForApi(apiName: string): number | null;
  maxQueueSize: number | null;
  /** Records and runs a pushed job. */
  run(job: QueueJob): void;
}

export interface Body {
  raw: string;
  /** Parsed JSON, undefined when the text is not JSON. */
  json: unknown;
  contentType: string | undefined;
}

/** queue_join_helper's two 503s, also given by the `queue-full` / `queue-stopped` faults. */
export function refuseJoin(res: ServerResponse, ctx: JoinContext, fault: JoinFault): void {
  if (fault.kind === 'queue-stopped') return sendHttpException(res, 503, 'Queue is stopped.');
  const max = fault.maxSize ?? ctx.maxQueueSize ?? 1;
  const size = fault.size ?? Math.max(ctx.queue.size, max);
  // queueing.py Queue.push: f"Queue is full. Max size is {self.max_size} and size is {len(self)}."
  sendHttpException(res, 503, `Queue is full. Max size is ${max} and size is ${size}.`);
}

/**
 * routes.py queue_join_helper → Queue.push: stopped (503) → fn_index None (400 "No function index
 * provided.") → full (503) → the fn looked up in the session's fns (an unknown index is a KeyError:
 * 500) → the Event, filed under `body.session_hash`, or its own id when none was given.
 */
function join(
  res: ServerResponse,
  req: IncomingMessage,
  ctx: JoinContext,
  api: 'call' | 'queue',
  body: Record<string, unknown>,
): void {
  const { queue } = ctx;
  if (queue.stopped) return refuseJoin(res, ctx, { kind: 'queue-stopped' });
  if (body.fn_index === null || body.fn_index === undefined)
    return sendHttpException(res, 400, 'No function index provided.');
  if (ctx.maxQueueSize !== null && queue.size >= ctx.maxQueueSize)
    return refuseJoin(res, ctx, { kind: 'queue-full', maxSize: ctx.maxQueueSize, size: queue.size });
  if (!ctx.hasFn(body.fn_index as number)) return sendInternalError(res);
  const given = typeof body.session_hash === 'string' ? body.session_hash : null;
  const job = createJob(api, body.data as unknown[], given, body.fn_index as number, req.headers);
  // `if body.session_hash is None: body.session_hash = event.session_hash`: an empty hash files the
  // job under "" while Event.session_hash (where messages go) is the event id, which has no message
  // queue: push's broadcast_estimations raises KeyError (500) after the job was queued.
  queue.push(job, given ?? job.sessionHash);
  ctx.run(job);
  if (given === '') return sendInternalError(res);
  sendJson(res, 200, { event_id: job.eventId });
}

/** `POST {P}/queue/join`: PredictBody, then 400 "Session hash not found." without a hash. */
export function queueJoin(res: ServerResponse, req: IncomingMessage, ctx: JoinContext, b: Body): void {
  const v = validateBody(b.raw, b.json, PREDICT_BODY, b.contentType);
  if (!v.ok) return sendValidationError(res, v.detail);
  if (v.body.session_hash === null) return sendHttpException(res, 400, 'Session hash not found.');
  join(res, req, ctx, 'queue', v.body);
}

/**
 * `POST {P}/call/{api_name}`: SimplePredictBody; route_utils.get_fn finds the fn by api_name
 * (FnIndexInferError → 500); a given session_hash is kept.
 */
export function callJoin(res: ServerResponse, req: IncomingMessage, ctx: JoinContext, apiName: string, b: Body): void {
  const v = validateBody(b.raw, b.json, SIMPLE_PREDICT_BODY, b.contentType);
  if (!v.ok) return sendValidationError(res, v.detail);
  const fnIndex = ctx.fnForApi(apiName);
  if (fnIndex === null) return sendInternalError(res);
  join(res, req, ctx, 'call', { ...v.body, fn_index: fnIndex });
}

/** `POST {P}/cancel`: CancelBody (all three required, else 422), then queue.cancel; always success. */
export function cancel(res: ServerResponse, ctx: JoinContext, b: Body): void {
  const v = validateBody(b.raw, b.json, CANCEL_BODY, b.contentType);
  if (!v.ok) return sendValidationError(res, v.detail);
  ctx.queue.cancel(v.body.session_hash as string, v.body.fn_index as number, v.body.event_id as string);
  sendJson(res, 200, { success: true });
}

/** `POST {P}/reset`: ResetBody; a no-op ("all the cancelling/reset logic handled by /cancel"). */
export function reset(res: ServerResponse, b: Body): void {
  const v = validateBody(b.raw, b.json, RESET_BODY, b.contentType);
  if (!v.ok) return sendValidationError(res, v.detail);
  sendJson(res, 200, { success: true });
}
