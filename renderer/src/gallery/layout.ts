/** Grid geometry: square tiles that fill the width, as many columns as fit. */
export const GRID_GAP = 8;
export const GRID_PADDING = 16;
const MIN_TILE = 168;

export interface GridLayout {
  cols: number;
  tile: number;
  rowHeight: number;
}

export function gridLayout(width: number): GridLayout {
  const inner = Math.max(0, width - GRID_PADDING * 2);
  const cols = Math.max(1, Math.floor((inner + GRID_GAP) / (MIN_TILE + GRID_GAP)));
  const tile = Math.max(40, Math.floor((inner - GRID_GAP * (cols - 1)) / cols));
  return { cols, tile, rowHeight: tile + GRID_GAP };
}
