/**
 * The gallery's selection, as plain logic (tested without a browser). A selection is either a set of
 * ids (clicks, Ctrl/Cmd+clicks, Shift ranges, Space) or a filter target: "everything the current
 * filter shows" (Ctrl+A), minus the ids deselected since. A filter target never lists its ids: it is
 * sent as `{ kind: 'query' }` and resolved on the main side, so Ctrl+A on 50 000 images costs nothing
 * here.
 */
import { MAX_TARGET_IDS, type BulkTarget } from '../../../shared/organise';
import type { HistoryFilter } from '../gallery/history-pager';

/** Where Shift+click and Shift+arrows extend from: the last tile clicked or toggled. */
export interface Anchor {
  index: number;
  id: string;
}

export type Selection =
  | { kind: 'ids'; ids: ReadonlySet<string>; anchor: Anchor | null }
  | { kind: 'query'; filter: HistoryFilter; except: ReadonlySet<string>; anchor: Anchor | null };

export const EMPTY_SELECTION: Selection = { kind: 'ids', ids: new Set(), anchor: null };

export const isEmpty = (s: Selection, total: number): boolean => selectedCount(s, total) === 0;

/** How many images are selected; `total` is what the current filter shows (a filter target's size). */
export function selectedCount(s: Selection, total: number): number {
  return s.kind === 'ids' ? s.ids.size : Math.max(0, total - s.except.size);
}

export function isSelected(s: Selection, id: string): boolean {
  return s.kind === 'ids' ? s.ids.has(id) : !s.except.has(id);
}

/** Ctrl/Cmd+click, Space: the tile in or out; it becomes the anchor. */
export function toggle(s: Selection, id: string, index: number): Selection {
  const anchor = { index, id };
  if (s.kind === 'ids') {
    const ids = new Set(s.ids);
    if (!ids.delete(id)) ids.add(id);
    return { kind: 'ids', ids, anchor };
  }
  const except = new Set(s.except);
  if (!except.delete(id)) except.add(id);
  return { ...s, except, anchor };
}

/** Sets one tile in or out (selection keys on a focused tile). */
export function setOne(s: Selection, id: string, index: number, on: boolean): Selection {
  return isSelected(s, id) === on ? { ...s, anchor: { index, id } } : toggle(s, id, index);
}

/** Just this tile. */
export function only(id: string, index: number): Selection {
  return { kind: 'ids', ids: new Set([id]), anchor: { index, id } };
}

/** Ctrl+A: everything the filter shows, loaded or not. */
export function selectAll(filter: HistoryFilter, anchor: Anchor | null = null): Selection {
  return { kind: 'query', filter, except: new Set(), anchor };
}

/**
 * Shift+click / Shift+arrow: the ids between the anchor and the tile (inclusive, in list order).
 * `additive` (Ctrl/Cmd+Shift) adds them to what is selected; otherwise they replace it. The anchor
 * stays where it was, so the range can be dragged back and forth.
 */
export function selectRange(s: Selection, rangeIds: readonly string[], additive: boolean): Selection {
  if (!additive) return { kind: 'ids', ids: new Set(rangeIds), anchor: s.anchor };
  if (s.kind === 'ids') {
    const ids = new Set(s.ids);
    for (const id of rangeIds) ids.add(id);
    return { kind: 'ids', ids, anchor: s.anchor };
  }
  const except = new Set(s.except);
  for (const id of rangeIds) except.delete(id);
  return { ...s, except };
}

/** The indexes a range covers, low to high. */
export function rangeBounds(anchorIndex: number, index: number): [number, number] {
  return anchorIndex <= index ? [anchorIndex, index] : [index, anchorIndex];
}

/** Images gone from the library (a bulk delete): out of the selection. */
export function without(s: Selection, gone: Iterable<string>): Selection {
  if (s.kind === 'query') return s;
  const ids = new Set(s.ids);
  for (const id of gone) ids.delete(id);
  return { ...s, ids };
}

/**
 * The filter changed: a filter target meant the old filter's images, so it goes; explicit ids stay
 * (they are still those images), and the anchor goes (its index meant the old list).
 */
export function onFilterChanged(s: Selection): Selection {
  return s.kind === 'query' ? EMPTY_SELECTION : { ...s, anchor: null };
}

/**
 * What a bulk action or an export applies to: one target, or several when explicit ids exceed the
 * contract's limit per call (a filter target has none). Empty when nothing is selected.
 */
export function toTargets(s: Selection): BulkTarget[] {
  if (s.kind === 'query') {
    return [{ kind: 'query', query: s.filter, ...(s.except.size ? { except: [...s.except] } : {}) }];
  }
  const ids = [...s.ids];
  const out: BulkTarget[] = [];
  for (let i = 0; i < ids.length; i += MAX_TARGET_IDS) out.push({ kind: 'ids', ids: ids.slice(i, i + MAX_TARGET_IDS) });
  return out;
}

/**
 * The selection's ids, in list order when they are a filter target (the filter's ids from
 * `history:listIds` minus the deselected ones). Used where ids are needed (compare).
 */
export async function resolveIds(s: Selection, listIds: (f: HistoryFilter) => Promise<string[]>): Promise<string[]> {
  if (s.kind === 'ids') return [...s.ids];
  const all = await listIds(s.filter);
  return all.filter((id) => !s.except.has(id));
}

/** A store for React (useSyncExternalStore): the selection changes as one value. */
export class SelectionStore {
  private state: Selection = EMPTY_SELECTION;
  private listeners = new Set<() => void>();

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  get = (): Selection => this.state;

  set = (next: Selection | ((s: Selection) => Selection)): void => {
    const value = typeof next === 'function' ? next(this.state) : next;
    if (value === this.state) return;
    this.state = value;
    for (const l of this.listeners) l();
  };

  clear = (): void => this.set(EMPTY_SELECTION);
}
