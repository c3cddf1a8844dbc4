/** The main window: sandboxed, isolated, no Node in the page, loading only our app:// entry. */
import type { BrowserWindow, BrowserWindowConstructorOptions, Rectangle, WebPreferences } from 'electron';
import { APP_ENTRY_URL } from './security-policy';
import { MIN_SIZE } from './window-state';

/** Every option here is the secure value, set explicitly so a default changing cannot loosen it. */
export function secureWebPreferences(preload: string, devTools: boolean): WebPreferences {
  return {
    preload,
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
    safeDialogs: true,
    // Spellchecking would download dictionaries at run time; the app ships none and needs no network.
    spellcheck: false,
    devTools,
  };
}

export interface CreateWindowDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  preloadPath: string;
  bounds: Partial<Rectangle> & { width: number; height: number };
  maximized: boolean;
  devTools: boolean;
  title?: string;
  icon?: string;
}

export function createMainWindow(deps: CreateWindowDeps): BrowserWindow {
  const win = new deps.BrowserWindow({
    ...deps.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: deps.title ?? 'Flux Gallery',
    ...(deps.icon ? { icon: deps.icon } : {}),
    // Shown once painted: no white flash, and no window at all if the page fails to load.
    show: false,
    backgroundColor: '#111318',
    webPreferences: secureWebPreferences(deps.preloadPath, deps.devTools),
  });
  win.once('ready-to-show', () => {
    if (deps.maximized) win.maximize();
    win.show();
  });
  return win;
}

/** Loads our entry page; call after the app:// protocol is handled. */
export function loadApp(win: Pick<BrowserWindow, 'loadURL'>): Promise<void> {
  return win.loadURL(APP_ENTRY_URL);
}

/** Brings the window forward (second instance started, dock icon clicked). */
export function focusWindow(win: BrowserWindow | null | undefined): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}
