/**
 * The composition root with a mocked `electron` module: checks what is registered before `ready`,
 * the window's options, both protocols, IPC, menu and single-instance behaviour — with the real
 * core, real electron-store and real protocol handlers behind it.
 */
import { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC } from '../../shared/contract';
import { fakeContents, ipcEvent } from './fakes';

type AnyFn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

const env = vi.hoisted(() => ({
  // Replaced per test in beforeEach.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  e: {} as Record<string, any>,
}));

vi.mock('electron', () => {
  // Every member is looked up on the current test's fakes when used.
  const proxy = (name: string) =>
    new Proxy(
      {},
      {
        get: (_t, key) => env.e[name][key],
        has: (_t, key) => key in env.e[name],
      },
    );
  const names = [
    'app',
    'clipboard',
    'ClipboardItem',
    'dialog',
    'ipcMain',
    'Menu',
    'nativeImage',
    'Notification',
    'protocol',
    'safeStorage',
    'screen',
    'session',
    'shell',
  ];
  const mod: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, proxy(n)]));
  mod.BrowserWindow = function BrowserWindow(this: unknown, options: unknown) {
    return new env.e.BrowserWindow(options);
  };
  return { ...mod, default: mod };
});

// electron-store is loaded by Node outside Vitest's module graph, so it would require the real
// `electron` package: stand in with its base class (Conf), mapping options the way it does.
vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf');
  class ElectronStore extends Conf {
    constructor(options: Record<string, unknown>) {
      const { name, ...rest } = options;
      super({ ...rest, configName: name as string, projectName: 'flux-gallery' });
    }
  }
  return { default: ElectronStore };
});

function makeFakes(base: string, lock = true) {
  let ready!: () => void;
  const readyPromise = new Promise<void>((r) => (ready = r));
  const appEvents = new EventEmitter();
  const order: string[] = [];
  const windows: FakeWin[] = [];
  const handlers = new Map<string, AnyFn>();
  const listeners = new Map<string, AnyFn>();
  const protocols = new Map<string, (r: Request) => Promise<Response>>();

  class FakeWin extends EventEmitter {
    webContents = fakeContents('about:blank');
    loadURL = vi.fn(async (url: string) => {
      this.webContents.url = url;
      this.webContents.mainFrame.url = url;
    });
    constructor(public options: Record<string, unknown>) {
      super();
      order.push('BrowserWindow');
      windows.push(this);
    }
    isDestroyed = () => false;
    isMinimized = () => false;
    isMaximized = () => false;
    isFullScreen = () => false;
    isVisible = () => true;
    getNormalBounds = () => ({ x: 0, y: 0, width: 1280, height: 860 });
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    maximize = vi.fn();
  }

  const session = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    on: vi.fn(),
    webRequest: { onBeforeRequest: vi.fn() },
  };

  const fakes = {
    order,
    windows,
    handlers,
    listeners,
    protocols,
    appEvents,
    ready,
    defaultSession: session,
    BrowserWindow: FakeWin,
    app: {
      isPackaged: false,
      enableSandbox: vi.fn(() => order.push('enableSandbox')),
      setPath: vi.fn(),
      getPath: vi.fn((name: string) => path.join(base, name)),
      getVersion: () => '9.9.9',
      getName: () => 'Flux Gallery',
      setBadgeCount: vi.fn(() => true),
      requestSingleInstanceLock: vi.fn(() => {
        order.push('lock');
        return lock;
      }),
      quit: vi.fn(),
      exit: vi.fn(),
      on: vi.fn((name: string, h: AnyFn) => appEvents.on(name, h)),
      whenReady: () => readyPromise,
    },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => order.push('registerSchemes')),
      handle: vi.fn((scheme: string, h: (r: Request) => Promise<Response>) => void protocols.set(scheme, h)),
    },
    ipcMain: {
      handle: vi.fn((c: string, h: AnyFn) => void handlers.set(c, h)),
      on: vi.fn((c: string, h: AnyFn) => void listeners.set(c, h)),
      removeHandler: vi.fn(),
      removeListener: vi.fn(),
    },
    Menu: { buildFromTemplate: vi.fn((t: unknown) => ({ t })), setApplicationMenu: vi.fn() },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: { defaultSession: session },
    shell: {
      openExternal: vi.fn(async () => {}),
      openPath: vi.fn(async () => ''),
      trashItem: vi.fn(),
      showItemInFolder: vi.fn(),
    },
    clipboard: { write: vi.fn(async () => {}) },
    ClipboardItem: class {},
    nativeImage: { createFromPath: vi.fn(), createFromDataURL: vi.fn() },
    // No native notifications on this "OS": the glue shows none (test/notify/electron-notifications.test.ts).
    Notification: { isSupported: () => false },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(s).reverse(),
      decryptString: (b: Buffer) => Buffer.from(b).reverse().toString(),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    },
    dialog: {
      showErrorBox: vi.fn(),
      showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })),
      showOpenDialog: vi.fn(async (..._args: unknown[]) => ({
        canceled: false,
        filePaths: [path.join(base, 'picked')],
      })),
    },
  };
  return fakes;
}

