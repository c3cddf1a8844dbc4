/**
 * Composes the desktop app: privileged schemes and single-instance lock before `ready`, then the
 * core, the hardened session, both protocols, the IPC bridge, the menu and the window. This is the
 * only module that reaches for Electron's singletons; every piece it wires takes them as arguments.
 */
import {
  app,
  BrowserWindow,
  clipboard,
  ClipboardItem,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
} from 'electron';
import path from 'node:path';
import { defaultLibraryDir as defaultLibraryDirFor } from '../app-dirs';
import { createCore, type Core, type CoreOptions } from '../core';
import type { Platform } from '../platform';
import { createAppProtocolHandler } from './app-protocol';
import { electronStoreFactory } from './electron-store-factory';
import { createFrameGuard } from './frame-guard';
import { forwardEvents, registerIpc } from './ipc';
import { buildMenuTemplate } from './menu';
import { hardenWebContents } from './navigation';
import { createElectronPlatform } from './electron-platform';
import { registerPrivilegedSchemes } from './schemes';
import { createSafeStorageCodec } from './safe-storage-codec';
import { APP_SCHEME, GALLERY_SCHEME } from './security-policy';
import { hardenSession } from './session-security';
import { acquireSingleInstance } from './single-instance';
import { watchRenderer } from './crash-guard';
import { checkForUpdates, updateFeed, type Updater } from './updates';
import { createTokenOriginDialog } from './token-origin-dialog';
import { createMainWindow, focusWindow, loadApp } from './window';
import { showNativeNotifications } from './notifications';
import { initialBounds, trackWindowState, type WindowState } from './window-state';
import { createGalleryProtocolHandler } from './gallery-protocol';

export interface AppPaths {
  /** out/preload/index.cjs */
  preload: string;
  /** out/renderer */
  rendererDir: string;
}

export interface RunningApp {
  core: Core;
  getWindow(): BrowserWindow | null;
}

/** Development and tests only: keep settings and the library out of the user's real profile. */
export const DATA_DIR_ENV = 'FLUX_GALLERY_DATA_DIR';

const log = (message: string, err?: unknown) => {
  if (err === undefined) console.error(`[flux-gallery] ${message}`);
  else console.error(`[flux-gallery] ${message}`, err);
};

