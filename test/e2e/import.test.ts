/**
 * Importing images (issue 18) in Chromium against the real core, with real files on disk: a folder
 * of A1111 PNGs (a subfolder, a duplicate, a damaged file) imported from "Import images…" with its
 * progress and per-file report, the gallery listing the images and their prompts; a bigger folder
 * cancelled mid-way, from the dialog and from the bar above the gallery; the drop choice (import, or
 * just read the parameters) through synthetic drops; the dialog's screens in both languages at
 * 800×600, checked to fit and, with FLUX_SCREENSHOTS=dir, saved.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { setTextChunks } from '../../main/library/png-text-chunks';
import { launchChromium, maybeScreenshot } from '../helpers/browser';
import { openApp, startTestApp, type TestApp } from './support/app';
import { fitProblems } from './support/fit';
import { makePng } from './support/images';
import { makeLibraryDir } from './support/seed';

/** A1111's `parameters` text for one image. */
const a1111 = (prompt: string, seed: number, size = 256) =>
  `${prompt}\nNegative prompt: blurry, lowres\n` +
  `Steps: 24, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6.5, Seed: ${seed}, Size: ${size}x${size}, Model: juggernautXL_v9`;

const PROMPTS = [
  'imported: a castle on a hill at golden hour',
  'imported: a koi pond under cherry trees',
  'imported: a neon alley in the rain',
  'imported: a snowy owl on a branch',
  'imported: a desert caravan at dusk',
];
const NESTED = 'imported: a lantern in a cave (subfolder)';
/** Big enough that its import takes a while (each 2048² image is decoded and made a thumbnail). */
const BIG = 240;

const count = (page: Page) => page.getByTestId('gallery-count').textContent();
const toast = (page: Page, text: string | RegExp) => page.getByTestId('toast').filter({ hasText: text }).last();