describe('bootstrap (mocked electron, real core)', () => {
  let base: string;
  let f: ReturnType<typeof makeFakes>;
  let rendererDir: string;

  beforeEach(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'flux-bootstrap-'));
    rendererDir = path.join(base, 'renderer');
    await mkdir(rendererDir, { recursive: true });
    await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    f = makeFakes(base);
    env.e = f;
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await rm(base, { recursive: true, force: true });
  });

  let bootstrap: typeof import('../../main/electron/bootstrap').bootstrap;
  beforeEach(async () => {
    ({ bootstrap } = await import('../../main/electron/bootstrap'));
  });
  const start = () => bootstrap({ preload: '/app/out/preload/index.cjs', rendererDir });

  it('registers privileged schemes, sandboxing and the lock before ready; window only after', async () => {
    const running = start();
    expect(f.order).toEqual(['registerSchemes', 'enableSandbox', 'lock']);
    expect(f.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
      expect.objectContaining({ scheme: 'gallery', privileges: { standard: true, secure: true } }),
    ]);
    expect(f.windows).toHaveLength(0);
    f.ready();
    const app = await running;
    expect(app).not.toBeNull();
    await app!.core.dispose();
  });

  it('opens one hardened window on app://, with the session, protocols, IPC and menu in place', async () => {
    const running = start();
    f.ready();
    const app = (await running)!;
    expect(f.windows).toHaveLength(1);
    const win = f.windows[0]!;
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      devTools: true,
    });
    expect(win.loadURL).toHaveBeenCalledWith('app://flux-gallery/index.html');
    expect([...f.protocols.keys()].sort()).toEqual(['app', 'gallery']);
    expect(f.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(f.defaultSession.webRequest.onBeforeRequest).toHaveBeenCalled();
    expect(f.Menu.setApplicationMenu).toHaveBeenCalled();
    expect(f.handlers.has(IPC.invoke)).toBe(true);
    expect(f.listeners.has(IPC.send)).toBe(true);

    // The renderer is served with the CSP header.
    const page = await f.protocols.get('app')!(new Request('app://flux-gallery/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    // Hostile media URLs never reach the file system.
    const media = await f.protocols.get('gallery')!(new Request('gallery://image/..%2F..%2Fetc%2Fpasswd'));
    expect(media.status).toBe(400);

    // IPC: our window's main frame gets answers, another frame is refused.
    const invoke = f.handlers.get(IPC.invoke)!;
    const ours = ipcEvent(win.webContents, win.webContents.mainFrame);
    expect(await invoke(ours, 'app:info')).toMatchObject({ ok: true, value: { version: '9.9.9' } });
    const stranger = fakeContents('app://flux-gallery/index.html');
    expect(await invoke(ipcEvent(stranger, stranger.mainFrame), 'app:info')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });

    // The HF token goes through safeStorage.
    await app.core.settings.update({ hfToken: 'hf_secretsecretsecret' });
    expect(app.core.settings.hfToken()).toBe('hf_secretsecretsecret');
    await app.core.dispose();
  });

  it('lets the page pick a library folder with the OS dialog over its window (nothing saved yet)', async () => {
    const running = start();
    f.ready();
    const app = (await running)!;
    const win = f.windows[0]!;
    const invoke = f.handlers.get(IPC.invoke)!;
    const ours = ipcEvent(win.webContents, win.webContents.mainFrame);
    expect(await invoke(ours, 'app:info')).toMatchObject({ ok: true, value: { features: { chooseFolder: true } } });
    const before = app.core.settings.get().libraryDir;
    expect(await invoke(ours, 'settings:chooseLibraryDir', { title: 'Library folder' })).toEqual({
      ok: true,
      value: { dir: path.join(base, 'picked') },
    });
    const [parent, options] = f.dialog.showOpenDialog.mock.calls[0]! as [unknown, Record<string, unknown>];
    expect(parent).toBe(win);
    expect(options).toMatchObject({ title: 'Library folder', defaultPath: before });
    expect(options.properties).toContain('openDirectory');
    // Choosing only fills the field: the folder changes when the user saves.
    expect(app.core.settings.get().libraryDir).toBe(before);
    // A foreign frame cannot open dialogs.
    const stranger = fakeContents('app://flux-gallery/index.html');
    expect(await invoke(ipcEvent(stranger, stranger.mainFrame), 'settings:chooseLibraryDir')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(f.dialog.showOpenDialog).toHaveBeenCalledTimes(1);
    await app.core.dispose();
  });

  it('opens the window when the library folder cannot be opened, and says why over IPC', async () => {
    // An earlier run chose a library on a drive that is not plugged in now.
    const missing = path.join(base, 'usb', 'Flux Gallery');
    await mkdir(path.join(base, 'userData'), { recursive: true });
    await writeFile(path.join(base, 'userData', 'settings.json'), JSON.stringify({ libraryDir: missing }));
    const running = start();
    f.ready();
    const app = (await running)!;
    expect(app).not.toBeNull();
    expect(f.windows).toHaveLength(1);
    expect(f.dialog.showErrorBox).not.toHaveBeenCalled();
    expect(f.app.exit).not.toHaveBeenCalled();
    const win = f.windows[0]!;
    const invoke = f.handlers.get(IPC.invoke)!;
    const ours = ipcEvent(win.webContents, win.webContents.mainFrame);
    expect(await invoke(ours, 'library:status')).toMatchObject({
      ok: true,
      value: { state: 'unavailable', libraryDir: missing, error: { code: 'file-missing' } },
    });
    expect(await invoke(ours, 'history:query', {})).toMatchObject({ ok: false, error: { code: 'file-missing' } });
    const { existsSync } = await import('node:fs');
    expect(existsSync(missing)).toBe(false);
    await app.core.dispose();
  });

  it('asks natively, over its window, before the token may go to another origin', async () => {
    const running = start();
    f.ready();
    const app = (await running)!;
    const win = f.windows[0]!;
    const invoke = f.handlers.get(IPC.invoke)!;
    const ours = ipcEvent(win.webContents, win.webContents.mainFrame);
    expect(await invoke(ours, 'app:info')).toMatchObject({
      ok: true,
      value: { features: { confirmTokenOrigin: true } },
    });
    await app.core.settings.update({ hfToken: 'hf_secretsecretsecret' });

    // "Do not send": the URL is saved, the origin is not.
    f.dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false });
    expect(await invoke(ours, 'settings:update', { hfUrl: 'https://mirror.example' })).toMatchObject({
      ok: true,
      value: { hfUrl: 'https://mirror.example', tokenOrigins: [] },
    });
    const [parent, options] = f.dialog.showMessageBox.mock.calls[0]! as [unknown, { message: string }];
    expect(parent).toBe(win);
    expect(options.message).toContain('https://mirror.example');

    // "Send": confirmed, remembered.
    f.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    expect(
      await invoke(ours, 'settings:update', { providerUrls: { 'bfl-flux1-dev': 'https://mirror.example/dev' } }),
    ).toMatchObject({ ok: true, value: { tokenOrigins: ['https://mirror.example'] } });
    expect(f.dialog.showMessageBox).toHaveBeenCalledTimes(2);
    expect(app.core.settings.tokenOrigins()).toEqual(['https://mirror.example']);
    await app.core.dispose();
  });

  it('hardens every web contents that gets created', async () => {
    const running = start();
    f.ready();
    const app = (await running)!;
    const contents = fakeContents();
    f.appEvents.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(f.shell.openExternal).toHaveBeenCalledWith('https://example.com/');
    await app.core.dispose();
  });

  it('focuses the existing window when a second instance starts', async () => {
    const running = start();
    f.ready();
    const app = (await running)!;
    f.appEvents.emit('second-instance', {}, ['x'], '/');
    expect(f.windows[0]!.focus).toHaveBeenCalled();
    expect(f.windows).toHaveLength(1);
    await app.core.dispose();
  });

  it('remembers window state in an electron-store file', async () => {
    const running = start();
    f.ready();
    const app = (await running)!;
    const win = f.windows[0]!;
    win.getNormalBounds = () => ({ x: 40, y: 30, width: 1000, height: 700 });
    win.emit('close');
    const { readFile } = await import('node:fs/promises');
    const saved = JSON.parse(await readFile(path.join(base, 'userData', 'window-state.json'), 'utf8'));
    expect(saved).toEqual({ bounds: { x: 40, y: 30, width: 1000, height: 700 }, maximized: false });
    await app.core.dispose();
  });

  it('lets the core finish before quitting, and quits when the last window closes', async () => {
    const running = start();
    f.ready();
    const app = (await running)!;
    const dispose = vi.spyOn(app.core, 'dispose');
    const event = { preventDefault: vi.fn() };
    f.appEvents.emit('will-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(dispose).toHaveBeenCalled();
    await vi.waitFor(() => expect(f.app.quit).toHaveBeenCalled());
    // Second pass (after dispose): nothing held back.
    const again = { preventDefault: vi.fn() };
    f.appEvents.emit('will-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
    f.app.quit.mockClear();
    f.appEvents.emit('window-all-closed');
    expect(f.app.quit).toHaveBeenCalledTimes(process.platform === 'darwin' ? 0 : 1);
  });

  it('quits without a window when another instance holds the lock', async () => {
    f = makeFakes(base, false);
    env.e = f;
    await expect(start()).resolves.toBeNull();
    expect(f.app.quit).toHaveBeenCalled();
    expect(f.windows).toHaveLength(0);
  });

  it('ignores the data-dir override in a packaged app', async () => {
    process.env.FLUX_GALLERY_DATA_DIR = path.join(base, 'override');
    try {
      f.app.isPackaged = true;
      const running = start();
      f.ready();
      const app = (await running)!;
      expect(f.app.setPath).not.toHaveBeenCalled();
      expect(f.windows[0]!.options.webPreferences).toMatchObject({ devTools: false });
      await app.core.dispose();
    } finally {
      delete process.env.FLUX_GALLERY_DATA_DIR;
    }
  });
});
