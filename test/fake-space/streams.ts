/**
 * The event streams, ported from routes.py queue_data_helper (both `GET {P}/queue/data` and
 * `GET {P}/call/{api}/{event_id}` use it, with different process_msg renderers):
 *
 * - HTTP 200 at once; an unknown session gets one unexpected_error (call API: `event: error`) and
 *   then the connection drops: the HTTPException is re-raised after the yield, and uvicorn closes a
 *   started response without its final chunk;
 * - messages are taken from the session's queue (several streams on one session compete for them);
 * - delivering a process_completed removes its id from the session's pending ids; when none are
 *   left, close_stream (dropped by the call renderer) and the stream ends;
 * - heartbeats every `timing.heartbeatMs` (upstream 15 s); while the queue is stopped, every wake-up
 *   yields unexpected_error "Server stopped unexpectedly." instead of the message;
 * - the client going away runs clean_events(session) (queue.ts).
 *
 * Stream faults act on what this stream delivers: after `afterMessages` rendered messages (or at a
 * job's process_completed, whichever comes first) the fault replaces the next one.
 */
import type { ServerResponse } from 'node:http';
import { POLL_MS, SERVER_STOPPED, WAIT_TIMEOUT_MS, type GradioRules } from './gradio-rules';
import { QUOTA_TITLE } from './job';
import type { Refusal } from './layout';
import * as M from './messages';
import { pyRepr } from './py';
import type { GradioQueue, QueueJob, Session } from './queue';
import type { FakeTiming, StreamFault } from './types';

export const QUOTA_MESSAGE =
  'You have exceeded your GPU quota (60s requested vs. 23s left). <a style="white-space: nowrap;text-underline-offset: 2px;color: var(--body-text-color)" href="https://huggingface.co/settings/billing/subscription">Subscribe to PRO</a> to get 5x more usage quota.';

export interface StreamContext {
  rules: GradioRules;
  queue: GradioQueue;
  timing(): FakeTiming;
  /** The server is shutting down. */
  isClosed(): boolean;
  opened(): void;
  closed(): void;
  /** Other sessions' messages to mix in (`crossTalk`), rendered for the queue API. */
  crossTalk?: () => Promise<M.Msg[]>;
}

export type StreamFormat = 'queue' | 'call';

