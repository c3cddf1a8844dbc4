/**
 * The core's handlers for organising the gallery (issue 17): ratings, `history:listIds`, bulk
 * actions and their undo, boards, export (started here, run in the background, cancelled by id).
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { InvokeParsedArgs } from '../../shared/contract';
import { AppError, toErrorInfo } from '../../shared/errors';
import type { ExportStarted } from '../../shared/organise';
import type { InvokeHandlers } from '../ipc/router';
import type { EventBus } from '../event-bus';
import type { Platform } from '../platform';
import { checkDestination, runExport, type ExportIo } from '../export/export';
import { checkPattern } from '../export/names';
import type { Library } from './library';

export type OrganiseChannel =
  | 'history:setRating'
  | 'history:listIds'
  | 'history:bulk'
  | 'history:undoBulkDelete'
  | 'boards:list'
  | 'boards:create'
  | 'boards:rename'
  | 'boards:setAutoAdd'
  | 'boards:delete'
  | 'export:start'
  | 'export:cancel'
  | 'export:chooseDestination';

export interface OrganiseOptions {
  library: () => Library;
  events: Pick<EventBus, 'emit'>;
  platform: Platform;
  log?: (message: string, err?: unknown) => void;
  /** Tests inject a file system that fails (ENOSPC). */
  exportIo?: ExportIo;
}

export interface OrganiseServices {
  handlers: Pick<InvokeHandlers, OrganiseChannel>;
  /** Exports running now. */
  running(): string[];
  /** Cancels every running export and waits until each has cleaned up. */
  dispose(): Promise<void>;
}

const newOperationId = () => `ex${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;

export function createOrganiseServices(opts: OrganiseOptions): OrganiseServices {
  const { library, events, platform } = opts;
  const log = opts.log ?? (() => {});
  const exports = new Map<string, { controller: AbortController; done: Promise<void> }>();

  async function startExport(req: InvokeParsedArgs<'export:start'>): Promise<ExportStarted> {
    const lib = library();
    const operationId = req.operationId ?? newOperationId();
    if (exports.has(operationId)) {
      throw new AppError('invalid-argument', 'An export with this operation id is running: ask with a new one.');
    }
    checkPattern(req.pattern);
    const destination = await checkDestination(
      req.destination.kind === 'folder'
        ? { kind: 'folder', dir: req.destination.dir }
        : { kind: 'zip', file: req.destination.file, overwrite: req.destination.overwrite },
      lib.dir,
    );
    const { entries } = lib.resolveTarget(req.target);
    if (entries.length === 0) throw new AppError('invalid-argument', 'There are no images to export.');
    const boardNames = new Map(lib.boards().boards.map((b) => [b.id, b.name]));
    const controller = new AbortController();
    const plan = {
      libraryDir: lib.dir,
      entries,
      destination:
        req.destination.kind === 'folder'
          ? ({ kind: 'folder', dir: destination } as const)
          : ({ kind: 'zip', file: destination, overwrite: req.destination.overwrite } as const),
      format: req.format,
      quality: req.quality,
      sidecar: req.sidecar,
      csv: req.csv,
      pattern: req.pattern,
      boardNames,
    };
    const done = runExport(plan, {
      signal: controller.signal,
      onProgress: (p) => events.emit('export:progressed', { operationId, ...p }),
      ...(opts.exportIo ? { io: opts.exportIo } : {}),
    })
      .then((outcome) => events.emit('export:finished', { operationId, ...outcome }))
      .catch((err: unknown) => {
        log('export failed', err);
        events.emit('export:finished', {
          operationId,
          status: 'failed',
          destination,
          written: 0,
          total: entries.length,
          bytes: 0,
          skipped: [],
          error: toErrorInfo(err),
        });
      })
      .finally(() => exports.delete(operationId));
    exports.set(operationId, { controller, done });
    return { operationId, total: entries.length, destination };
  }

  const handlers: Pick<InvokeHandlers, OrganiseChannel> = {
    'history:setRating': ({ id, rating }) => library().setRating(id, rating),
    'history:listIds': (q) => library().listIds(q),
    'history:bulk': (req) => library().bulk(req),
    'history:undoBulkDelete': ({ operationId }) => library().undoBulkDelete(operationId),
    'boards:list': () => library().boards(),
    'boards:create': ({ name, autoAdd }) => library().createBoard(name, autoAdd),
    'boards:rename': ({ id, name }) => library().renameBoard(id, name),
    'boards:setAutoAdd': ({ id, autoAdd }) => library().setBoardAutoAdd(id, autoAdd),
    'boards:delete': ({ id }) => library().deleteBoard(id),
    'export:start': (req) => startExport(req),
    'export:cancel': ({ operationId }) => {
      const run = exports.get(operationId);
      if (!run || run.controller.signal.aborted) return { cancelled: false };
      run.controller.abort();
      return { cancelled: true };
    },
    'export:chooseDestination': async ({ kind, defaultName }) => {
      const name = (defaultName?.trim() || 'Flux Gallery export').replace(/[\\/]/g, '_');
      if (kind === 'zip' && platform.chooseSaveFile) {
        const file = await platform.chooseSaveFile({
          defaultPath: /\.zip$/i.test(name) ? name : `${name}.zip`,
          filters: [{ name: 'ZIP', extensions: ['zip'] }],
        });
        return { path: file };
      }
      if (!platform.chooseFolder) {
        throw new AppError('forbidden', 'Choosing a folder needs the desktop app: type the path instead.');
      }
      const dir = await platform.chooseFolder({});
      if (dir === null) return { path: null };
      // No save dialog: the ZIP goes in the folder chosen, under the suggested name.
      return { path: kind === 'zip' ? path.join(dir, /\.zip$/i.test(name) ? name : `${name}.zip`) : dir };
    },
  };

  return {
    handlers,
    running: () => [...exports.keys()],
    async dispose() {
      const runs = [...exports.values()];
      for (const r of runs) r.controller.abort();
      await Promise.all(runs.map((r) => r.done));
    },
  };
}
