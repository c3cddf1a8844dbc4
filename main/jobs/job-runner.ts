/**
 * The job runner: queued generation jobs (one image each), a concurrency limit per route, cancel
 * one or all, pause/resume, reorder, retry, GPU quota waits, and the full JobState sent to
 * `onUpdate` on every change (the core forwards it as `jobs:updated`). Providers, downloads and the
 * library come in as functions; with a QueueStore (the app), the queue outlives the process.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { AppError, toErrorInfo } from '../../shared/errors';
import { isActiveState, NOTE_STATUS_CODES, type JobState, type JobStatus, type RoutedEvent } from '../../shared/events';
import type { HistoryEntry } from '../../shared/library';
import { LIMITS, type GenerationParams, type ProviderId, type ResolvedParams } from '../../shared/params';
import type { QueueState } from '../../shared/queue';
import type { SaveImageInput } from '../library/library';
import { expandRequest, type StartJobsRequest } from './expand';
import { MAX_PREVIEW_BYTES, previewDataUrl } from './preview';
import type { QueueContent, QueueFileJob } from './queue-file';
import type { ExternalChange, QueueStore } from './queue-store';
import { Slots } from './slots';

/**
 * The provider registry's routed generation (fallback across providers happens inside). When the
 * final image cannot be downloaded, the runner throws the error into the generator at its `image`
 * event, so the router treats it as that provider's failure (fallback, failure memory).
 */
export type GenerateFn = (params: GenerationParams, opts: { signal: AbortSignal }) => AsyncIterable<RoutedEvent>;
/** Downloads a Space file URL (`maxBytes`: give up beyond this size; previews pass a small one). */
export type DownloadFn = (
  url: string,
  signal: AbortSignal,
  opts?: { maxBytes?: number },
) => Promise<{ bytes: Uint8Array; contentType?: string | null }>;

/** Timer functions (tests pass a fake clock's). */
export interface RunnerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface JobRunnerOptions {
  generate: GenerateFn;
  download: DownloadFn;
  /** Stores a final image (Library.saveImage). */
  save: (input: SaveImageInput) => Promise<HistoryEntry>;
  /** What the provider sends for these parameters (Provider.resolve): steps and size for history. */
  resolveParams: (providerId: ProviderId, params: GenerationParams) => ResolvedParams;
  onUpdate: (job: JobState) => void;
  /** Paused or resumed, a quota wait began or ended, the number of active jobs changed. */
  onQueueChange?: (state: QueueState) => void;
  /** Jobs at once for a route key; read on every scheduling pass (settings may change). Default 1. */
  concurrency?: (key: string) => number;
  /**
   * The key the concurrency limit counts by. Routing picks the provider inside `generate`, so the
   * runner cannot know the Space before a job starts; it limits per route instead: a pinned
   * provider is one Space, and an alias tries its Spaces one after another, so N jobs per alias
   * means at most N at once on whichever Space serves it. Default: pinned provider, else alias.
   */
  routeKey?: (params: GenerationParams) => string;
  /**
   * The provider a job would be sent to first, when it is to wait for that provider's GPU quota
   * rather than fall back (null: it waits for none). Default: the pinned provider.
   */
  providerFor?: (params: GenerationParams) => ProviderId | null;
  /** The persistent queue (the app); see also `attachStore`. */
  store?: QueueStore | null;
  /** Finished jobs kept for `list()` (oldest dropped first). */
  keepFinished?: number;
  maxPreviewBytes?: number;
  now?: () => number;
  timers?: RunnerTimers;
  /** The seed the app picks for a random-seed job of the persistent queue. */
  randomSeed?: () => number;
  log?: (message: string, err?: unknown) => void;
}

export interface JobRunner {
  start(req: StartJobsRequest): JobState[];
  cancel(jobId: string): boolean;
  cancelAll(): number;
  /** Finished and running jobs, then the queued ones in the order they will run. */
  list(): JobState[];
  /** No queued job starts until `resume`; running ones finish. */
  pause(): QueueState;
  resume(): QueueState;
  queueState(): QueueState;
  /** Moves a queued job; the queued jobs in their new order. */
  move(jobId: string, to: 'up' | 'down' | 'front'): JobState[];
  /** A failed or cancelled job again: a new job, same parameters. */
  retry(jobId: string): JobState[];
  /** Every failed job not retried yet, again. */
  retryFailed(): JobState[];
  /** Starts keeping the queue in `store` (this process now owns it): the jobs it holds join the queue. */
  attachStore(store: QueueStore): void;
  /** Call after the concurrency setting changes, so queued jobs can start at once. */
  reschedule(): void;
  /** Resolves when no job is queued or running. */
  idle(): Promise<void>;
  /**
   * Cancels everything and waits for running jobs to stop. With a store, queued and running jobs
   * stay in the file for the next start instead (the running ones to be sent again).
   */
  dispose(): Promise<void>;
}

