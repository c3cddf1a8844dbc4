/** What the organising parts of the window share: the selection, boards, bulk actions, dialogs. */
import { createContext, useContext } from 'react';
import type { BulkAction } from '../../../shared/organise';
import type { Organiser } from './organiser';
import type { Boards } from './useBoards';
import type { Bulk } from './useBulk';

export type ExportSource = { kind: 'selection' } | { kind: 'board'; boardId: string } | { kind: 'filter' };

export interface Organise {
  organiser: Organiser;
  boards: Boards;
  bulk: Bulk;
  /** The board sidebar: open, tiles drag onto boards (closed, they drag out of the window). */
  boardsOpen: boolean;
  setBoardsOpen(open: boolean): void;
  /** The board the gallery shows ('' all, 'none' on no board). */
  activeBoard: string;
  showBoard(board: string): void;
  /**
   * An action on the selection, or on the tile at `focusIndex` when nothing is selected: favourite,
   * stars, delete (Undo follows, as for one image), board.
   */
  act(action: BulkAction, opts?: { focusIndex?: number | null; board?: string }): void;
  /** F: favourites the selection (or the focused tile), unless they all are already. */
  toggleFavourite(focusIndex: number | null): void;
  openCompare(): void;
  openExport(source?: ExportSource): void;
  openShortcuts(): void;
}

export const OrganiseContext = createContext<Organise | null>(null);

export function useOrganise(): Organise {
  const o = useContext(OrganiseContext);
  if (!o) throw new Error('useOrganise outside OrganiseProvider');
  return o;
}

/** Set while tiles are dragged inside the window (onto a board): what is dragged. */
export const DRAG_TYPE = 'application/x-flux-gallery-tiles';
