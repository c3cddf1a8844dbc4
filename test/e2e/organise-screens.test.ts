/**
 * The organising screens (issue 17) fit, in both languages, at 800×600 (and 1920×1080): the grid
 * with a selection and the board sidebar, a board's menu, naming a board, the viewer's stars, the
 * compare view (slider, side by side), the export dialog (form and result), the shortcuts sheet.
 * Each is checked (support/fit.ts) and, with FLUX_SCREENSHOTS=dir, saved to be looked at.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Language } from '../../shared/settings';
import { launchChromium, maybeScreenshot } from '../helpers/browser';
import { openApp, startTestApp, type TestApp } from './support/app';
import { fitProblems } from './support/fit';
import { makeLibraryDir, seedImages } from './support/seed';

const SIZES = [
  { width: 800, height: 600 },
  { width: 1920, height: 1080 },
] as const;
const LONG_PROMPT =
  'an old lighthouse keeper reading by lamplight in a round stone room, rain on the windows, a cat asleep on a pile of charts';

const WORDS = {
  en: {
    compare: 'Compare',
    export: 'Export images',
    keys: 'Keyboard shortcuts',
    viewer: 'Image viewer',
    newBoard: 'New board',
  },
  ru: {
    compare: 'Сравнение',
    export: 'Экспорт изображений',
    keys: 'Клавиши',
    viewer: 'Просмотр изображения',
    newBoard: 'Новая доска',
  },
} as const;

describe('the organising screens fit in both languages', () => {
  let app: TestApp;
  let browser: Browser;
  let exportDir: string;
  beforeAll(async () => {
    const libraryDir = await makeLibraryDir();
    await seedImages(libraryDir, [
      ...Array.from({ length: 10 }, (_, i) => ({ prompt: `a seeded gradient number ${i + 1}` })),
      {
        prompt: LONG_PROMPT,
        model: 'flux-dev' as const,
        providerId: 'bfl-flux1-dev' as const,
        width: 832,
        height: 1216,
      },
    ]);
    exportDir = await mkdtemp(path.join(tmpdir(), 'flux-gallery-e2e-export-'));
    app = await startTestApp({ spaces: false, libraryDir });
    // Boards with images, one of them with a long name.
    const r = app.web.core.router;
    const inv = async <T>(channel: string, args: unknown): Promise<T> => {
      const res = await r.invoke(channel, args, { transport: 'web' });
      if (!res.ok) throw new Error(res.error.message);
      return res.value as T;
    };
    const ids = (await inv<{ ids: string[] }>('history:listIds', {})).ids;
    const a = await inv<{ id: string }>('boards:create', { name: 'Portraits', autoAdd: true });
    const b = await inv<{ id: string }>('boards:create', {
      name: 'Lighthouses, harbours and other things by the sea at dusk',
    });
    await inv('history:bulk', {
      target: { kind: 'ids', ids: ids.slice(0, 4) },
      action: { type: 'addToBoard', boardId: a.id },
    });
    await inv('history:bulk', {
      target: { kind: 'ids', ids: ids.slice(2, 9) },
      action: { type: 'addToBoard', boardId: b.id },
    });
    await inv('history:bulk', { target: { kind: 'ids', ids: ids.slice(0, 3) }, action: { type: 'rate', rating: 4 } });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (exportDir) await rm(exportDir, { recursive: true, force: true });
  });

  async function settle(page: Page): Promise<void> {
    await page.evaluate(async () => {
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity);
      await Promise.all(finite.map((a) => a.finished.catch(() => {})));
    });
  }

  it('checks and shoots each screen', { timeout: 300_000 }, async () => {
    const { page, errors } = await openApp(browser, app);
    const problems: string[] = [];
    const shoot = async (name: string) => {
      await settle(page);
      for (const p of await fitProblems(page)) problems.push(`${name}: ${p}`);
      await maybeScreenshot(page, name);
    };
    const tiles = page.locator('[role="gridcell"][data-id]');

    for (const language of ['en', 'ru'] as Language[]) {
      const w = WORDS[language as 'en' | 'ru'];
      await app.web.core.settings.update({ language, theme: 'dark' });
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
      for (const size of SIZES) {
        const tag = `${language}-${size.width}x${size.height}`;
        await page.setViewportSize(size);
        await tiles.first().waitFor();

        // A selection, the bar, the sidebar.
        if (!(await page.getByTestId('boards-panel').isVisible())) await page.getByTestId('boards-toggle').click();
        await tiles.nth(0).click({ modifiers: ['ControlOrMeta'] });
        await tiles.nth(2).click({ modifiers: ['Shift'] });
        await expect.poll(() => page.getByTestId('selection-count').count()).toBe(1);
        await shoot(`organise-selection-${tag}`);
        await page.getByTestId('bulk-boards').click();
        await page.getByRole('menu').waitFor();
        await shoot(`organise-board-menu-${tag}`);
        await page.keyboard.press('Escape');
        await page.getByTestId('bulk-rate').click();
        await shoot(`organise-rate-menu-${tag}`);
        await page.keyboard.press('Escape');

        // A board's own menu and naming a board.
        const row = page.getByTestId('board-row').filter({ hasText: 'Lighthouses' });
        await row.getByTestId('board-options').click();
        await shoot(`organise-board-options-${tag}`);
        await page.keyboard.press('Escape');
        await page.getByTestId('board-new').click();
        const naming = page.getByRole('dialog', { name: w.newBoard });
        await naming.waitFor();
        await naming.getByRole('button').last().click(); // empty name: said in the field
        await naming.getByRole('alert').waitFor();
        await shoot(`organise-board-name-${tag}`);
        await page.keyboard.press('Escape');
        await naming.waitFor({ state: 'detached' });

        // Compare two.
        await page.keyboard.press('Escape');
        await tiles.nth(1).click({ modifiers: ['ControlOrMeta'] });
        await page.getByRole('gridcell', { name: LONG_PROMPT }).click({ modifiers: ['ControlOrMeta'] });
        await page.keyboard.press('c');
        const cmp = page.getByRole('dialog', { name: w.compare });
        await cmp.getByTestId('compare-row').first().waitFor();
        await expect
          .poll(() =>
            cmp.getByTestId('compare-image-b').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
          )
          .toBeGreaterThan(0);
        await cmp.getByTestId('compare-mode-slider').click();
        await shoot(`organise-compare-slider-${tag}`);
        await cmp.getByTestId('compare-mode-side').click();
        await shoot(`organise-compare-side-${tag}`);
        await page.keyboard.press('Escape');
        await cmp.waitFor({ state: 'detached' });

        // Export: the form, then the result.
        if (await page.getByTestId('bulk-export').isVisible()) await page.getByTestId('bulk-export').click();
        else {
          // Narrow: in "More".
          await page.getByTestId('bulk-more').click();
          await shoot(`organise-more-menu-${tag}`);
          await page.getByRole('menuitem', { name: language === 'en' ? 'Export…' : 'Экспорт…' }).click();
        }
        const exp = page.getByRole('dialog', { name: w.export });
        await exp.waitFor();
        await exp.getByTestId('export-format-jpeg').check();
        await exp.getByTestId('export-path').fill(path.join(exportDir, tag));
        await shoot(`organise-export-${tag}`);
        await exp.getByTestId('export-start').click();
        await exp.getByTestId('export-result').waitFor({ timeout: 20_000 });
        await shoot(`organise-export-done-${tag}`);
        await page.keyboard.press('Escape');
        await exp.waitFor({ state: 'detached' });
        await page.keyboard.press('Escape');

        // The viewer with its stars.
        await page.getByRole('gridcell', { name: LONG_PROMPT }).click();
        const viewer = page.getByRole('dialog', { name: w.viewer });
        await viewer.getByTestId('rating-stars').waitFor();
        await shoot(`organise-viewer-${tag}`);
        await page.keyboard.press('Escape');
        await viewer.waitFor({ state: 'detached' });

        // The shortcuts sheet.
        await tiles.first().focus();
        await page.keyboard.press('?');
        const keys = page.getByRole('dialog', { name: w.keys });
        await keys.waitFor();
        await shoot(`organise-keys-${tag}`);
        await page.keyboard.press('Escape');
        await keys.waitFor({ state: 'detached' });

        // The rating order, its headers; the sidebar closed.
        await page.getByTestId('boards-toggle').click();
        const toggle = page.getByTestId('filters-toggle');
        const folded = await toggle.isVisible();
        if (folded) await toggle.click();
        await page.getByTestId('sort').selectOption('rating');
        if (folded) await toggle.click();
        await page.getByTestId('group-header').first().waitFor();
        await shoot(`organise-rating-order-${tag}`);
        if (folded) await toggle.click();
        await page.getByTestId('sort').selectOption('newest');
        if (folded) await toggle.click();
      }
    }
    await app.web.core.settings.update({ language: 'en', theme: 'system' });
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  });
});