interface Job {
  state: JobState;
  key: string;
  controller: AbortController;
  /** Once the library has the bytes, the job can no longer be cancelled. */
  saving: boolean;
  previewBusy: boolean;
  previewNext: string | null;
  /** A random-seed job's seed chosen by the app (persistent queue), kept for a re-run. */
  appSeed: number | null;
  /** Its own quota wait: not started before (ms since epoch; 0 none), and for whose quota. */
  waitUntil: number;
  waitProvider: ProviderId | null;
  resubmitted: boolean;
  wasRunning: boolean;
  /** Already retried by `retryFailed` (or `retry`). */
  retried: boolean;
}

/** A Gallery output's images saved per job, at most (a Space cannot fill the library with one job). */
export const MAX_GALLERY_IMAGES = 16;
/** A quota that says "try again in 0:00:00" still waits this long (never a tight loop). */
export const MIN_QUOTA_WAIT_MS = 5_000;
/** Timers are re-armed at least this often (a suspended computer's clock jumps). */
const MAX_TIMER_MS = 60_000;

const realTimers: RunnerTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** A quota refusal that names when to try again: the job waits for it. */
function quotaRetry(err: unknown): { providerId: ProviderId | null; ms: number } | null {
  if (!(err instanceof AppError) || err.code !== 'quota') return null;
  const s = err.quota?.retryInSeconds;
  if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) return null;
  return { providerId: (err.providerId as ProviderId | undefined) ?? null, ms: Math.max(MIN_QUOTA_WAIT_MS, s * 1000) };
}

const INTERRUPTED_MESSAGE =
  'The app stopped while this job ran, after it had already been sent again once: it was not sent a third time. Retry runs it again.';