export async function serveStream(
  ctx: StreamContext,
  res: ServerResponse,
  sessionHash: string,
  format: StreamFormat,
  fault: StreamFault | null,
): Promise<void> {
  const { rules, queue } = ctx;
  const render = (m: M.Msg) => (format === 'queue' ? M.renderQueue(m) : M.renderCall(rules, m));
  // Starlette StreamingResponse(media_type="text/event-stream"): no other header of its own.
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  res.flushHeaders();
  ctx.opened();

  let open = true;
  let endedByServer = false;
  const wakers = new Set<() => void>();
  const timers: NodeJS.Timeout[] = [];
  const stop = () => {
    open = false;
    for (const t of timers) clearInterval(t);
    for (const w of [...wakers]) w();
  };
  res.on('close', () => {
    const wasOpen = open;
    stop();
    ctx.closed();
    // routes.py: `if await request.is_disconnected(): await clean_events(session_hash=…)`.
    if (wasOpen && !endedByServer && !ctx.isClosed() && queue.session(sessionHash)) queue.cleanEvents(sessionHash);
  });
  const write = (text: string | null) => {
    if (open && text && !ctx.isClosed() && !res.destroyed && res.socket?.writable) res.write(text);
  };
  /** uvicorn after an exception in a started response: the socket closes without the last chunk. */
  const abort = () => {
    endedByServer = true;
    stop();
    res.socket?.end();
  };
  const end = () => {
    endedByServer = true;
    stop();
    res.end();
  };

  const session = queue.session(sessionHash);
  const beat = ctx.timing().heartbeatMs;
  if (fault?.kind === 'heartbeats-only') {
    timers.push(setInterval(() => write(render(M.heartbeat())), beat));
    return;
  }
  if (!session || fault?.kind === 'restarted') {
    write(render(M.unexpectedError(rules, rules.sessionNotFoundText, true)));
    return abort();
  }
  if (rules.heartbeat === 'stream-loop') timers.push(setInterval(() => write(render(M.heartbeat())), beat));
  else timers.push(setInterval(() => queue.put(sessionHash, M.heartbeat()), beat));
  if (format === 'queue' && ctx.crossTalk) for (const m of await ctx.crossTalk()) write(render(m));

  let delivered = 0;
  let pendingFault = fault;
  const after = fault && 'afterMessages' in fault ? (fault.afterMessages ?? 1) : 1;

  /** Delivers one message; false when the stream is over. */
  const deliver = (m: M.Msg): boolean => {
    const text = render(m);
    if (pendingFault && text && m.msg !== 'heartbeat' && (delivered >= after || m.msg === 'process_completed')) {
      const f = pendingFault;
      pendingFault = null;
      return fire(f, m);
    }
    write(text);
    if (text && m.msg !== 'heartbeat') delivered++;
    if (m.msg !== 'process_completed' || !m.event_id) return true;
    const pending = session.pending;
    if (!pending) return crash(sessionHash); // KeyError: pending_event_ids_session[session_hash]
    if (pending.has(m.event_id)) pending.delete(m.event_id);
    else if (!rules.pendingRemovalGuarded) return crash(m.event_id); // 4.x: set.remove → KeyError
    if (pending.size > 0) return true;
    write(render(M.closeStream()));
    end();
    return false;
  };
  /** An exception inside the loop: unexpected_error with str(KeyError(key)), then the drop. */
  const crash = (key: string): boolean => {
    write(render(M.unexpectedError(rules, pyRepr(key))));
    abort();
    return false;
  };
  const fire = (f: StreamFault, m: M.Msg): boolean => {
    switch (f.kind) {
      case 'cut':
        // A network cut: the server sees its client go (clean_events runs in the close handler).
        res.socket?.destroy();
        return false;
      case 'end-early':
        for (const job of jobsOf(queue, sessionHash)) job.kill('failed');
        if (f.closeStream) write(render(M.closeStream()));
        end();
        return false;
      case 'unexpected-error':
        write(render(M.unexpectedError(rules, f.message ?? 'Session not found.')));
        abort();
        return false;
      case 'error-event':
      case 'quota': {
        const job = (m.event_id && queue.byEvent.get(m.event_id)) || jobsOf(queue, sessionHash)[0];
        if (!job) return deliver(m);
        const refusal: Refusal =
          f.kind === 'quota'
            ? { kind: 'app-error', message: QUOTA_MESSAGE }
            : f.message === null
              ? { kind: 'exception', reason: 'error-event fault' }
              : { kind: 'app-error', message: f.message };
        job.kill('failed');
        job.state = 'failed';
        session.messages = session.messages.filter((x) => x.event_id !== job.eventId);
        return deliver(M.failed(rules, job.eventId, refusal, f.kind === 'quota' ? QUOTA_TITLE : 'Error'));
      }
      default:
        return deliver(m);
    }
  };

  while (open && !ctx.isClosed()) {
    const m = session.messages.shift();
    if (queue.stopped && (m || rules.streamWait === 'poll')) {
      write(render(M.unexpectedError(rules, SERVER_STOPPED)));
      if (!m) await waitFor(session, POLL_MS, wakers);
      continue;
    }
    if (m) {
      if (!deliver(m)) return;
      continue;
    }
    const why = await waitFor(session, rules.streamWait === 'wait' ? WAIT_TIMEOUT_MS : null, wakers);
    if (why === 'timeout' && queue.stopped) write(render(M.unexpectedError(rules, SERVER_STOPPED)));
  }
}

/** The session's jobs that have not ended yet. */
function jobsOf(queue: GradioQueue, hash: string): QueueJob[] {
  return [...queue.byEvent.values()].filter((j) => j.sessionHash === hash && !j.finished);
}

function waitFor(session: Session, timeoutMs: number | null, wakers: Set<() => void>): Promise<'message' | 'timeout'> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (why: 'message' | 'timeout') => {
      session.waiters.delete(onMessage);
      wakers.delete(onMessage);
      if (timer) clearTimeout(timer);
      resolve(why);
    };
    const onMessage = () => done('message');
    session.waiters.add(onMessage);
    wakers.add(onMessage);
    if (timeoutMs !== null) timer = setTimeout(() => done('timeout'), timeoutMs);
  });
}
