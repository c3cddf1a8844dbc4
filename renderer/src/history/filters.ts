/** What the search bar holds, and the `history:query` it becomes. */
import type { HistorySort } from '../../../shared/library';
import type { ModelAlias, ProviderId } from '../../../shared/params';
import type { HistoryFilter } from '../gallery/history-pager';

export interface Filters {
  text: string;
  model: ModelAlias | '';
  providerId: ProviderId | '';
  favourite: boolean;
  /** yyyy-mm-dd from <input type="date">, or ''. */
  from: string;
  to: string;
  /** A board's id, 'none' (images on no board), or '' (any). */
  board: string;
  /** At least this many stars; 0 is any. */
  minRating: number;
  /** The order; not a filter (Clear keeps it). */
  sort: HistorySort;
}

export const NO_FILTERS: Filters = {
  text: '',
  model: '',
  providerId: '',
  favourite: false,
  from: '',
  to: '',
  board: '',
  minRating: 0,
  sort: 'newest',
};

export function toHistoryFilter(f: Filters): HistoryFilter {
  const text = f.text.trim();
  return {
    ...(text ? { text: text.slice(0, 500) } : {}),
    ...(f.model ? { model: f.model } : {}),
    ...(f.providerId ? { providerId: f.providerId } : {}),
    ...(f.favourite ? { favourite: true } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.board ? { board: f.board } : {}),
    ...(f.minRating > 0 ? { minRating: f.minRating } : {}),
    // The default order is left out: the first screen's query is the one the entry prefetched.
    ...(f.sort !== 'newest' ? { sort: f.sort } : {}),
  };
}

/** Something narrows the list (the order does not). */
export const isFiltered = (f: Filters): boolean => Object.keys(toHistoryFilter({ ...f, sort: 'newest' })).length > 0;

/** Clear filters: everything again, in the same order. */
export const clearedFilters = (f: Filters): Filters => ({ ...NO_FILTERS, sort: f.sort });

const SORT_KEY = 'flux-gallery.sort';
const SORTS: readonly HistorySort[] = ['newest', 'oldest', 'rating', 'prompt'];

/** The order is remembered per window, like the thumbnail options. */
export function loadSort(): HistorySort {
  try {
    const raw = localStorage.getItem(SORT_KEY);
    return SORTS.includes(raw as HistorySort) ? (raw as HistorySort) : 'newest';
  } catch {
    return 'newest';
  }
}

export function storeSort(sort: HistorySort): void {
  try {
    localStorage.setItem(SORT_KEY, sort);
  } catch {
    // A convenience only.
  }
}
