/**
 * The packaged-shape app in real Electron, driven by Playwright's `_electron`. Needs the Electron
 * binary (node_modules/electron/dist); where it cannot be downloaded the suite is skipped and says so.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

function electronBinary(): string | null {
  try {
    const bin = createRequire(import.meta.url)('electron') as unknown;
    return typeof bin === 'string' && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const SKIP_REASON =
  'SKIPPED: no Electron binary in node_modules/electron (installs run with ignore-scripts and it could not be ' +
  'downloaded here). Run `node node_modules/electron/install.js` with internet access to enable these tests.';
if (!binary) console.warn(`[test/electron/app.e2e] ${SKIP_REASON}`);

describe.skipIf(!binary)(binary ? 'Electron app (Playwright _electron)' : SKIP_REASON, () => {
  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'flux-e2e-electron-'));
    const env = { ...process.env, FLUX_GALLERY_DATA_DIR: dataDir } as Record<string, string>;
    delete env.ELECTRON_RUN_AS_NODE;
    app = await _electron.launch({ executablePath: binary!, args: [root], env, cwd: root });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loads the renderer from app:// and shows the gallery', async () => {
    expect(page.url()).toBe('app://flux-gallery/index.html');
    await page.getByRole('region', { name: 'Gallery' }).waitFor();
  });

  it('runs the window with the hardened web preferences', async () => {
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      // playwright-core types this callback with its own Electron stubs, not electron.d.ts.
      const contents = BrowserWindow.getAllWindows()[0]!.webContents as unknown as {
        getLastWebPreferences(): Record<string, unknown>;
      };
      const p = contents.getLastWebPreferences();
      return {
        contextIsolation: p.contextIsolation,
        sandbox: p.sandbox,
        nodeIntegration: p.nodeIntegration,
        webSecurity: p.webSecurity,
      };
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
  });

  it('gives the page the bridge and nothing of Node', async () => {
    const seen = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      api: Object.keys((window as unknown as { fluxGallery: object }).fluxGallery).sort(),
    }));
    expect(seen).toEqual({
      require: 'undefined',
      process: 'undefined',
      api: ['invoke', 'mediaUrl', 'on', 'pathForFile', 'send', 'transport'],
    });
    const info = await page.evaluate(() =>
      (window as unknown as { fluxGallery: { invoke(c: string, a?: unknown): Promise<unknown> } }).fluxGallery.invoke(
        'app:info',
      ),
    );
    expect(info).toMatchObject({ name: 'Flux Gallery', transport: 'electron' });
  });

  it('sends the CSP as a header', async () => {
    const csp = await page.evaluate(async () => (await fetch('/index.html')).headers.get('content-security-policy'));
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('blocks window.open and navigation away', async () => {
    const opened = await page.evaluate(() => window.open('https://example.com/') === null);
    expect(opened).toBe(true);
    expect(app.windows()).toHaveLength(1);
    await page.evaluate(() => {
      window.location.href = 'file:///etc/passwd';
    });
    await page.waitForTimeout(300);
    expect(page.url()).toBe('app://flux-gallery/index.html');
  });

  it('refuses hostile gallery URLs', async () => {
    const loaded = await page.evaluate(
      (src) =>
        new Promise<boolean>((resolve) => {
          const img = new Image();
          img.onload = () => resolve(true);
          img.onerror = () => resolve(false);
          img.src = src;
        }),
      'gallery://image/..%2F..%2F..%2Fetc%2Fpasswd',
    );
    expect(loaded).toBe(false);
  });

  it('denies permission requests', async () => {
    const result = await page.evaluate(() => Notification.requestPermission());
    expect(result).toBe('denied');
  });
});
