/**
 * Organising the gallery (issue 17) in Chromium against the real core: selection (click,
 * Ctrl/Cmd, Shift ranges over tiles not loaded, Space and Shift+arrows, Ctrl+A counting what is not
 * loaded, Esc), bulk favourite/stars/board/delete with Undo, the board sidebar (create, filter,
 * drag tiles onto a board, rename, delete), star keys with the stars filter and the rating order,
 * compare, the shortcuts sheet, and an export to a folder from the dialog.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { HistoryEntry } from '../../shared/library';
import { launchChromium, maybeScreenshot } from '../helpers/browser';
import { openApp, startTestApp, type TestApp } from './support/app';
import { makeLibraryDir, seedClones, seedImages } from './support/seed';

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
const NEWEST = [...PROMPTS].reverse();
/** Far more than one page of the gallery (150) and than the pages kept loaded around the viewport. */
const CLONES = 1800;
const TOTAL = PROMPTS.length + CLONES;
const fmt = (n: number) => n.toLocaleString('en');

const count = (page: Page) => page.getByTestId('gallery-count').textContent();
const selected = async (page: Page) => {
  const bar = page.getByTestId('selection-count');
  return (await bar.count()) ? bar.textContent() : 'none';
};
const tile = (page: Page, prompt: string | undefined) => page.getByRole('gridcell', { name: prompt, exact: true });
const toast = (page: Page, text: string | RegExp) => page.getByTestId('toast').filter({ hasText: text }).last();

