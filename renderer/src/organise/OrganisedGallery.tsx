import type { ComponentProps } from 'react';
import type { HistorySort } from '../../../shared/library';
import { Gallery } from '../gallery/Gallery';
import { HistoryToolbar } from '../history/HistoryToolbar';
import { useI18n } from '../i18n/i18n';
import { BoardsPanel } from './BoardsPanel';
import { useOrganise } from './context';
import { SelectionBar } from './SelectionBar';
import { useGallerySelect } from './useGallerySelect';

/** The gallery with its board sidebar (when open) and the selection bar above it. */
export function OrganisedGallery({
  sort,
  ...props
}: Omit<ComponentProps<typeof Gallery>, 'select'> & { sort: HistorySort }) {
  const { boardsOpen } = useOrganise();
  const select = useGallerySelect(sort);
  return (
    <div className="gallery-area">
      {boardsOpen && <BoardsPanel />}
      <div className="gallery-column">
        <SelectionBar />
        <Gallery {...props} select={select} />
      </div>
    </div>
  );
}

/** The search bar with the board toggle, the board shown and the shortcuts sheet. */
export function OrganisedToolbar(props: Omit<ComponentProps<typeof HistoryToolbar>, 'boards'>) {
  const { t } = useI18n();
  const o = useOrganise();
  const board = props.filters.board;
  const activeName =
    board === ''
      ? null
      : board === 'none'
        ? t('org.boards.none')
        : (o.boards.state?.boards.find((b) => b.id === board)?.name ?? null);
  return (
    <HistoryToolbar
      {...props}
      boards={{
        open: o.boardsOpen,
        onToggle: () => o.setBoardsOpen(!o.boardsOpen),
        activeName,
        onShortcuts: o.openShortcuts,
      }}
    />
  );
}
