/** History queries over the in-memory index: filters, the four orders, paging. */
import type { HistoryEntry, HistoryFilter, HistoryPage, HistoryQuery } from '../../shared/library';

/** An entry plus what queries need precomputed. */
export interface Indexed {
  entry: HistoryEntry;
  time: number;
  promptLower: string;
  /** For the `prompt` order (accents and case folded); made the first time that order is asked for. */
  promptKey?: string;
}

export function indexed(entry: HistoryEntry): Indexed {
  return { entry, time: Date.parse(entry.createdAt), promptLower: entry.prompt.toLowerCase() };
}

/** Newest first; ties broken by id so paging is stable. */
export function newerFirst(a: Indexed, b: Indexed): number {
  return b.time - a.time || (a.entry.id < b.entry.id ? 1 : a.entry.id > b.entry.id ? -1 : 0);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A bare date means that day on this computer's clock (what a date picker means); `to` includes
 * the whole day.
 */
export function boundOf(value: string, end: boolean): number {
  if (!DATE_ONLY.test(value)) return Date.parse(value);
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  return end ? new Date(y, m - 1, d + 1).getTime() - 1 : new Date(y, m - 1, d).getTime();
}

export type QueryFilter = Omit<HistoryFilter, 'sort'> & { sort?: HistoryFilter['sort'] };

/**
 * `liveBoards`: the boards that exist. An entry may still carry the id of a board deleted by a
 * process that was cut short; such an id counts for nothing (not on that board, and an entry with
 * only such ids is on no board).
 */
export function compileQuery(q: QueryFilter, liveBoards?: ReadonlySet<string>): (x: Indexed) => boolean {
  const words = (q.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const from = q.from === undefined ? -Infinity : boundOf(q.from, false);
  const to = q.to === undefined ? Infinity : boundOf(q.to, true);
  const minRating = q.minRating ?? 0;
  const board = q.board;
  const onBoard =
    board === undefined
      ? () => true
      : board === 'none'
        ? (e: HistoryEntry) => !e.boards || !e.boards.some((b) => !liveBoards || liveBoards.has(b))
        : (e: HistoryEntry) => e.boards !== undefined && e.boards.includes(board);
  return (x) =>
    (q.model === undefined || x.entry.model === q.model) &&
    (q.providerId === undefined || x.entry.providerId === q.providerId) &&
    (q.favourite === undefined || x.entry.favourite === q.favourite) &&
    (minRating === 0 || (x.entry.rating ?? 0) >= minRating) &&
    x.time >= from &&
    x.time <= to &&
    onBoard(x.entry) &&
    words.every((w) => x.promptLower.includes(w));
}

/** Folds case and accents, and skips leading punctuation and spaces: `"Éclair` sorts with `eclair`. */
export function promptKeyOf(prompt: string): string {
  return prompt
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/^[\s\p{P}\p{S}]+/u, '');
}

/** Prompt order (keys compared as code units: fast, and the same on every machine); ties newest first. */
export function byPrompt(a: Indexed, b: Indexed): number {
  const ka = (a.promptKey ??= promptKeyOf(a.entry.prompt));
  const kb = (b.promptKey ??= promptKeyOf(b.entry.prompt));
  return ka < kb ? -1 : ka > kb ? 1 : newerFirst(a, b);
}

/** Most stars first, then newest first: a stable bucket pass over the newest-first list. */
export function byRating(newestFirst: readonly Indexed[]): Indexed[] {
  const buckets: Indexed[][] = [[], [], [], [], [], []];
  for (const x of newestFirst) buckets[5 - Math.min(5, Math.max(0, x.entry.rating ?? 0))]!.push(x);
  return buckets.flat();
}

/** Runs a query over entries already in the query's order. */
export function runQuery(ordered: Iterable<Indexed>, q: HistoryQuery, liveBoards?: ReadonlySet<string>): HistoryPage {
  const match = compileQuery(q, liveBoards);
  const items: HistoryEntry[] = [];
  let total = 0;
  for (const x of ordered) {
    if (!match(x)) continue;
    if (total >= q.offset && items.length < q.limit) items.push(x.entry);
    total++;
  }
  return { items, total };
}

/** Every matching entry, in order. */
export function matchAll(ordered: Iterable<Indexed>, q: QueryFilter, liveBoards?: ReadonlySet<string>): HistoryEntry[] {
  const match = compileQuery(q, liveBoards);
  const out: HistoryEntry[] = [];
  for (const x of ordered) if (match(x)) out.push(x.entry);
  return out;
}