export function createJobRunner(opts: JobRunnerOptions): JobRunner {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  const timers = opts.timers ?? realTimers;
  const routeKey = opts.routeKey ?? ((p: GenerationParams) => p.provider ?? p.model);
  const providerFor = opts.providerFor ?? ((p: GenerationParams) => p.provider ?? null);
  const randomSeed = opts.randomSeed ?? (() => randomInt(LIMITS.seed.min, LIMITS.seed.max + 1));
  const slots = new Slots(opts.concurrency ?? (() => 1));
  const jobs = new Map<string, Job>();
  const queue: Job[] = [];
  /** Jobs running or saving, in the order they started. */
  const started = new Set<Job>();
  const running = new Set<Promise<void>>();
  const quotaWaits = new Map<ProviderId, number>();
  let paused = false;
  let idleWaiters: (() => void)[] = [];
  let disposed = false;
  let timer: unknown = null;
  let lastQueueState = '';

  let store: QueueStore | null = null;
  /** While disposing with a store: the jobs left in the file for the next start, in order. */
  let kept: { order: Job[]; wereRunning: Set<Job> } | null = null;
  let persisting = false;
  let holds = 0;
  let dirty = false;

  const snapshot = (s: JobState): JobState => ({
    ...s,
    failedProviders: s.failedProviders.map((f) => ({ ...f })),
    notes: s.notes.map((n) => ({ ...n, ...(n.params ? { params: { ...n.params } } : {}) })),
    queue: s.queue && { ...s.queue },
    progress: s.progress && { ...s.progress },
    ...(s.status ? { status: { ...s.status, ...(s.status.params ? { params: { ...s.status.params } } : {}) } } : {}),
  });

  // ---- the queue's file -------------------------------------------------------------------------

  const fileJob = (job: Job, state: 'queued' | 'running', wasRunning = job.wasRunning): QueueFileJob => ({
    id: job.state.id,
    batchId: job.state.batchId,
    params: job.state.params,
    state,
    createdAt: job.state.createdAt,
    startedAt: job.state.startedAt,
    attempts: job.state.attempts ?? 0,
    appSeed: job.appSeed,
    waitUntil: job.waitUntil > 0 ? job.waitUntil : null,
    waitProvider: job.waitUntil > 0 ? job.waitProvider : null,
    resubmitted: job.resubmitted,
    wasRunning,
  });

  const fileContent = (): QueueContent => {
    const t = now();
    const saving = [...started].filter((j) => j.saving);
    const jobsInFile = kept
      ? [
          // Handing their image to the library: they finish (or, killed meanwhile, run again).
          ...saving.map((j) => fileJob(j, 'running')),
          ...kept.order.map((j) => fileJob(j, 'queued', j.wasRunning || kept!.wereRunning.has(j))),
        ]
      : [...[...started].map((j) => fileJob(j, 'running')), ...queue.map((j) => fileJob(j, 'queued'))];
    return {
      paused,
      quotaWaits: [...quotaWaits]
        .filter(([, until]) => until > t)
        .map(([providerId, until]) => ({ providerId, until })),
      jobs: jobsInFile,
    };
  };

  /** Writes the queue's state (on transitions only); re-entrant calls write once more afterwards. */
  const persist = () => {
    if (!store) return;
    if (persisting || holds > 0) {
      dirty = true;
      return;
    }
    persisting = true;
    try {
      let rounds = 0;
      do {
        dirty = false;
        try {
          store.sync(fileContent, applyExternal);
        } catch (err) {
          log('jobs: the queue could not be saved', err);
          break;
        }
      } while (dirty && ++rounds < 5);
    } finally {
      persisting = false;
    }
  };

  /** Runs `fn` with writes held back, then writes once. */
  const held = <T>(fn: () => T): T => {
    holds++;
    try {
      return fn();
    } finally {
      holds--;
      if (holds === 0 && dirty) persist();
    }
  };

  /** What the CLI changed in the file: pause/resume, jobs removed (cancelled here). */
  const applyExternal = (change: ExternalChange) => {
    for (const id of change.removedJobIds) {
      const job = jobs.get(id);
      if (job) cancelJob(job);
    }
    if (change.paused !== undefined && change.paused !== paused) {
      paused = change.paused;
      emitQueueState();
    }
    // Never from inside a write: starting a job writes the queue first.
    queueMicrotask(() => {
      checkIdle();
      pump();
    });
  };

  // ---- state --------------------------------------------------------------------------------------

  const queueState = (): QueueState => {
    const t = now();
    return {
      paused,
      quotaWaits: [...quotaWaits]
        .filter(([, until]) => until > t)
        .sort((a, b) => a[1] - b[1])
        .map(([providerId, until]) => ({ providerId, until })),
      active: [...jobs.values()].filter((j) => isActiveState(j.state.state)).length,
    };
  };

  const emitQueueState = () => {
    const s = queueState();
    const key = JSON.stringify(s);
    if (key === lastQueueState) return;
    lastQueueState = key;
    try {
      opts.onQueueChange?.(s);
    } catch (err) {
      log('jobs: queue listener failed', err);
    }
  };

  const update = (job: Job, patch: Partial<JobState>) => {
    const before = job.state.state;
    const waitBefore = job.state.waitUntil ?? null;
    Object.assign(job.state, patch);
    try {
      opts.onUpdate(snapshot(job.state));
    } catch (err) {
      log('jobs: update listener failed', err);
    }
    if (job.state.state !== before || (job.state.waitUntil ?? null) !== waitBefore) {
      persist();
      emitQueueState();
    }
  };

  const finish = (job: Job, patch: Partial<JobState>) => {
    started.delete(job);
    update(job, { ...patch, queue: null, waitUntil: null, endedAt: now() });
    // Whatever still runs for it (a preview download) is of no use now.
    job.controller.abort();
    prune();
  };

  const prune = () => {
    const keep = opts.keepFinished ?? 200;
    const finished = [...jobs.values()].filter((j) => !isActiveState(j.state.state));
    for (const j of finished.slice(0, Math.max(0, finished.length - keep))) jobs.delete(j.state.id);
  };

  const checkIdle = () => {
    if (queue.length > 0 || running.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  // ---- scheduling ---------------------------------------------------------------------------------

  /** Why a queued job may not start yet: a quota wait (its own, or its provider's) until when. */
  const blockedBy = (job: Job, t: number): { until: number; provider: ProviderId | null } | null => {
    let until = job.waitUntil > t ? job.waitUntil : 0;
    let provider = until > 0 ? job.waitProvider : null;
    if (quotaWaits.size > 0) {
      let p: ProviderId | null = null;
      try {
        p = providerFor(job.state.params);
      } catch {
        p = null;
      }
      const w = p ? (quotaWaits.get(p) ?? 0) : 0;
      if (w > t && w > until) {
        until = w;
        provider = p;
      }
    }
    return until > t ? { until, provider } : null;
  };

  const expireWaits = (t: number) => {
    let changed = false;
    for (const [p, until] of quotaWaits) {
      if (until <= t) {
        quotaWaits.delete(p);
        changed = true;
      }
    }
    for (const job of queue) {
      if (job.waitUntil > 0 && job.waitUntil <= t) {
        job.waitUntil = 0;
        job.waitProvider = null;
      }
    }
    if (changed) {
      persist();
      emitQueueState();
    }
  };

  const armTimer = (t: number) => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    if (disposed) return;
    let next = Infinity;
    for (const until of quotaWaits.values()) if (until > t) next = Math.min(next, until);
    for (const job of queue) if (job.waitUntil > t) next = Math.min(next, job.waitUntil);
    if (next === Infinity) return;
    timer = timers.setTimeout(
      () => {
        timer = null;
        pump();
      },
      Math.max(1, Math.min(next - t, MAX_TIMER_MS)),
    );
  };

  const prepareStart = (job: Job) => {
    // A random seed is fixed (and written) before the Space hears of the job: sent again after a
    // crash, it makes the same image.
    if (store && job.state.params.randomizeSeed && job.appSeed === null) job.appSeed = randomSeed();
    started.add(job);
    job.waitUntil = 0;
    job.waitProvider = null;
    update(job, {
      state: 'running',
      startedAt: now(),
      // A job sent again says so until its provider speaks.
      status: job.state.status?.code === 'resubmitted' ? job.state.status : null,
      waitUntil: null,
      attempts: (job.state.attempts ?? 0) + 1,
      failedProviders: [],
      error: null,
    });
  };

  const pump = () => {
    if (disposed) return;
    const t = now();
    const starting: Job[] = [];
    held(() => {
      expireWaits(t);
      for (let i = 0; i < queue.length;) {
        const job = queue[i]!;
        const block = blockedBy(job, t);
        const shown = block?.until ?? null;
        if ((job.state.waitUntil ?? null) !== shown) {
          const status: JobStatus | null = block
            ? { code: 'quota-wait', params: { until: block.until, provider: block.provider ?? '' } }
            : job.state.status?.code === 'quota-wait'
              ? null
              : job.state.status;
          update(job, { waitUntil: shown, status });
        }
        if (block || paused || !slots.tryAcquire(job.key)) {
          i++;
          continue;
        }
        queue.splice(i, 1);
        prepareStart(job);
        starting.push(job);
      }
    });
    // The queue file says "running" (and holds the seed) before any of them is sent.
    for (const job of starting) {
      const p = run(job).finally(() => {
        slots.release(job.key);
        running.delete(p);
        pump();
      });
      running.add(p);
    }
    armTimer(t);
    checkIdle();
    emitQueueState();
  };

  // ---- running one job ------------------------------------------------------------------------------

  const showPreview = (job: Job, url: string) => {
    if (job.previewBusy) {
      // Only the newest preview matters; fetch it when the current download ends.
      job.previewNext = url;
      return;
    }
    job.previewBusy = true;
    const { signal } = job.controller;
    void (async () => {
      let next: string | null = url;
      while (next !== null) {
        const current: string = next;
        job.previewNext = null;
        try {
          const maxBytes = opts.maxPreviewBytes ?? MAX_PREVIEW_BYTES;
          const { bytes } = await opts.download(current, signal, { maxBytes });
          const dataUrl = previewDataUrl(bytes, maxBytes);
          if (dataUrl && job.state.state === 'running' && !signal.aborted) update(job, { previewDataUrl: dataUrl });
        } catch (err) {
          // A lost preview is not worth failing the job for.
          if (!signal.aborted) log('jobs: preview download failed', err);
        }
        next = job.state.state === 'running' && !signal.aborted ? job.previewNext : null;
      }
      job.previewBusy = false;
    })();
  };

  const onEvent = (job: Job, ev: RoutedEvent) => {
    const s = job.state;
    if (ev.providerId !== s.providerId) {
      // Fallback to another provider: its queue, progress and preview start from scratch.
      update(job, { providerId: ev.providerId, queue: null, progress: null, previewDataUrl: null });
    }
    switch (ev.type) {
      case 'status':
        update(job, {
          status: ev.status,
          // Kept for the rest of the job (a token refused explains a later quota error).
          ...(NOTE_STATUS_CODES.includes(ev.status.code)
            ? { notes: [...s.notes.filter((n) => n.code !== ev.status.code), ev.status] }
            : {}),
        });
        break;
      case 'queue':
        update(job, { queue: { position: ev.position, size: ev.size, eta: ev.eta } });
        break;
      case 'progress':
        update(job, { queue: null, progress: { step: ev.step, total: ev.total } });
        break;
      case 'preview':
        showPreview(job, ev.url);
        break;
      case 'error':
        update(job, { failedProviders: [...s.failedProviders, { providerId: ev.providerId, error: ev.error }] });
        break;
      case 'image':
        break;
    }
  };

  /** A gallery's other images, fetched at once too; one that cannot be is skipped (the first decides). */
  async function downloadMore(urls: readonly string[], signal: AbortSignal): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for (const url of urls.slice(0, MAX_GALLERY_IMAGES)) {
      try {
        out.push((await opts.download(url, signal)).bytes);
      } catch (err) {
        if (signal.aborted) throw err;
        log('jobs: a gallery image could not be downloaded', err);
      }
    }
    return out;
  }

  /** A quota refusal with a time: back to the front of the queue until then; its Space's jobs wait too. */
  const waitForQuota = (job: Job, wait: { providerId: ProviderId | null; ms: number }) => {
    const until = now() + wait.ms;
    const provider = wait.providerId ?? job.state.providerId;
    if (provider) quotaWaits.set(provider, Math.max(quotaWaits.get(provider) ?? 0, until));
    job.waitUntil = until;
    job.waitProvider = provider;
    started.delete(job);
    job.controller.abort();
    job.controller = new AbortController();
    job.saving = false;
    queue.unshift(job);
    update(job, {
      state: 'queued',
      waitUntil: until,
      status: { code: 'quota-wait', params: { until, provider: provider ?? '' } },
      queue: null,
      progress: null,
      previewDataUrl: null,
    });
  };

  async function run(job: Job): Promise<void> {
    const { signal } = job.controller;
    if (signal.aborted) return;
    const startedAt = job.state.startedAt ?? now();
    // The seed the app chose goes on the wire; the job keeps asking for a random one (Retry picks anew).
    const sent: GenerationParams =
      job.appSeed !== null ? { ...job.state.params, seed: job.appSeed, randomizeSeed: false } : job.state.params;
    try {
      let image: {
        seed: number | null;
        providerId: ProviderId;
        bytes: Uint8Array;
        resolved: ResolvedParams | undefined;
        more: Uint8Array[];
      } | null = null;
      const events = opts.generate(sent, { signal })[Symbol.asyncIterator]();
      try {
        let step = await events.next();
        while (!step.done && !signal.aborted) {
          const ev = step.value;
          if (ev.type !== 'image') {
            onEvent(job, ev);
            step = await events.next();
            continue;
          }
          update(job, {
            providerId: ev.providerId,
            state: 'saving',
            queue: null,
            progress: null,
            status: null,
          });
          try {
            // Space file URLs expire: fetch at once, before the provider's stream is wound down. A
            // provider that answered with the image itself (Inference Providers) needs no fetch.
            const { bytes } = ev.bytes ? { bytes: ev.bytes } : await opts.download(ev.url, signal);
            const more = await downloadMore(ev.moreUrls ?? [], signal);
            image = { seed: ev.seed, providerId: ev.providerId, bytes, resolved: ev.resolved, more };
            break;
          } catch (err) {
            if (signal.aborted || !events.throw) throw err;
            // An image that cannot be fetched is that provider's failure: the router records it and
            // falls back to its next provider, or throws it (tagged with the provider) when none is left.
            update(job, { state: 'running' });
            step = await events.throw(err);
          }
        }
        if (image) {
          try {
            // Lets the router finish (it records the provider's success) and the stream close.
            for (let rest = await events.next(); !rest.done; rest = await events.next()) {
              // Events after the image (a second image, a late status) change nothing.
            }
          } catch (err) {
            // An error after the image arrived (stream teardown) does not spoil the image.
            log('jobs: provider stream failed after the image', err);
          }
        }
      } finally {
        // A cancel or a failure leaves the generator open: close it (the provider cancels on the Space).
        await events.return?.(undefined).catch(() => {});
      }
      if (signal.aborted) throw new AppError('cancelled', 'Cancelled.');
      if (!image) throw new AppError('protocol', 'The generation ended without an image.');
      job.saving = true;
      const resolved = image.resolved ?? opts.resolveParams(image.providerId, sent);
      const input: SaveImageInput = {
        bytes: image.bytes,
        // As requested, with the seed it ran with when the app picked it (a random seed all the same).
        request: job.appSeed !== null ? { ...job.state.params, seed: job.appSeed } : job.state.params,
        providerId: image.providerId,
        // What went on the wire, as the provider reported it (the Space's limits applied).
        resolved: job.appSeed !== null ? { ...resolved, randomizeSeed: true } : resolved,
        seed: image.seed,
        durationMs: now() - startedAt,
      };
      const entry = await opts.save(input);
      const moreEntryIds: string[] = [];
      for (const bytes of image.more) {
        try {
          moreEntryIds.push((await opts.save({ ...input, bytes })).id);
        } catch (err) {
          // The first image is saved; one of a gallery's others that cannot be is logged, not fatal.
          log('jobs: a gallery image could not be saved', err);
        }
      }
      finish(job, {
        state: 'done',
        entryId: entry.id,
        ...(moreEntryIds.length > 0 ? { moreEntryIds } : {}),
        progress: null,
        previewDataUrl: null,
      });
    } catch (err) {
      if (job.state.state === 'cancelled') return;
      if (signal.aborted) {
        finish(job, { state: 'cancelled' });
        return;
      }
      const wait = disposed ? null : quotaRetry(err);
      if (wait) waitForQuota(job, wait);
      else finish(job, { state: 'failed', error: toErrorInfo(err) });
    }
  }

  const cancelJob = (job: Job): boolean => {
    const st = job.state.state;
    if (!isActiveState(st) || job.saving) return false;
    if (st === 'queued') {
      const i = queue.indexOf(job);
      if (i >= 0) queue.splice(i, 1);
    }
    job.controller.abort(new AppError('cancelled', 'Cancelled.'));
    // Shown at once; the slot frees when the provider has actually stopped.
    finish(job, { state: 'cancelled' });
    return true;
  };

  // ---- making jobs ----------------------------------------------------------------------------------

  const newJob = (params: GenerationParams, batchId: string, id: string = randomUUID(), createdAt = now()): Job => ({
    state: {
      id,
      batchId,
      params,
      state: 'queued',
      providerId: params.provider ?? null,
      failedProviders: [],
      queue: null,
      progress: null,
      status: null,
      notes: [],
      previewDataUrl: null,
      error: null,
      entryId: null,
      waitUntil: null,
      attempts: 0,
      createdAt,
      startedAt: null,
      endedAt: null,
    },
    key: routeKey(params),
    controller: new AbortController(),
    saving: false,
    previewBusy: false,
    previewNext: null,
    appSeed: null,
    waitUntil: 0,
    waitProvider: null,
    resubmitted: false,
    wasRunning: false,
    retried: false,
  });

  const enqueue = (list: GenerationParams[]): JobState[] => {
    if (disposed) throw new AppError('internal', 'The job runner is shut down.');
    const batchId = randomUUID();
    const created = list.map((params) => newJob(params, batchId));
    held(() => {
      for (const job of created) {
        jobs.set(job.state.id, job);
        queue.push(job);
        update(job, {});
      }
      dirty = true;
    });
    emitQueueState();
    pump();
    return created.map((j) => snapshot(j.state));
  };

  /** The jobs a store held at its start join the queue (first: they are older than any made here). */
  const restore = (file: QueueStore['initial']) => {
    const t = now();
    if (file.paused) paused = true;
    for (const w of file.quotaWaits) {
      if (w.until > t) quotaWaits.set(w.providerId, Math.max(quotaWaits.get(w.providerId) ?? 0, w.until));
    }
    const back: Job[] = [];
    for (const fj of file.jobs) {
      // Never twice: a job this process knows already is not made again.
      if (jobs.has(fj.id)) continue;
      const job = newJob(fj.params, fj.batchId, fj.id, fj.createdAt);
      job.appSeed = fj.appSeed;
      job.resubmitted = fj.resubmitted;
      job.wasRunning = fj.wasRunning;
      job.state.attempts = fj.attempts;
      if (fj.waitUntil !== null && fj.waitUntil > t) {
        job.waitUntil = fj.waitUntil;
        job.waitProvider = fj.waitProvider;
      }
      jobs.set(fj.id, job);
      if (fj.state === 'running') {
        if (fj.resubmitted) {
          // Sent again once already, and the app stopped again while it ran: the user decides.
          update(job, {
            state: 'failed',
            startedAt: fj.startedAt,
            endedAt: t,
            error: { code: 'interrupted', message: INTERRUPTED_MESSAGE },
          });
          continue;
        }
        // The app crashed while it ran: sent again once, with its seed.
        job.resubmitted = true;
        job.wasRunning = true;
      }
      if (job.wasRunning) job.state.status = { code: 'resubmitted' };
      back.push(job);
      update(job, {});
    }
    queue.unshift(...back);
  };

  return {
    start: (req) => enqueue(expandRequest(req)),
    cancel(jobId) {
      const job = jobs.get(jobId);
      const ok = job ? cancelJob(job) : false;
      checkIdle();
      return ok;
    },
    cancelAll() {
      let n = 0;
      held(() => {
        for (const job of [...jobs.values()]) if (cancelJob(job)) n++;
      });
      checkIdle();
      return n;
    },
    list: () => [
      ...[...jobs.values()].filter((j) => j.state.state !== 'queued').map((j) => snapshot(j.state)),
      ...queue.map((j) => snapshot(j.state)),
    ],
    pause() {
      if (!paused) {
        paused = true;
        persist();
        emitQueueState();
      }
      return queueState();
    },
    resume() {
      if (paused) {
        paused = false;
        persist();
        emitQueueState();
        pump();
      }
      return queueState();
    },
    queueState,
    move(jobId, to) {
      const job = jobs.get(jobId);
      if (!job) throw new AppError('not-found', 'That job is no longer in the queue.');
      const i = queue.indexOf(job);
      if (i < 0) throw new AppError('invalid-argument', 'Only a queued job can be moved.');
      const j = to === 'front' ? 0 : to === 'up' ? Math.max(0, i - 1) : Math.min(queue.length - 1, i + 1);
      if (j !== i) {
        queue.splice(i, 1);
        queue.splice(j, 0, job);
        persist();
        pump();
      }
      return queue.map((q) => snapshot(q.state));
    },
    retry(jobId) {
      const job = jobs.get(jobId);
      if (!job) throw new AppError('not-found', 'That job is no longer known: start it again from its parameters.');
      if (job.state.state !== 'failed' && job.state.state !== 'cancelled') {
        throw new AppError('invalid-argument', 'Only a failed or cancelled job can be retried.');
      }
      job.retried = true;
      return enqueue([job.state.params]);
    },
    retryFailed() {
      const failed = [...jobs.values()].filter((j) => j.state.state === 'failed' && !j.retried);
      if (failed.length === 0) return [];
      for (const j of failed) j.retried = true;
      return enqueue(failed.map((j) => j.state.params));
    },
    attachStore(s) {
      if (disposed || store) {
        s.close();
        return;
      }
      store = s;
      held(() => {
        restore(s.initial);
        dirty = true;
      });
      s.watch(() => {
        // Another process wrote the file: its changes are applied (and the timers checked).
        persist();
        pump();
      });
      emitQueueState();
      pump();
    },
    reschedule: pump,
    idle() {
      if (queue.length === 0 && running.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      if (store) {
        // Left for the next start: the queue in its order, the running ones first (sent again then).
        const wereRunning = new Set([...started].filter((j) => !j.saving));
        kept = { order: [...wereRunning, ...queue], wereRunning };
        persist();
      }
      held(() => {
        for (const job of jobs.values()) cancelJob(job);
      });
      // Jobs already handing their image to the library finish saving.
      await Promise.allSettled([...running]);
      if (store) {
        persist();
        store.close();
        store = null;
      }
      checkIdle();
    },
  };
}
