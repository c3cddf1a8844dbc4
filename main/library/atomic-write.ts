/**
 * Atomic file writes: the bytes go to a temp file in the target's folder, are fsynced, then renamed
 * over the target. A crash at any point leaves either the old file or the new one, never half a
 * file; what it can leave is a temp file, which `removeTempFiles` deletes at a later start.
 *
 * Several processes may write one library at once (the app and the CLI), so a temp file names its
 * writer (`.<name>.<pid>-<host>-<random>.tmp`) and a sweep removes only temp files that are surely
 * abandoned: older than an hour, or written by a process of this computer that no longer runs.
 * Never another live writer's file, which would make its rename fail.
 *
 * Standalone on purpose (node built-ins only): the crash test runs it in a child process.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { open, rename, rm, readdir, stat } from 'node:fs/promises';
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';

/** `.<name>.<pid>-<6 hex host>-<12 hex>.tmp`: hidden, and impossible to mistake for an image or a store. */
const TEMP_RE = /^\..+\.(\d{1,10})-([0-9a-f]{6})-[0-9a-f]{12}\.tmp$/;
/** Written by earlier versions: no writer in the name, so only its age tells it is abandoned. */
const LEGACY_TEMP_RE = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** A temp file younger than this may belong to a writer we cannot see (another computer, another version). */
export const TEMP_FILE_MAX_AGE_MS = 60 * 60 * 1000;

/** This computer, as temp and lock files name it (a pid means nothing on another computer). */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 6);

export function isTempFileName(name: string): boolean {
  return TEMP_RE.test(name) || LEGACY_TEMP_RE.test(name);
}

export function tempPathFor(target: string): string {
  const tag = `${process.pid}-${HOST_TAG}-${randomBytes(6).toString('hex')}`;
  return path.join(path.dirname(target), `.${path.basename(target)}.${tag}.tmp`);
}

/** True when `pid` is a process that runs now (on this computer). */
export function processRuns(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a temp file may be removed: older than TEMP_FILE_MAX_AGE_MS, or made by a process of this
 * computer that has ended. Files of this very process count as live (a write may be under way).
 */
export function isAbandonedTemp(name: string, mtimeMs: number, now = Date.now()): boolean {
  if (now - mtimeMs > TEMP_FILE_MAX_AGE_MS) return true;
  const m = TEMP_RE.exec(name);
  if (!m) return false;
  return m[2] === HOST_TAG && !processRuns(Number(m[1]));
}

export async function writeFileAtomic(target: string, data: Uint8Array): Promise<void> {
  const temp = tempPathFor(target);
  let renamed = false;
  try {
    // 'wx': never follow or reuse something already at the temp path.
    const fh = await open(temp, 'wx', 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, target);
    renamed = true;
    await syncDir(path.dirname(target));
  } finally {
    if (!renamed) await rm(temp, { force: true }).catch(() => {});
  }
}

/** The same, synchronously (boards.json is written in one go, under the library's lock). */
export function writeFileAtomicSync(target: string, data: string | Uint8Array): void {
  const temp = tempPathFor(target);
  let renamed = false;
  try {
    const fd = openSync(temp, 'wx', 0o644);
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    renamed = true;
    syncDirSync(path.dirname(target));
  } finally {
    if (!renamed) {
      try {
        rmSync(temp, { force: true });
      } catch {
        // nothing more to do
      }
    }
  }
}

/** Makes the rename itself durable; not supported on every platform (Windows), so best effort. */
async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // EISDIR/EPERM/EINVAL on platforms that cannot fsync a directory.
  } finally {
    await fh?.close().catch(() => {});
  }
}

function syncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // as above
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Deletes abandoned temp files of ours in `dir` (not recursive); returns how many. */
export async function removeTempFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (await removeIfAbandoned(path.join(dir, name))) removed++;
  }
  return removed;
}

/** Removes `file` when it is one of our temp files and abandoned (see isAbandonedTemp). */
export async function removeIfAbandoned(file: string): Promise<boolean> {
  const name = path.basename(file);
  if (!isTempFileName(name)) return false;
  try {
    if (!isAbandonedTemp(name, (await stat(file)).mtimeMs)) return false;
    await rm(file, { force: true });
    return true;
  } catch {
    return false;
  }
}

/** Synchronous variant for the index folder. */
export function removeIfAbandonedSync(file: string, legacyName?: RegExp): boolean {
  const name = path.basename(file);
  const ours = isTempFileName(name);
  if (!ours && !legacyName?.test(name)) return false;
  try {
    const { mtimeMs } = statSync(file);
    if (ours ? !isAbandonedTemp(name, mtimeMs) : Date.now() - mtimeMs <= TEMP_FILE_MAX_AGE_MS) return false;
    rmSync(file, { force: true });
    return true;
  } catch {
    return false;
  }
}
