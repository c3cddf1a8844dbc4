/**
 * Checks on a library folder before the library is opened there: never a pseudo-filesystem, never a
 * missing folder created silently (only the default one), and never a wait without end on a folder
 * that does not answer (a dead network share, an unplugged drive).
 */
import { access, constants, mkdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors';

/** Kernel pseudo-filesystems: no images can live there, and Node's recursive mkdir spins forever under /proc. */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'];

export const FOLDER_CHECK_TIMEOUT_MS = 10_000;

/** Is `dir` (as written) one of the pseudo-filesystems or under one? POSIX paths only. */
export function isPseudoFilesystemPath(dir: string): boolean {
  if (!dir.startsWith('/')) return false;
  const p = path.posix.resolve(dir);
  return PSEUDO_ROOTS.some((root) => p === root || p.startsWith(root + '/'));
}

/**
 * Refuses a pseudo-filesystem, also when a symbolic link on the way leads there: the folder's
 * nearest existing ancestor is resolved (a missing folder has no real path yet).
 */
export async function refusePseudoFilesystem(dir: string): Promise<void> {
  const refuse = () =>
    new AppError('io', `"${dir}" is a system folder (${PSEUDO_ROOTS.join(', ')}): a library cannot live there.`);
  if (isPseudoFilesystemPath(dir)) throw refuse();
  if (process.platform === 'win32') return;
  let probe = path.resolve(dir);
  for (;;) {
    try {
      if (isPseudoFilesystemPath(await realpath(probe))) throw refuse();
      return;
    } catch (err) {
      if (err instanceof AppError) throw err;
      const parent = path.dirname(probe);
      if (parent === probe) return;
      probe = parent;
    }
  }
}

/** Runs `work`, failing with an `io` error in words when it takes longer than `timeoutMs` (a folder problem). */
export async function withinTime<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new AppError('io', `${what} does not answer (waited ${Math.max(1, Math.round(timeoutMs / 1000))} s).`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Is `dir` a folder the library can open now? `mayCreate`: the default folder (or one given for this
 * run) is made when missing; any other missing folder is a `file-missing` error (an unplugged drive
 * must not get an empty library on the disk beneath its mount point).
 */
export async function checkLibraryFolder(dir: string, opts: { mayCreate: boolean; timeoutMs?: number }): Promise<void> {
  if (!path.isAbsolute(dir)) throw new AppError('invalid-argument', 'The library folder must be an absolute path.');
  const check = async () => {
    await refusePseudoFilesystem(dir);
    let st;
    try {
      st = await stat(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && opts.mayCreate) return;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw new AppError(
          'file-missing',
          `The library folder "${dir}" is missing. If it is on a drive that is not connected, connect it and retry, or choose another folder.`,
          { cause: err },
        );
      }
      throw new AppError('io', `The library folder "${dir}" cannot be read (${code ?? String(err)}).`, { cause: err });
    }
    if (!st.isDirectory()) throw new AppError('io', `"${dir}" is not a folder.`);
    try {
      await access(dir, constants.R_OK | constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new AppError(
        'io',
        `The library folder "${dir}" is not writable${code === 'EROFS' ? ' (read-only volume)' : ''}: choose another folder, or make it writable and retry.`,
        { cause: err },
      );
    }
  };
  await withinTime(check(), opts.timeoutMs ?? FOLDER_CHECK_TIMEOUT_MS, `The library folder "${dir}"`);
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir spins forever on some paths (under /proc,
 * where the parent exists but refuses children with ENOENT).
 */
export async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = path.dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw err;
    await makeFolder(parent);
    await mkdir(dir).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

/**
 * A folder the user just chose in Settings: made if missing (they asked for it), and it must be
 * writable. Refused in words otherwise; a folder that does not answer in `timeoutMs` is refused too.
 */
export async function checkChosenFolder(dir: string, timeoutMs: number = FOLDER_CHECK_TIMEOUT_MS): Promise<void> {
  if (!path.isAbsolute(dir)) throw new AppError('invalid-argument', 'The library folder must be an absolute path.');
  const check = async () => {
    await refusePseudoFilesystem(dir);
    try {
      await makeFolder(dir);
      if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
      await access(dir, constants.W_OK);
    } catch (err) {
      throw new AppError('io', `The folder "${dir}" cannot be used for the library: it is not writable.`, {
        cause: err,
      });
    }
  };
  await withinTime(check(), timeoutMs, `The folder "${dir}"`);
}
