/**
 * Group headers of the grid: the day an image was made (newest/oldest order) or its stars (rating
 * order). The grid's rows keep one fixed height (the virtual list stays exact and cheap at 50 000
 * images): each row has a thin band above its tiles, and where a group begins in that row its header
 * is written in the band, over the column where the group's first image is. Only loaded entries are
 * looked at; a group whose start is not loaded yet gets its header when its page arrives.
 */
import type { HistoryEntry, HistorySort } from '../../../shared/library';

export type GroupKind = 'day' | 'rating' | null;

export function groupKind(sort: HistorySort | undefined): GroupKind {
  if (sort === 'rating') return 'rating';
  if (sort === 'prompt') return null;
  return 'day';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar day (this computer's clock), `YYYY-MM-DD`. */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function groupKey(entry: HistoryEntry, kind: Exclude<GroupKind, null>): string {
  return kind === 'day' ? dayKey(entry.createdAt) : String(entry.rating ?? 0);
}

export interface GroupStart {
  /** Column in the row. */
  col: number;
  index: number;
  key: string;
}

/**
 * Where groups begin among the row's tiles [start, start + cols): the first tile of the list, and
 * every tile whose group differs from the tile before it (both loaded).
 */
export function groupStarts(
  start: number,
  cols: number,
  total: number,
  get: (index: number) => HistoryEntry | undefined,
  kind: GroupKind,
): GroupStart[] {
  if (kind === null) return [];
  const out: GroupStart[] = [];
  let prev = start > 0 ? get(start - 1) : undefined;
  for (let c = 0; c < cols && start + c < total; c++) {
    const index = start + c;
    const entry = get(index);
    if (entry) {
      const key = groupKey(entry, kind);
      if (index === 0 || (prev && groupKey(prev, kind) !== key)) out.push({ col: c, index, key });
    }
    prev = entry;
  }
  return out;
}

/** Days as people say them: today, yesterday, a weekday this week, else the date (with the year when not this one). */
export function dayLabelParts(key: string, now: Date): { kind: 'today' | 'yesterday' | 'date'; date: Date | null } {
  const [y, m, d] = key.split('-').map(Number);
  if (!y || !m || !d) return { kind: 'date', date: null };
  const date = new Date(y, m - 1, d);
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const days = Math.round((today.getTime() - date.getTime()) / 86_400_000);
  if (days === 0) return { kind: 'today', date };
  if (days === 1) return { kind: 'yesterday', date };
  return { kind: 'date', date };
}
