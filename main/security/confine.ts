/**
 * Path confinement, the one place that decides whether a path lies under a root: the protocols and
 * the web preview serve a file only when it really lies under the library (after every symlink),
 * and the library resolves every entry's relative path through `resolveInside`.
 */
import { realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors';

/** Lexical check: `target` is `root` itself or below it (both absolute, already resolved). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  if (rel === '') return true;
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

export type Confined = { ok: true; real: string } | { ok: false; reason: 'missing' | 'outside' };

/**
 * The real path of `file` when it lies under one of `roots` after every symlink is followed.
 * `missing` when nothing is there; `outside` for relative paths and anything escaping a root.
 */
export async function confineRealPath(file: string, roots: readonly string[]): Promise<Confined> {
  if (!path.isAbsolute(file) || file.includes('\0')) return { ok: false, reason: 'outside' };
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    return { ok: false, reason: 'missing' };
  }
  for (const root of roots) {
    if (!path.isAbsolute(root)) continue;
    let realRoot: string;
    try {
      realRoot = await realpath(root);
    } catch {
      continue;
    }
    // The root itself is a folder, never a file to serve.
    if (real !== realRoot && isInside(realRoot, real)) return { ok: true, real };
  }
  return { ok: false, reason: 'outside' };
}

const forbidden = () => new AppError('forbidden', 'That file is outside the library folder.');

function realOrNull(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

/**
 * Resolves a root-relative path. Throws `forbidden` when it could reach outside `root` (or names the
 * root itself); `exists` is false when nothing is there (the caller decides whether that is
 * `file-missing`).
 */
export function resolveInside(root: string, rel: string): { abs: string; exists: boolean } {
  if (typeof rel !== 'string' || rel.length === 0 || rel.includes('\0')) throw forbidden();
  if (path.isAbsolute(rel) || path.win32.isAbsolute(rel)) throw forbidden();
  if (rel.split(/[\\/]/).some((seg) => seg === '..')) throw forbidden();
  const absRoot = path.resolve(root);
  const abs = path.resolve(absRoot, rel);
  if (abs === absRoot || !isInside(absRoot, abs)) throw forbidden();
  const real = realOrNull(abs);
  if (real === null) return { abs, exists: false };
  // The root itself may be a symlink (macOS /tmp → /private/tmp): compare real paths.
  const realRoot = realOrNull(absRoot) ?? absRoot;
  if (real === realRoot || !isInside(realRoot, real)) throw forbidden();
  return { abs, exists: true };
}
