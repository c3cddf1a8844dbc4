import { useState, type DragEvent, type ReactNode } from 'react';
import type { BoardInfo } from '../../../shared/organise';
import { api } from '../bridge';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { IconButton } from '../ui/IconButton';
import { Modal } from '../ui/Modal';
import { useToasts } from '../ui/toast-context';
import { BoardNameDialog } from './BoardNameDialog';
import { DRAG_TYPE, useOrganise } from './context';
import { getDragged } from './drag';
import { Menu } from './Menu';
import { OrgIcon } from './OrgIcon';

/**
 * The boards beside the gallery: each with its count; choosing one filters the gallery; tiles
 * dragged onto one are added to it. Create, rename, auto-add new images, delete (images stay).
 */
export function BoardsPanel() {
  const i18n = useI18n();
  const { t } = i18n;
  const toasts = useToasts();
  const o = useOrganise();
  const { boards, activeBoard, showBoard } = o;
  const [naming, setNaming] = useState<{ board?: BoardInfo } | null>(null);
  const [deleting, setDeleting] = useState<BoardInfo | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const list = boards.state?.boards ?? [];
  const fail = (err: unknown) => toasts.show({ message: errorText(i18n, toInfo(err)), tone: 'error' });

  const onDragOver = (e: DragEvent<HTMLElement>, id: string) => {
    if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    if (over !== id) setOver(id);
  };
  const onDrop = (e: DragEvent<HTMLElement>, board: BoardInfo) => {
    setOver(null);
    const dragged = getDragged();
    if (!e.dataTransfer.types.includes(DRAG_TYPE) || !dragged) return;
    e.preventDefault();
    void o.bulk.run({ type: 'addToBoard', boardId: board.id }, dragged.targets, { board: board.name });
  };

  const row = (id: string, label: string, count: number | null, extra?: ReactNode, board?: BoardInfo) => (
    <li
      key={id || 'all'}
      className={[
        'boards__item',
        activeBoard === id ? 'boards__item--active' : '',
        board && over === id ? 'boards__item--over' : '',
      ]
        .filter(Boolean)
        .join(' ')}
      data-testid="board-row"
      data-board-id={id}
      onDragOver={board ? (e) => onDragOver(e, id) : undefined}
      onDragLeave={board ? () => setOver((cur) => (cur === id ? null : cur)) : undefined}
      onDrop={board ? (e) => onDrop(e, board) : undefined}
    >
      <button
        type="button"
        className="boards__show"
        aria-current={activeBoard === id ? 'true' : undefined}
        onClick={() => showBoard(activeBoard === id && id !== '' ? '' : id)}
      >
        <span className="boards__name">{label}</span>
        {board?.autoAdd && (
          <span className="boards__auto" title={t('org.boards.autoAddOn')}>
            <Icon name="sparkles" />
            <span className="visually-hidden">{t('org.boards.autoAddOn')}</span>
          </span>
        )}
        {count !== null && (
          <span className="boards__count" data-testid="board-count">
            {i18n.formatNumber(count)}
          </span>
        )}
      </button>
      {extra}
    </li>
  );

  return (
    <nav className="boards" aria-label={t('org.boards.title')} data-testid="boards-panel">
      <header className="boards__header">
        <h2 className="boards__title">{t('org.boards.title')}</h2>
        <IconButton
          icon="plus"
          small
          label={t('org.boards.new')}
          onClick={() => setNaming({})}
          data-testid="board-new"
        />
        <IconButton icon="close" small label={t('org.boards.hide')} onClick={() => o.setBoardsOpen(false)} />
      </header>
      {boards.error && (
        <p className="boards__error" role="alert">
          {t('org.boards.loadFailed', { detail: errorText(i18n, boards.error) })}
        </p>
      )}
      <ul className="boards__list">
        {row('', t('org.boards.all'), null)}
        {row('none', t('org.boards.none'), boards.state?.unboarded ?? null)}
        {list.map((b) =>
          row(
            b.id,
            b.name,
            b.count,
            <Menu
              label={t('org.boards.options', { name: b.name })}
              icon={<OrgIcon name="more" />}
              align="end"
              className="boards__menu"
              testId="board-options"
              items={[
                { label: t('org.boards.rename'), icon: 'edit', onSelect: () => setNaming({ board: b }) },
                {
                  label: t('org.boards.autoAdd'),
                  checked: b.autoAdd,
                  onSelect: () => api.invoke('boards:setAutoAdd', { id: b.id, autoAdd: !b.autoAdd }).catch(fail),
                },
                {
                  label: t('org.export'),
                  icon: 'download',
                  disabled: b.count === 0,
                  onSelect: () => o.openExport({ kind: 'board', boardId: b.id }),
                },
                { kind: 'separator' },
                { label: t('org.boards.delete'), icon: 'trash', onSelect: () => setDeleting(b) },
              ]}
            />,
            b,
          ),
        )}
      </ul>
      <p className="boards__hint">{list.length ? t('org.boards.dropHint') : t('org.boards.empty')}</p>
      {naming && (
        <BoardNameDialog
          {...(naming.board ? { board: naming.board } : {})}
          onClose={() => setNaming(null)}
          onDone={(b) => {
            if (!naming.board) toasts.show({ message: t('org.boards.created', { name: b.name }), tone: 'success' });
          }}
        />
      )}
      {deleting && (
        <Modal label={t('org.boards.delete')} onClose={() => setDeleting(null)} className="board-dialog">
          <div className="board-dialog__form">
            <p>{i18n.tn('org.boards.deleteAsk', deleting.count, { name: deleting.name })}</p>
            <div className="board-dialog__actions">
              <button type="button" className="btn" onClick={() => setDeleting(null)}>
                {t('org.cancel')}
              </button>
              <button
                type="button"
                className="btn btn--danger"
                data-testid="board-delete-confirm"
                onClick={() => {
                  const b = deleting;
                  setDeleting(null);
                  api.invoke('boards:delete', { id: b.id }).then(() => {
                    if (activeBoard === b.id) showBoard('');
                    toasts.show({ message: t('org.boards.deleted', { name: b.name }), tone: 'success' });
                  }, fail);
                }}
              >
                {t('org.boards.delete')}
              </button>
            </div>
          </div>
        </Modal>
      )}
    </nav>
  );
}
