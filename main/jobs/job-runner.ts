/**
 * The job runner: queued generation jobs (one image each), a concurrency limit per route, cancel
 * one or all, and the full JobState sent to `onUpdate` on every change (the core forwards it as
 * `jobs:updated`). Providers, downloads and the library come in as functions.
 */
import { randomUUID } from 'node:crypto';
import { AppError, toErrorInfo } from '../../shared/errors';
import { isActiveState, NOTE_STATUS_CODES, type JobState, type RoutedEvent } from '../../shared/events';
import type { HistoryEntry } from '../../shared/library';
import type { GenerationParams, ProviderId, ResolvedParams } from '../../shared/params';
import type { SaveImageInput } from '../library/library';
import { expandRequest, type StartJobsRequest } from './expand';
import { MAX_PREVIEW_BYTES, previewDataUrl } from './preview';
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

export interface JobRunnerOptions {
  generate: GenerateFn;
  download: DownloadFn;
  /** Stores a final image (Library.saveImage). */
  save: (input: SaveImageInput) => Promise<HistoryEntry>;
  /** What the provider sends for these parameters (Provider.resolve): steps and size for history. */
  resolveParams: (providerId: ProviderId, params: GenerationParams) => ResolvedParams;
  onUpdate: (job: JobState) => void;
  /** Jobs at once per route; read on every scheduling pass (settings may change). Default 1. */
  concurrency?: () => number;
  /**
   * The key the concurrency limit counts by. Routing picks the provider inside `generate`, so the
   * runner cannot know the Space before a job starts; it limits per route instead: a pinned
   * provider is one Space, and an alias tries its Spaces one after another, so N jobs per alias
   * means at most N at once on whichever Space serves it. Default: pinned provider, else alias.
   */
  routeKey?: (params: GenerationParams) => string;
  /** Finished jobs kept for `list()` (oldest dropped first). */
  keepFinished?: number;
  maxPreviewBytes?: number;
  now?: () => number;
  log?: (message: string, err?: unknown) => void;
}

export interface JobRunner {
  start(req: StartJobsRequest): JobState[];
  cancel(jobId: string): boolean;
  cancelAll(): number;
  list(): JobState[];
  /** Call after the concurrency setting changes, so queued jobs can start at once. */
  reschedule(): void;
  /** Resolves when no job is queued or running. */
  idle(): Promise<void>;
  /** Cancels everything and waits for running jobs to stop. */
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
}

/** A Gallery output's images saved per job, at most (a Space cannot fill the library with one job). */
export const MAX_GALLERY_IMAGES = 16;

export function createJobRunner(opts: JobRunnerOptions): JobRunner {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  const routeKey = opts.routeKey ?? ((p: GenerationParams) => p.provider ?? p.model);
  const slots = new Slots(opts.concurrency ?? (() => 1));
  const jobs = new Map<string, Job>();
  const queue: Job[] = [];
  const running = new Set<Promise<void>>();
  let idleWaiters: (() => void)[] = [];
  let disposed = false;

  const snapshot = (s: JobState): JobState => ({
    ...s,
    failedProviders: s.failedProviders.map((f) => ({ ...f })),
    notes: s.notes.map((n) => ({ ...n, ...(n.params ? { params: { ...n.params } } : {}) })),
    queue: s.queue && { ...s.queue },
    progress: s.progress && { ...s.progress },
  });

  const update = (job: Job, patch: Partial<JobState>) => {
    Object.assign(job.state, patch);
    try {
      opts.onUpdate(snapshot(job.state));
    } catch (err) {
      log('jobs: update listener failed', err);
    }
  };

  const finish = (job: Job, patch: Partial<JobState>) => {
    update(job, { ...patch, queue: null, endedAt: now() });
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

  const pump = () => {
    for (let i = 0; i < queue.length;) {
      const job = queue[i]!;
      if (!slots.tryAcquire(job.key)) {
        i++;
        continue;
      }
      queue.splice(i, 1);
      const p = run(job).finally(() => {
        slots.release(job.key);
        running.delete(p);
        pump();
      });
      running.add(p);
    }
    checkIdle();
  };

  const showPreview = (job: Job, url: string) => {
    if (job.previewBusy) {
      // Only the newest preview matters; fetch it when the current download ends.
      job.previewNext = url;
      return;
    }
    job.previewBusy = true;
    void (async () => {
      let next: string | null = url;
      while (next !== null) {
        const current: string = next;
        job.previewNext = null;
        try {
          const maxBytes = opts.maxPreviewBytes ?? MAX_PREVIEW_BYTES;
          const { bytes } = await opts.download(current, job.controller.signal, { maxBytes });
          const dataUrl = previewDataUrl(bytes, maxBytes);
          if (dataUrl && job.state.state === 'running') update(job, { previewDataUrl: dataUrl });
        } catch (err) {
          // A lost preview is not worth failing the job for.
          if (!job.controller.signal.aborted) log('jobs: preview download failed', err);
        }
        next = job.state.state === 'running' ? job.previewNext : null;
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

  async function run(job: Job): Promise<void> {
    const { signal } = job.controller;
    if (signal.aborted) return;
    const startedAt = now();
    update(job, { state: 'running', startedAt, status: null });
    try {
      let image: {
        seed: number | null;
        providerId: ProviderId;
        bytes: Uint8Array;
        resolved: ResolvedParams | undefined;
        more: Uint8Array[];
      } | null = null;
      const events = opts.generate(job.state.params, { signal })[Symbol.asyncIterator]();
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
      const input: SaveImageInput = {
        bytes: image.bytes,
        request: job.state.params,
        providerId: image.providerId,
        // What went on the wire, as the provider reported it (the Space's limits applied).
        resolved: image.resolved ?? opts.resolveParams(image.providerId, job.state.params),
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
      if (signal.aborted) finish(job, { state: 'cancelled' });
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

  return {
    start(req) {
      if (disposed) throw new AppError('internal', 'The job runner is shut down.');
      const batchId = randomUUID();
      const created = expandRequest(req).map((params): Job => {
        const state: JobState = {
          id: randomUUID(),
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
          createdAt: now(),
          startedAt: null,
          endedAt: null,
        };
        return {
          state,
          key: routeKey(params),
          controller: new AbortController(),
          saving: false,
          previewBusy: false,
          previewNext: null,
        };
      });
      for (const job of created) {
        jobs.set(job.state.id, job);
        queue.push(job);
        update(job, {});
      }
      pump();
      return created.map((j) => snapshot(j.state));
    },
    cancel(jobId) {
      const job = jobs.get(jobId);
      const ok = job ? cancelJob(job) : false;
      checkIdle();
      return ok;
    },
    cancelAll() {
      let n = 0;
      for (const job of [...jobs.values()]) if (cancelJob(job)) n++;
      checkIdle();
      return n;
    },
    list: () => [...jobs.values()].map((j) => snapshot(j.state)),
    reschedule: pump,
    idle() {
      if (queue.length === 0 && running.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async dispose() {
      disposed = true;
      for (const job of jobs.values()) cancelJob(job);
      // Jobs already handing their image to the library finish saving.
      await Promise.allSettled([...running]);
    },
  };
}
