/**
 * Atomic file writes: the bytes go to a temp file in the target's folder, are fsynced, then renamed
 * over the target. A crash at any point leaves either the old file or the new one, never half a
 * file; what it can leave is a temp file, which `removeTempFiles` deletes at the next start.
 *
 * Standalone on purpose (node built-ins only): the crash test runs it in a child process.
 */
import { open, rename, rm, readdir } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** `.<name>.<12 hex>.tmp` — hidden, and impossible to mistake for an image or a store. */
const TEMP_RE = /^\..+\.[0-9a-f]{12}\.tmp$/;

export function isTempFileName(name: string): boolean {
  return TEMP_RE.test(name);
}

export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
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

/** Deletes our temp files left in `dir` (not recursive); returns how many. */
export async function removeTempFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!isTempFileName(name)) continue;
    await rm(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
}
