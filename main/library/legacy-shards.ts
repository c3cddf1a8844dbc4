/**
 * The JSON shards of earlier versions (`history-000001.json`…, each `{ "format": 1, "entries": [] }`):
 * read once, when a library made by an earlier version is opened, into the SQLite index
 * (history-store.ts), then moved into `shards-before-sqlite/` (kept, never deleted).
 *
 * The rules of the shard era still hold while reading them: a byte-order mark is skipped; a shard
 * that cannot be read is kept aside as `<file>.corrupt-<time>` (its entries are then rebuilt from
 * the images); malformed or duplicate entries are dropped and counted (the original is kept aside);
 * a shard of a newer format stops the library from opening, in words, with nothing changed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { HistoryEntry } from '../../shared/library';
import { isHistoryEntry } from './entry-schema';
import { errnoCode } from './io-errors';

/** The shard format earlier versions wrote. */
export const SHARD_FORMAT = 1;
export const SHARD_RE = /^history-(\d{6})\.json$/;
/** Where migrated shards are kept, inside the index folder. */
export const MIGRATED_DIR = 'shards-before-sqlite';

export type ShardRead =
  { kind: 'ok'; entries: HistoryEntry[]; dropped: number } | { kind: 'corrupt'; why: string } | { kind: 'missing' };

/** The shard files in a folder, oldest first. */
export function listShards(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
  return names
    .filter((n) => SHARD_RE.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

/**
 * Reads and checks one shard, raw. `seen` holds the ids met in earlier shards (a duplicate is
 * dropped). Throws for a shard of a newer format: reading it as ours would lose what we do not know.
 */
export function readShard(file: string, seen: Set<string>, migrate?: (e: HistoryEntry) => HistoryEntry): ShardRead {
  let raw: unknown;
  try {
    let text = readFileSync(file, 'utf8');
    // A byte-order mark (some editors add one) is not part of the JSON.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    raw = JSON.parse(text);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return { kind: 'missing' };
    return { kind: 'corrupt', why: err instanceof Error ? err.message : String(err) };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { kind: 'corrupt', why: 'not a history shard' };
  const { format, entries: rawEntries } = raw as { format?: unknown; entries?: unknown };
  if (format !== SHARD_FORMAT) {
    if (typeof format === 'number' && Number.isInteger(format) && format > SHARD_FORMAT) {
      throw new AppError(
        'io',
        `The history in "${path.dirname(file)}" was written by a newer version of Flux Gallery ` +
          `(${path.basename(file)} has index format ${format}; this version reads format ${SHARD_FORMAT}). ` +
          'Update Flux Gallery, or choose another library folder. Nothing was changed.',
      );
    }
    return {
      kind: 'corrupt',
      why: format === undefined ? 'no index format' : `unknown index format ${JSON.stringify(format)}`,
    };
  }
  if (!Array.isArray(rawEntries)) return { kind: 'corrupt', why: 'no entries list' };
  const entries: HistoryEntry[] = [];
  let dropped = 0;
  for (const item of rawEntries) {
    if (isHistoryEntry(item) && !seen.has(item.id)) {
      entries.push(migrate ? migrate(item) : item);
      seen.add(item.id);
    } else dropped++;
  }
  return { kind: 'ok', entries, dropped };
}
