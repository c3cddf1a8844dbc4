import { lazy, Suspense, useCallback, useEffect, useEffectEvent, useMemo, useState, type ReactNode } from 'react';
import type { HistoryEntry } from '../../../shared/library';
import type { BulkAction } from '../../../shared/organise';
import { api } from '../bridge';
import { useBridgeEvent } from '../bridge/useBridgeEvent';
import type { HistoryFilter, HistoryPager } from '../gallery/history-pager';
import type { Models } from '../generate/useModels';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { useToasts } from '../ui/toast-context';
import { OrganiseContext, type ExportSource, type Organise } from './context';
import { isTyping, modalOpen, ratingFromKey } from './keys';
import { Organiser } from './organiser';
import { isEmpty, resolveIds, toTargets, without } from './selection';
import { useBoards } from './useBoards';
import { useBulk } from './useBulk';
import './organise.css';

// Dialogs are their own chunks, fetched when first opened.
const CompareView = lazy(() => import('./compare/CompareView').then((m) => ({ default: m.CompareView })));
const ExportDialog = lazy(() => import('./export/ExportDialog').then((m) => ({ default: m.ExportDialog })));
const ShortcutsSheet = lazy(() => import('./ShortcutsSheet').then((m) => ({ default: m.ShortcutsSheet })));

const BOARDS_OPEN_KEY = 'flux-gallery.boardsOpen';
const loadBoardsOpen = () => {
  try {
    return localStorage.getItem(BOARDS_OPEN_KEY) === '1';
  } catch {
    return false;
  }
};

/**
 * Selection, boards, bulk actions and their dialogs (compare, export, the shortcuts sheet) for
 * everything below; the gallery's global keys (Ctrl+A, Esc, Delete, F, 0–5, C, ?).
 */
