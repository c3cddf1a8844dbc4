import { memo, type DragEvent } from 'react';
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
  onOpen,
  onFocusIndex,
}: {
  entry: HistoryEntry | undefined;
  index: number;
  col: number;
  size: number;
  tabbable: boolean;
  /** False while flinging: placeholders only. */
  showImage: boolean;
  onOpen: (index: number) => void;
  onFocusIndex: (index: number) => void;
}) {
  const { t } = useI18n();
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
    // As Electron's docs do: cancel the HTML drag, the main side starts a native one with the file.
    e.preventDefault();
    api.send('drag:start', { id: entry.id });
  };
  return (
    <div
      role="gridcell"
      aria-colindex={col + 1}
      aria-label={entry.prompt}
      tabIndex={tabbable ? 0 : -1}
      className="tile"
      style={box}
      data-index={index}
      data-id={entry.id}
      draggable
      onDragStart={onDragStart}
      onClick={() => onOpen(index)}
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
      {entry.favourite && (
        <span className="tile__fav" title={t('gallery.favourite')}>
          <Icon name="star" filled />
        </span>
      )}
    </div>
  );
});