/** Resolves with the running app, or null when another instance already runs (this one quits). */
export function bootstrap(paths: AppPaths): Promise<RunningApp | null> {
  registerPrivilegedSchemes(protocol);
  // Every renderer sandboxed, whatever a window's options say.
  app.enableSandbox();
  const override = process.env[DATA_DIR_ENV];
  if (override && !app.isPackaged) app.setPath('userData', path.resolve(override));

  let mainWindow: BrowserWindow | null = null;
  if (!acquireSingleInstance(app, () => focusWindow(mainWindow))) return Promise.resolve(null);

  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, { openExternal: (url) => shell.openExternal(url), log }),
  );

  const start = async (): Promise<RunningApp> => {
    await app.whenReady();
    const dataDir = app.getPath('userData');
    const platform: Platform = createElectronPlatform({
      shell,
      clipboard,
      ClipboardItem,
      nativeImage,
      getWebContents: () => mainWindow?.webContents,
      dialog,
      getWindow: () => mainWindow,
      app,
      log,
    });
    const coreOptions: CoreOptions = {
      dataDir,
      defaultLibraryDir: defaultLibraryDir(override ? dataDir : null),
      transport: 'electron',
      appVersion: app.getVersion(),
      // The job queue outlives the app: queue.json in the data folder (main/jobs/README.md).
      persistQueue: true,
      storeFactory: electronStoreFactory,
      secrets: createSafeStorageCodec(safeStorage),
      platform,
      // Only this native dialog lets the HF token go to an origin that is not Hugging Face's.
      confirmTokenOrigin: createTokenOriginDialog({ dialog, getWindow: () => mainWindow, log }),
      log,
    };
    const core = await createCore(coreOptions);

    hardenSession(session.defaultSession, (m) => log(m));
    protocol.handle(APP_SCHEME, createAppProtocolHandler({ rootDir: paths.rendererDir }));
    protocol.handle(
      GALLERY_SCHEME,
      createGalleryProtocolHandler({
        resolveMedia: (kind, id) => core.resolveMedia(kind, id),
        roots: () => [core.settings.get().libraryDir],
        log,
      }),
    );
    registerIpc(
      ipcMain,
      core.router,
      createFrameGuard(() => mainWindow?.webContents),
      (m) => log(m),
    );
    forwardEvents(core.events, () => mainWindow?.webContents);
    // Job done/failed and queue done, natively, unless the window has focus (Settings may want it anyway).
    showNativeNotifications({
      Notification,
      events: core.events,
      getWindow: () => mainWindow,
      focusWindow,
      language: () => core.settings.get().language,
      log,
    });

    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          isMac: process.platform === 'darwin',
          appName: app.getName(),
          dev: !app.isPackaged,
          actions: {
            importImages: () => core.events.emit('menu:invoked', { command: 'importImages' }),
            openLibraryFolder: () => {
              void shell.openPath(core.settings.get().libraryDir).then((error) => {
                if (error) log(`could not open the library folder: ${error}`);
              });
            },
          },
        }),
      ),
    );

    const windowState = electronStoreFactory<WindowState>({
      name: 'window-state',
      cwd: dataDir,
      defaults: { bounds: null, maximized: false },
    });
    const openWindow = async () => {
      const saved = windowState.store;
      const win = createMainWindow({
        BrowserWindow,
        preloadPath: paths.preload,
        bounds: initialBounds(
          saved,
          screen.getAllDisplays().map((d) => d.workArea),
        ),
        maximized: saved.maximized === true,
        devTools: !app.isPackaged,
      });
      trackWindowState(win, windowState);
      watchRenderer(win.webContents, win, {
        reload: () => void loadApp(win).catch((err: unknown) => log(`reload after a crash failed: ${String(err)}`)),
        giveUp: (message) => dialog.showErrorBox('Flux Gallery', message),
        log,
      });
      win.on('closed', () => {
        if (mainWindow === win) mainWindow = null;
      });
      mainWindow = win;
      await loadApp(win);
    };

    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin') app.quit();
    });
    app.on('activate', () => {
      if (!mainWindow) openWindow().catch((err: unknown) => log('could not open the window', err));
    });
    let disposed = false;
    app.on('will-quit', (event) => {
      if (disposed) return;
      // Let the core finish writes (history index, settings) before the process ends.
      event.preventDefault();
      disposed = true;
      core
        .dispose()
        .catch((err: unknown) => log('shutdown failed', err))
        .finally(() => app.quit());
    });

    await openWindow();
    // Installed copies only, and only once a feed is configured (main/electron/updates.ts).
    if (app.isPackaged) void startUpdateCheck(dataDir, () => mainWindow);
    return { core, getWindow: () => mainWindow };
  };

  return start().catch((err: unknown) => {
    log('startup failed', err);
    dialog.showErrorBox('Flux Gallery could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
    return null;
  });
}

async function startUpdateCheck(dataDir: string, getWindow: () => BrowserWindow | null): Promise<void> {
  const feed = await updateFeed(process.env, dataDir);
  if (!feed) return;
  // Loaded only when used: electron-updater reaches into Electron as soon as it is imported.
  const { autoUpdater } = (await import('electron-updater')).default;
  await checkForUpdates({
    updater: autoUpdater as unknown as Updater,
    feed,
    log: (m) => log(m),
    notify: (version) => {
      const win = getWindow();
      const message = {
        type: 'info' as const,
        title: 'Flux Gallery',
        message: `Flux Gallery ${version} is available.`,
        detail: `Download it from ${feed}`,
      };
      void (win ? dialog.showMessageBox(win, message) : dialog.showMessageBox(message));
    },
  });
}

function defaultLibraryDir(devDataDir: string | null): string {
  if (devDataDir) return path.join(devDataDir, 'library');
  let pictures: string | null = null;
  try {
    pictures = app.getPath('pictures');
  } catch {
    // Some Linux desktops have no Pictures folder configured.
  }
  // The same rule as the CLI's (main/app-dirs.ts), fed with Electron's idea of the folders.
  return defaultLibraryDirFor({ home: app.getPath('home'), pictures });
}
