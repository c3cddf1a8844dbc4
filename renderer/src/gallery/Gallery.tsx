import {
  useCallback,
  useEffect,
  useEffectEvent,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type DragEvent,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useI18n } from '../i18n/i18n';
import { errorText } from '../i18n/errors';
import { useElementWidth } from '../ui/useElementWidth';
import { groupStarts, type GroupKind } from '../organise/groups';
import { GroupLabels } from '../organise/GroupLabels';
import { isSelected, selectedCount, type Selection, type SelectionStore } from '../organise/selection';
import { useFastScroll } from './useFastScroll';
import { GalleryEmpty } from './GalleryEmpty';
import { GalleryTile } from './GalleryTile';
import type { HistoryPager } from './history-pager';
import { GRID_GAP, GROUP_BAND, gridLayout, gridPadding } from './layout';
import type { ViewOptions } from './view-options';
import './gallery.css';

/** How the grid selects and groups (issue 17); without it, the grid only browses. */
export interface GallerySelect {
  selection: SelectionStore;
  /** A click with its modifiers; 'open' when it should open the viewer. */
  onClick: (mods: { toggle: boolean; range: boolean }, index: number, id: string) => 'open' | 'selected';
  /** Space on the focused tile. */
  onToggle: (index: number) => void;
  /** Shift+arrows: the range from the anchor (or `from`) to `index`. */
  onExtend: (index: number, from: number) => void;
  /** Tiles drag onto boards (else out of the window, natively). */
  inAppDrag: boolean;
  onDragTiles: (e: DragEvent<HTMLElement>, index: number, id: string) => void;
  /** Headers of day (date orders) or stars (rating order) groups. */
  groupKind: GroupKind;
}

const NO_SELECTION: Selection = { kind: 'ids', ids: new Set(), anchor: null };
const noSubscribe = () => () => {};

/**
 * The virtualized thumbnail grid: only the rows near the viewport exist in the DOM, and only their
 * pages of history are loaded. Keyboard: one tab stop, arrows/Home/End/PageUp/PageDown move, Enter
 * opens, Space selects, Shift+arrows extend the selection. Rows keep one height: group headers
 * (days, stars) are written in a band every row has above its tiles, so the virtual list stays exact.
 */
