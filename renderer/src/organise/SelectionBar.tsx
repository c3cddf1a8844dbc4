import { useState, useSyncExternalStore } from 'react';
import { RATING_MAX, type BoardInfo } from '../../../shared/organise';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { IconButton } from '../ui/IconButton';
import { BoardNameDialog } from './BoardNameDialog';
import { useOrganise } from './context';
import { isMac } from './keys';
import { Menu, type MenuItem } from './Menu';
import { OrgIcon } from './OrgIcon';
import { selectedCount } from './selection';

/**
 * Above the grid while images are selected: how many, and what can be done to all of them at once
 * (favourite, stars, boards, compare, export, copy prompts, delete). While an action runs, its progress.
 */
export function SelectionBar() {
  const i18n = useI18n();
  const { t, tn } = i18n;
  const o = useOrganise();
  const { organiser, bulk, boards } = o;
  const selection = useSyncExternalStore(organiser.selection.subscribe, organiser.selection.get);
  const total = useSyncExternalStore(organiser.pager.subscribe, () => organiser.pager.getSnapshot().total ?? 0);
  const count = selectedCount(selection, total);
  const [naming, setNaming] = useState(false);
  const running = bulk.running;
  if (count === 0 && !running) return null;

  const list = boards.state?.boards ?? [];
  const boardItems = (): MenuItem[] => [
    { kind: 'heading', label: t('org.addToBoard') },
    ...list.map((b): MenuItem => ({
      label: b.name,
      icon: 'bookmark',
      onSelect: () => o.act({ type: 'addToBoard', boardId: b.id }, { board: b.name }),
    })),
    { label: t('org.boards.newWith'), icon: 'plus', onSelect: () => setNaming(true) },
    ...(list.length
      ? ([
          { kind: 'separator' },
          { kind: 'heading', label: t('org.removeFromBoard') },
          ...list.map((b): MenuItem => ({
            label: b.name,
            onSelect: () => o.act({ type: 'removeFromBoard', boardId: b.id }, { board: b.name }),
          })),
        ] as MenuItem[])
      : []),
  ];
  const rateItems = (): MenuItem[] =>
    Array.from({ length: RATING_MAX + 1 }, (_, n) => ({
      label: n === 0 ? t('org.clearRating') : tn('org.stars', n),
      icon: n === 0 ? undefined : ('star' as const),
      onSelect: () => o.act({ type: 'rate', rating: n }),
    }));
  const busy = running !== null;
  // Narrow: these fold into "More" (CSS shows one or the other by the bar's width).
  const moreItems = (): MenuItem[] => [
    ...(selection.kind === 'ids' && count < total
      ? [{ label: tn('org.selectAllN', total), onSelect: () => organiser.selectAll() }]
      : []),
    { label: t('org.unfavourite'), onSelect: () => o.act({ type: 'setFavourite', favourite: false }) },
    { label: `${t('org.compare')} (C)`, disabled: count !== 2, onSelect: o.openCompare },
    { label: t('org.export'), icon: 'download', onSelect: () => o.openExport({ kind: 'selection' }) },
    { label: t('org.copyPrompts'), icon: 'copy', onSelect: () => o.act({ type: 'copyPrompts' }) },
  ];
  const mod = isMac() ? '⌘' : 'Ctrl+';

  return (
    <div
      className="selection-bar"
      role="toolbar"
      aria-label={t('org.selectionActions')}
      data-testid="selection-bar"
      data-organise-keys=""
    >
      <span className="selection-bar__count" aria-live="polite" data-testid="selection-count">
        {tn('org.selected', count)}
      </span>
      {selection.kind === 'ids' && count < total && (
        <button
          type="button"
          className="btn btn--small btn--ghost selection-bar__all selection-bar__wide"
          title={`${t('org.selectAll')} (${mod}A)`}
          onClick={() => organiser.selectAll()}
        >
          {tn('org.selectAllN', total)}
        </button>
      )}
      <span className="selection-bar__actions">
        <IconButton
          icon="star"
          className="selection-bar__fav"
          label={`${t('org.favourite')} (F)`}
          disabled={busy}
          onClick={() => o.act({ type: 'setFavourite', favourite: true })}
          data-testid="bulk-favourite"
        />
        <button
          type="button"
          className="icon-btn selection-bar__unfav selection-bar__wide"
          aria-label={t('org.unfavourite')}
          title={t('org.unfavourite')}
          disabled={busy}
          onClick={() => o.act({ type: 'setFavourite', favourite: false })}
          data-testid="bulk-unfavourite"
        >
          <OrgIcon name="unstar" />
        </button>
        <Menu
          label={`${t('org.rate')} (0–5)`}
          icon={<OrgIcon name="rate" />}
          items={rateItems}
          disabled={busy}
          testId="bulk-rate"
        />
        <Menu
          label={t('org.boards.menu')}
          icon={<Icon name="bookmark" />}
          items={boardItems}
          disabled={busy}
          testId="bulk-boards"
        />
        <button
          type="button"
          className="icon-btn selection-bar__wide"
          aria-label={`${t('org.compare')} (C)`}
          title={`${t('org.compare')} (C)`}
          disabled={busy || count !== 2}
          onClick={o.openCompare}
          data-testid="bulk-compare"
        >
          <OrgIcon name="compare" />
        </button>
        <IconButton
          icon="download"
          className="selection-bar__wide"
          label={t('org.export')}
          disabled={busy}
          onClick={() => o.openExport({ kind: 'selection' })}
          data-testid="bulk-export"
        />
        <IconButton
          icon="copy"
          className="selection-bar__wide"
          label={t('org.copyPrompts')}
          disabled={busy}
          onClick={() => o.act({ type: 'copyPrompts' })}
          data-testid="bulk-copy"
        />
        <IconButton
          icon="trash"
          label={`${t('org.delete')} (Delete)`}
          className="selection-bar__delete"
          disabled={busy}
          onClick={() => o.act({ type: 'delete' })}
          data-testid="bulk-delete"
        />
        <Menu
          label={t('org.more')}
          icon={<OrgIcon name="more" />}
          items={moreItems}
          align="end"
          disabled={busy}
          className="selection-bar__more"
          testId="bulk-more"
        />
        <IconButton
          icon="close"
          label={`${t('org.clearSelection')} (Esc)`}
          className="selection-bar__clear"
          onClick={() => organiser.clear()}
          data-testid="selection-clear"
        />
      </span>
      {running && (
        <div className="selection-bar__progress" role="status" data-testid="bulk-progress">
          <span>
            {running.total > 0
              ? t('org.progress', {
                  action: t(`org.act.${running.action}`),
                  done: i18n.formatNumber(running.done),
                  total: i18n.formatNumber(running.total),
                })
              : t('org.progressStarting', { action: t(`org.act.${running.action}`) })}
          </span>
          <span className={running.total > 0 ? 'progress' : 'progress progress--indeterminate'}>
            <span
              className="progress__bar"
              style={running.total > 0 ? { width: `${Math.round((running.done / running.total) * 100)}%` } : undefined}
            />
          </span>
        </div>
      )}
      {naming && (
        <BoardNameDialog
          onClose={() => setNaming(false)}
          onDone={(b: BoardInfo) => o.act({ type: 'addToBoard', boardId: b.id }, { board: b.name })}
        />
      )}
    </div>
  );
}
