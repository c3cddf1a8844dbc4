/** History queries over the in-memory index: filters, newest first, paging. */
import type { HistoryEntry, HistoryPage, HistoryQuery } from '../../shared/library';

/** An entry plus what queries need precomputed. */
export interface Indexed {
  entry: HistoryEntry;
  time: number;
  promptLower: string;
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

export function compileQuery(q: Omit<HistoryQuery, 'offset' | 'limit'>): (x: Indexed) => boolean {
  const words = (q.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const from = q.from === undefined ? -Infinity : boundOf(q.from, false);
  const to = q.to === undefined ? Infinity : boundOf(q.to, true);
  return (x) =>
    (q.model === undefined || x.entry.model === q.model) &&
    (q.providerId === undefined || x.entry.providerId === q.providerId) &&
    (q.favourite === undefined || x.entry.favourite === q.favourite) &&
    x.time >= from &&
    x.time <= to &&
    words.every((w) => x.promptLower.includes(w));
}

/** `sorted` must be newest first. */
export function runQuery(sorted: readonly Indexed[], q: HistoryQuery): HistoryPage {
  const match = compileQuery(q);
  const items: HistoryEntry[] = [];
  let total = 0;
  for (const x of sorted) {
    if (!match(x)) continue;
    if (total >= q.offset && items.length < q.limit) items.push(x.entry);
    total++;
  }
  return { items, total };
}
