/**
 * Window size, position and maximized state, remembered across runs (electron-store in the app).
 * A saved position is used only while it is still on a connected display.
 */
import type { BrowserWindow, Rectangle } from 'electron';

export interface WindowState extends Record<string, unknown> {
  bounds: Rectangle | null;
  maximized: boolean;
}

export interface WindowStateStore {
  get store(): WindowState;
  set store(value: WindowState);
}

export const DEFAULT_SIZE = { width: 1280, height: 860 };
export const MIN_SIZE = { width: 720, height: 520 };

const isFiniteRect = (r: unknown): r is Rectangle =>
  typeof r === 'object' &&
  r !== null &&
  ['x', 'y', 'width', 'height'].every((k) => Number.isFinite((r as Record<string, unknown>)[k]));

/** True when a reasonable part of the window's title bar area would be on a display. */
function isVisible(bounds: Rectangle, workAreas: readonly Rectangle[]): boolean {
  return workAreas.some((a) => {
    const w = Math.min(bounds.x + bounds.width, a.x + a.width) - Math.max(bounds.x, a.x);
    const h = Math.min(bounds.y + 48, a.y + a.height) - Math.max(bounds.y, a.y);
    return w >= 64 && h >= 24;
  });
}

/** Options for `new BrowserWindow` from the saved state. */
export function initialBounds(
  saved: Partial<WindowState> | undefined,
  workAreas: readonly Rectangle[],
): Partial<Rectangle> & { width: number; height: number } {
  const b = saved?.bounds;
  if (!isFiniteRect(b)) return { ...DEFAULT_SIZE };
  const size = {
    width: Math.max(MIN_SIZE.width, Math.round(b.width)),
    height: Math.max(MIN_SIZE.height, Math.round(b.height)),
  };
  return isVisible({ ...b, ...size }, workAreas) ? { x: Math.round(b.x), y: Math.round(b.y), ...size } : size;
}

type TrackedWindow = Pick<
  BrowserWindow,
  'on' | 'getNormalBounds' | 'isMaximized' | 'isMinimized' | 'isFullScreen' | 'isDestroyed'
>;

/** Saves the state on move/resize (debounced) and on close. Returns a function that saves now. */
export function trackWindowState(win: TrackedWindow, store: WindowStateStore, delayMs = 400): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    // Normal bounds: restoring a maximized window must bring back its previous size.
    store.store = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, delayMs);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('maximize', save);
  win.on('unmaximize', save);
  win.on('close', save);
  return save;
}
