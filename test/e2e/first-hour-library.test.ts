/**
 * Issue 14, "The first hour": what a new user hit in the gallery, the viewer and the settings, each
 * point in Chromium against the real core (no Spaces needed here; jobs are in first-hour-jobs).
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { HistoryEntry } from '../../shared/library';
import { HistoryStore, INDEX_FILE } from '../../main/library/history-store';
import { LAYOUT } from '../../main/library/paths';
import { createNodePlatform } from '../../main/platform';
import { launchChromium, maybeScreenshot } from '../helpers/browser';
import { openApp, startTestApp, type TestApp } from './support/app';
import { makePng } from './support/images';
import { makeLibraryDir, seedImages } from './support/seed';

const count = (page: Page) => page.getByTestId('gallery-count').textContent();
const tileLabels = (page: Page) =>
  page.locator('[role="gridcell"][data-id]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName);

/**
 * Makes the library one of a version before `requestedModel` and before the SQLite index: its
 * entries in a JSON shard (moved into the index at the app's start), some stored with the alias
 * asked for as their model.
 */
async function makeLegacy(libraryDir: string, ids: string[], model: string): Promise<void> {
  const indexDir = path.join(libraryDir, LAYOUT.index);
  const store = HistoryStore.open({ dir: indexDir });
  const entries: Record<string, unknown>[] = [...store.all()].map((e) => ({ ...e }));
  store.close();
  for (const e of entries) {
    if (!ids.includes(e.id as string)) continue;
    e.model = model;
    delete e.requestedModel;
  }
  await rm(path.join(indexDir, INDEX_FILE));
  await writeFile(path.join(indexDir, 'history-000001.json'), JSON.stringify({ format: 1, entries }));
}

const LONG =
  'a very long prompt about a lighthouse on a cliff above a stormy sea at dusk, with gulls, spray, ' +
  'dramatic clouds, warm windows, a winding path and a small red boat far below';

