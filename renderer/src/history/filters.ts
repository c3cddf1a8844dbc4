/** What the search bar holds, and the `history:query` it becomes. */
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
}

export const NO_FILTERS: Filters = { text: '', model: '', providerId: '', favourite: false, from: '', to: '' };

export function toHistoryFilter(f: Filters): HistoryFilter {
  const text = f.text.trim();
  return {
    ...(text ? { text: text.slice(0, 500) } : {}),
    ...(f.model ? { model: f.model } : {}),
    ...(f.providerId ? { providerId: f.providerId } : {}),
    ...(f.favourite ? { favourite: true } : {}),
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
  };
}

export const isFiltered = (f: Filters): boolean => Object.keys(toHistoryFilter(f)).length > 0;
