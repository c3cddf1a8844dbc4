/**
 * Rebuilding history from the images themselves: every saved PNG carries its full record in our
 * `flux-gallery` chunk, so an image file without a history entry (a crash between writing the file
 * and the index, or a damaged index shard) is turned back into an entry. Also removes temp files
 * left by interrupted writes.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { EntryIdSchema, type HistoryEntry } from '../../shared/library';
import { isTempFileName, removeIfAbandoned } from './atomic-write';
import { LAYOUT } from './paths';
import { withModelThatRan } from './entry-schema';
import { EMBED_KEYWORD, recordFromChunks } from './png-metadata';
import { readPngHead } from './png-text-chunks';

export interface ScanResult {
  /** Library-relative paths (forward slashes) of `<id>.png` files under images/. */
  images: { rel: string; id: string }[];
  tempFilesRemoved: number;
}

/**
 * Walks images/ and thumbs/ (symlinks are not followed), deleting abandoned temp files on the way
 * (never a live writer's: see atomic-write.ts).
 */
export async function scanLibrary(root: string): Promise<ScanResult> {
  const result: ScanResult = { images: [], tempFilesRemoved: 0 };
  const walk = async (relDir: string, collect: boolean): Promise<void> => {
    let dirents;
    try {
      dirents = await readdir(path.join(root, relDir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of dirents) {
      const rel = `${relDir}/${d.name}`;
      if (d.isDirectory()) {
        await walk(rel, collect);
      } else if (d.isFile() && isTempFileName(d.name)) {
        if (await removeIfAbandoned(path.join(root, rel))) result.tempFilesRemoved++;
      } else if (collect && d.isFile() && d.name.endsWith('.png')) {
        const id = d.name.slice(0, -'.png'.length);
        if (EntryIdSchema.safeParse(id).success) result.images.push({ rel, id });
      }
    }
  };
  await walk(LAYOUT.images, true);
  await walk(LAYOUT.thumbs, false);
  return result;
}

/** `images/2025/01/<id>.png` → `thumbs/2025/01/<id>.webp` (thumbs mirror the image tree). */
function thumbFor(rel: string): string {
  return `${LAYOUT.thumbs}/${rel.slice(LAYOUT.images.length + 1, -'.png'.length)}.webp`;
}

/** The history entry for an image file, from its embedded record; null when it has none. */
export async function entryFromImage(root: string, rel: string, id: string): Promise<HistoryEntry | null> {
  const abs = path.join(root, rel);
  // Only our chunk is read: nothing else of a file found in the folder is decoded.
  const head = await readPngHead(abs, { keywords: [EMBED_KEYWORD] }).catch(() => null);
  const rec = head && recordFromChunks(head.text);
  if (!head || !rec) return null;
  const { size } = await stat(abs);
  // The content hash, so an import of the same file finds it (issue 18).
  const hash = createHash('sha256')
    .update(await readFile(abs))
    .digest('hex');
  return {
    // The file name is the id that counts: a copied file keeps the original's record but not its name.
    id,
    prompt: rec.prompt,
    ...withModelThatRan({
      model: rec.model,
      ...(rec.requestedModel !== undefined ? { requestedModel: rec.requestedModel } : {}),
      providerId: rec.providerId,
    }),
    params: { ...rec.params },
    seed: rec.seed,
    createdAt: rec.createdAt,
    durationMs: rec.durationMs,
    file: rel,
    thumb: thumbFor(rel),
    width: head.width,
    height: head.height,
    bytes: size,
    favourite: false,
    hash,
  };
}

export interface RecoveryResult {
  entries: HistoryEntry[];
  /** Image files without a readable record (kept where they are, not indexed). */
  unreadable: string[];
}

/** Reads the records of the given images, a few files at a time. */
export async function recoverEntries(
  root: string,
  images: { rel: string; id: string }[],
  parallel = 8,
): Promise<RecoveryResult> {
  const result: RecoveryResult = { entries: [], unreadable: [] };
  let next = 0;
  const worker = async () => {
    while (next < images.length) {
      const img = images[next++]!;
      const entry = await entryFromImage(root, img.rel, img.id).catch(() => null);
      if (entry) result.entries.push(entry);
      else result.unreadable.push(img.rel);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, images.length) }, worker));
  return result;
}
