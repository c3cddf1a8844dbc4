/** Path confinement for the protocols: a path is served only when it really lies under a root. */
import { realpath } from 'node:fs/promises';
import path from 'node:path';

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
