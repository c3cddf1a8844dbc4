import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, Rectangle } from 'electron';
import {
  DEFAULT_SIZE,
  MIN_SIZE,
  initialBounds,
  trackWindowState,
  type WindowState,
} from '../../main/electron/window-state';

const DISPLAY: Rectangle = { x: 0, y: 0, width: 1920, height: 1080 };

describe('initialBounds', () => {
  it('uses defaults without a saved state', () => {
    expect(initialBounds(undefined, [DISPLAY])).toEqual(DEFAULT_SIZE);
    expect(initialBounds({ bounds: null, maximized: false }, [DISPLAY])).toEqual(DEFAULT_SIZE);
  });

  it('restores a visible position and size', () => {
    expect(initialBounds({ bounds: { x: 100, y: 50, width: 1000, height: 700 } }, [DISPLAY])).toEqual({
      x: 100,
      y: 50,
      width: 1000,
      height: 700,
    });
  });

  it('drops a position that is on no connected display, keeps the size', () => {
    expect(initialBounds({ bounds: { x: 5000, y: 5000, width: 1000, height: 700 } }, [DISPLAY])).toEqual({
      width: 1000,
      height: 700,
    });
  });

  it('ignores garbage and enforces the minimum size', () => {
    const bad = { bounds: { x: 'a', y: null, width: NaN, height: 1 } } as unknown as Partial<WindowState>;
    expect(initialBounds(bad, [DISPLAY])).toEqual(DEFAULT_SIZE);
    expect(initialBounds({ bounds: { x: 0, y: 0, width: 10, height: 10 } }, [DISPLAY])).toEqual({
      x: 0,
      y: 0,
      ...MIN_SIZE,
    });
  });
});

describe('trackWindowState', () => {
  afterEach(() => vi.useRealTimers());

  it('saves normal bounds after moves (debounced) and on close', () => {
    vi.useFakeTimers();
    const win = Object.assign(new EventEmitter(), {
      getNormalBounds: () => ({ x: 1, y: 2, width: 800, height: 600 }),
      isMaximized: (): boolean => false,
      isMinimized: (): boolean => false,
      isFullScreen: () => false,
      isDestroyed: () => false,
    });
    const writes: WindowState[] = [];
    const store = {
      get store() {
        return writes.at(-1) ?? { bounds: null, maximized: false };
      },
      set store(v: WindowState) {
        writes.push(v);
      },
    };
    trackWindowState(win as unknown as BrowserWindow, store, 100);
    win.emit('resize');
    win.emit('move');
    expect(writes).toHaveLength(0);
    vi.advanceTimersByTime(150);
    expect(writes).toEqual([{ bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: false }]);
    win.isMaximized = () => true;
    win.emit('close');
    expect(writes.at(-1)).toEqual({ bounds: { x: 1, y: 2, width: 800, height: 600 }, maximized: true });
    win.isMinimized = () => true;
    win.emit('close');
    expect(writes).toHaveLength(2);
  });
});
