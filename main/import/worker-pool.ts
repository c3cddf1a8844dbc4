/**
 * The import's worker pool (issue 18): `os.availableParallelism()` worker threads (1 to 16) that
 * hash, read metadata, decode and make thumbnails (import-worker.ts), so an import of thousands of
 * files leaves the main thread (the Electron UI's IPC, the web preview's socket) free.
 *
 * Built on piscina (the Node.js team's pool): a queue, worker reuse, `resourceLimits` for a heap
 * cap, and an AbortSignal per task that drops a queued task and terminates the worker of a running
 * one (a new worker takes its place). On top of it: a time limit per task that words what was
 * stopped, and one pool per owner: the core's import services make it on the first import and
 * close it with the core; the CLI and tests make their own. No module-level state.
 *
 * The worker is a separate bundle, `import-worker.mjs`, next to the entry bundle that loads this
 * module (out/main/ for the app, the web preview and the CLI); from sources (Vitest) the one in
 * out/main/ is used, built by test/helpers/global-setup.ts.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
// sharp must be loaded by the main thread before worker threads load it (glibc Linux; sharp's docs).
import 'sharp';
import { AppError } from '../../shared/errors';
import type { ImageType } from '../library/image-bytes';
import type { ImageResult, InspectResult, WorkerTask } from './import-worker';

export const MAX_POOL_THREADS = 16;
export const DEFAULT_WORKER_HEAP_MB = 128;
/** The `image` task: decoding a 4096² image takes about a second; a minute means it is stuck. */
export const IMAGE_TIME_LIMIT_MS = 60_000;

export interface ImportPoolOptions {
  /** Default: os.availableParallelism(), within 1…MAX_POOL_THREADS. */
  threads?: number;
  /** Old-generation heap cap of each worker (pixels are outside the heap, in libvips). */
  maxHeapMb?: number;
  /** The worker bundle; default: found next to this bundle or in out/main/. */
  workerFile?: string;
  /** Workers idle this long end (the pool starts them again when needed). */
  idleTimeoutMs?: number;
}

export interface TaskLimits {
  timeLimitMs: number;
  signal?: AbortSignal;
  /** What the task is, for the error: "read the parameters of this image". */
  what: string;
}

export interface ImportPool {
  readonly threads: number;
  inspect(bytes: Uint8Array, type: ImageType, limits: TaskLimits): Promise<InspectResult>;
  image(bytes: Uint8Array, type: ImageType, limits: TaskLimits): Promise<ImageResult>;
  /** Ends every worker; queued and running tasks are rejected. */
  close(): Promise<void>;
}

export const defaultThreads = () => Math.max(1, Math.min(os.availableParallelism(), MAX_POOL_THREADS));

/** Where the worker bundle is: next to the running bundle, or in the repository's out/main/. */
export function findWorkerFile(): string {
  const candidates = ['./import-worker.mjs', '../main/import-worker.mjs', '../../out/main/import-worker.mjs'];
  for (const c of candidates) {
    const file = fileURLToPath(new URL(c, import.meta.url));
    if (existsSync(file)) return file;
  }
  throw new AppError(
    'internal',
    'The import worker (import-worker.mjs) is missing from the build: run "npm run build" (or the packaged app is damaged).',
  );
}

export function createImportPool(opts: ImportPoolOptions = {}): ImportPool {
  const threads = Math.max(1, Math.min(Math.floor(opts.threads ?? defaultThreads()), MAX_POOL_THREADS));
  const maxHeapMb = opts.maxHeapMb ?? DEFAULT_WORKER_HEAP_MB;
  const piscina = new Piscina<WorkerTask, InspectResult | ImageResult>({
    filename: opts.workerFile ?? findWorkerFile(),
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: opts.idleTimeoutMs ?? 10_000,
    resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: 16 },
    // Nothing to gain from blocking Atomics waits between tasks; the worker's loop stays free for sharp.
    atomics: 'disabled',
  });
  let closed = false;

  async function run<R>(task: WorkerTask, limits: TaskLimits): Promise<R> {
    if (closed) throw new AppError('internal', 'The import pool is closed.');
    limits.signal?.throwIfAborted();
    const stop = new AbortController();
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    // The time limit runs from the moment a worker takes the task (the worker says so on this port),
    // not while it waits in the queue or for a worker to start on a busy machine.
    const started = new MessageChannel();
    started.port1.once('message', () => {
      timer = setTimeout(() => {
        timedOut = true;
        stop.abort();
      }, limits.timeLimitMs);
    });
    const onAbort = () => stop.abort();
    limits.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // The bytes are copied (structured clone): the caller keeps its buffer to write it.
      return (await piscina.run(
        { ...task, started: started.port2 },
        { signal: stop.signal, transferList: [started.port2] },
      )) as R;
    } catch (err) {
      if (limits.signal?.aborted) throw limits.signal.reason ?? err;
      if (timedOut) {
        throw new AppError(
          'bad-image',
          `Could not ${limits.what}: it took longer than ${formatMs(limits.timeLimitMs)} and was stopped. ` +
            'The file may be made to stall readers.',
        );
      }
      if ((err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw new AppError(
          'bad-image',
          `Could not ${limits.what}: it needed more than ${maxHeapMb} MB and was stopped.`,
          {
            cause: err,
          },
        );
      }
      throw new AppError('internal', `Could not ${limits.what}: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    } finally {
      clearTimeout(timer);
      started.port1.close();
      limits.signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    threads,
    inspect: (bytes, type, limits) => run<InspectResult>({ op: 'inspect', bytes, type }, limits),
    image: (bytes, type, limits) => run<ImageResult>({ op: 'image', bytes, type }, limits),
    async close() {
      if (closed) return;
      closed = true;
      await piscina.destroy();
    },
  };
}

const formatMs = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);
