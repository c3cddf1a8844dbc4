/**
 * Tiles dragged onto a board: the HTML drag carries only a marker type (DRAG_TYPE); what is dragged
 * (the selection, which may be a filter target of 50 000 images, or one tile) waits here.
 */
import type { BulkTarget } from '../../../shared/organise';

export interface DraggedTiles {
  targets: BulkTarget[];
  count: number;
}

let dragged: DraggedTiles | null = null;

export const setDragged = (d: DraggedTiles | null): void => {
  dragged = d;
};

export const getDragged = (): DraggedTiles | null => dragged;
