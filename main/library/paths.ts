/**
 * The library folder's layout. Every file the library touches for a caller is resolved from an entry
 * id to a path that must stay inside the library folder (main/security/confine.ts).
 */

export const LAYOUT = {
  images: 'images',
  thumbs: 'thumbs',
  /** Deleted images wait here (undo) until they go to the OS trash. */
  pendingDelete: '.trash-pending',
  /** The history index (sharded stores). */
  index: '.flux-gallery/history',
  /**
   * One small file per delete under way (`<id>.json`: the entry's file and thumb), made before the
   * entry leaves the index and removed once its files are in the trash or back: while it exists,
   * no process re-indexes the image, and a delete cut short by a crash is completed at the next start.
   */
  deleting: '.flux-gallery/deleting',
  /**
   * The boards' definitions (issue 17); which images are on a board is kept on the entries. Beside
   * the history, so both move with the library folder.
   */
  boards: '.flux-gallery/boards.json',
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
