/**
 * The core's import channels (issue 18): `library:importPaths` starts an import of files and
 * folders in the background and answers with its operation id; `library:importProgressed` while it
 * runs, `library:importFinished` once at the end (the per-file report); `library:importCancel`
 * stops it (what was imported stays, nothing is half-written).
 */
import { randomBytes } from 'node:crypto';
import { AppError, toErrorInfo } from '../../shared/errors';
import type { InvokeHandlers } from '../ipc/router';
import type { EventBus } from '../event-bus';
import type { Library } from '../library/library';
import type { Platform } from '../platform';
import { importPaths } from './importer';
import { createImportPool, type ImportPool } from './worker-pool';

export type ImportChannel = 'library:importPaths' | 'library:importCancel' | 'library:chooseImportPaths';

export interface ImportServices {
  handlers: Pick<InvokeHandlers, ImportChannel>;
  running(): string[];
  /** Cancels every running import and waits until each has stopped. */
  dispose(): Promise<void>;
}

const newOperationId = () => `im${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;

export function createImportServices(opts: {
  library: () => Library;
  events: Pick<EventBus, 'emit'>;
  /** The OS open dialog of "Import images…", where there is one (the desktop app). */
  platform?: Pick<Platform, 'chooseImportPaths'>;
  log?: (message: string, err?: unknown) => void;
}): ImportServices {
  const runs = new Map<string, { controller: AbortController; done: Promise<void> }>();
  const log = opts.log ?? (() => {});
  // The worker pool of this core's imports: made on the first import, closed with the core.
  let pool: ImportPool | null = null;
  const handlers: Pick<InvokeHandlers, ImportChannel> = {
    'library:importPaths': ({ paths, operationId: given }) => {
      const lib = opts.library();
      const operationId = given ?? newOperationId();
      if (runs.has(operationId)) throw new AppError('invalid-argument', 'An import with this operation id is running.');
      const controller = new AbortController();
      let last = 0;
      const done = importPaths(lib, paths, {
        pool: (pool ??= createImportPool()),
        signal: controller.signal,
        onProgress: (p) => {
          // At most ~10 events a second, and always the last one.
          const now = Date.now();
          if (p.done < p.total && now - last < 100) return;
          last = now;
          opts.events.emit('library:importProgressed', { operationId, ...p });
        },
      })
        .then((report) =>
          opts.events.emit('library:importFinished', {
            operationId,
            status: report.cancelled ? 'cancelled' : 'done',
            ...report,
          }),
        )
        .catch((err: unknown) => {
          log('import failed', err);
          const info = toErrorInfo(err);
          opts.events.emit('library:importFinished', {
            operationId,
            status: 'failed',
            error: { code: info.code, message: info.message },
          });
        })
        .finally(() => runs.delete(operationId));
      runs.set(operationId, { controller, done });
      return { operationId };
    },
    'library:chooseImportPaths': async ({ kind }) => {
      const choose = opts.platform?.chooseImportPaths;
      if (!choose) throw new AppError('forbidden', 'Choosing files needs the desktop app: type the paths instead.');
      return { paths: await choose({ kind }) };
    },
    'library:importCancel': ({ operationId }) => {
      const run = runs.get(operationId);
      if (!run || run.controller.signal.aborted) return { cancelled: false };
      run.controller.abort();
      return { cancelled: true };
    },
  };
  return {
    handlers,
    running: () => [...runs.keys()],
    async dispose() {
      const all = [...runs.values()];
      for (const r of all) r.controller.abort();
      await Promise.all(all.map((r) => r.done));
      await pool?.close();
      pool = null;
    },
  };
}
