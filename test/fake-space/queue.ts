/**
 * The event queue of one fake Space, ported from gradio/queueing.py Queue:
 *
 * - jobs (Event) wait FIFO and run `concurrencyLimit` at a time (default 1: _resolve_concurrency_limit);
 * - messages go to the job's session (`pending_messages_per_session[event.session_hash]`), whether
 *   or not a stream is open; streams (streams.ts) drain them;
 * - `pending_event_ids_session` holds the ids whose process_completed no stream has delivered yet;
 * - cancel (routes.py cancel_event) and clean_events (a stream's client went away) act on both.
 */
import type { GradioRules } from './gradio-rules';
import { cancelled, estimation, type Msg } from './messages';
import type { FakeJob } from './types';

export interface Session {
  hash: string;
  /** pending_messages_per_session[hash]: messages no stream has taken yet. */
  messages: Msg[];
  /** pending_event_ids_session[hash]; null once clean_events popped it (6.12+). */
  pending: Set<string> | null;
  /** Streams waiting for the next message. */
  waiters: Set<() => void>;
}

export interface QueueJob extends FakeJob {
  fnIndex: number;
  /** Event.alive: false once clean_events dropped it; its messages are discarded. */
  alive: boolean;
  /** Still in event_queue.queue (not started, not removed). */
  inQueue: boolean;
  /** process_events ended (done, failed or its task cancelled). */
  finished: boolean;
  /** Done with its estimation messages: may take a worker. */
  ready: boolean;
  /** Resolves true when it gets a worker, false when removed from the queue first. */
  started: Promise<boolean>;
  start(ok: boolean): void;
  /** Stops the job's task (cancel_tasks, clean_events, a fault) and frees its worker. */
  kill(state: 'cancelled' | 'failed'): void;
  /** Wakes the job if it sleeps between messages (after kill). */
  wake: (() => void) | null;
  /** When its process_events began (ms), for the durations. */
  startedAt: number;
}

export class GradioQueue {
  readonly sessions = new Map<string, Session>();
  /** event_queue.queue of the Space's one concurrency id. */
  readonly queued: QueueJob[] = [];
  readonly running = new Set<QueueJob>();
  /** event_ids_to_events. */
  readonly byEvent = new Map<string, QueueJob>();
  stopped = false;
  private totalTime = 0;
  private runs = 0;

  constructor(
    private readonly rules: GradioRules,
    private readonly limit: () => number | null,
  ) {}

  get size(): number {
    return this.queued.length;
  }

  /** ProcessTime.avg_time of the fn in seconds, null before a job has succeeded. */
  get avgTime(): number | null {
    return this.runs ? this.totalTime / this.runs : null;
  }

  addRunTime(seconds: number): void {
    this.totalTime += seconds;
    this.runs++;
  }

  session(hash: string): Session | undefined {
    return this.sessions.get(hash);
  }

  /**
   * Queue.push after the checks: the message queue and pending ids of `filedUnder` (the body's
   * session_hash, or the event's own id) are created here.
   */
  push(job: QueueJob, filedUnder: string): void {
    let s = this.sessions.get(filedUnder);
    if (!s) {
      s = { hash: filedUnder, messages: [], pending: new Set(), waiters: new Set() };
      this.sessions.set(filedUnder, s);
    }
    (s.pending ??= new Set()).add(job.eventId);
    this.queued.push(job);
    this.byEvent.set(job.eventId, job);
  }

  /** Queue.send_message: dropped when the event is no longer alive. */
  send(job: QueueJob, m: Msg): void {
    if (!job.alive || job.finished) return;
    this.put(job.sessionHash, { ...m, event_id: job.eventId });
  }

  /** messages.put_nowait(m) on a session that exists (a vanished one drops it). */
  put(hash: string, m: Msg): void {
    const s = this.sessions.get(hash);
    if (!s) return;
    s.messages.push(m);
    for (const w of [...s.waiters]) w();
  }

  /**
   * start_processing: the head of the queue takes a free worker when it is ready; with live
   * updates (queue(status_update_rate="auto"), the default) broadcast_estimations then tells every
   * job still waiting its new rank.
   */
  pump(): void {
    const limit = this.limit();
    let moved = false;
    while (!this.stopped && (limit === null || this.running.size < limit)) {
      const head = this.queued[0];
      if (!head || !head.ready) break;
      this.queued.shift();
      head.inQueue = false;
      this.running.add(head);
      head.start(true);
      moved = true;
    }
    if (!moved) return;
    const avg = this.avgTime;
    for (const [rank, job] of this.queued.entries())
      this.send(job, estimation(job.eventId, rank, this.queued.length, avg === null ? null : avg * (rank + 1)));
  }

  /** A job's process_events ended: free its worker. */
  release(job: QueueJob): void {
    job.finished = true;
    if (this.running.delete(job)) this.pump();
  }

  /** Takes a job that has no worker yet out of the queue for good. */
  drop(job: QueueJob, state: 'cancelled' | 'failed' = 'cancelled'): void {
    const i = this.queued.indexOf(job);
    if (i >= 0) this.queued.splice(i, 1);
    job.inQueue = false;
    job.alive = false;
    job.state = state;
    job.finished = true;
    job.start(false);
    job.wake?.();
  }

  /**
   * routes.py cancel_event: cancel_tasks({f"{session_hash}_{fn_index}"}) stops every running job
   * of that session and fn (not only `event_id`); 6.14+ remove_from_queue(event_id) drops a
   * queued one; then, if the session exists and the event is pending, a process_completed with
   * `output: {}` and `success: true` is queued for the streams.
   */
  cancel(sessionHash: string, fnIndex: number, eventId: string): void {
    const s = this.sessions.get(sessionHash);
    const pending = s?.pending?.has(eventId) ?? false;
    // Removed before the running task's worker is freed (the freed worker must not take it).
    if (this.rules.cancelRemovesQueued) {
      const job = this.byEvent.get(eventId);
      if (job?.inQueue) {
        this.drop(job);
        this.byEvent.delete(eventId);
      }
    }
    for (const job of [...this.running])
      if (job.sessionHash === sessionHash && job.fnIndex === fnIndex) job.kill('cancelled');
    if (s && pending) this.put(sessionHash, cancelled(this.rules, eventId));
  }

  /**
   * queueing.py clean_events(session_hash): running jobs of the session stop (alive = False),
   * queued ones leave the queue; 6.12+ also forgets their pending ids.
   */
  cleanEvents(sessionHash: string): void {
    const removed = this.queued.filter((j) => j.sessionHash === sessionHash);
    for (const job of removed) {
      this.drop(job);
      this.byEvent.delete(job.eventId);
    }
    for (const job of [...this.running]) if (job.sessionHash === sessionHash) job.kill('cancelled');
    const s = this.sessions.get(sessionHash);
    if (this.rules.cleanDropsPending && s?.pending) {
      for (const job of removed) s.pending.delete(job.eventId);
      if (s.pending.size === 0) s.pending = null;
    }
  }

  /** Queue.close() (start_processing ends, its tasks are cancelled); the fake can also resume. */
  setStopped(stopped: boolean): void {
    this.stopped = stopped;
    if (stopped) for (const job of [...this.running]) job.kill('cancelled');
    else this.pump();
    for (const s of this.sessions.values()) for (const w of [...s.waiters]) w();
  }
}
