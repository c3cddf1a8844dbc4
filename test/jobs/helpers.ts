/** Fixtures for the job runner's tests: a generator driven step by step, a fake clock, polling. */
import type { GenerateFn, RunnerTimers } from '../../main/jobs/job-runner';
import { StartJobsSchema } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { RoutedEvent } from '../../shared/events';
import type { GenerationParams, ProviderId, ResolvedParams } from '../../shared/params';

export const req = (over: Record<string, unknown> = {}, params: Record<string, unknown> = {}) =>
  StartJobsSchema.parse({ params: { prompt: 'a fox', model: 'flux-dev', ...params }, ...over });

export const resolveParams = (_id: ProviderId, p: GenerationParams): ResolvedParams => ({
  prompt: p.prompt,
  width: p.width ?? 1024,
  height: p.height ?? 1024,
  steps: p.steps ?? 28,
  guidance: p.guidance,
  seed: p.seed,
  randomizeSeed: p.randomizeSeed,
  aspectRatio: p.aspectRatio,
});

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** Waits until `cond` holds (the machine may be slow; fixed sleeps would be flaky). */
export async function until(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`${what} not met in time`);
    await tick(2);
  }
}

export interface Run {
  params: GenerationParams;
  signal: AbortSignal;
  push: (ev: RoutedEvent) => void;
  end: (err?: unknown) => void;
  /** Sends an image and ends the generation. */
  finish: (seed?: number) => void;
}

/** A generator that can be driven step by step from the test. */
export function controllable(providerId: ProviderId = 'bfl-flux1-dev') {
  const runs: Run[] = [];
  const generate: GenerateFn = (params, { signal }) => {
    const queue: RoutedEvent[] = [];
    let done = false;
    let failure: unknown = null;
    let wake: (() => void) | null = null;
    const poke = () => wake?.();
    signal.addEventListener('abort', poke);
    const run: Run = {
      params,
      signal,
      push: (ev) => {
        queue.push(ev);
        poke();
      },
      end: (err) => {
        done = true;
        failure = err ?? null;
        poke();
      },
      finish: (seed = 1) => {
        run.push({ type: 'image', url: 'http://space/final.png', seed, providerId: params.provider ?? providerId });
        run.end();
      },
    };
    runs.push(run);
    return (async function* () {
      for (;;) {
        if (signal.aborted) throw new AppError('cancelled', 'Cancelled.');
        const ev = queue.shift();
        if (ev) {
          yield ev;
          continue;
        }
        if (done) {
          if (failure) throw failure;
          return;
        }
        await new Promise<void>((r) => (wake = r));
      }
    })();
  };
  return { generate, runs };
}

/** A clock the test moves: `now` and timers for the runner (real promises keep running). */
export function fakeClock(start = Date.UTC(2026, 0, 1, 12, 0, 0)) {
  let t = start;
  let nextId = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: RunnerTimers = {
    setTimeout: (fn, ms) => {
      const id = nextId++;
      pending.set(id, { at: t + ms, fn });
      return id;
    },
    clearTimeout: (h) => void pending.delete(h as number),
  };
  return {
    now: () => t,
    timers,
    /** Moves the clock on, firing every timer that falls due on the way (in order). */
    advance(ms: number) {
      const end = t + ms;
      for (;;) {
        const due = [...pending].filter(([, p]) => p.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        t = Math.max(t, due[1].at);
        due[1].fn();
      }
      t = end;
    },
    pending: () => pending.size,
  };
}

/** A ZeroGPU quota refusal naming when to try again, as the Space's error parser makes it. */
export const quotaError = (providerId: ProviderId, retryInSeconds: number | null) =>
  new AppError('quota', 'You have exceeded your GPU quota (60s requested vs. 23s left). Try again in 0:05:00.', {
    providerId,
    quota: { requestedSeconds: 60, leftSeconds: 23, retryInSeconds },
  });