export function Gallery({
  pager,
  filtered,
  onOpen,
  focusRequest,
  view,
  select,
}: {
  pager: HistoryPager;
  filtered: boolean;
  onOpen: (index: number) => void;
  /** Index to scroll to and focus (after the lightbox closes on another image). */
  focusRequest: { index: number } | null;
  view: ViewOptions;
  select?: GallerySelect;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const snap = useSyncExternalStore(pager.subscribe, pager.getSnapshot);
  const scrollRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(scrollRef);
  const fast = useFastScroll(scrollRef);
  const groupKind = select?.groupKind ?? null;
  const band = groupKind ? GROUP_BAND : 0;
  const { cols, tile, rowHeight } = gridLayout(width, view.tileSize, band);
  const padding = gridPadding(width);
  const total = snap.total ?? 0;
  const selection = useSyncExternalStore(
    select?.selection.subscribe ?? noSubscribe,
    select?.selection.get ?? (() => NO_SELECTION),
  );
  const selecting = selectedCount(selection, total) > 0;
  const rowCount = width > 0 ? Math.ceil(total / cols) : 0;
  const [focusIndex, setFocusIndex] = useState(0);
  const pendingFocus = useRef<number | null>(null);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is used as documented; no compiler here.
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    paddingStart: padding,
    paddingEnd: padding,
    overscan: 2,
  });
  useLayoutEffect(() => virtualizer.measure(), [virtualizer, rowHeight, padding]);

  const rows = virtualizer.getVirtualItems();
  const firstRow = rows[0]?.index ?? 0;
  const lastRow = rows.at(-1)?.index ?? 0;
  useEffect(() => {
    if (rowCount > 0) pager.ensureRange(firstRow * cols, (lastRow + 1) * cols);
  }, [pager, firstRow, lastRow, cols, rowCount, snap.version]);

  // Keep the tab stop on a real item when the list shrinks.
  const tabIndex = Math.min(focusIndex, Math.max(0, total - 1));
  // When that tile is scrolled out of the DOM, the grid itself is the tab stop (arrows bring it back).
  const tabRow = Math.floor(tabIndex / cols);
  const tabStopRendered = rows.length > 0 && tabRow >= firstRow && tabRow <= lastRow;

  const focusItem = useCallback(
    (index: number) => {
      const next = Math.max(0, Math.min(total - 1, index));
      setFocusIndex(next);
      pendingFocus.current = next;
      virtualizer.scrollToIndex(Math.floor(next / cols), { align: 'auto' });
    },
    [total, cols, virtualizer],
  );

  // Once per request: a later change of total or columns must not pull focus back to the grid.
  const onFocusRequest = useEffectEvent((index: number) => focusItem(index));
  useEffect(() => {
    if (focusRequest) onFocusRequest(focusRequest.index);
  }, [focusRequest]);

  // Moves DOM focus once the target tile is rendered (it may need a scroll first).
  useEffect(() => {
    const want = pendingFocus.current;
    if (want === null) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${want}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      pendingFocus.current = null;
    }
  });

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const perPage = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight) / rowHeight)) * cols;
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: cols,
      ArrowUp: -cols,
      PageDown: perPage,
      PageUp: -perPage,
      Home: -Infinity,
      End: Infinity,
    };
    const delta = moves[e.key];
    if (delta !== undefined && total > 0) {
      e.preventDefault();
      const to = delta === -Infinity ? 0 : delta === Infinity ? total - 1 : tabIndex + delta;
      focusItem(to);
      // Shift+arrows (and Shift+Home/End/PageUp/PageDown) extend the selection to where focus lands.
      if (e.shiftKey && select) select.onExtend(Math.max(0, Math.min(total - 1, to)), tabIndex);
    } else if (e.key === 'Enter' && total > 0) {
      e.preventDefault();
      onOpen(tabIndex);
    } else if (e.key === ' ' && total > 0) {
      e.preventDefault();
      // Space selects the focused tile (the grid without selection opens it, as Enter does).
      if (select) select.onToggle(tabIndex);
      else onOpen(tabIndex);
    }
  };

  const onTileClick = useCallback(
    (e: MouseEvent<HTMLElement>, index: number, id: string) => {
      if (!select) return onOpen(index);
      // The tile's check mark always toggles; Ctrl/Cmd toggles; Shift extends.
      const onCheck = e.target instanceof Element && e.target.closest('.tile__check') !== null;
      const mods = { toggle: e.ctrlKey || e.metaKey || onCheck, range: e.shiftKey };
      if (mods.range) e.preventDefault();
      if (select.onClick(mods, index, id) === 'open') onOpen(index);
    },
    [select, onOpen],
  );
  const onDragTiles = select?.inAppDrag ? select.onDragTiles : undefined;

  return (
    <div
      className={[
        'gallery',
        view.tileMode === 'whole' ? 'gallery--whole' : '',
        selecting ? 'gallery--selecting' : '',
        band ? 'gallery--grouped' : '',
      ]
        .filter(Boolean)
        .join(' ')}
      role="region"
      aria-label={t('gallery.label')}
      data-testid="gallery"
      data-tile-mode={view.tileMode}
      id="gallery"
    >
      {snap.error && (
        <p className="gallery__error" role="alert">
          {t('gallery.loadFailed', { detail: errorText(i18n, snap.error) })}
        </p>
      )}
      {snap.total === 0 && !snap.error && <GalleryEmpty filtered={filtered} />}
      <div
        ref={scrollRef}
        className="gallery__scroller"
        data-testid="gallery-scroller"
        role="grid"
        aria-label={t('gallery.label')}
        aria-rowcount={rowCount}
        aria-colcount={cols}
        aria-describedby="gallery-hint"
        aria-multiselectable={select ? true : undefined}
        tabIndex={total > 0 && !tabStopRendered ? 0 : -1}
        onKeyDown={onKeyDown}
      >
        <div className="gallery__canvas" style={{ height: virtualizer.getTotalSize() }}>
          {rows.map((row) => {
            const start = row.index * cols;
            const starts = band > 0 ? groupStarts(start, cols, total, (i) => pager.get(i), groupKind) : [];
            const cells = [];
            for (let c = 0; c < cols && start + c < total; c++) {
              const index = start + c;
              const entry = pager.get(index);
              cells.push(
                <GalleryTile
                  key={c}
                  entry={entry}
                  index={index}
                  col={c}
                  size={tile}
                  tabbable={index === tabIndex}
                  showImage={!fast}
                  selected={select && entry ? isSelected(selection, entry.id) : undefined}
                  describedBy={starts.some((g) => g.index === index) ? `gallery-group-${index}` : undefined}
                  onClick={onTileClick}
                  onFocusIndex={setFocusIndex}
                  onDragTiles={onDragTiles}
                />,
              );
            }
            return (
              <div
                key={row.key}
                role="row"
                aria-rowindex={row.index + 1}
                className="gallery__row"
                style={{
                  transform: `translateY(${row.start}px)`,
                  height: tile + band,
                  paddingInline: padding,
                  paddingTop: band,
                  gap: GRID_GAP,
                }}
              >
                {starts.length > 0 && groupKind && (
                  <GroupLabels starts={starts} kind={groupKind} left={padding} step={tile + GRID_GAP} height={band} />
                )}
                {cells}
              </div>
            );
          })}
        </div>
      </div>
      <p id="gallery-hint" className="visually-hidden">
        {t('gallery.keyboardHint')}
      </p>
    </div>
  );
}
