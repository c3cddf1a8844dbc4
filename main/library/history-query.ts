/** What history filters mean, in terms SQL and the renderer share: date bounds and the prompt order's key. */
import type { HistoryFilter } from '../../shared/library';

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

/** Folds case and accents, and skips leading punctuation and spaces: `"Éclair` sorts with `eclair`. */
export function promptKeyOf(prompt: string): string {
  return prompt
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/^[\s\p{P}\p{S}]+/u, '');
}
