/**
 * One job's life, as queueing.py process_events and blocks.py process_api drive it: estimation
 * messages while queued, process_starts when a worker takes it, preprocessing (which may refuse
 * it), then the FLUX function: log lines, progress, yields (process_generating) and
 * process_completed. Every message goes to the job's session (queue.ts), never to a stream.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { diff } from './diff';
import type { GradioRules } from './gradio-rules';
import { sleep } from './http-util';
import type { Refusal } from './layout';
import * as M from './messages';
import type { GradioQueue, QueueJob } from './queue';
import type { FakeTiming } from './types';

/** FileData (or a bare path with `fileOutput: 'string'`). */
export type FileOut = Record<string, unknown> | string;

/**
 * What one endpoint's job does once a worker runs it: Gradio's preprocessing (which may refuse the
 * values) and the Space's function (its yields and its result, already postprocessed).
 */
export interface Program {
  /** A GPU function: the ZeroGPU log lines and quota apply, and it reports progress. */
  gpu: boolean;
  /** blocks.py validate_inputs + preprocess_data and the app's own checks. */
  preprocess(): Promise<{ ok: true; steps: number; seed: number } | { ok: false; refusal: Refusal }>;
  /** The n-th preview yield (output data). */
  preview(n: number): Promise<unknown[]>;
  /** The result (output data). */
  final(): Promise<unknown[]>;
}

export interface JobContext {
  rules: GradioRules;
  queue: GradioQueue;
  timing(): FakeTiming;
  logs: M.LogLine[];
  diffPreviews: boolean;
  /** A ZeroGPU refusal for this job (quotaWithoutJwt), or null. */
  quota(job: QueueJob): Refusal | null;
  /** The job's program (its fn_index picks the endpoint). */
  program(job: QueueJob): Program;
}

export const QUOTA_TITLE = 'ZeroGPU quota exceeded';
const MAX_SEED = 2147483647;

export function createJob(
  api: 'call' | 'queue',
  data: unknown[],
  sessionHash: string | null,
  fnIndex: number,
  headers: IncomingHttpHeaders,
): QueueJob {
  const eventId = randomBytes(16).toString('hex');
  const [, seedIn, randomize] = data;
  let start: (ok: boolean) => void = () => {};
  const started = new Promise<boolean>((r) => (start = r));
  const job: QueueJob = {
    eventId,
    api,
    // queueing.py Event: `self.session_hash = session_hash or self._id`.
    sessionHash: sessionHash || eventId,
    data,
    headers,
    state: 'queued',
    seed: randomize ? randomInt(0, MAX_SEED) : Number(seedIn),
    fnIndex,
    alive: true,
    inQueue: true,
    finished: false,
    ready: false,
    started,
    start: (ok) => start(ok),
    kill: () => {},
    wake: null,
    startedAt: 0,
  };
  return job;
}

/** stepMs 0 means no timer at all (benchmarks): only a turn of the event loop, so I/O can flow. */
function pause(job: QueueJob, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      job.wake = null;
      resolve();
    };
    job.wake = done;
    if (ms > 0) void sleep(ms).then(() => job.wake === done && done());
    else setImmediate(() => job.wake === done && done());
  });
}

/** Runs a pushed job to its end; never throws. */
export async function runJob(ctx: JobContext, job: QueueJob): Promise<void> {
  const { queue, rules } = ctx;
  let killed = false;
  job.kill = (state) => {
    if (job.finished || killed) return;
    killed = true;
    if (job.inQueue) return queue.drop(job, state);
    job.alive = false;
    job.state = state;
    job.wake?.();
    queue.release(job);
  };
  const live = () => !killed && job.alive && !job.finished;

  // Queued: broadcast_estimations sends the rank at push and whenever the queue moves.
  const q = ctx.timing().queueUpdates;
  for (let i = 0; i < q; i++) {
    if (i > 0) await pause(job, ctx.timing().stepMs);
    if (!job.inQueue) return;
    const ahead = queue.queued.indexOf(job);
    const rank = Math.max(0, ahead) + (q - 1 - i);
    const avg = queue.avgTime;
    queue.send(job, M.estimation(job.eventId, rank, rank + 1, avg === null ? null : avg * (rank + 1)));
  }
  if (q > 0) await pause(job, ctx.timing().stepMs);
  job.ready = true;
  queue.pump();
  if (!(await job.started) || !live()) return;
  if (!queue.session(job.sessionHash)) {
    // Queue.send_message on a session that has no message queue (empty hash): KeyError, job lost.
    job.state = 'failed';
    return queue.release(job);
  }

  job.state = 'running';
  job.startedAt = Date.now();
  const step = async (make: () => M.Msg | Promise<M.Msg>): Promise<boolean> => {
    if (!live()) return false;
    const m = await make();
    if (!live()) return false;
    queue.send(job, m);
    await pause(job, ctx.timing().stepMs);
    return live();
  };
  const fail = (refusal: Refusal, title = 'Error') => {
    queue.send(job, M.failed(rules, job.eventId, refusal, title));
    job.state = 'failed';
    queue.release(job);
  };

  if (!(await step(() => M.processStarts(job.eventId, queue.avgTime)))) return;
  const program = ctx.program(job);
  const pre = await program.preprocess();
  if (!live()) return;
  if (!pre.ok) return fail(pre.refusal);
  job.seed = pre.seed;
  const quota = program.gpu ? ctx.quota(job) : null;
  if (quota) return fail(quota, QUOTA_TITLE);

  if (program.gpu) for (const line of ctx.logs) if (!(await step(() => M.logMessage(rules, job.eventId, line)))) return;

  const t = ctx.timing();
  const total = program.gpu ? Math.max(1, Math.min(t.progressSteps, Math.round(pre.steps) || 1)) : 0;
  const previews = Math.min(Math.max(0, t.previews), total);
  const every = previews > 0 ? Math.max(1, Math.floor(total / previews)) : Infinity;
  const seconds = () => (Date.now() - job.startedAt) / 1000;
  // blocks.py handle_streaming_diffs: the first yield of a run is sent whole, later ones as
  // diffs against the previous yield (queue API only: call API requests are simple_format).
  let last: unknown[] | null = null;
  const yielded = (data: unknown[]): unknown[] => {
    const prev = last;
    last = data;
    if (prev === null || job.api === 'call' || !ctx.diffPreviews) return data;
    return data.map((v, i) => diff(prev[i], v));
  };
  const yieldMsg = (data: unknown[]) =>
    M.generating(rules, job.eventId, M.output(rules, yielded(data), true, seconds(), queue.avgTime));

  let sent = 0;
  for (let s = 1; s <= total; s++) {
    if (!(await step(() => M.progress(job.eventId, s, total)))) return;
    if (s % every === 0 && sent < previews) {
      const n = ++sent;
      const ok = await step(async () => yieldMsg(await program.preview(n)));
      if (!ok) return;
    }
  }
  if (!live()) return;
  const final = await program.final();
  // A generator's last yield is its result: process_completed repeats it in full (final=True).
  if (previews > 0 && !(await step(() => yieldMsg(final)))) return;
  if (!live()) return;
  const duration = seconds();
  queue.addRunTime(duration);
  queue.send(job, M.completed(rules, job.eventId, M.output(rules, final, false, duration, queue.avgTime), true));
  job.state = 'done';
  queue.release(job);
}
