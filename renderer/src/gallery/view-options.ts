/** How the grid shows thumbnails: cropped to squares or whole, and how large. Remembered per window. */
export interface ViewOptions {
  /** 'crop' fills square tiles; 'whole' shows each image entire (letterboxed). */
  tileMode: 'crop' | 'whole';
  /** The smallest tile width, px: columns are as many as fit, tiles share the rest. */
  tileSize: number;
}

export const TILE_SIZE = { min: 112, max: 320, step: 8, default: 168 } as const;
export const DEFAULT_VIEW: ViewOptions = { tileMode: 'crop', tileSize: TILE_SIZE.default };

const KEY = 'flux-gallery.view';

export function loadViewOptions(): ViewOptions {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<ViewOptions> | null;
    if (!raw) return DEFAULT_VIEW;
    const size = Number(raw.tileSize);
    return {
      tileMode: raw.tileMode === 'whole' ? 'whole' : 'crop',
      tileSize: Number.isFinite(size) ? Math.min(TILE_SIZE.max, Math.max(TILE_SIZE.min, size)) : TILE_SIZE.default,
    };
  } catch {
    return DEFAULT_VIEW;
  }
}

export function storeViewOptions(v: ViewOptions): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(v));
  } catch {
    // A convenience only.
  }
}
