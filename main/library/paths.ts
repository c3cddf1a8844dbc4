/**
 * The library folder's layout, and confinement: every file the library touches for a caller is
 * resolved from an entry id to a path that must stay inside the library folder — no `..`, no
 * absolute paths, no symlinks leading out.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';

export const LAYOUT = {
  images: 'images',
  thumbs: 'thumbs',
  /** Deleted images wait here (undo) until they go to the OS trash. */
  pendingDelete: '.trash-pending',
  /** The history index (sharded stores). */
  index: '.flux-gallery/history',
  /** "Trash" of the Node platform (CLI): there is no OS trash without a desktop. */
  localTrash: '.flux-gallery/trash',
} as const;

/** `images/YYYY/MM/<id>.png` and `thumbs/YYYY/MM/<id>.webp` (UTC month: stable across time zones). */
export function relPathsFor(id: string, createdAt: Date): { file: string; thumb: string } {
  const yyyy = String(createdAt.getUTCFullYear()).padStart(4, '0');
  const mm = String(createdAt.getUTCMonth() + 1).padStart(2, '0');
  return {
    file: `${LAYOUT.images}/${yyyy}/${mm}/${id}.png`,
    thumb: `${LAYOUT.thumbs}/${yyyy}/${mm}/${id}.webp`,
  };
}

function isInside(root: string, abs: string): boolean {
  const rel = path.relative(root, abs);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
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
 * Resolves a library-relative path. Throws `forbidden` when it could reach outside `root`; `exists`
 * is false when nothing is there (the caller decides whether that is `file-missing`).
 */
export function resolveInside(root: string, rel: string): { abs: string; exists: boolean } {
  if (typeof rel !== 'string' || rel.length === 0 || rel.includes('\0')) throw forbidden();
  if (path.isAbsolute(rel) || path.win32.isAbsolute(rel)) throw forbidden();
  if (rel.split(/[\\/]/).some((seg) => seg === '..')) throw forbidden();
  const absRoot = path.resolve(root);
  const abs = path.resolve(absRoot, rel);
  if (!isInside(absRoot, abs)) throw forbidden();
  const real = realOrNull(abs);
  if (real === null) return { abs, exists: false };
  // The root itself may be a symlink (macOS /tmp → /private/tmp): compare real paths.
  const realRoot = realOrNull(absRoot) ?? absRoot;
  if (!isInside(realRoot, real)) throw forbidden();
  return { abs, exists: true };
}
