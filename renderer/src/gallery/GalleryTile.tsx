import { memo, type DragEvent, type MouseEvent } from 'react';
import type { HistoryEntry } from '../../../shared/library';
import { api } from '../bridge';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';

/** One thumbnail: light on purpose (one img, one caption), there are many on screen while scrolling. */
export const GalleryTile = memo(function GalleryTile({
  entry,
  index,
  col,
  size,
  tabbable,
  showImage,
  selected,
  describedBy,
  onClick,
  onFocusIndex,
  onDragTiles,
}: {
  entry: HistoryEntry | undefined;
  index: number;
  col: number;
  size: number;
  tabbable: boolean;
  /** False while flinging: placeholders only. */
  showImage: boolean;
  /** In the selection; undefined where the grid does not select. */
  selected: boolean | undefined;
  /** The group header that begins at this tile. */
  describedBy: string | undefined;
  onClick: (e: MouseEvent<HTMLElement>, index: number, id: string) => void;
  onFocusIndex: (index: number) => void;
  /** Set when tiles drag onto boards inside the window; otherwise they drag out natively. */
  onDragTiles: ((e: DragEvent<HTMLElement>, index: number, id: string) => void) | undefined;
}) {
  const { t, tn } = useI18n();
  const box = { width: size, height: size };
  if (!entry) {
    return (
      <div
        role="gridcell"
        aria-colindex={col + 1}
        aria-label={t('gallery.loading', { n: index + 1 })}
        aria-busy="true"
        className="tile tile--loading"
        style={box}
      />
    );
  }
  const onDragStart = (e: DragEvent<HTMLDivElement>) => {
    if (onDragTiles) return onDragTiles(e, index, entry.id);
    // As Electron's docs do: cancel the HTML drag, the main side starts a native one with the file.
    e.preventDefault();
    api.send('drag:start', { id: entry.id });
  };
  const rating = entry.rating ?? 0;
  return (
    <div
      role="gridcell"
      aria-colindex={col + 1}
      aria-label={entry.prompt}
      aria-selected={selected}
      aria-describedby={describedBy}
      tabIndex={tabbable ? 0 : -1}
      className={selected ? 'tile tile--selected' : 'tile'}
      style={box}
      data-index={index}
      data-id={entry.id}
      draggable
      onDragStart={onDragStart}
      onClick={(e) => onClick(e, index, entry.id)}
      onFocus={() => onFocusIndex(index)}
    >
      {showImage && (
        <img
          className="tile__img"
          src={api.mediaUrl('thumb', entry.id)}
          alt=""
          decoding="async"
          draggable={false}
          onError={(e) => e.currentTarget.classList.add('tile__img--broken')}
        />
      )}
      {/* The padding is on the outer span: clamping the inner one leaves no sliver of a third line. */}
      <span className="tile__caption" aria-hidden="true">
        <span className="tile__caption-text">{entry.prompt}</span>
      </span>
      {selected !== undefined && (
        // Clicked, it toggles the tile (the grid reads the click); its state is the cell's aria-selected.
        <span className="tile__check" aria-hidden="true" title={t(selected ? 'org.tile.deselect' : 'org.tile.select')}>
          <svg viewBox="0 0 24 24" width="14" height="14" focusable="false">
            <path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" strokeWidth="2.6" />
          </svg>
        </span>
      )}
      {(entry.favourite || rating > 0) && (
        <span className="tile__badges">
          {rating > 0 && (
            <span className="tile__rating" title={tn('org.stars', rating)} data-testid="tile-rating">
              <Icon name="star" filled />
              {rating}
            </span>
          )}
          {entry.favourite && (
            <span className="tile__fav" title={t('gallery.favourite')}>
              <Icon name="star" filled />
            </span>
          )}
        </span>
      )}
    </div>
  );
});