describe('the first hour: gallery, viewer, settings', () => {
  let app: TestApp;
  let browser: Browser;
  let seeded: HistoryEntry[];
  let libraryDir: string;
  let otherDir: string;
  beforeAll(async () => {
    libraryDir = await makeLibraryDir();
    seeded = await seedImages(libraryDir, [
      { prompt: 'legacy: asked as flux, made by Dev', model: 'flux', providerId: 'bfl-flux1-dev' },
      { prompt: 'asked as flux, made by Schnell', model: 'flux', providerId: 'voodoohop-flux1-schnell' },
      { prompt: 'asked as flux, made by Dev', model: 'flux', providerId: 'bfl-flux1-dev' },
      { prompt: 'a portrait, 832 by 1216', model: 'flux-dev', width: 832, height: 1216 },
      { prompt: 'a wide one, 16 by 9', model: 'flux-schnell', width: 1024, height: 576 },
      { prompt: 'a big photo to zoom', model: 'flux-dev', width: 2048, height: 1536 },
      { prompt: LONG, model: 'flux-dev' },
    ]);
    // The first one as an older version stored it: the alias asked for as its model.
    await makeLegacy(libraryDir, [seeded[0]!.id], 'flux');
    otherDir = await makeLibraryDir();
    await seedImages(otherDir, [{ prompt: 'other library: a blue door' }, { prompt: 'other library: a green gate' }]);
    app = await startTestApp({ spaces: false, libraryDir });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('#1 switching the library folder refreshes the grid and the viewer at once', async () => {
    const { page, errors } = await openApp(browser, app);
    await expect.poll(() => count(page)).toBe('7 images');
    // The viewer is open on an image of the first library when the folder changes under it.
    await page.getByRole('gridcell', { name: 'a wide one, 16 by 9' }).click();
    const viewer = page.getByRole('dialog', { name: 'Image viewer' });
    await viewer.waitFor();
    await page.keyboard.press('Control+Comma');
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.waitFor();
    await page.locator('#set-library').fill(otherDir);
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.waitFor({ state: 'detached' });
    // No reload: the grid, the count and the viewer follow the new folder.
    await expect.poll(() => count(page)).toBe('2 images');
    expect(await tileLabels(page)).toEqual(['other library: a green gate', 'other library: a blue door']);
    await viewer.waitFor({ state: 'detached' });
    await page.getByRole('gridcell', { name: 'other library: a blue door' }).click();
    await expect.poll(() => page.getByTestId('lightbox-prompt').textContent()).toBe('other library: a blue door');
    await page.keyboard.press('Escape');

    // And back.
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.locator('#set-library').fill(libraryDir);
    await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => count(page)).toBe('7 images');
    expect(errors).toEqual([]);
  });

  it('#4 keeps keyboard focus in the viewer after Undo, and in Settings after a refused Save', async () => {
    const { page, errors } = await openApp(browser, app);
    await page.getByRole('gridcell', { name: 'a big photo to zoom' }).click();
    const viewer = page.getByRole('dialog', { name: 'Image viewer' });
    const position = viewer.getByTestId('lightbox-position');
    const before = await position.textContent();
    await viewer.getByRole('button', { name: 'Delete' }).click();
    const toast = page.getByTestId('toast').filter({ hasText: 'Image deleted.' });
    // By keyboard: Tab reaches the toast's Undo (the viewer is modal, the notifications stay usable).
    await toast.getByRole('button', { name: 'Undo' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('toast').filter({ hasText: 'Image restored.' }).waitFor();
    await expect.poll(() => viewer.getByTestId('lightbox-prompt').textContent()).toBe('a big photo to zoom');
    expect(await position.textContent()).toBe(before);
    // Arrows and Escape work at once, without a click.
    expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => position.textContent()).not.toBe(before);
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
    await expect.poll(() => count(page)).toBe('7 images');

    // The same with the mouse on Undo.
    await page.getByRole('gridcell', { name: 'a wide one, 16 by 9' }).click();
    await viewer.getByRole('button', { name: 'Delete' }).click();
    // The first round's toasts may still be showing: the newest one is this round's.
    await page
      .getByTestId('toast')
      .filter({ hasText: 'Image deleted.' })
      .last()
      .getByRole('button', { name: 'Undo' })
      .click();
    await page.getByTestId('toast').filter({ hasText: 'Image restored.' }).last().waitFor();
    await expect.poll(() => viewer.getByTestId('lightbox-prompt').textContent()).toBe('a wide one, 16 by 9');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    // A refused Save: the error shows, focus goes to the field at fault, Escape still closes.
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await page.locator('#set-library').fill('relative/folder');
    await settings.getByRole('button', { name: 'Save' }).click();
    // Said under the field at fault, which takes the focus.
    const fieldError = page.locator('#set-library-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toContain('absolute path');
    await expect.poll(() => activeId(page)).toBe('set-library');
    await page.keyboard.press('Escape');
    await settings.waitFor({ state: 'detached' });
    expect(app.web.core.settings.get().libraryDir).toBe(libraryDir);
    expect(errors).toEqual([]);
  });

  it('#5 zooms around the centre or the pointer, never below Fit from the button; drags and double-clicks', async () => {
    const { page, errors } = await openApp(browser, app, { viewport: { width: 1600, height: 1000 } });
    await page.getByRole('gridcell', { name: 'a big photo to zoom' }).click();
    const viewer = page.getByRole('dialog', { name: 'Image viewer' });
    const image = viewer.getByTestId('lightbox-image');
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(2048);
    const zoom = () => viewer.locator('.lb-image').getAttribute('data-zoom');
    const box = async () => (await image.boundingBox())!;
    const stage = (await viewer.getByTestId('lightbox-viewport').boundingBox())!;
    const centre = { x: stage.x + stage.width / 2, y: stage.y + stage.height / 2 };
    expect(await zoom()).toBe('fit');
    const fitted = await box();
    // The 2048 px image is shrunk to fit: zooming out from Fit does nothing.
    expect(fitted.width).toBeLessThan(2048);
    // Said, and done: at Fit the out button is marked unavailable and changes nothing when pressed.
    const out = viewer.getByRole('button', { name: 'Zoom out' });
    expect(await out.getAttribute('aria-disabled')).toBe('true');
    await out.click({ force: true });
    expect(await zoom()).toBe('fit');
    expect((await box()).width).toBeCloseTo(fitted.width, 0);

    // Zoom in: larger, around its centre (not pinned to the top-left corner).
    const pointAt = (b: { x: number; y: number; width: number }, p: { x: number; y: number }) => ({
      u: (p.x - b.x) / b.width,
      v: (p.y - b.y) / ((b.width * 1536) / 2048),
    });
    const middle = (b: { x: number; y: number; width: number; height: number }) => ({
      x: b.x + b.width / 2,
      y: b.y + b.height / 2,
    });
    await viewer.getByRole('button', { name: 'Zoom in' }).click();
    expect(await zoom()).not.toBe('fit');
    const zoomed = await box();
    expect(zoomed.width).toBeGreaterThan(fitted.width * 1.2);
    expect(middle(zoomed).x).toBeCloseTo(middle(fitted).x, 0);
    expect(middle(zoomed).y).toBeCloseTo(middle(fitted).y, 0);
    expect(zoomed.x).toBeLessThan(stage.x);
    expect(zoomed.y).toBeLessThan(stage.y);
    // Zoomed, the next step keeps the point at the centre of the stage where it is.
    const before = pointAt(zoomed, centre);
    await viewer.getByRole('button', { name: 'Zoom in' }).click();
    const again = pointAt(await box(), centre);
    expect(again.u).toBeCloseTo(before.u, 2);
    expect(again.v).toBeCloseTo(before.v, 2);

    // Out again, as far as the button goes: back to Fit and no further.
    for (let i = 0; i < 6; i++) await out.click({ force: true });
    expect(await zoom()).toBe('fit');
    expect((await box()).width).toBeCloseTo(fitted.width, 0);

    // The wheel zooms around the pointer.
    const at = { x: fitted.x + fitted.width * 0.25, y: fitted.y + fitted.height * 0.3 };
    const under = pointAt(fitted, at);
    await page.mouse.move(at.x, at.y);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await box()).width).toBeGreaterThan(fitted.width * 1.2);
    const wheeled = pointAt(await box(), at);
    expect(wheeled.u).toBeCloseTo(under.u, 2);
    expect(wheeled.v).toBeCloseTo(under.v, 2);

    // Dragging pans it.
    const b1 = await box();
    await page.mouse.move(centre.x, centre.y);
    await page.mouse.down();
    await page.mouse.move(centre.x + 60, centre.y + 40, { steps: 4 });
    await page.mouse.up();
    const b2 = await box();
    expect(b2.x - b1.x).toBeCloseTo(60, 0);
    expect(b2.y - b1.y).toBeCloseTo(40, 0);
    // By keyboard: Shift+arrows move it (plain arrows still go to the next image).
    const position = await viewer.getByTestId('lightbox-position').textContent();
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(async () => (await box()).x).toBeLessThan(b2.x - 20);
    expect(await viewer.getByTestId('lightbox-position').textContent()).toBe(position);

    // Double-click: Fit, then 100 %, then Fit again.
    await page.mouse.dblclick(centre.x, centre.y);
    expect(await zoom()).toBe('fit');
    await page.mouse.dblclick(centre.x, centre.y);
    expect(await zoom()).toBe('1');
    expect((await box()).width).toBeCloseTo(2048, 0);
    await maybeScreenshot(page, 'first-hour-zoom-100');
    await page.mouse.dblclick(centre.x, centre.y);
    expect(await zoom()).toBe('fit');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('#6 says what the main side said of a dropped PNG without parameters, or a JPEG', async () => {
    const { page, errors } = await openApp(browser, app);
    const drop = async (name: string, type: string, bytes: Buffer) => {
      await page.evaluate(
        ({ name, type, data }) => {
          const raw = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
          const dt = new DataTransfer();
          dt.items.add(new File([raw], name, { type }));
          for (const t of ['dragenter', 'dragover', 'drop'])
            document.body.dispatchEvent(new DragEvent(t, { dataTransfer: dt, bubbles: true, cancelable: true }));
        },
        { name, type, data: bytes.toString('base64') },
      );
      // A drop asks what it is for (issue 18): here, its parameters.
      await page.getByTestId('drop-choice-read').click();
    };
    await drop('plain.png', 'image/png', await makePng(3, 64, 64));
    await page
      .getByTestId('toast')
      .filter({ hasText: 'This image has no generation parameters (neither Flux Gallery nor A1111 metadata).' })
      .waitFor();
    await drop(
      'photo.jpg',
      'image/jpeg',
      await sharp(await makePng(4, 64, 64))
        .jpeg()
        .toBuffer(),
    );
    await page
      .getByTestId('toast')
      .filter({ hasText: 'This JPEG image carries no generation parameters we can read; drop a PNG.' })
      .waitFor();
    expect(await page.getByTestId('toast').filter({ hasText: 'not an image the app can read' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('#7 labels a custom size with its real ratio, a preset with its name', async () => {
    const { page, errors } = await openApp(browser, app);
    const aspectOf = async (prompt: string) => {
      await page.getByRole('gridcell', { name: prompt }).click();
      const params = page.getByTestId('lightbox-params');
      await params.waitFor();
      const row = params.locator('.params__row').filter({ hasText: 'Aspect ratio' });
      const text = (await row.locator('dd').textContent()) ?? '';
      await page.keyboard.press('Escape');
      return text;
    };
    // Seeded with the default preset (1:1) stored, as custom sizes are.
    expect(await aspectOf('a portrait, 832 by 1216')).toBe('custom, 13:19');
    expect(await aspectOf('a wide one, 16 by 9')).toBe('16:9');
    expect(await aspectOf('a big photo to zoom')).toBe('4:3');
    expect(errors).toEqual([]);
  });

  it('#10 files images under the model that made them, the alias asked for beside it (old entries too)', async () => {
    const { page, errors } = await openApp(browser, app);
    const model = page.getByRole('combobox', { name: 'Model' }).last();
    // "FLUX (any)" is not a model an image is made with: the filter offers the real ones.
    expect(await model.locator('option').allTextContents()).toEqual(['Any model', 'FLUX.1 Dev', 'FLUX.1 Schnell']);
    await model.selectOption('flux-dev');
    await expect.poll(() => count(page)).toBe('5 matches');
    const dev = await tileLabels(page);
    expect(dev).toContain('asked as flux, made by Dev');
    expect(dev).toContain('legacy: asked as flux, made by Dev');
    expect(dev).not.toContain('asked as flux, made by Schnell');
    await model.selectOption('flux-schnell');
    await expect.poll(() => count(page)).toBe('2 matches');
    expect(await tileLabels(page)).toContain('asked as flux, made by Schnell');

    // The viewer says both: the model that ran, and what was asked for.
    await page.getByRole('gridcell', { name: 'asked as flux, made by Schnell' }).click();
    const modelRow = page.getByTestId('lightbox-params').locator('.params__row').filter({ hasText: 'Model' });
    expect(await modelRow.locator('dd').innerText()).toBe('FLUX.1 Schnell\nasked as FLUX (any)');
    await page.keyboard.press('Escape');
    await model.selectOption('');
    await page.getByRole('gridcell', { name: 'legacy: asked as flux, made by Dev' }).click();
    expect(await modelRow.locator('dd').innerText()).toBe('FLUX.1 Dev\nasked as FLUX (any)');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('#12 shows two whole caption lines, whole images on request, and a thumbnail-size slider', async () => {
    const { page, errors } = await openApp(browser, app);
    const tile = page.getByRole('gridcell', { name: LONG });
    await tile.hover();
    // The box that clamps the caption to two lines has no padding: nothing of a third line shows.
    const clamp = await tile.evaluate((el) =>
      Array.from(el.querySelectorAll<HTMLElement>('*'))
        .filter((c) => getComputedStyle(c).webkitLineClamp === '2')
        .map((c) => {
          const cs = getComputedStyle(c);
          return {
            paddingTop: cs.paddingTop,
            paddingBottom: cs.paddingBottom,
            lines: c.clientHeight / parseFloat(cs.lineHeight),
            clamped: c.scrollHeight > c.clientHeight,
          };
        }),
    );
    expect(clamp).toEqual([{ paddingTop: '0px', paddingBottom: '0px', lines: expect.closeTo(2, 1), clamped: true }]);
    await maybeScreenshot(page, 'first-hour-caption');

    // Whole images: the 16:9 thumbnail is letterboxed, not cropped.
    await page.getByTestId('filters-toggle').click();
    const whole = page.getByRole('button', { name: 'Show whole images' });
    await whole.click();
    expect(await whole.getAttribute('aria-pressed')).toBe('true');
    const wide = page.getByRole('gridcell', { name: 'a wide one, 16 by 9' }).locator('img');
    await expect.poll(() => wide.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeTruthy();
    expect(await wide.evaluate((img) => getComputedStyle(img).objectFit)).toBe('contain');
    expect(
      await wide.evaluate((img: HTMLImageElement) => Math.round((img.naturalWidth / img.naturalHeight) * 100)),
    ).toBe(178);

    // The size slider changes how many fit in a row (keyboard: arrows, Home, End).
    const cols = () => page.locator('[role="grid"]').getAttribute('aria-colcount').then(Number);
    const start = await cols();
    const slider = page.getByRole('slider', { name: 'Thumbnail size' });
    await slider.focus();
    await page.keyboard.press('End');
    await expect.poll(cols).toBeLessThan(start);
    await page.keyboard.press('Home');
    await expect.poll(cols).toBeGreaterThan(start);
    await maybeScreenshot(page, 'first-hour-whole-small');
    // Remembered.
    await page.reload();
    await page.getByRole('region', { name: 'Gallery' }).waitFor();
    expect(await page.locator('#gallery').getAttribute('data-tile-mode')).toBe('whole');
    await expect.poll(cols).toBeGreaterThan(start);
    await page.evaluate(() => localStorage.clear());
    expect(errors).toEqual([]);
  });

  it('#14 in the web preview the library folder is typed, and the hint says why there is no Choose…', async () => {
    const { page, errors } = await openApp(browser, app);
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await expect
      .poll(() => page.locator('#set-library-hint').textContent())
      .toContain('the folder dialog needs the desktop app');
    expect(await settings.getByRole('button', { name: 'Choose the library folder' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });
});

describe('the first hour: Choose… with a folder dialog', () => {
  let app: TestApp;
  let browser: Browser;
  let picked: string;
  let answer: string | null;
  let asked: { title?: string; defaultPath?: string }[];
  beforeAll(async () => {
    picked = await makeLibraryDir();
    await seedImages(picked, [{ prompt: 'picked library: a yellow kite' }]);
    asked = [];
    answer = picked;
    // The desktop platform's dialog, as the Electron glue gives it (main/electron/electron-platform.ts).
    const libraryDir = await makeLibraryDir();
    const platform = {
      ...createNodePlatform(path.join(libraryDir, '..', 'chooser-trash')),
      chooseFolder: async (o: { title?: string; defaultPath?: string }) => {
        asked.push(o);
        return answer;
      },
    };
    app = await startTestApp({ spaces: false, libraryDir, core: { platform } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('#14 "Choose…" fills the library folder from the OS dialog; Save switches to it', async () => {
    const { page, errors } = await openApp(browser, app);
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    const choose = settings.getByRole('button', { name: 'Choose the library folder' });
    await choose.waitFor();
    const current = await page.locator('#set-library').inputValue();
    // Cancelled: nothing changes.
    answer = null;
    await choose.click();
    await expect.poll(() => asked.length).toBe(1);
    expect(await page.locator('#set-library').inputValue()).toBe(current);
    // By keyboard: Tab from the field reaches it, Enter opens the dialog.
    answer = picked;
    await page.locator('#set-library').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#set-library').inputValue()).toBe(picked);
    expect(asked.at(-1)).toEqual({ title: 'Choose the library folder', defaultPath: current });
    await maybeScreenshot(page, 'first-hour-choose-folder');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.waitFor({ state: 'detached' });
    await expect.poll(() => count(page)).toBe('1 image');
    expect(await tileLabels(page)).toEqual(['picked library: a yellow kite']);
    expect(errors).toEqual([]);
  });
});
