/**
 * Issue 13, "library folder problems block start-up", in Chromium against the real core: a library
 * folder that cannot be opened (here: a drive that is not plugged in) no longer stops the app; the
 * window shows "library unavailable" with Retry, Choose another folder and Use the default folder,
 * in both languages, all by keyboard.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium, maybeScreenshot } from '../helpers/browser';
import { startWebApp, type WebApp } from '../helpers/web-app';
import { seedImages } from './support/seed';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

let root: string;
let app: WebApp | null = null;
let missing: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'flux-gallery-e2e-unavailable-'));
  missing = path.join(root, 'usb-drive', 'Flux Gallery');
});
afterEach(async () => {
  await app?.close();
  app = null;
  await rm(root, { recursive: true, force: true });
});

/** The app as an earlier run left it: the library on a drive that is not plugged in now. */
async function startWithMissingLibrary(settings: Record<string, unknown> = {}): Promise<WebApp> {
  const dataDir = path.join(root, 'data');
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ libraryDir: missing, ...settings }));
  app = await startWebApp({ dataDir, defaultLibraryDir: path.join(root, 'default-lib') });
  return app;
}

async function open(web: WebApp): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  await page.goto(web.server.url);
  return { page, errors };
}

const focused = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('library unavailable', () => {
  it('says the folder is missing, keeps the app usable, and opens it on Retry once the drive is back', async () => {
    const web = await startWithMissingLibrary();
    const { page, errors } = await open(web);
    const screen = page.getByRole('region', { name: 'Library unavailable' });
    await screen.waitFor();
    expect(await screen.getByRole('alert').textContent()).toBe(`The library folder is missing: ${missing}`);
    expect(await screen.textContent()).toContain('connect it and retry');
    // The rest of the window works: the generate panel and Settings are there.
    await page.getByRole('button', { name: 'Settings' }).waitFor();
    await page.locator('#gen-prompt').waitFor();
    await maybeScreenshot(page, 'library-unavailable');

    // Keyboard: focus starts on Retry; Enter retries, still missing, said so; nothing was created.
    await expect.poll(() => focused(page)).toBe('Retry');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('library-unavailable-status').textContent()).toBe('Still unavailable.');
    expect(existsSync(missing)).toBe(false);

    // The drive is back, with its images.
    await seedImages(missing, [{ prompt: 'a lighthouse on the usb drive' }]);
    await page.getByRole('button', { name: 'Retry' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Gallery' }).waitFor();
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toBe('1 image');
    await page.getByRole('gridcell', { name: 'a lighthouse on the usb drive' }).waitFor();
    expect(await screen.count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('in Russian; "Use the default folder" by keyboard switches there', async () => {
    const web = await startWithMissingLibrary({ language: 'ru' });
    const { page, errors } = await open(web);
    const screen = page.getByRole('region', { name: 'Библиотека недоступна' });
    await screen.waitFor();
    expect(await screen.getByRole('alert').textContent()).toBe(`Папки библиотеки нет: ${missing}`);
    await expect.poll(() => focused(page)).toBe('Повторить');
    // Tab: Choose another folder…, then Use the default folder.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Выбрать другую папку…');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Папка по умолчанию');
    await maybeScreenshot(page, 'library-unavailable-ru');
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: 'Галерея' }).waitFor();
    expect(web.core.settings.get().libraryDir).toBe(path.join(root, 'default-lib'));
    expect(web.core.libraryStatus().state).toBe('ready');
    expect(existsSync(missing)).toBe(false);
    expect(errors).toEqual([]);
  });

  it('"Choose another folder…" in the web preview opens Settings at the library folder', async () => {
    const web = await startWithMissingLibrary();
    const { page, errors } = await open(web);
    await page.getByRole('region', { name: 'Library unavailable' }).waitFor();
    await expect.poll(() => focused(page)).toBe('Retry');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.waitFor();
    await expect.poll(() => focusedId(page)).toBe('set-library');
    const other = path.join(root, 'another');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(other);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('region', { name: 'Gallery' }).waitFor();
    expect(web.core.libraryStatus()).toMatchObject({ state: 'ready', libraryDir: other });
    expect(errors).toEqual([]);
  });
});
