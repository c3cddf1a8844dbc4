/**
 * The app's side of the persistent queue: it owns the queue (queue-owner.ts), writes the job
 * runner's state to queue.json on every state transition (never on progress), and notices when the
 * CLI's `queue` commands changed the file (fs.watch on the data folder, plus a light poll where
 * watching is not possible or misses a change). What another process changed since this store last
 * wrote — the paused flag, jobs removed — is handed to the runner before its own state is written
 * over the file, so neither side's change is lost.
 */
import { statSync, watch, type FSWatcher } from 'node:fs';
import { AppError } from '../../shared/errors';
import {
  QUEUE_FILE,
  queueFilePath,
  readQueueFile,
  sameContent,
  withQueueLock,
  writeQueueFile,
  type QueueContent,
  type QueueFile,
} from './queue-file';
import { tryOwnQueue, type QueueOwnerLock } from './queue-owner';

/** The owner lock is touched this often (another computer tells a live holder by it: OWNER_STALE_MS). */
const HEARTBEAT_MS = 30_000;

/** What another process changed in the file since this store's last write. */
export interface ExternalChange {
  /** The paused flag as the other process set it (absent: unchanged). */
  paused?: boolean;
  /** Jobs it removed (`queue clear`): the runner cancels them. */
  removedJobIds: string[];
}

export interface QueueStore {
  /** The queue as the file held it when the store opened (the runner restores it). */
  readonly initial: QueueFile;
  /**
   * Writes the runner's state under the queue lock: first `applyExternal` gets what another
   * process changed since the last write, then `snapshot()` is taken and written (not when the
   * file already says the same).
   */
  sync(snapshot: () => QueueContent, applyExternal: (change: ExternalChange) => void): void;
  /** Calls `onChange` when another process may have changed the file. */
  watch(onChange: () => void): void;
  /** Stops watching and gives the queue up (another process may run it). */
  close(): void;
}

export interface QueueStoreOptions {
  log?: (message: string, err?: unknown) => void;
  /** How often the file is looked at besides fs.watch, and the owner lock touched (default 1 s). */
  pollMs?: number;
}

type Stamp = string | null;
const stampOf = (file: string): Stamp => {
  try {
    const st = statSync(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return null;
  }
};

/**
 * Opens the queue in `dir` for this process: null when another live process runs it. Throws an
 * AppError when the queue cannot be used at all (a newer version's file, a folder not writable).
 */
export function openQueueStore(dir: string, opts: QueueStoreOptions = {}): QueueStore | null {
  const log = opts.log ?? (() => {});
  const owner = tryOwnQueue(dir);
  if (!owner) return null;
  let initial: QueueFile;
  try {
    initial = withQueueLock(dir, () => readQueueFile(dir, log).queue);
  } catch (err) {
    owner.release();
    throw err;
  }
  return createStore(dir, owner, initial, log, opts.pollMs ?? 1000);
}

function createStore(
  dir: string,
  owner: QueueOwnerLock,
  initial: QueueFile,
  log: (message: string, err?: unknown) => void,
  pollMs: number,
): QueueStore {
  const file = queueFilePath(dir);
  /** The file as this store last wrote or adopted it. */
  let last: QueueFile = initial;
  let lastStamp: Stamp = stampOf(file);
  let watcher: FSWatcher | null = null;
  let poll: ReturnType<typeof setInterval> | null = null;
  let debounce: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const diff = (theirs: QueueFile): ExternalChange => {
    const kept = new Set(theirs.jobs.map((j) => j.id));
    return {
      ...(theirs.paused !== last.paused ? { paused: theirs.paused } : {}),
      removedJobIds: last.jobs.filter((j) => !kept.has(j.id)).map((j) => j.id),
    };
  };

  return {
    initial,
    sync(snapshot, applyExternal) {
      if (closed) return;
      withQueueLock(dir, () => {
        const { queue: theirs, exists } = readQueueFile(dir, log);
        // A file deleted by hand is no instruction: the runner's state is written again.
        if (exists && theirs.rev !== last.rev) {
          const change = diff(theirs);
          if (change.paused !== undefined || change.removedJobIds.length > 0) applyExternal(change);
        }
        const mine = snapshot();
        if (exists && sameContent(mine, theirs)) {
          last = theirs;
        } else {
          const next: QueueFile = { ...mine, rev: Math.max(theirs.rev, last.rev) + 1 };
          writeQueueFile(dir, next);
          last = next;
        }
        lastStamp = stampOf(file);
      });
    },
    watch(onChange) {
      const check = () => {
        if (closed) return;
        if (stampOf(file) !== lastStamp) onChange();
      };
      try {
        watcher = watch(dir, { persistent: false }, (_event, name) => {
          if (name !== null && String(name) !== QUEUE_FILE) return;
          // Several events come for one rename: look once they have settled.
          if (debounce) clearTimeout(debounce);
          debounce = setTimeout(check, 25);
          debounce.unref?.();
        });
        watcher.on('error', (err) => log('jobs: watching the queue file failed; polling only', err));
      } catch (err) {
        log('jobs: the queue file cannot be watched; polling only', err);
      }
      let beat = Date.now();
      poll = setInterval(() => {
        // Touched now and then (a metadata write), not on every poll.
        if (Date.now() - beat >= HEARTBEAT_MS) {
          beat = Date.now();
          if (!owner.heartbeat()) log('jobs: the queue lock is no longer ours (another process broke it)');
        }
        check();
      }, pollMs);
      poll.unref?.();
    },
    close() {
      if (closed) return;
      closed = true;
      watcher?.close();
      if (poll) clearInterval(poll);
      if (debounce) clearTimeout(debounce);
      owner.release();
    },
  };
}

/**
 * Keeps trying to own the queue in `dir` (every `retryMs`) until it can, then hands the store to
 * `onOwned`: a second app on one data folder runs its own jobs in memory and takes the queue over
 * when the first one quits. Returns a function that stops trying.
 */
export function claimQueue(
  dir: string,
  onOwned: (store: QueueStore) => void,
  opts: QueueStoreOptions & { retryMs?: number } = {},
): () => void {
  const log = opts.log ?? (() => {});
  let timer: ReturnType<typeof setInterval> | null = null;
  const attempt = (): boolean => {
    try {
      const store = openQueueStore(dir, opts);
      if (!store) return false;
      onOwned(store);
    } catch (err) {
      // A newer version's file or an unwritable folder: jobs run in memory only, as before.
      log(`jobs: the job queue in ${dir} cannot be kept: ${err instanceof AppError ? err.message : ''}`, err);
    }
    return true;
  };
  if (!attempt()) {
    log(`jobs: another Flux Gallery process runs the job queue in ${dir}; this one keeps its jobs in memory`);
    timer = setInterval(() => {
      if (attempt() && timer) {
        clearInterval(timer);
        timer = null;
      }
    }, opts.retryMs ?? 5000);
    timer.unref?.();
  }
  return () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
}
