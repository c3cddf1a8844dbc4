/**
 * Runs a self-contained function in a worker thread with a time limit and a memory cap, so parsing
 * text from a file we did not write can neither block the main process (the Electron UI and IPC)
 * nor keep running: past its limit the worker is terminated and the caller gets a clear error.
 *
 * The function is sent as its source text (`fn.toString()`) and run with `eval`, which works the
 * same from TypeScript sources under Vitest and from the esbuild bundles, with no worker file to
 * ship. It must therefore use no imports and no names from outside itself.
 */
import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors';

export interface OffThreadOptions {
  /** Time limit from the worker's start (which takes a few tens of milliseconds). */
  timeLimitMs: number;
  /** Heap cap of the worker. */
  maxHeapMb?: number;
  /** What the work is, for the error: "read this image's parameters". */
  what: string;
  /** Tests: sees the worker (e.g. to check it exited). */
  onWorker?: (worker: Worker) => void;
}

export const DEFAULT_MAX_HEAP_MB = 64;

/** `fn(...args)` in a fresh worker; args and result must be structured-cloneable. */
export function runOffThread<A extends unknown[], R>(
  fn: (...args: A) => R,
  args: A,
  opts: OffThreadOptions,
): Promise<R> {
  const source =
    `const { parentPort, workerData } = require('node:worker_threads');\n` +
    `const fn = (${fn.toString()});\n` +
    `parentPort.postMessage(fn(...workerData));\n`;
  return new Promise<R>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(source, {
      eval: true,
      workerData: args,
      resourceLimits: { maxOldGenerationSizeMb: opts.maxHeapMb ?? DEFAULT_MAX_HEAP_MB, maxYoungGenerationSizeMb: 16 },
    });
    opts.onWorker?.(worker);
    const settle = (fnSettle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fnSettle();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new AppError(
              'bad-image',
              `Could not ${opts.what}: it took longer than ${formatMs(opts.timeLimitMs)} and was stopped. ` +
                'The file may be made to stall readers.',
            ),
          ),
        ),
      opts.timeLimitMs,
    );
    worker.once('message', (result: R) => settle(() => resolve(result)));
    worker.once('error', (err) =>
      settle(() =>
        reject(
          new AppError(
            'bad-image',
            (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? `Could not ${opts.what}: it needed more than ${opts.maxHeapMb ?? DEFAULT_MAX_HEAP_MB} MB and was stopped.`
              : `Could not ${opts.what}: ${err instanceof Error ? err.message : String(err)}`,
            { cause: err },
          ),
        ),
      ),
    );
    worker.once('exit', (code) =>
      settle(() => reject(new AppError('internal', `Could not ${opts.what}: the worker ended (code ${code}).`))),
    );
  });
}

const formatMs = (ms: number) => (ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`);