describe('organising the gallery in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let seeded: HistoryEntry[];
  let exportDir: string;
  beforeAll(async () => {
    const libraryDir = await makeLibraryDir();
    seeded = await seedImages(
      libraryDir,
      PROMPTS.map((prompt) => ({ prompt })),
    );
    seedClones(libraryDir, seeded, CLONES);
    exportDir = await mkdtemp(path.join(tmpdir(), 'flux-gallery-e2e-export-'));
    app = await startTestApp({ spaces: false, libraryDir });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (exportDir) await rm(exportDir, { recursive: true, force: true });
  });

  it('selects with clicks, modifiers, Space and Shift+arrows; Ctrl+A counts what is not loaded; Esc clears', async () => {
    const { page, errors } = await openApp(browser, app);
    await expect.poll(() => count(page)).toBe(`${fmt(TOTAL)} images`);
    const first = tile(page, NEWEST[0]);

    // Ctrl/Cmd+click toggles; Shift+click selects the range from it.
    await first.click({ modifiers: ['ControlOrMeta'] });
    expect(await selected(page)).toBe('1 selected');
    expect(await first.getAttribute('aria-selected')).toBe('true');
    await tile(page, NEWEST[3]).click({ modifiers: ['Shift'] });
    await expect.poll(() => selected(page)).toBe('4 selected');
    await tile(page, NEWEST[1]).click({ modifiers: ['ControlOrMeta'] });
    expect(await selected(page)).toBe('3 selected');
    expect(await tile(page, NEWEST[1]).getAttribute('aria-selected')).toBe('false');
    // While something is selected, a plain click selects too (it does not open the viewer).
    await tile(page, NEWEST[6]).click();
    expect(await selected(page)).toBe('4 selected');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await maybeScreenshot(page, 'organise-selection');
    await page.keyboard.press('Escape');
    expect(await selected(page)).toBe('none');

    // Keyboard: Space selects the focused tile, Shift+arrows extend.
    await first.focus();
    await page.keyboard.press('Space');
    expect(await selected(page)).toBe('1 selected');
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => selected(page)).toBe('3 selected');
    expect(await tile(page, NEWEST[2]).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Escape');

    // Ctrl+A: everything the filter shows, though only a few pages are loaded.
    await first.focus();
    await page.keyboard.press('ControlOrMeta+a');
    expect(await selected(page)).toBe(`${fmt(TOTAL)} selected`);
    expect(await page.locator('[role="gridcell"][data-id]').count()).toBeLessThan(200);
    await tile(page, NEWEST[2]).click({ modifiers: ['ControlOrMeta'] });
    expect(await selected(page)).toBe(`${fmt(TOTAL - 1)} selected`);
    await page.keyboard.press('Escape');

    // A Shift range to the far end: its ids are asked for (the pages between are not loaded).
    await first.click({ modifiers: ['ControlOrMeta'] });
    await page.getByTestId('gallery-scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
    const last = page.locator(`[role="gridcell"][data-id="clone${String(CLONES - 1).padStart(6, '0')}"]`);
    await last.click({ modifiers: ['Shift'] });
    await expect.poll(() => selected(page)).toBe(`${fmt(TOTAL)} selected`);
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('favourites, rates, boards and deletes a selection of any size, with progress and Undo', async () => {
    const { page, errors } = await openApp(browser, app);
    await expect.poll(() => count(page)).toBe(`${fmt(TOTAL)} images`);
    // Everything but one, favourited in one library operation.
    await tile(page, NEWEST[0]).focus();
    await page.keyboard.press('ControlOrMeta+a');
    await tile(page, NEWEST[0]).click({ modifiers: ['ControlOrMeta'] });
    // The bar shows the operation's progress while it runs (noted as it appears: it is quick here).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __progress: string[] }).__progress = seen;
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="bulk-progress"]');
        if (el?.textContent) seen.push(el.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByTestId('bulk-favourite').click();
    await toast(page, `${fmt(TOTAL - 1)} images added to favourites.`).waitFor();
    const progress = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
    expect(progress[0]).toMatch(/^Favourites/);
    expect(await page.getByTestId('bulk-progress').count()).toBe(0);
    await page.getByRole('button', { name: 'Favourites only' }).click();
    await expect.poll(() => count(page)).toBe(`${fmt(TOTAL - 1)} matches`);
    // The filter changed: the filter target is gone; everything shown now, unfavourited.
    expect(await selected(page)).toBe('none');
    await tile(page, NEWEST[1]).focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.getByTestId('bulk-unfavourite').click();
    await toast(page, `${fmt(TOTAL - 1)} images removed from favourites.`).waitFor();
    await expect.poll(() => count(page)).toBe('0 matches');
    await page.getByRole('button', { name: 'Favourites only' }).click();
    await expect.poll(() => count(page)).toBe(`${fmt(TOTAL)} images`);

    // Stars for three, from the selection bar's menu.
    for (const p of NEWEST.slice(0, 3)) await tile(page, p).click({ modifiers: ['ControlOrMeta'] });
    await page.getByTestId('bulk-rate').click();
    await page.getByRole('menuitem', { name: '4 stars' }).click();
    await toast(page, '3 images rated 4 stars.').waitFor();
    await expect.poll(() => tile(page, NEWEST[0]).getByTestId('tile-rating').textContent()).toBe('4');

    // A new board from the sidebar, then the selection added to it from the bar.
    await page.getByTestId('boards-toggle').click();
    const panel = page.getByTestId('boards-panel');
    await panel.getByTestId('board-new').click();
    const dialog = page.getByRole('dialog', { name: 'New board' });
    await dialog.getByTestId('board-name').fill('Keepers');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await toast(page, 'Board “Keepers” created.').waitFor();
    const keepers = panel.locator('[data-testid="board-row"]', { hasText: 'Keepers' });
    expect(await keepers.getByTestId('board-count').textContent()).toBe('0');
    expect(await selected(page)).toBe('3 selected');
    await page.getByTestId('bulk-boards').click();
    await page.getByRole('menuitem', { name: 'Keepers' }).first().click();
    await toast(page, '3 images added to “Keepers”.').waitFor();
    await expect.poll(() => keepers.getByTestId('board-count').textContent()).toBe('3');
    await maybeScreenshot(page, 'organise-boards');

    // Filter by the board; delete one of its images from the selection, then Undo.
    await keepers.locator('.boards__show').click();
    await expect.poll(() => count(page)).toBe('3 matches');
    expect(await page.getByTestId('board-chip').textContent()).toContain('Keepers');
    await page.keyboard.press('Escape');
    await tile(page, NEWEST[1]).click({ modifiers: ['ControlOrMeta'] });
    await page.keyboard.press('Delete');
    const deleted = toast(page, '1 image deleted.');
    await deleted.waitFor();
    await expect.poll(() => count(page)).toBe('2 matches');
    await deleted.getByRole('button', { name: 'Undo' }).click();
    await toast(page, '1 image restored.').waitFor();
    await expect.poll(() => count(page)).toBe('3 matches');
    // Nothing selected: Delete acts on the focused tile, with the viewer's words and Undo.
    await tile(page, NEWEST[2]).focus();
    await page.keyboard.press('Delete');
    const one = toast(page, 'Image deleted.');
    await one.waitFor();
    await expect.poll(() => count(page)).toBe('2 matches');
    await one.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => count(page)).toBe('3 matches');
    await page.getByTestId('board-chip').getByRole('button').click();
    await expect.poll(() => count(page)).toBe(`${fmt(TOTAL)} images`);
    expect(errors).toEqual([]);
  });

  it('drags tiles (one, or the selection) onto a board; renames and deletes a board, its images stay', async () => {
    const { page, errors } = await openApp(browser, app);
    const panel = page.getByTestId('boards-panel');
    // The sidebar stays open from the last visit (remembered per window) — or open it.
    if (!(await panel.isVisible())) await page.getByTestId('boards-toggle').click();
    await panel.getByTestId('board-new').click();
    await page.getByRole('dialog', { name: 'New board' }).getByTestId('board-name').fill('Drafts');
    await page.getByRole('dialog', { name: 'New board' }).getByRole('button', { name: 'Create' }).click();
    const drafts = panel.locator('[data-testid="board-row"]', { hasText: 'Drafts' });
    await drafts.waitFor();

    await tile(page, NEWEST[5]).dragTo(drafts);
    await toast(page, '1 image added to “Drafts”.').waitFor();
    await expect.poll(() => drafts.getByTestId('board-count').textContent()).toBe('1');
    // With a selection, dragging one of its tiles drags them all.
    await tile(page, NEWEST[6]).click({ modifiers: ['ControlOrMeta'] });
    await tile(page, NEWEST[7]).click({ modifiers: ['ControlOrMeta'] });
    await tile(page, NEWEST[7]).dragTo(drafts);
    await toast(page, '2 images added to “Drafts”.').waitFor();
    await expect.poll(() => drafts.getByTestId('board-count').textContent()).toBe('3');
    await page.keyboard.press('Escape');

    // Rename, then delete: the images stay.
    await drafts.getByTestId('board-options').click();
    await page.getByRole('menuitem', { name: 'Rename…' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename “Drafts”' });
    await rename.getByTestId('board-name').fill('Keepers');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await rename.getByRole('alert').waitFor(); // the name is taken
    await rename.getByTestId('board-name').fill('Sketches');
    await rename.getByRole('button', { name: 'Rename' }).click();
    const sketches = panel.locator('[data-testid="board-row"]', { hasText: 'Sketches' });
    await sketches.waitFor();
    await sketches.getByTestId('board-options').click();
    await page.getByRole('menuitemcheckbox', { name: 'Add new images to this board' }).click();
    await sketches.locator('.boards__auto').waitFor();
    await sketches.getByTestId('board-options').click();
    await page.getByRole('menuitem', { name: 'Delete board' }).click();
    await page.getByTestId('board-delete-confirm').click();
    await toast(page, 'Board “Sketches” deleted. Its images stay in the gallery.').waitFor();
    await sketches.waitFor({ state: 'detached' });
    await expect.poll(() => count(page)).toBe(`${fmt(TOTAL)} images`);
    expect(errors).toEqual([]);
  });

  it('rates with keys in the grid and the viewer; filters by stars, sorts by rating with group headers', async () => {
    const { page, errors } = await openApp(browser, app);
    const target = tile(page, NEWEST[8]);
    await target.focus();
    await page.keyboard.press('5');
    await expect.poll(() => target.getByTestId('tile-rating').textContent()).toBe('5');

    await page.getByTestId('sort').selectOption('rating');
    await expect
      .poll(() => page.locator('[role="gridcell"][data-id]').first().getAttribute('aria-label'))
      .toBe(NEWEST[8]);
    const headers = page.getByTestId('group-header');
    await expect.poll(() => headers.first().textContent()).toBe('★ 5 stars');
    expect(await headers.allTextContents()).toContain('★ 4 stars');
    await maybeScreenshot(page, 'organise-rating-order');

    await page.getByTestId('min-rating').selectOption('4');
    await expect.poll(() => count(page)).toBe('4 matches');
    await page.getByTestId('min-rating').selectOption('5');
    await expect.poll(() => count(page)).toBe('1 match');
    // 0 takes the stars off: it leaves the "5+ stars" view.
    await tile(page, NEWEST[8]).focus();
    await page.keyboard.press('0');
    await expect.poll(() => count(page)).toBe('0 matches');
    await page.getByTestId('min-rating').selectOption('0');
    await page.getByTestId('sort').selectOption('newest');
    await expect.poll(() => count(page)).toBe(`${fmt(TOTAL)} images`);
    // Date order: one header for today (every image here was made today or just before).
    await expect.poll(() => headers.first().textContent()).toMatch(/Today|Yesterday|\d/);

    // The viewer: 1–5 rate, 0 (fitted) removes, F favourites.
    await tile(page, NEWEST[9]).click();
    const viewer = page.getByRole('dialog', { name: 'Image viewer' });
    await viewer.waitFor();
    const stars = viewer.getByTestId('rating-stars');
    await page.keyboard.press('3');
    await expect.poll(() => stars.getAttribute('data-value')).toBe('3');
    await page.keyboard.press('0');
    await expect.poll(() => stars.getAttribute('data-value')).toBe('0');
    await stars.getByRole('radio', { name: '2 stars' }).click();
    await expect.poll(() => stars.getAttribute('data-value')).toBe('2');
    await page.keyboard.press('f');
    await viewer.getByRole('button', { name: 'Remove from favourites' }).waitFor();
    await page.keyboard.press('f');
    await viewer.getByRole('button', { name: 'Favourite', exact: true }).waitFor();
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('compares two selected images: slider and side by side, zoom together, differences marked', async () => {
    const { page, errors } = await openApp(browser, app);
    // The newest two: FLUX.1 Schnell and FLUX.1 Dev, different seeds and steps.
    await tile(page, NEWEST[0]).click({ modifiers: ['ControlOrMeta'] });
    await tile(page, NEWEST[1]).click({ modifiers: ['ControlOrMeta'] });
    await page.keyboard.press('c');
    const cmp = page.getByRole('dialog', { name: 'Compare' });
    await cmp.waitFor();
    const row = (key: string) => cmp.locator(`[data-testid="compare-row"][data-key="${key}"]`);
    await row('model').waitFor();
    expect(await row('model').getAttribute('data-differs')).toBe('true');
    expect(await row('steps').getAttribute('data-differs')).toBe('true');
    expect(await row('seed').getAttribute('data-differs')).toBe('true');
    expect(await row('size').getAttribute('data-differs')).toBe('false');
    expect(await row('model').textContent()).toContain('FLUX.1 Schnell');
    expect(await row('model').textContent()).toContain('FLUX.1 Dev');
    expect(await cmp.getByTestId('compare-differences').textContent()).toMatch(/^\d+ differences$/);
    // Words of the prompts that differ are marked.
    expect(await row('prompt').locator('mark').count()).toBeGreaterThan(0);

    const stage = cmp.getByTestId('compare-stage');
    expect(await stage.getAttribute('data-mode')).toBe('slider');
    await expect
      .poll(() =>
        cmp.getByTestId('compare-image-b').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      )
      .toBeGreaterThan(0);
    await maybeScreenshot(page, 'organise-compare-slider');
    await cmp.getByTestId('compare-mode-side').click();
    expect(await stage.getAttribute('data-mode')).toBe('side');
    await cmp.getByRole('heading', { name: 'Compare' }).click();
    await page.keyboard.press('+');
    expect(await stage.getAttribute('data-zoom')).toBe('1.5');
    // Both images move as one.
    const transforms = await stage
      .locator('.cmp-layer')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).style.transform));
    expect(transforms).toHaveLength(2);
    expect(transforms[0]).toBe(transforms[1]);
    expect(transforms[0]).toContain('scale(1.5)');
    await maybeScreenshot(page, 'organise-compare-side');
    await page.keyboard.press('0');
    expect(await stage.getAttribute('data-zoom')).toBe('fit');
    await page.keyboard.press('Escape');
    await cmp.waitFor({ state: 'detached' });

    // C with a selection that is not two says so.
    await page.keyboard.press('Escape');
    await tile(page, NEWEST[0]).click({ modifiers: ['ControlOrMeta'] });
    await page.keyboard.press('c');
    await toast(page, 'Select exactly two images to compare them.').waitFor();
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('lists every key on ?', async () => {
    const { page, errors } = await openApp(browser, app);
    await tile(page, NEWEST[0]).focus();
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.waitFor();
    const text = await sheet.innerText();
    for (const words of [
      'Select everything the filters show',
      'Compare the two selected images',
      'Favourite, or remove from favourites',
      '1–5 stars; 0 removes them',
      'Delete (Undo follows)',
      'Search prompts',
      'Settings',
    ]) {
      expect(text).toContain(words);
    }
    await maybeScreenshot(page, 'organise-keys');
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });
    // The toolbar's button opens it too (behind "Filters" at this width).
    await page.getByTestId('filters-toggle').click();
    await page.getByTestId('shortcuts-open').click();
    await sheet.waitFor();
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('exports the selection to a folder from the dialog: files appear, the result is said in words', async () => {
    const { page, errors } = await openApp(browser, app);
    for (const p of NEWEST.slice(0, 3)) await tile(page, p).click({ modifiers: ['ControlOrMeta'] });
    await page.getByTestId('bulk-export').click();
    const dialog = page.getByRole('dialog', { name: 'Export images' });
    await dialog.waitFor();
    expect(await dialog.getByTestId('export-source-selection').isChecked()).toBe(true);
    // The web preview has no folder dialog: the path is typed.
    expect(await dialog.getByRole('button', { name: 'Choose…' }).count()).toBe(0);
    await dialog.getByTestId('export-start').click();
    expect(await dialog.getByRole('alert').textContent()).toBe('Write where to export.');
    const to = path.join(exportDir, 'picked');
    await dialog.getByTestId('export-path').fill(to);
    await dialog.getByTestId('export-csv').check();
    await dialog.getByTestId('export-pattern').fill('{index}_{prompt:3}_{nope}');
    expect(await dialog.getByText('Unknown tokens: {nope}').count()).toBe(1);
    await dialog.getByTestId('export-pattern').fill('{index}_{prompt:3}');
    await expect.poll(() => dialog.getByText(/^Example: 1_[\w-]+\.png$/).count()).toBe(1);
    await maybeScreenshot(page, 'organise-export');
    await dialog.getByTestId('export-start').click();
    const result = dialog.getByTestId('export-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.getAttribute('data-status')).toBe('done');
    expect(await result.textContent()).toContain(`3 images exported to ${to}`);
    const files = (await readdir(to)).sort();
    expect(files).toEqual(['1_a-field-of.png', '2_a-sailing-ship.png', '3_a-cozy-cabin.png', 'parameters.csv']);
    const csv = await readFile(path.join(to, 'parameters.csv'), 'utf8');
    expect(csv).toContain('a field of sunflowers');
    await maybeScreenshot(page, 'organise-export-done');
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await dialog.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });

  it('cancels a long export to one ZIP from the dialog: nothing is left behind', async () => {
    const { page, errors } = await openApp(browser, app);
    await expect.poll(() => count(page)).toBe(`${fmt(TOTAL)} images`);
    await tile(page, NEWEST[0]).focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.getByTestId('bulk-export').click();
    const dialog = page.getByRole('dialog', { name: 'Export images' });
    await dialog.waitFor();
    await dialog.getByTestId('export-dest-zip').check();
    const zip = path.join(exportDir, 'all.zip');
    await dialog.getByTestId('export-path').fill(zip);
    // JPEG: every image converted, long enough to be stopped.
    await dialog.getByTestId('export-format-jpeg').check();
    await dialog.getByTestId('export-start').click();
    const progress = dialog.getByTestId('export-progress');
    await expect.poll(() => progress.textContent()).toMatch(new RegExp(`of ${fmt(TOTAL)} images`));
    await maybeScreenshot(page, 'organise-export-progress');
    await dialog.getByTestId('export-cancel').click();
    const result = dialog.getByTestId('export-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.getAttribute('data-status')).toBe('cancelled');
    expect(await result.textContent()).toBe('Export cancelled. Nothing was left behind.');
    expect((await readdir(exportDir)).filter((f) => f.startsWith('all'))).toEqual([]);
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });
});
