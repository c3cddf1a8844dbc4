/** Grid geometry: square tiles that fill the width, as many columns as fit. */
export const GRID_GAP = 8;
export const GRID_PADDING = 16;
/** The band above every row where group headers (days, stars) are written, when the order groups. */
export const GROUP_BAND = 22;
const MIN_TILE = 168;
/** Narrow windows: less padding, so two columns still fit beside the panel at 800 px. */
const NARROW = 560;

export interface GridLayout {
  cols: number;
  tile: number;
  rowHeight: number;
}

export function gridPadding(width: number): number {
  return width > 0 && width < NARROW ? 10 : GRID_PADDING;
}

/**
 * `minTile`: the smallest tile (the size slider); columns are as many as fit at that size. `band`:
 * the group header band above each row's tiles (0 without groups); rows keep one height either way.
 */
export function gridLayout(width: number, minTile: number = MIN_TILE, band = 0): GridLayout {
  const inner = Math.max(0, width - gridPadding(width) * 2);
  const cols = Math.max(1, Math.floor((inner + GRID_GAP) / (minTile + GRID_GAP)));
  const tile = Math.max(40, Math.floor((inner - GRID_GAP * (cols - 1)) / cols));
  return { cols, tile, rowHeight: tile + GRID_GAP + band };
}
