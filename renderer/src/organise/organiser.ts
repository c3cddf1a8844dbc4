/**
 * The gallery's selection as the grid drives it: clicks with their modifiers, Space, Shift+arrows,
 * Ctrl+A, ranges over tiles that may not be loaded (their ids are asked for then). Plain logic
 * around the history pager; React subscribes to `selection`.
 */
import type { HistoryFilter, HistoryPager } from '../gallery/history-pager';
import {
  EMPTY_SELECTION,
  isSelected,
  onFilterChanged,
  rangeBounds,
  selectAll,
  selectedCount,
  selectRange,
  SelectionStore,
  toggle,
  type Selection,
} from './selection';

export type ListIds = (filter: HistoryFilter) => Promise<string[]>;

export interface ClickMods {
  /** Ctrl on Windows and Linux, Cmd on macOS. */
  toggle: boolean;
  range: boolean;
}

export class Organiser {
  readonly selection = new SelectionStore();
  private filter: HistoryFilter = {};
  /** Bumped by every range asked for: a slow range answer must not override a newer click. */
  private rangeSeq = 0;

  constructor(
    readonly pager: HistoryPager,
    private readonly listIds: ListIds,
  ) {}

  get current(): Selection {
    return this.selection.get();
  }

  total(): number {
    return this.pager.getSnapshot().total ?? 0;
  }

  count(): number {
    return selectedCount(this.current, this.total());
  }

  /** The filter the gallery shows (what Ctrl+A means). */
  setFilter(filter: HistoryFilter): void {
    const changed = JSON.stringify(filter) !== JSON.stringify(this.filter);
    this.filter = filter;
    if (changed) this.selection.set(onFilterChanged);
  }

  getFilter(): HistoryFilter {
    return this.filter;
  }

  /**
   * A click on a tile: Ctrl/Cmd toggles it, Shift selects the range from the anchor (Ctrl+Shift
   * adds it), a plain click toggles it while something is selected. 'open' when the click should
   * open the viewer (nothing selected, no modifier).
   */
  click(mods: ClickMods, index: number, id: string): 'open' | 'selected' {
    if (mods.range) {
      void this.extendTo(index, mods.toggle);
      return 'selected';
    }
    if (mods.toggle || this.count() > 0) {
      this.selection.set((s) => toggle(s, id, index));
      return 'selected';
    }
    return 'open';
  }

  /** Space on a focused tile. */
  toggleAt(index: number): void {
    const id = this.pager.get(index)?.id;
    if (id) this.selection.set((s) => toggle(s, id, index));
  }

  isSelectedAt(index: number): boolean {
    const id = this.pager.get(index)?.id;
    return id !== undefined && isSelected(this.current, id);
  }

  /**
   * Shift+click or Shift+arrow to `index`: the range from the anchor (set at `from` when there is
   * none yet, e.g. the tile focus left). Resolves once the selection holds it.
   */
  async extendTo(index: number, additive = false, from?: number): Promise<void> {
    const s = this.current;
    let anchor = s.anchor;
    if (!anchor) {
      const start = from ?? index;
      const id = this.pager.get(start)?.id;
      if (!id) return;
      anchor = { index: start, id };
      this.selection.set({ ...s, anchor });
    }
    // The anchor's image may have moved (new images arrived): follow it when it is loaded.
    const moved = this.pager.indexOf(anchor.id);
    const anchorIndex = moved >= 0 ? moved : anchor.index;
    const [lo, hi] = rangeBounds(anchorIndex, index);
    const seq = ++this.rangeSeq;
    const ids = await this.rangeIds(lo, hi);
    if (seq !== this.rangeSeq || !ids) return;
    this.selection.set((cur) => selectRange({ ...cur, anchor: { index: anchorIndex, id: anchor.id } }, ids, additive));
  }

  /** The ids at [lo, hi]: from the loaded pages, else from `history:listIds` of the filter. */
  async rangeIds(lo: number, hi: number): Promise<string[] | null> {
    const ids: string[] = [];
    for (let i = lo; i <= hi; i++) {
      const id = this.pager.get(i)?.id;
      if (!id) break;
      ids.push(id);
    }
    if (ids.length === hi - lo + 1) return ids;
    try {
      return (await this.listIds(this.filter)).slice(lo, hi + 1);
    } catch {
      return null;
    }
  }

  /** Ctrl+A: everything the filter shows, not only the loaded tiles. */
  selectAll(): void {
    this.selection.set((s) => selectAll(this.filter, s.anchor));
  }

  clear(): void {
    this.selection.set(EMPTY_SELECTION);
  }

  /** Whether every loaded selected image is a favourite (F then unfavourites); false when none is loaded. */
  allLoadedFavourite(): boolean {
    const s = this.current;
    let seen = 0;
    for (const e of this.pager.loaded()) {
      if (!isSelected(s, e.id)) continue;
      if (!e.favourite) return false;
      seen++;
    }
    return seen > 0;
  }
}
