/**
 * Issue 16 in Chromium against the real core and the fake Spaces: prompt history (↑/↓ in the empty
 * prompt box, with their parameters or with Alt the prompt alone; the searchable list with pin,
 * delete, clear), presets (save the panel's parameters, apply them), styles (an editor that refuses a
 * template without {prompt}, the picker, the style in the image's details), and presets and styles
 * exported to a JSON file and imported back. The dialogs fit at 800×600 in both languages.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { PresetsState } from '../../shared/queue';
import type { Language } from '../../shared/settings';
import { launchChromium, maybeScreenshot } from '../helpers/browser';
import { openApp, startTestApp, type TestApp } from './support/app';
import { fitProblems } from './support/fit';

async function pin(page: Page): Promise<void> {
  await page.locator('#gen-model').selectOption('flux-schnell');
  await page.locator('#gen-provider').selectOption('voodoohop-flux1-schnell');
}

async function generateDone(page: Page, prompt: string, shown = prompt): Promise<void> {
  await page.locator('#gen-prompt').fill(prompt);
  await page.locator('#gen-prompt').press('Control+Enter');
  await page.locator('[data-testid="job-card"][data-state="done"]', { hasText: shown }).waitFor({ timeout: 20_000 });
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity);
    await Promise.all(finite.map((a) => a.finished.catch(() => {})));
  });
}

const value = (page: Page, selector: string) => page.locator(selector).inputValue();
const focusedTestId = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? null);

describe('prompt history, presets and styles (issue 16)', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('↑ in the empty prompt box recalls the last prompt with its parameters; Alt+↑ the prompt alone', async () => {
    const { page, errors } = await openApp(browser, app);
    await pin(page);
    await page.locator('#gen-steps').fill('6');
    await generateDone(page, 'history one: a blue whale');
    await page.locator('#gen-steps').fill('9');
    await generateDone(page, 'history two: a red panda');

    // A new start: another model, no steps, an empty box.
    await page.locator('#gen-model').selectOption('flux-dev');
    await page.locator('#gen-steps').fill('');
    await page.locator('#gen-prompt').fill('');
    await page.locator('#gen-prompt').press('ArrowUp');
    await expect.poll(() => value(page, '#gen-prompt')).toBe('history two: a red panda');
    expect(await value(page, '#gen-steps')).toBe('9');
    expect(await value(page, '#gen-model')).toBe('flux-schnell');
    expect(await value(page, '#gen-provider')).toBe('voodoohop-flux1-schnell');
    expect(await page.getByTestId('prompt-recalled').textContent()).toBe(
      'Recalled with its parameters. Alt+↑/↓ recalls the prompt only.',
    );
    // Further back, then forward, then past the newest: the panel as it was before.
    await page.locator('#gen-prompt').press('ArrowUp');
    await expect.poll(() => value(page, '#gen-prompt')).toBe('history one: a blue whale');
    expect(await value(page, '#gen-steps')).toBe('6');
    // The caret is at the end after going forward: ↓ again goes on.
    await page.locator('#gen-prompt').press('End');
    await page.locator('#gen-prompt').press('ArrowDown');
    await expect.poll(() => value(page, '#gen-prompt')).toBe('history two: a red panda');
    await page.locator('#gen-prompt').press('ArrowDown');
    await expect.poll(() => value(page, '#gen-prompt')).toBe('');
    expect(await value(page, '#gen-model')).toBe('flux-dev');
    expect(await value(page, '#gen-steps')).toBe('');
    expect(await page.getByTestId('prompt-recalled').count()).toBe(0);

    // Alt+↑: the prompt alone, the parameters stay.
    await page.locator('#gen-prompt').press('Alt+ArrowUp');
    await expect.poll(() => value(page, '#gen-prompt')).toBe('history two: a red panda');
    expect(await value(page, '#gen-model')).toBe('flux-dev');
    expect(await value(page, '#gen-steps')).toBe('');
    // Escape gives back the draft; typing ends a walk (↑ moves the caret again).
    await page.locator('#gen-prompt').press('Escape');
    await expect.poll(() => value(page, '#gen-prompt')).toBe('');
    await page.locator('#gen-prompt').fill('my own words');
    await page.locator('#gen-prompt').press('ArrowUp');
    expect(await value(page, '#gen-prompt')).toBe('my own words');
    await page.locator('#gen-prompt').fill('');
    expect(errors).toEqual([]);
  });

  it('the history list: search, pin, delete, clear (pinned kept), Enter uses one', async () => {
    const { page, errors } = await openApp(browser, app, { viewport: { width: 800, height: 600 } });
    await page.getByTestId('prompt-history-open').click();
    const dialog = page.getByRole('dialog', { name: 'Prompt history' });
    await dialog.waitFor();
    expect(await focusedId(page)).toBe('hist-search');
    const rows = dialog.getByTestId('hist-row');
    const texts = () => dialog.locator('.hist__prompt').allTextContents();
    await expect.poll(texts).toEqual(['history two: a red panda', 'history one: a blue whale']);
    await settle(page);
    expect(await fitProblems(page)).toEqual([]);
    await maybeScreenshot(page, 'history-dialog-en-800x600');

    // Search: every word must appear.
    await page.keyboard.type('blue whale');
    await expect.poll(texts).toEqual(['history one: a blue whale']);
    await page.keyboard.type(' nothing');
    await expect.poll(() => dialog.getByTestId('hist-empty').textContent()).toBe('No prompt has these words.');
    // Escape empties the search first.
    await page.keyboard.press('Escape');
    await expect.poll(texts).toEqual(['history two: a red panda', 'history one: a blue whale']);
    expect(await dialog.isVisible()).toBe(true);

    // Pin the older one: it comes first, marked.
    await rows.nth(1).getByTestId('hist-pin').click();
    await expect.poll(texts).toEqual(['history one: a blue whale', 'history two: a red panda']);
    expect(await rows.nth(0).getByTestId('hist-pin').getAttribute('aria-pressed')).toBe('true');
    expect(await rows.nth(0).textContent()).toContain('Pinned');

    // A third prompt, then delete it by keyboard (Delete on its row).
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await pin(page);
    await generateDone(page, 'history three: a paper fox');
    await page.getByTestId('prompt-history-open').click();
    await dialog.waitFor();
    await expect
      .poll(texts)
      .toEqual(['history one: a blue whale', 'history three: a paper fox', 'history two: a red panda']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('history three: a paper fox');
    await page.keyboard.press('Delete');
    await expect.poll(texts).toEqual(['history one: a blue whale', 'history two: a red panda']);
    // Focus went to the neighbour.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('history two: a red panda');

    // Clear keeps the pinned one.
    await dialog.getByTestId('hist-clear').click();
    expect(await focusedTestId(page)).toBe('hist-clear-yes');
    await maybeScreenshot(page, 'history-clear-en-800x600');
    await page.keyboard.press('Enter');
    await expect.poll(texts).toEqual(['history one: a blue whale']);

    // Enter on a row uses it: the prompt and its parameters, the dialog closed, the prompt focused.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await value(page, '#gen-prompt')).toBe('history one: a blue whale');
    expect(await value(page, '#gen-steps')).toBe('6');
    expect(await focusedId(page)).toBe('gen-prompt');

    // In Russian.
    await app.web.core.settings.update({ language: 'ru' });
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('ru');
    await page.getByTestId('prompt-history-open').click();
    const ru = page.getByRole('dialog', { name: 'История запросов' });
    await ru.waitFor();
    await settle(page);
    expect(await fitProblems(page)).toEqual([]);
    await maybeScreenshot(page, 'history-dialog-ru-800x600');
    await page.keyboard.press('Escape');
    await app.web.core.settings.update({ language: 'en' });
    expect(errors).toEqual([]);
  });

  it('saves the panel as a preset and applies it later', async () => {
    const { page, errors } = await openApp(browser, app, { viewport: { width: 800, height: 600 } });
    await page.locator('#gen-model').selectOption('flux-dev');
    await page.locator('#gen-provider').selectOption('bfl-flux1-dev');
    await page.getByRole('radio', { name: /16:9/ }).check();
    await page.locator('#gen-steps').fill('20');
    await page.locator('#gen-guidance').fill('4.5');
    await page.locator('#gen-seed').fill('4242');

    await page.getByTestId('presets-open').click();
    const dialog = page.getByRole('dialog', { name: 'Presets and styles' });
    await dialog.waitFor();
    expect(await focusedTestId(page)).toBe('preset-name');
    // No name: said, nothing saved.
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog.locator('.field__error').textContent()).toBe('A name is needed.');
    await page.keyboard.type('Wide dev');
    await page.keyboard.press('Enter');
    await dialog.getByTestId('preset-row').waitFor();
    expect(await dialog.getByTestId('preset-row').textContent()).toContain('Wide dev');
    expect(await dialog.locator('.presets__summary').textContent()).toBe(
      'FLUX.1 Dev · BlackForestLabs Flux-1-Dev · 16:9 · 20 steps · guidance 4.5 · seed 4242',
    );
    expect(await dialog.locator('.presets__current').textContent()).toBe('· in use');
    // The same name again offers to replace it.
    await dialog.getByTestId('preset-name').fill('wide DEV');
    expect(await dialog.getByTestId('preset-save').textContent()).toBe('Replace preset');
    await dialog.getByTestId('preset-name').fill('');
    await settle(page);
    expect(await fitProblems(page)).toEqual([]);
    await maybeScreenshot(page, 'presets-en-800x600');
    const saved = await app.web.core.router.invoke('presets:list', undefined, { transport: 'web' });
    expect(saved.ok && (saved.value as PresetsState).presets).toEqual([
      {
        name: 'Wide dev',
        model: 'flux-dev',
        provider: 'bfl-flux1-dev',
        aspectRatio: '16:9',
        steps: 20,
        guidance: 4.5,
        randomizeSeed: false,
        seed: 4242,
      },
    ]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Reset, then apply it: every parameter back, the prompt kept.
    await page.locator('#gen-prompt').fill('a prompt that stays');
    await page.getByRole('button', { name: 'Reset parameters' }).click();
    expect(await value(page, '#gen-steps')).toBe('');
    await page.getByTestId('presets-open').click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Apply preset Wide dev' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await value(page, '#gen-model')).toBe('flux-dev');
    expect(await value(page, '#gen-provider')).toBe('bfl-flux1-dev');
    expect(await page.getByRole('radio', { name: /16:9/ }).isChecked()).toBe(true);
    expect(await value(page, '#gen-steps')).toBe('20');
    expect(await value(page, '#gen-guidance')).toBe('4.5');
    expect(await value(page, '#gen-seed')).toBe('4242');
    expect(await page.getByRole('button', { name: 'Lock seed' }).getAttribute('aria-pressed')).toBe('true');
    expect(await value(page, '#gen-prompt')).toBe('a prompt that stays');
    await page.getByRole('button', { name: 'Reset parameters' }).click();
    expect(errors).toEqual([]);
  });

  it(
    'a style: the editor refuses a template without {prompt}; applied, it shows in the image details',
    { timeout: 90_000 },
    async () => {
      const { page, errors } = await openApp(browser, app, { viewport: { width: 800, height: 600 } });
      await page.getByTestId('style-edit').click();
      const dialog = page.getByRole('dialog', { name: 'Presets and styles' });
      await dialog.waitFor();
      expect(await dialog.getByTestId('presets-tab-styles').getAttribute('aria-selected')).toBe('true');
      await dialog.getByTestId('style-new').click();
      expect(await focusedTestId(page)).toBe('style-name');
      await page.keyboard.type('Cinematic');
      await dialog.getByTestId('style-template').fill('cinematic photo, 35mm');
      await dialog.getByTestId('style-save').click();
      const error = dialog.locator('[id$="-style-template-error"]');
      await expect.poll(() => error.textContent()).toBe('The template must contain {prompt}, where your prompt goes.');
      expect(await focusedTestId(page)).toBe('style-template');
      expect((await app.web.core.router.invoke('presets:list', undefined, { transport: 'web' })).ok).toBe(true);
      await dialog.getByTestId('style-template').fill('cinematic photo of {prompt}, 35mm');
      expect(await error.count()).toBe(0);
      expect(await dialog.getByTestId('style-preview').textContent()).toBe(
        'With “a red fox in the snow”: cinematic photo of a red fox in the snow, 35mm',
      );
      await dialog.getByTestId('style-negative').fill('blurry');
      await settle(page);
      expect(await fitProblems(page)).toEqual([]);
      await maybeScreenshot(page, 'styles-editor-en-800x600');
      await dialog.getByTestId('style-save').click();
      await dialog.getByTestId('style-row').waitFor();
      expect(await dialog.getByTestId('style-row').textContent()).toContain('cinematic photo of {prompt}, 35mm');
      await maybeScreenshot(page, 'styles-en-800x600');

      // Used from the list: the picker shows it, and what will be sent.
      await dialog.getByRole('button', { name: 'Use style Cinematic' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await value(page, '#gen-style')).toBe('Cinematic');
      await pin(page);
      await page.locator('#gen-prompt').fill('an old lighthouse');
      expect(await page.locator('#gen-style-hint').textContent()).toBe(
        'Sends: cinematic photo of an old lighthouse, 35mm',
      );
      await settle(page);
      expect(await fitProblems(page)).toEqual([]);
      await maybeScreenshot(page, 'styles-panel-en-800x600');

      // The job's prompt is the styled one, and the image names its style.
      await page.locator('#gen-prompt').press('Control+Enter');
      const done = page.locator('[data-testid="job-card"][data-state="done"]', {
        hasText: 'cinematic photo of an old lighthouse, 35mm',
      });
      await done.waitFor({ timeout: 20_000 });
      await done.click();
      const viewer = page.getByRole('dialog', { name: 'Image viewer' });
      await viewer.waitFor();
      await expect.poll(() => viewer.getByTestId('lightbox-style').textContent()).toBe('Cinematic');
      await maybeScreenshot(page, 'styles-lightbox-en-800x600');
      await page.keyboard.press('Escape');

      // The history keeps the prompt as typed, with its style.
      await page.locator('#gen-style').selectOption('');
      await page.locator('#gen-prompt').fill('');
      await page.locator('#gen-prompt').press('ArrowUp');
      await expect.poll(() => value(page, '#gen-prompt')).toBe('an old lighthouse');
      expect(await value(page, '#gen-style')).toBe('Cinematic');
      await page.locator('#gen-prompt').press('Escape');
      expect(await value(page, '#gen-style')).toBe('');
      expect(errors).toEqual([]);
    },
  );

  it('exports presets and styles to a JSON file and imports them back', async () => {
    const { page, errors } = await openApp(browser, app);
    await page.getByTestId('presets-open').click();
    const dialog = page.getByRole('dialog', { name: 'Presets and styles' });
    await dialog.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByTestId('presets-export').click()]);
    expect(download.suggestedFilename()).toBe('flux-gallery-presets.json');
    const path = await download.path();
    const file = JSON.parse(await readFile(path!, 'utf8')) as {
      app: string;
      presets: { name: string }[];
      styles: { name: string; template: string }[];
    };
    expect(file.app).toBe('flux-gallery');
    expect(file.presets.map((p) => p.name)).toEqual(['Wide dev']);
    expect(file.styles).toEqual([
      { name: 'Cinematic', template: 'cinematic photo of {prompt}, 35mm', negativePrompt: 'blurry' },
    ]);

    // Both deleted (the toast offers Undo), then imported from the file.
    await dialog.getByRole('button', { name: 'Delete preset Wide dev' }).click();
    await expect.poll(() => dialog.getByTestId('preset-row').count()).toBe(0);
    expect(await page.locator('.toast', { hasText: '“Wide dev” deleted.' }).count()).toBe(1);
    await dialog.getByTestId('presets-tab-styles').click();
    await dialog.getByRole('button', { name: 'Delete style Cinematic' }).click();
    await expect.poll(() => dialog.getByTestId('style-row').count()).toBe(0);

    await dialog.getByTestId('presets-file').setInputFiles(path!);
    await expect.poll(() => dialog.getByTestId('style-row').count()).toBe(1);
    await expect
      .poll(() => page.locator('.toast', { hasText: 'Imported from' }).first().textContent())
      .toContain('Imported from');
    await dialog.getByTestId('presets-tab-presets').click();
    expect(await dialog.getByTestId('preset-row').textContent()).toContain('Wide dev');

    // A file that is not one: said in words.
    await dialog.getByTestId('presets-file').setInputFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"hello": "world"}'),
    });
    await expect.poll(() => page.locator('.toast', { hasText: 'Could not import notes.json' }).count()).toBe(1);
    await dialog.getByTestId('presets-file').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{ not json'),
    });
    await expect
      .poll(() => page.locator('.toast', { hasText: 'Could not import broken.json' }).textContent())
      .toContain('it is not a presets file of Flux Gallery (JSON).');
    expect(errors).toEqual([]);
  });

  it('the dialogs fit at 800×600 in Russian too', async () => {
    const { page, errors } = await openApp(browser, app, { viewport: { width: 800, height: 600 } });
    const problems: string[] = [];
    for (const language of ['ru', 'en'] as Language[]) {
      await app.web.core.settings.update({ language });
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
      await page.getByTestId('presets-open').click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      await settle(page);
      for (const p of await fitProblems(page)) problems.push(`presets ${language}: ${p}`);
      await maybeScreenshot(page, `presets-${language}-800x600`);
      await dialog.getByTestId('presets-tab-styles').click();
      await dialog.getByTestId('style-edit-row').click();
      await settle(page);
      for (const p of await fitProblems(page)) problems.push(`styles ${language}: ${p}`);
      await maybeScreenshot(page, `styles-editor-${language}-800x600`);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    }
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  });
});
