/**
 * A library folder with many synthetic entries (issue 17's bulk tests and benches): the history
 * shards written by the store itself, and a small file for every image and thumbnail, so moving
 * files (delete, undo) and exporting PNGs as stored have something real to do.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HistoryStore } from '../../main/library/history-store';
import { LAYOUT } from '../../main/library/paths';
import type { HistoryEntry } from '../../shared/library';
import { makeEntry } from './entries';

export async function makeSyntheticLibrary(
  dir: string,
  count: number,
  opts: { files?: boolean; fileBytes?: Buffer; entry?: (i: number) => Partial<HistoryEntry> } = {},
): Promise<HistoryEntry[]> {
  const entries = Array.from({ length: count }, (_, i) => makeEntry(i, opts.entry?.(i) ?? {}));
  const store = HistoryStore.open({ dir: path.join(dir, LAYOUT.index) });
  store.addMany(entries);
  if (opts.files !== false) {
    const bytes = opts.fileBytes ?? Buffer.from('not really an image');
    const dirs = new Set(entries.flatMap((e) => [path.dirname(e.file), path.dirname(e.thumb)]));
    for (const d of dirs) await mkdir(path.join(dir, d), { recursive: true });
    for (let i = 0; i < entries.length; i += 200) {
      await Promise.all(
        entries
          .slice(i, i + 200)
          .flatMap((e) => [writeFile(path.join(dir, e.file), bytes), writeFile(path.join(dir, e.thumb), bytes)]),
      );
    }
  }
  return entries;
}
