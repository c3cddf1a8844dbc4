/**
 * The gallery over a seeded library, in Chromium against the real core: search and filters, the
 * viewer and its keyboard, favourites, delete with undo, drag out, drop in, keyboard access,
 * settings (theme, language). No network involved.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { HistoryEntry } from '../../shared/library';
import { launchChromium, maybeScreenshot } from '../helpers/browser';
import { openApp, recordedDrags, startTestApp, type TestApp } from './support/app';
import { makeLibraryDir, seedImages } from './support/seed';

const PROMPTS = [
  'a red fox in the snow',
  'a lighthouse at dusk',
  'a red bicycle in Amsterdam',
  'mountain lake at dawn',
  'a bowl of ramen',
  'a red panda eating bamboo',
  'an astronaut on the moon',
  'a cat wearing sunglasses',
  'city skyline at night',
  'a cozy cabin in the woods',
  'a sailing ship in a storm',
  'a field of sunflowers',
];
/** The gallery lists newest first: the last seeded prompt comes first. */
const NEWEST_FIRST = [...PROMPTS].reverse();

const count = (page: Page) => page.getByTestId('gallery-count').textContent();
const tileLabels = (page: Page) =>
  page.locator('[role="gridcell"][data-id]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));

describe('gallery, viewer and history in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let seeded: HistoryEntry[];
  let libraryDir: string;
  beforeAll(async () => {
    libraryDir = await makeLibraryDir();
    seeded = await seedImages(
      libraryDir,
      PROMPTS.map((prompt) => ({ prompt })),
    );
    app = await startTestApp({ spaces: false, libraryDir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('lists the library newest first', async () => {
    const { page, errors } = await openApp(browser, app);
    await expect.poll(() => count(page)).toBe('12 images');
    expect(await tileLabels(page)).toEqual(NEWEST_FIRST);
    await maybeScreenshot(page, 'gallery');
    expect(errors).toEqual([]);
  });

  it('searches prompts as you type, and filters by model, favourites and date', async () => {
    const { page, errors } = await openApp(browser, app);
    const search = page.locator('#history-search');
    await search.pressSequentially('red', { delay: 30 });
    await expect.poll(() => count(page)).toBe('3 matches');
    expect(await tileLabels(page)).toEqual([
      'a red panda eating bamboo',
      'a red bicycle in Amsterdam',
      'a red fox in the snow',
    ]);
    await search.pressSequentially(' p', { delay: 30 });
    await expect.poll(() => count(page)).toBe('1 match');
    await search.press('Escape');
    await expect.poll(() => count(page)).toBe('12 images');

    await page.getByRole('combobox', { name: 'Model' }).last().selectOption('flux-schnell');
    await expect.poll(() => count(page)).toBe('6 matches');
    await page.getByRole('button', { name: 'Favourites only' }).click();
    await expect.poll(() => count(page)).toBe('0 matches');
    expect(await page.getByTestId('gallery-empty').textContent()).toContain('Nothing matches these filters.');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => count(page)).toBe('12 images');

    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    // At this width the dates sit behind "Filters".
    await page.getByTestId('filters-toggle').click();
    await page.getByLabel('From date').fill(tomorrow);
    await expect.poll(() => count(page)).toBe('0 matches');
    await page.getByLabel('From date').fill('');
    await expect.poll(() => count(page)).toBe('12 images');
    expect(errors).toEqual([]);
  });

  it('opens the viewer; arrows move, zoom keys zoom, Escape closes back to the last image', async () => {
    const { page, errors } = await openApp(browser, app);
    await page.getByRole('gridcell', { name: NEWEST_FIRST[0] }).click();
    const viewer = page.getByRole('dialog', { name: 'Image viewer' });
    await viewer.waitFor();
    const position = viewer.getByTestId('lightbox-position');
    const prompt = viewer.getByTestId('lightbox-prompt');
    expect(await position.textContent()).toBe('1 of 12');
    expect(await prompt.textContent()).toBe(NEWEST_FIRST[0]);

    await page.keyboard.press('ArrowRight');
    await expect.poll(() => position.textContent()).toBe('2 of 12');
    expect(await prompt.textContent()).toBe(NEWEST_FIRST[1]);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => prompt.textContent()).toBe(NEWEST_FIRST[3]);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => prompt.textContent()).toBe(NEWEST_FIRST[2]);

    // Full parameters of the image shown.
    const entry = seeded.find((e) => e.prompt === NEWEST_FIRST[2])!;
    const params = await viewer.getByTestId('lightbox-params').innerText();
    expect(params).toContain(String(entry.seed));
    expect(params).toContain('512 × 512');
    expect(params).toContain('BlackForestLabs');

    const image = viewer.getByTestId('lightbox-image');
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(512);
    await page.keyboard.press('+');
    expect(await viewer.locator('.lb-image').getAttribute('data-zoom')).toBe('1.5');
    await page.keyboard.press('0');
    expect(await viewer.locator('.lb-image').getAttribute('data-zoom')).toBe('fit');
    await maybeScreenshot(page, 'lightbox');

    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe(NEWEST_FIRST[2]);

    // That was a one-time request: a later change of columns leaves focus where the user put it.
    await page.locator('#history-search').focus();
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: size.width - 200, height: size.height });
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('history-search');
    await page.setViewportSize(size);
    expect(errors).toEqual([]);
  });

  it('marks a favourite from the viewer and finds it with the favourites filter', async () => {
    const { page, errors } = await openApp(browser, app);
    await page.getByRole('gridcell', { name: 'a lighthouse at dusk' }).click();
    const viewer = page.getByRole('dialog', { name: 'Image viewer' });
    await viewer.getByRole('button', { name: 'Favourite', exact: true }).click();
    await viewer.getByRole('button', { name: 'Remove from favourites' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Favourites only' }).click();
    await expect.poll(() => count(page)).toBe('1 match');
    expect(await tileLabels(page)).toEqual(['a lighthouse at dusk']);
    expect(await page.getByRole('gridcell', { name: 'a lighthouse at dusk' }).locator('.tile__fav').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('copies the prompt, and says when copy image and reveal are not available here', async () => {
    const { page, errors } = await openApp(browser, app);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.web.server.origin });
    await page.getByRole('gridcell', { name: 'a bowl of ramen' }).click();
    const viewer = page.getByRole('dialog', { name: 'Image viewer' });
    await viewer.getByRole('button', { name: 'Copy prompt' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Prompt copied.' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('a bowl of ramen');
    // The Node platform behind the web preview has no clipboard image or file manager.
    await viewer.getByRole('button', { name: 'Copy image' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Copying images is not available' }).waitFor();
    await viewer.getByRole('button', { name: 'Show in folder' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Showing files in a folder is not available' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('deletes an image from the viewer, then brings it back with Undo', async () => {
    const { page, errors } = await openApp(browser, app);
    await expect.poll(() => count(page)).toBe('12 images');
    await page.getByRole('gridcell', { name: 'a cat wearing sunglasses' }).click();
    const viewer = page.getByRole('dialog', { name: 'Image viewer' });
    const position = await viewer.getByTestId('lightbox-position').textContent();
    await viewer.getByRole('button', { name: 'Delete' }).click();

    // The viewer stays open on the image that takes its place.
    await expect.poll(() => viewer.getByTestId('lightbox-prompt').textContent()).toBe('an astronaut on the moon');
    expect(await viewer.getByTestId('lightbox-position').textContent()).toBe(position!.replace('of 12', 'of 11'));
    const toast = page.getByTestId('toast').filter({ hasText: 'Image deleted.' });
    await toast.waitFor();
    await maybeScreenshot(page, 'delete-undo');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await page.getByTestId('toast').filter({ hasText: 'Image restored.' }).waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => count(page)).toBe('12 images');
    await page.getByRole('gridcell', { name: 'a cat wearing sunglasses' }).waitFor();
    const entry = seeded.find((e) => e.prompt === 'a cat wearing sunglasses')!;
    await readFile(path.join(libraryDir, entry.file)); // back in place
    expect(errors).toEqual([]);
  });

  it('asks the main side for a native drag of the dragged image', async () => {
    const { page, errors } = await openApp(browser, app);
    const entry = seeded.find((e) => e.prompt === 'mountain lake at dawn')!;
    const tile = page.getByRole('gridcell', { name: 'mountain lake at dawn' });
    expect(await tile.getAttribute('draggable')).toBe('true');
    expect(await tile.getAttribute('data-id')).toBe(entry.id);
    const drags = recordedDrags(app);
    const before = drags.length;
    await tile.dispatchEvent('dragstart');
    await expect.poll(() => drags.length).toBe(before + 1);
    const drag = drags.at(-1)!;
    expect(drag.filePath).toBe(path.join(libraryDir, entry.file));
    expect(drag.iconPath).toBe(path.join(libraryDir, entry.thumb));
    expect(errors).toEqual([]);
  });

  it('imports the parameters of an image dropped on the window', async () => {
    const { page, errors } = await openApp(browser, app);
    const entry = seeded.find((e) => e.prompt === 'a sailing ship in a storm')!;
    const base64 = (await readFile(path.join(libraryDir, entry.file))).toString('base64');
    // A file drag from the OS, as Chromium delivers it: enter and over, then drop.
    const drop = async (name: string, type: string, data: string) => {
      await page.evaluate(
        ({ name, type, data }) => {
          const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
          const dt = new DataTransfer();
          dt.items.add(new File([bytes], name, { type }));
          (window as unknown as { __dt: DataTransfer }).__dt = dt;
          for (const t of ['dragenter', 'dragover'])
            document.body.dispatchEvent(new DragEvent(t, { dataTransfer: dt, bubbles: true, cancelable: true }));
        },
        { name, type, data },
      );
      const overlay = await page
        .getByTestId('drop-overlay')
        .waitFor()
        .then(() => true);
      await page.evaluate(() => {
        const dt = (window as unknown as { __dt: DataTransfer }).__dt;
        document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      });
      // A drop asks what it is for (issue 18): here, its parameters.
      await page.getByTestId('drop-choice-read').click();
      return overlay;
    };
    expect(await drop('ship.png', 'image/png', base64)).toBe(true);
    await page.getByTestId('toast').filter({ hasText: 'Parameters imported from ship.png.' }).waitFor();
    expect(await page.locator('#gen-prompt').inputValue()).toBe('a sailing ship in a storm');
    expect(await page.locator('#gen-seed').inputValue()).toBe(String(entry.seed));
    expect(await page.locator('#gen-model').inputValue()).toBe(entry.model);
    expect(await page.getByTestId('drop-overlay').count()).toBe(0);

    await drop('notes.txt', 'text/plain', btoa('hello'));
    await page.getByTestId('toast').filter({ hasText: 'Only image files can be imported.' }).waitFor();
    // What the main side said of the file is what the user reads.
    await drop('broken.png', 'image/png', btoa('not a png at all'));
    await page.getByTestId('toast').filter({ hasText: 'The file is not a PNG, WebP or JPEG image.' }).waitFor();
    expect(errors).toEqual([]);
  });

  it('is usable by keyboard: grid arrows, Enter opens, every control has a name', async () => {
    const { page, errors } = await openApp(browser, app);
    await page.getByRole('gridcell', { name: NEWEST_FIRST[0] }).focus();
    const active = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    await page.keyboard.press('ArrowRight');
    expect(await active()).toBe(NEWEST_FIRST[1]);
    const cols = Number(await page.locator('[role="grid"]').getAttribute('aria-colcount'));
    await page.keyboard.press('ArrowDown');
    expect(await active()).toBe(NEWEST_FIRST[1 + cols]);
    await page.keyboard.press('End');
    expect(await active()).toBe(NEWEST_FIRST[11]);
    await page.keyboard.press('Home');
    expect(await active()).toBe(NEWEST_FIRST[0]);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Image viewer' }).waitFor();
    // Tab stays inside the modal viewer.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"], .toasts'))).toBe(true);
    }
    // Settings opened over the viewer: Tab moves through the topmost dialog.
    await page.keyboard.press('Control+Comma');
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.waitFor();
    const activeId = () => page.evaluate(() => document.activeElement?.id);
    await expect.poll(activeId).toBe('set-library');
    await page.keyboard.press('Tab');
    expect(await activeId()).toBe('set-token');
    // Zoom keys belong to the viewer: pressed in the dialog above it, they leave the image alone.
    await page.locator('#set-language').focus();
    await page.keyboard.press('+');
    expect(
      await page.getByTestId('lightbox-image').evaluate((img) => img.closest('[data-zoom]')?.getAttribute('data-zoom')),
    ).toBe('fit');
    await page.keyboard.press('Escape');
    await settings.waitFor({ state: 'detached' });
    await page.keyboard.press('Escape');

    // Every control can be reached and is named for screen readers.
    const unnamed = await page.evaluate(() => {
      const nameOf = (el: Element) =>
        el.getAttribute('aria-label') ||
        (el.getAttribute('aria-labelledby') &&
          document.getElementById(el.getAttribute('aria-labelledby')!)?.textContent) ||
        ((el as HTMLInputElement).labels?.[0]?.textContent ?? '') ||
        (el.tagName === 'BUTTON' || el.tagName === 'A' ? el.textContent : '');
      return Array.from(document.querySelectorAll('button, input, select, textarea, a[href], [tabindex]'))
        .filter((el) => !el.closest('[aria-hidden="true"]') && el.getAttribute('tabindex') !== '-1')
        .filter((el) => !(nameOf(el) ?? '').trim())
        .map((el) => el.outerHTML.slice(0, 120));
    });
    expect(unnamed).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('switches theme and language from the settings dialog', async () => {
    const { page, errors } = await openApp(browser, app);
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await maybeScreenshot(page, 'settings');
    await dialog.getByRole('radio', { name: 'Light' }).check();
    await dialog.getByLabel('Language').selectOption('ru');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    await expect.poll(() => count(page)).toBe('12 изображений');
    expect(await page.getByRole('button', { name: /Сгенерировать/ }).count()).toBe(1);
    await maybeScreenshot(page, 'gallery-light-ru');

    await page.getByRole('button', { name: 'Настройки' }).click();
    const ru = page.getByRole('dialog', { name: 'Настройки' });
    await ru.getByRole('radio', { name: 'Как в системе' }).check();
    await ru.getByLabel('Язык').selectOption('en');
    await ru.getByRole('button', { name: 'Сохранить' }).click();
    await expect.poll(() => count(page)).toBe('12 images');
    // "System" follows the OS preference (this page asked for dark).
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(errors).toEqual([]);
  });
});
