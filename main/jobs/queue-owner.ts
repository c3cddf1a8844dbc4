/**
 * Who runs the persistent queue: the one app process holding `queue.owner` in the data folder. Held
 * for the process's life (not milliseconds like the queue file's write lock), so a second app or web
 * preview on the same data folder never runs the same jobs. The file names its holder (pid,
 * computer) like the library's index lock (main/library/index-lock.ts): a lock left by a process of
 * this computer that no longer runs is broken, as is one of another computer whose holder stopped
 * touching it (OWNER_STALE_MS). A lock naming this very process but not held by it (a pid reused
 * after a crash, in a container) is stale too.
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
  utimesSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { HOST_TAG, processRuns } from '../library/atomic-write';
import { errnoCode, toIoError } from '../library/io-errors';

export const QUEUE_OWNER_FILE = 'queue.owner';
/** Another computer's lock untouched this long (the holder touches it every poll) is abandoned. */
export const OWNER_STALE_MS = 2 * 60_000;
/** A lock still empty after this long was left by a process that died while taking it. */
const EMPTY_LOCK_MS = 5_000;

export interface OwnerInfo {
  pid: number;
  host: string;
  /** When it was taken (ISO). */
  at: string;
}

export interface QueueOwnerLock {
  readonly file: string;
  /** Touches the lock (another computer tells a live holder by it). False when it is no longer ours. */
  heartbeat(): boolean;
  release(): void;
}

/** Lock files this process holds (two cores in one process, as tests make them, must not share one). */
const heldHere = new Set<string>();

function readOwner(file: string): OwnerInfo | null {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<OwnerInfo>;
    return typeof h.pid === 'number' && typeof h.host === 'string'
      ? { pid: h.pid, host: h.host, at: typeof h.at === 'string' ? h.at : '' }
      : null;
  } catch {
    return null;
  }
}

/** The inode of a lock nobody will release; null when it is live or gone. */
function staleOwner(file: string, now: number): number | null {
  let st;
  try {
    st = statSync(file);
  } catch {
    return null;
  }
  const h = readOwner(file);
  if (!h) return now - st.mtimeMs > EMPTY_LOCK_MS ? st.ino : null;
  if (h.host !== HOST_TAG) return now - st.mtimeMs > OWNER_STALE_MS ? st.ino : null;
  if (h.pid === process.pid) return heldHere.has(path.resolve(file)) ? null : st.ino;
  return processRuns(h.pid) ? null : st.ino;
}

/** Removes a stale lock; a live one put there meanwhile by another process is put back. */
function breakLock(file: string, staleIno: number): void {
  const aside = `${file}.stale-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch {
    return;
  }
  try {
    if (statSync(aside).ino !== staleIno) linkSync(aside, file);
  } catch {
    // a new lock is already in place: it wins
  }
  rmSync(aside, { force: true });
}

/**
 * Takes the queue's owner lock in `dir`, or returns null when a live process holds it. Throws an
 * `io` AppError when the lock cannot be made at all (the folder is not writable).
 */
export function tryOwnQueue(dir: string): QueueOwnerLock | null {
  const file = path.resolve(dir, QUEUE_OWNER_FILE);
  if (heldHere.has(file)) return null;
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'wx', 0o644);
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw toIoError(err, 'lock the job queue', file);
    }
    if (fd === undefined) {
      const stale = staleOwner(file, Date.now());
      if (stale === null) return null;
      breakLock(file, stale);
      continue;
    }
    let ino: number;
    try {
      const owner: OwnerInfo = { pid: process.pid, host: HOST_TAG, at: new Date().toISOString() };
      writeSync(fd, JSON.stringify(owner));
      ino = fstatSync(fd).ino;
    } finally {
      closeSync(fd);
    }
    heldHere.add(file);
    const ours = () => {
      try {
        return statSync(file).ino === ino;
      } catch {
        return false;
      }
    };
    let released = false;
    return {
      file,
      heartbeat() {
        if (released || !ours()) return false;
        try {
          const t = new Date();
          utimesSync(file, t, t);
        } catch {
          // best effort: only another computer looks at the time
        }
        return true;
      },
      release() {
        if (released) return;
        released = true;
        heldHere.delete(file);
        // Only our own lock: one broken as stale and taken by another process stays theirs.
        if (ours()) rmSync(file, { force: true });
      },
    };
  }
  return null;
}

/** The live holder of the queue in `dir` (the app running it), or null. */
export function queueOwner(dir: string): OwnerInfo | null {
  const file = path.resolve(dir, QUEUE_OWNER_FILE);
  const h = readOwner(file);
  if (!h) return null;
  return staleOwner(file, Date.now()) === null ? h : null;
}