/** A file drag from the OS as Chromium delivers it (the web preview: files without paths). */
async function drop(page: Page, files: { name: string; type: string; data: Buffer }[]): Promise<void> {
  await page.evaluate(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const raw = Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0));
        dt.items.add(new File([raw], f.name, { type: f.type }));
      }
      for (const t of ['dragenter', 'dragover', 'drop'])
        document.body.dispatchEvent(new DragEvent(t, { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    files.map((f) => ({ name: f.name, type: f.type, data: f.data.toString('base64') })),
  );
}

describe('importing images in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let src: string;
  let firstPng: Buffer;
  beforeAll(async () => {
    const libraryDir = await makeLibraryDir();
    src = await mkdtemp(path.join(tmpdir(), 'flux-gallery-e2e-import-'));
    const sd = path.join(src, 'sd');
    await mkdir(path.join(sd, 'sub'), { recursive: true });
    for (const [i, prompt] of PROMPTS.entries()) {
      const png = setTextChunks(await makePng(i, 256, 256), [['parameters', a1111(prompt, 1000 + i)]]);
      if (i === 0) firstPng = png;
      await writeFile(path.join(sd, `0${i}-${i === 0 ? 'castle' : 'image'}.png`), png);
    }
    await writeFile(
      path.join(sd, 'sub', 'lantern.png'),
      setTextChunks(await makePng(7, 256, 256), [['parameters', a1111(NESTED, 77)]]),
    );
    // The same bytes again: a duplicate. A PNG that is not one: a failure with its reason.
    await copyFile(path.join(sd, '00-castle.png'), path.join(sd, 'sub', 'castle-copy.png'));
    await writeFile(path.join(sd, 'broken.png'), 'this is not a PNG at all');

    // Big folders: one for the cancel test, one per language for the screens (new images each time).
    const base = await makePng(3, 2048, 2048);
    for (const name of ['big', 'big-en', 'big-ru']) {
      await mkdir(path.join(src, name));
      await Promise.all(
        Array.from({ length: BIG }, (_, i) =>
          writeFile(
            path.join(src, name, `big-${String(i).padStart(3, '0')}.png`),
            setTextChunks(base, [['parameters', a1111(`imported: ${name} folder image ${i}`, i, 2048)]]),
          ),
        ),
      );
    }
    app = await startTestApp({ spaces: false, libraryDir });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (src) await rm(src, { recursive: true, force: true });
  });

  it(
    'imports a folder from "Import images…": progress, the per-file report, the gallery with the prompts',
    { timeout: 90_000 },
    async () => {
      const { page, errors } = await openApp(browser, app);
      await expect.poll(() => count(page)).toBe('0 images');
      const opener = page.getByRole('button', { name: 'Import images…' });
      await opener.click();
      const dialog = page.getByRole('dialog', { name: 'Import images' });
      await dialog.waitFor();
      // The web preview has no OS dialog: the paths are typed (focus is there), and said why.
      expect(await page.getByTestId('import-choose-files').count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('import-paths');
      await dialog.getByText('The web preview cannot open the system’s file dialog').waitFor();

      // A relative path is refused here, in words, before anything starts.
      await page.keyboard.type('Pictures/sd');
      await page.keyboard.press('Control+Enter');
      await dialog.getByRole('alert').filter({ hasText: 'Give full paths' }).waitFor();
      await page.getByTestId('import-paths').fill(path.join(src, 'sd'));
      expect(await page.getByTestId('import-start').textContent()).toContain('Import 1 path');
      await page.getByTestId('import-start').click();

      const result = page.getByTestId('import-result');
      await result.waitFor({ timeout: 30_000 });
      expect(await result.getAttribute('data-status')).toBe('done');
      expect(await result.textContent()).toMatch(/^Imported 6 images\.( Took .+\.)?$/);
      const summary = page.getByTestId('import-summary');
      expect(await summary.locator('li').allTextContents()).toEqual(['6 imported', '1 duplicate skipped', '1 failed']);
      // Every file in the report; what went wrong first, with its reason in words.
      // Focus went to Close (Enter closes).
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Close');
      const rows = page.getByTestId('import-row');
      expect(await rows.count()).toBe(8);
      const first = rows.first();
      expect(await first.getAttribute('data-status')).toBe('not-image');
      expect(await first.textContent()).toContain('broken.png');
      expect(await first.textContent()).toContain('The file is not a PNG, JPEG or WebP image.');
      // The copy and its original run side by side: whichever came second is the duplicate.
      const dup = page.locator('[data-testid="import-row"][data-status="duplicate"]');
      expect(await dup.textContent()).toMatch(/^Duplicate, skipped(castle-copy|00-castle)\.pngThe same image/);
      expect(await rows.filter({ hasText: 'lantern.png' }).textContent()).toContain('parameters from A1111 / Forge');
      await page.getByTestId('import-problems-only').check();
      expect(await rows.count()).toBe(2);
      await page.getByTestId('import-problems-only').uncheck();
      // The report scrolls on its own, keyboard included.
      expect(await page.getByTestId('import-report').getAttribute('tabindex')).toBe('0');
      await dialog.getByRole('button', { name: 'Close', exact: true }).last().focus();
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);

      // The gallery lists them, with their prompts (the tiles' names) and their parameters.
      await expect.poll(() => count(page)).toBe('6 images');
      for (const prompt of [...PROMPTS, NESTED]) await page.getByRole('gridcell', { name: prompt }).waitFor();
      await page.getByRole('gridcell', { name: PROMPTS[0] }).click();
      const viewer = page.getByRole('dialog', { name: 'Image viewer' });
      await viewer.waitFor();
      await viewer.getByText(PROMPTS[0]!).first().waitFor();
      await viewer.getByText('blurry, lowres').first().waitFor();
      await page.keyboard.press('Escape');
      await viewer.waitFor({ state: 'detached' });

      // The desktop app's File → Import Images… goes through the core's event, as here.
      app.web.core.events.emit('menu:invoked', { command: 'importImages' });
      await dialog.waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      // Importing the same folder again (Ctrl+O): all duplicates, nothing new.
      await page.keyboard.press('Control+o');
      await dialog.waitFor();
      await page.getByTestId('import-paths').fill(path.join(src, 'sd'));
      await page.keyboard.press('Control+Enter');
      await result.waitFor({ timeout: 30_000 });
      expect(await result.textContent()).toMatch(/^No new images were imported\./);
      expect(await summary.locator('li').allTextContents()).toEqual(['0 imported', '7 duplicates skipped', '1 failed']);
      // A row of an imported image… there is none; Import more goes back to the form.
      await page.getByTestId('import-again').click();
      await page.getByTestId('import-paths').waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await count(page)).toBe('6 images');
      expect(errors).toEqual([]);
    },
  );

  it(
    'fills the gallery while a big folder imports, shows what is done and the rate, and cancels mid-way',
    { timeout: 120_000 },
    async () => {
      const { page, errors } = await openApp(browser, app);
      await expect.poll(() => count(page)).toBe('6 images');
      await page.getByTestId('import-open').click();
      await page.getByTestId('import-paths').fill(path.join(src, 'big'));
      await page.getByTestId('import-start').click();

      // Hidden while it runs: the bar above the gallery keeps the progress and the gallery fills.
      const progress = page.getByTestId('import-progress');
      // The walk runs ahead of the import: the total is known while the first files are imported.
      await progress.filter({ hasText: new RegExp(`^\\d+ of ${BIG} files`) }).waitFor({ timeout: 30_000 });
      await page.getByTestId('import-hide').click();
      const bar = page.getByTestId('import-bar');
      await bar.waitFor();
      await bar
        .getByTestId('import-rate')
        .filter({ hasText: /images\/s$/ })
        .waitFor();
      // With the total known, the time left is said.
      await bar.getByTestId('import-eta').filter({ hasText: /left$/ }).waitFor();
      const grown = async () => Number((await count(page))?.replace(/\D/g, '') ?? 0);
      await expect.poll(grown, { timeout: 30_000 }).toBeGreaterThan(6);

      // Back in the dialog: done so far, rate, counts; Cancel stops it.
      await bar.getByTestId('import-bar-show').click();
      await page
        .getByTestId('import-counts')
        .filter({ hasText: /^Imported \d+ · duplicates 0 · failed 0$/ })
        .waitFor();
      await page.getByTestId('import-cancel').click();
      const result = page.getByTestId('import-result');
      await result.waitFor({ timeout: 30_000 });
      expect(await result.getAttribute('data-status')).toBe('cancelled');
      const said = (await result.textContent())!.match(/^Cancelled: (\d+) images? imported before it stopped\./);
      expect(said).not.toBeNull();
      const imported = Number(said![1]);
      expect(imported).toBeGreaterThan(0);
      expect(imported).toBeLessThan(BIG);
      const summary = await page.getByTestId('import-summary').locator('li').allTextContents();
      expect(summary[0]).toBe(`${imported} imported`);
      expect(summary.at(-1)).toMatch(/^\d+ not imported \(cancelled\)$/);
      // What was imported stays, and only that: the gallery says the same number.
      await expect.poll(() => count(page)).toBe(`${6 + imported} images`);
      expect(await bar.count()).toBe(0);
      // An imported file's name opens it in the viewer.
      const link = page.locator('[data-testid="import-row"][data-status="imported"] button').first();
      const file = (await link.textContent())!;
      expect(await link.getAttribute('aria-label')).toBe(`Show ${file}`);
      await link.click();
      const viewer = page.getByRole('dialog', { name: 'Image viewer' });
      await viewer
        .getByText(`imported: big folder image ${Number(file.replace(/\D/g, ''))}`)
        .first()
        .waitFor();
      await page.keyboard.press('Escape');
      await viewer.waitFor({ state: 'detached' });

      // Started again and hidden: its end is said in a toast, whose Show opens the report.
      await page.keyboard.press('Control+o');
      await page.getByTestId('import-paths').fill(path.join(src, 'big'));
      await page.getByTestId('import-start').click();
      await page.getByTestId('import-hide').click();
      // Cancelled if it still runs (the duplicates go by fast).
      await page
        .getByTestId('import-bar-cancel')
        .click({ timeout: 2000 })
        .catch(() => {});
      const done = toast(page, /^(Cancelled|Imported)/);
      await done.waitFor({ timeout: 30_000 });
      await done.getByRole('button', { name: 'Show' }).click();
      await page.getByTestId('import-result').waitFor();
      await page.keyboard.press('Escape');
      expect(errors).toEqual([]);
    },
  );

  it('asks what a drop is for: just read the parameters, or import (the typed path in the web preview)', async () => {
    const { page, errors } = await openApp(browser, app);
    const choice = page.getByRole('dialog', { name: 'Dropped: what should happen?' });
    const png = { name: 'castle.png', type: 'image/png', data: firstPng };

    // Escape drops neither.
    await drop(page, [png]);
    await choice.waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('drop-choice-import');
    await page.keyboard.press('Escape');
    await choice.waitFor({ state: 'detached' });

    // One image: its parameters go to the panel, nothing to the library.
    const before = await count(page);
    await drop(page, [png]);
    await page.getByTestId('drop-choice-read').click();
    await toast(page, 'Parameters imported from castle.png.').waitFor();
    expect(await page.locator('#gen-prompt').inputValue()).toBe(PROMPTS[0]);
    expect(await count(page)).toBe(before);

    // Two files: reading needs one; importing opens the dialog, which says why the folder is typed.
    await drop(page, [png, { ...png, name: 'other.png' }]);
    await choice.waitFor();
    expect(await page.getByTestId('drop-choice-read').isDisabled()).toBe(true);
    await choice.getByText('Reading parameters needs exactly one image file.').waitFor();
    await choice.getByText('2 items: castle.png, other.png').waitFor();
    await page.getByTestId('drop-choice-import').press('Enter');
    await page.getByTestId('import-drop-no-path').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('import-paths');
    await page.keyboard.press('Escape');
    await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });

  it(
    'fits at 800×600 in both languages: the form, the drop choice, the running import, the report',
    { timeout: 120_000 },
    async () => {
      const { page, errors } = await openApp(browser, app, { viewport: { width: 800, height: 600 } });
      const problems: string[] = [];
      const shoot = async (name: string) => {
        await page.evaluate(async () => {
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity);
          await Promise.all(finite.map((a) => a.finished.catch(() => {})));
        });
        for (const p of await fitProblems(page)) problems.push(`${name}: ${p}`);
        await maybeScreenshot(page, name);
      };
      for (const language of ['en', 'ru'] as const) {
        await app.web.core.settings.update({ language });
        await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
        await page.getByTestId('import-open').click();
        await page.getByTestId('import-paths').waitFor();
        await shoot(`import-form-${language}-800x600`);
        await page.getByTestId('import-paths').fill(path.join(src, `big-${language}`));
        await page.getByTestId('import-start').click();
        await page.getByTestId('import-counts').waitFor({ timeout: 30_000 });
        await shoot(`import-running-${language}-800x600`);
        await page.getByTestId('import-hide').click();
        await page.getByTestId('import-bar').waitFor();
        await shoot(`import-bar-${language}-800x600`);
        await page.getByTestId('import-bar-show').click();
        await page.getByTestId('import-cancel').click();
        await page.getByTestId('import-result').waitFor({ timeout: 30_000 });
        await shoot(`import-report-${language}-800x600`);
        await page.keyboard.press('Escape');
        await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
        await drop(page, [
          { name: 'castle.png', type: 'image/png', data: firstPng },
          { name: 'koi.png', type: 'image/png', data: firstPng },
        ]);
        await page.getByTestId('drop-choice').waitFor();
        await shoot(`import-drop-choice-${language}-800x600`);
        await page.keyboard.press('Escape');
        await page.getByTestId('drop-choice').waitFor({ state: 'detached' });
      }
      await app.web.core.settings.update({ language: 'en' });
      expect(problems).toEqual([]);
      expect(errors).toEqual([]);
    },
  );
});
