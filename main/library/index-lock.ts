/**
 * The library's lock file (`history.lock` in the index folder): created exclusively by the process
 * that is about to read, merge and write `boards.json`, or to set the history index up (make it,
 * keep a damaged one aside, move shards of an earlier version in), and removed right after (a few
 * milliseconds). The index's own writes are SQLite transactions and need no lock of ours. The lock
 * names its holder (pid, computer); a lock left by a process that died, or older than
 * STALE_LOCK_MS, is broken.
 *
 * Synchronous on purpose: what it guards is written synchronously (small files), so a waiting
 * process sleeps a few milliseconds at a time (Atomics.wait) instead of spinning.
 */
import {
  closeSync,
  fstatSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { HOST_TAG, processRuns } from './atomic-write';
import { errnoCode, toIoError } from './io-errors';

export const LOCK_NAME = 'history.lock';
/** A write holds the lock for milliseconds; one this old was left by a process that hung or died. */
export const STALE_LOCK_MS = 10_000;
/** How long a writer waits for another process's lock before giving up with a clear error. */
export const LOCK_WAIT_MS = 15_000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleepSync = (ms: number) => void Atomics.wait(sleeper, 0, 0, ms);

interface Holder {
  pid: number;
  host: string;
}

function readHolder(file: string): Holder | null {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? { pid: h.pid, host: h.host } : null;
  } catch {
    return null;
  }
}

/**
 * The inode of a lock nobody will release (its holder died on this computer, or it is older than
 * STALE_LOCK_MS); null when the lock is live or gone.
 */
function staleLock(file: string, now: number): number | null {
  let st;
  try {
    st = statSync(file);
  } catch {
    return null; // gone: the next attempt takes it
  }
  if (now - st.mtimeMs > STALE_LOCK_MS) return st.ino;
  const h = readHolder(file);
  // Still being written by its holder (empty for a moment) or from another computer: wait.
  if (!h || h.host !== HOST_TAG) return null;
  return processRuns(h.pid) ? null : st.ino;
}

/** Removes a stale lock; if another process replaced it meanwhile with a live one, that one is put back. */
function breakLock(file: string, staleIno: number): void {
  const aside = `${file}.stale-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch {
    return; // someone else broke it
  }
  try {
    if (statSync(aside).ino !== staleIno) linkSync(aside, file);
  } catch {
    // a new lock is already in place: it wins
  }
  rmSync(aside, { force: true });
}

/**
 * Runs `fn` holding the lock file `file`. Throws an `io` AppError when the lock cannot be made (the
 * folder is not writable, or gone) or another live process holds it for longer than `waitMs`.
 */
export function withLock<T>(file: string, fn: () => T, waitMs = LOCK_WAIT_MS): T {
  const release = acquire(file, waitMs);
  try {
    return fn();
  } finally {
    release();
  }
}

function acquire(file: string, waitMs: number): () => void {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'wx', 0o644);
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw toIoError(err, 'lock the history for writing', file);
    }
    if (fd !== undefined) {
      let ino: number;
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, host: HOST_TAG, at: new Date().toISOString() }));
        ino = fstatSync(fd).ino;
      } finally {
        closeSync(fd);
      }
      return () => {
        try {
          // Only our own lock: if it was broken as stale and taken by another process, leave theirs.
          if (statSync(file).ino === ino) rmSync(file, { force: true });
        } catch {
          // already gone
        }
      };
    }
    const now = Date.now();
    const stale = staleLock(file, now);
    if (stale !== null) {
      breakLock(file, stale);
      continue;
    }
    if (now > deadline) {
      const h = readHolder(file);
      throw new AppError(
        'io',
        `Could not write the history in "${file}": another Flux Gallery process${h ? ` (pid ${h.pid})` : ''} ` +
          'has held its lock for too long. Close other Flux Gallery windows or command-line runs and try again.',
      );
    }
    sleepSync(Math.min(2 + attempt, 20));
  }
}
