import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';
import { createMainWindow, focusWindow, loadApp, secureWebPreferences } from '../../main/electron/window';
import { APP_ENTRY_URL } from '../../main/electron/security-policy';

class FakeWindow extends EventEmitter {
  static created: FakeWindow[] = [];
  maximize = vi.fn();
  show = vi.fn();
  focus = vi.fn();
  restore = vi.fn();
  loadURL = vi.fn(async () => {});
  minimized = false;
  visible = false;
  constructor(public options: BrowserWindowConstructorOptions) {
    super();
    FakeWindow.created.push(this);
  }
  isDestroyed = () => false;
  isMinimized = () => this.minimized;
  isVisible = () => this.visible;
}
const Ctor = FakeWindow as unknown as new (o: BrowserWindowConstructorOptions) => BrowserWindow;

describe('main window', () => {
  it('uses the secure web preferences', () => {
    const win = createMainWindow({
      BrowserWindow: Ctor,
      preloadPath: '/app/out/preload/index.cjs',
      bounds: { width: 1000, height: 700 },
      maximized: false,
      devTools: false,
    }) as unknown as FakeWindow;
    const prefs = win.options.webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('partition');
    expect(prefs).not.toHaveProperty('additionalArguments');
    expect(win.options.show).toBe(false);
  });

  it('never enables Node or disables isolation, whatever the inputs', () => {
    for (const devTools of [true, false]) {
      const p = secureWebPreferences('/p.cjs', devTools);
      expect([p.contextIsolation, p.sandbox, p.webSecurity, p.nodeIntegration]).toEqual([true, true, true, false]);
    }
  });

  it('shows (and maximizes when remembered) once ready', () => {
    const win = createMainWindow({
      BrowserWindow: Ctor,
      preloadPath: '/p.cjs',
      bounds: { x: 10, y: 20, width: 900, height: 600 },
      maximized: true,
      devTools: true,
    }) as unknown as FakeWindow;
    expect(win.options).toMatchObject({ x: 10, y: 20, width: 900, height: 600 });
    expect(win.show).not.toHaveBeenCalled();
    win.emit('ready-to-show');
    expect(win.maximize).toHaveBeenCalled();
    expect(win.show).toHaveBeenCalled();
  });

  it('loads our app:// entry page', async () => {
    const win = new FakeWindow({});
    await loadApp(win as unknown as BrowserWindow);
    expect(win.loadURL).toHaveBeenCalledWith(APP_ENTRY_URL);
    expect(APP_ENTRY_URL).toBe('app://flux-gallery/index.html');
  });

  it('focus restores a minimized window', () => {
    const win = new FakeWindow({});
    win.minimized = true;
    focusWindow(win as unknown as BrowserWindow);
    expect(win.restore).toHaveBeenCalled();
    expect(win.show).toHaveBeenCalled();
    expect(win.focus).toHaveBeenCalled();
    expect(() => focusWindow(null)).not.toThrow();
  });
});
