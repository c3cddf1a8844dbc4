/** The grid's side of organising: selection by click and keys, drags onto boards, group headers. */
import { useMemo } from 'react';
import type { HistorySort } from '../../../shared/library';
import type { GallerySelect } from '../gallery/Gallery';
import { DRAG_TYPE, useOrganise } from './context';
import { setDragged } from './drag';
import { groupKind } from './groups';
import { isSelected, only, selectedCount, toTargets } from './selection';

export function useGallerySelect(sort: HistorySort): GallerySelect {
  const { organiser, boardsOpen } = useOrganise();
  return useMemo<GallerySelect>(
    () => ({
      selection: organiser.selection,
      onClick: (mods, index, id) => organiser.click(mods, index, id),
      onToggle: (index) => organiser.toggleAt(index),
      onExtend: (index, from) => void organiser.extendTo(index, false, from),
      inAppDrag: boardsOpen,
      onDragTiles: (e, index, id) => {
        // The selection when the dragged tile is in it, else that tile alone.
        const s = organiser.current;
        const dragged = isSelected(s, id) ? s : only(id, index);
        setDragged({ targets: toTargets(dragged), count: selectedCount(dragged, organiser.total()) });
        e.dataTransfer.effectAllowed = 'copy';
        e.dataTransfer.setData(DRAG_TYPE, id);
        const tile = e.currentTarget;
        const end = () => {
          setDragged(null);
          tile.removeEventListener('dragend', end);
        };
        tile.addEventListener('dragend', end);
      },
      groupKind: groupKind(sort),
    }),
    [organiser, boardsOpen, sort],
  );
}