export function OrganiseProvider({
  pager,
  filter,
  activeBoard,
  onShowBoard,
  models,
  children,
}: {
  pager: HistoryPager;
  models: Models;
  /** What the gallery shows now (settled): what Ctrl+A selects. */
  filter: HistoryFilter;
  activeBoard: string;
  onShowBoard: (board: string) => void;
  children: ReactNode;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const toasts = useToasts();
  const [organiser] = useState(() => new Organiser(pager, (f) => api.invoke('history:listIds', f).then((r) => r.ids)));
  const boards = useBoards();
  const bulk = useBulk();
  const [boardsOpen, setBoardsOpenState] = useState(loadBoardsOpen);
  const [compare, setCompare] = useState<[string, string] | null>(null);
  const [exporting, setExporting] = useState<ExportSource | null>(null);
  const [shortcuts, setShortcuts] = useState(false);

  useEffect(() => organiser.setFilter(filter), [organiser, filter]);
  // A bulk action (or its undo) changed images: list the view anew, once.
  useBridgeEvent('history:bulkUpdated', (u) => {
    if (u.removed) organiser.selection.set((s) => without(s, u.ids));
    pager.invalidate();
  });
  // Another library: nothing of the old one stays selected, and its boards are not this one's.
  useBridgeEvent('library:switched', () => {
    organiser.clear();
    onShowBoard('');
  });
  // The board shown was deleted (here, or by another window or the CLI): show every image again.
  const boardGone =
    activeBoard !== '' &&
    activeBoard !== 'none' &&
    boards.state !== null &&
    !boards.state.boards.some((b) => b.id === activeBoard);
  useEffect(() => {
    if (boardGone) onShowBoard('');
  }, [boardGone, onShowBoard]);

  const setBoardsOpen = useCallback((open: boolean) => {
    setBoardsOpenState(open);
    try {
      localStorage.setItem(BOARDS_OPEN_KEY, open ? '1' : '0');
    } catch {
      // A convenience only.
    }
  }, []);

  const fail = useCallback(
    (err: unknown) => toasts.show({ message: errorText(i18n, toInfo(err)), tone: 'error' }),
    [i18n, toasts],
  );

  /** One image (nothing selected): the same channels and words as the viewer. */
  const actOnOne = useCallback(
    (entry: HistoryEntry, action: BulkAction, board?: string) => {
      switch (action.type) {
        case 'setFavourite':
          api.invoke('history:setFavourite', { id: entry.id, favourite: action.favourite }).catch(fail);
          return;
        case 'rate':
          api
            .invoke('history:setRating', { id: entry.id, rating: action.rating })
            .then(
              () =>
                toasts.show({ message: action.rating ? i18n.tn('org.ratedOne', action.rating) : t('org.unratedOne') }),
              fail,
            );
          return;
        case 'delete': {
          const id = entry.id;
          api.invoke('history:delete', { id }).then(() => {
            pager.invalidate();
            toasts.show({
              message: t('lb.deleted'),
              action: {
                label: t('lb.undo'),
                run: () => {
                  api
                    .invoke('history:undoDelete', { id })
                    .then(() => {
                      pager.invalidate();
                      toasts.show({ message: t('lb.restored'), tone: 'success' });
                    })
                    .catch(fail);
                },
              },
            });
          }, fail);
          return;
        }
        default:
          void bulk.run(action, [{ kind: 'ids', ids: [entry.id] }], board !== undefined ? { board } : {});
      }
    },
    [bulk, fail, i18n, pager, t, toasts],
  );

  const act = useCallback<Organise['act']>(
    (action, opts = {}) => {
      const s = organiser.current;
      if (!isEmpty(s, organiser.total())) {
        void bulk.run(action, toTargets(s), {
          ...(opts.board !== undefined ? { board: opts.board } : {}),
          onDeleted: () => organiser.clear(),
        });
        return;
      }
      const entry = opts.focusIndex != null ? pager.get(opts.focusIndex) : undefined;
      if (entry) actOnOne(entry, action, opts.board);
    },
    [actOnOne, bulk, organiser, pager],
  );

  const toggleFavourite = useCallback<Organise['toggleFavourite']>(
    (focusIndex) => {
      if (organiser.count() > 0) {
        act({ type: 'setFavourite', favourite: !organiser.allLoadedFavourite() });
        return;
      }
      const entry = focusIndex != null ? pager.get(focusIndex) : undefined;
      if (entry) act({ type: 'setFavourite', favourite: !entry.favourite }, { focusIndex });
    },
    [act, organiser, pager],
  );

  const openCompare = useCallback(() => {
    if (organiser.count() !== 2) {
      toasts.show({ message: t('org.cmp.needTwo') });
      return;
    }
    resolveIds(organiser.current, (f) => api.invoke('history:listIds', f).then((r) => r.ids)).then((ids) => {
      if (ids.length === 2) setCompare([ids[0]!, ids[1]!]);
      else toasts.show({ message: t('org.cmp.needTwo') });
    }, fail);
  }, [fail, organiser, t, toasts]);

  const openExport = useCallback<Organise['openExport']>(
    (source) => setExporting(source ?? (organiser.count() > 0 ? { kind: 'selection' } : { kind: 'filter' })),
    [organiser],
  );
  const openShortcuts = useCallback(() => setShortcuts(true), []);

  // The gallery's keys. Ctrl+A, Esc, C and ? work wherever focus is not in a text field; Delete, F
  // and 0–5 act on the focused tile or the selection while focus is in the gallery or its bar.
  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented || modalOpen() || isTyping(e.target)) return;
    // Keys in an open menu are the menu's.
    if (e.target instanceof Element && e.target.closest('[role="menu"]')) return;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key;
    if (key === '?' && !mod && !e.altKey) {
      e.preventDefault();
      setShortcuts(true);
      return;
    }
    if (mod && !e.altKey && !e.shiftKey && key.toLowerCase() === 'a') {
      e.preventDefault();
      organiser.selectAll();
      return;
    }
    if (key === 'Escape' && !mod && organiser.count() > 0) {
      e.preventDefault();
      organiser.clear();
      return;
    }
    if ((key === 'c' || key === 'C') && !mod && !e.altKey && !e.shiftKey && organiser.count() > 0) {
      e.preventDefault();
      openCompare();
      return;
    }
    const active = e.target instanceof Element ? e.target : null;
    if (!active?.closest('#gallery, [data-organise-keys]')) return;
    const tile = active.closest<HTMLElement>('[role="gridcell"][data-index]');
    const focusIndex = tile ? Number(tile.dataset.index) : null;
    const rating = ratingFromKey(e);
    if (rating !== null && !e.shiftKey) {
      e.preventDefault();
      act({ type: 'rate', rating }, { focusIndex });
    } else if ((key === 'f' || key === 'F') && !mod && !e.altKey && !e.shiftKey) {
      e.preventDefault();
      toggleFavourite(focusIndex);
    } else if (key === 'Delete' && !mod && !e.altKey) {
      e.preventDefault();
      act({ type: 'delete' }, { focusIndex });
    }
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const value = useMemo<Organise>(
    () => ({
      organiser,
      boards,
      bulk,
      boardsOpen,
      setBoardsOpen,
      activeBoard,
      showBoard: onShowBoard,
      act,
      toggleFavourite,
      openCompare,
      openExport,
      openShortcuts,
    }),
    [
      organiser,
      boards,
      bulk,
      boardsOpen,
      setBoardsOpen,
      activeBoard,
      onShowBoard,
      act,
      toggleFavourite,
      openCompare,
      openExport,
      openShortcuts,
    ],
  );

  return (
    <OrganiseContext value={value}>
      {children}
      <Suspense fallback={null}>
        {compare && <CompareView ids={compare} models={models} onClose={() => setCompare(null)} />}
        {exporting && <ExportDialog source={exporting} filter={filter} onClose={() => setExporting(null)} />}
        {shortcuts && <ShortcutsSheet onClose={() => setShortcuts(false)} />}
      </Suspense>
    </OrganiseContext>
  );
}
