/**
 * Any Gradio Space and Inference Providers in Chromium, against the real core and fake Spaces: a
 * Space is added through the dialog (inspected, its mapping shown and edited, saved), generates
 * when pinned with its own controls shown and sent, says which provider made the image, is edited
 * and removed; a Space the app cannot use is refused in words with nothing saved; the fallback order
 * and the Inference Providers settings are saved. Screens are checked to fit at 800×600 in English
 * and Russian (and shot with FLUX_SCREENSHOTS=dir).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Language } from '../../shared/settings';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAKE_TOKEN, startFakeInference, type FakeInference } from '../fake-inference';
import { startFakeSpace, type FakeSpace } from '../fake-space';
import { launchChromium, maybeScreenshot } from '../helpers/browser';
import { E2E_SPACE_OPTIONS, openApp, startTestApp, type TestApp } from './support/app';
import { fitProblems } from './support/fit';

const SMALL = { width: 800, height: 600 };

describe('any Space and Inference Providers in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  const extra: FakeSpace[] = [];
  /** A Space with a negative prompt, a scheduler dropdown and an upscale checkbox. */
  let sd: FakeSpace;

  const fake = async (layout: 'sd' | 'gallery' | 'two-endpoints' | 'file-input' | 'ws', spaceId: string) => {
    const s = await startFakeSpace({ ...E2E_SPACE_OPTIONS, layout, spaceId, hub: app.spaces!.hub });
    extra.push(s);
    return s;
  };

  beforeAll(async () => {
    app = await startTestApp();
    sd = await fake('sd', 'me/sd-style');
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all(extra.map((s) => s.close()));
    await app?.close();
  });

  const setLanguage = async (page: Page, language: Language) => {
    await app.web.core.settings.update({ language });
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
  };
  const openSettings = async (page: Page): Promise<Locator> => {
    await page.locator('.brand__settings').click();
    const dialog = page.locator('.modal.settings');
    await dialog.waitFor();
    return dialog;
  };
  const openAddDialog = async (page: Page): Promise<Locator> => {
    await page.getByTestId('space-add').click();
    const dialog = page.locator('.modal.space-dialog');
    await dialog.waitFor();
    return dialog;
  };
  /** Problems of the screen as it is now (support/fit.ts), with the screen's name. */
  const fits = async (page: Page, name: string): Promise<string[]> => {
    // Dialogs fade in: the shot shows them settled.
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {}))));
    await maybeScreenshot(page, name);
    return (await fitProblems(page)).map((p) => `${name}: ${p}`);
  };
  const mappingOf = (dialog: Locator) =>
    dialog
      .getByTestId('mapping-row')
      .evaluateAll((rows) =>
        Object.fromEntries(
          rows.map((r) => [r.getAttribute('data-key'), (r.querySelector('select') as HTMLSelectElement).value]),
        ),
      );
  const inspect = async (page: Page, dialog: Locator, url: string) => {
    await page.locator('#space-url').fill(url);
    // Enter inspects.
    await page.locator('#space-url').press('Enter');
  };

  it('adds a Space through the dialog: inspected, mapping shown and edited, saved', { timeout: 120_000 }, async () => {
    const { page, errors } = await openApp(browser, app, { viewport: SMALL });
    const problems: string[] = [];
    await openSettings(page);
    const section = page.getByTestId('settings-custom-spaces');
    await section.scrollIntoViewIfNeeded();
    expect(await page.getByTestId('saved-spaces-empty').textContent()).toBe('No Spaces of your own yet.');
    problems.push(...(await fits(page, 'any-space-settings-empty-en-800')));

    const dialog = await openAddDialog(page);
    // Focus starts in the field; an empty field is said, not sent.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('space-url');
    await page.locator('#space-url').press('Enter');
    expect(await page.locator('#space-url-error').textContent()).toBe('Type a Space id or address first.');
    problems.push(...(await fits(page, 'any-space-add-empty-en-800')));

    await inspect(page, dialog, sd.url);
    await dialog.getByTestId('mapping-table').waitFor({ timeout: 20_000 });
    expect(await dialog.getByTestId('space-inspect-status').textContent()).toMatch(
      /^Gradio 5\.49\.1: 1 text-to-image endpoint found\.$/,
    );
    expect(await dialog.getByTestId('space-gradio').textContent()).toBe('5.49.1');
    // The proposal is preselected: every app parameter on its input, the rest extra controls.
    const proposed = await mappingOf(dialog);
    expect(proposed).toMatchObject({
      prompt: 'prompt',
      negative_prompt: 'negativePrompt',
      guidance_scale: 'guidance',
      num_inference_steps: 'steps',
      width: 'width',
      height: 'height',
      scheduler: '',
      upscale: '',
    });
    // Each row says the input's label and kind.
    const schedulerRow = dialog.locator('[data-testid="mapping-row"][data-key="scheduler"]');
    expect(await schedulerRow.textContent()).toMatch(/Dropdown, 3 choices · default Euler a/);
    expect(await schedulerRow.locator('select option:checked').textContent()).toBe('Extra control (Space’s default)');
    problems.push(...(await fits(page, 'any-space-add-mapping-en-800')));

    // Steps moved onto the guidance input: the steps input goes back to its default, and it is said.
    await dialog.locator('[data-testid="mapping-row"][data-key="guidance_scale"] select').selectOption('steps');
    expect(await dialog.getByTestId('mapping-moved').textContent()).toMatch(
      /^Steps moved from “Steps” to “.+”; “Steps” keeps the Space’s default\.$/,
    );
    expect((await mappingOf(dialog)).num_inference_steps).toBe('');
    // Back as proposed.
    await dialog.locator('[data-testid="mapping-row"][data-key="guidance_scale"] select').selectOption('guidance');
    await dialog.locator('[data-testid="mapping-row"][data-key="num_inference_steps"] select').selectOption('steps');
    expect(await mappingOf(dialog)).toEqual(proposed);
    // No prompt: not saved, said.
    await dialog.locator('[data-testid="mapping-row"][data-key="prompt"] select').selectOption('');
    await dialog.getByTestId('mapping-problem').waitFor();
    await dialog.locator('[data-testid="mapping-row"][data-key="prompt"] select').selectOption('prompt');
    expect(await dialog.getByTestId('mapping-problem').count()).toBe(0);

    await page.locator('#space-add-label').fill('My SD');
    // No model alias by default: it runs only when pinned.
    for (const box of await dialog.locator('input[type="checkbox"][data-alias]').all()) {
      expect(await box.isChecked()).toBe(false);
    }
    expect(app.web.core.settings.get().customSpaces).toEqual([]);
    await dialog.getByTestId('space-save').click();
    await dialog.waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByTestId('toast').filter({ hasText: '“My SD” added to your Spaces.' }).last().waitFor();

    const saved = app.web.core.settings.get().customSpaces;
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ label: 'My SD', aliases: [], baseUrl: sd.url.replace(/\/$/, '') });
    expect(saved[0]!.endpoint.apiName).toBe('generate');
    const row = page.locator(`[data-testid="saved-space"][data-provider="${saved[0]!.id}"]`);
    await row.waitFor();
    expect(await row.getByTestId('saved-space-label').textContent()).toBe('My SD');
    expect(await row.textContent()).toContain(sd.url.replace(/\/$/, ''));
    expect(await row.getByTestId('saved-space-aliases').textContent()).toBe(
      'Used only when you choose it as the provider',
    );
    await row.scrollIntoViewIfNeeded();
    problems.push(...(await fits(page, 'any-space-saved-en-800')));
    await page.keyboard.press('Escape');
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  });

  it(
    'generates with the Space pinned: its negative prompt and own controls shown and sent',
    { timeout: 120_000 },
    async () => {
      const { page, errors } = await openApp(browser, app, { viewport: SMALL });
      const problems: string[] = [];
      const id = app.web.core.settings.get().customSpaces[0]!.id;
      // The picker lists every provider, grouped; the user's Space under its label.
      const groups = await page
        .locator('#gen-provider optgroup')
        .evaluateAll((gs) => gs.map((g) => g.getAttribute('label')));
      expect(groups.slice(0, 2)).toEqual(['Spaces', 'Your Spaces']);
      await page.locator('#gen-provider').selectOption(id);
      expect(await page.locator('#gen-provider option:checked').textContent()).toBe('My SD');
      const controls = page.getByTestId('space-controls');
      await controls.waitFor();
      // Each control of the right kind, at the Space's default.
      expect(await page.locator('#gen-extra-scheduler').inputValue()).toBe('0');
      expect(await page.locator('#gen-extra-scheduler option:checked').textContent()).toBe('Euler a');
      expect(await page.locator('#gen-extra-upscale').isChecked()).toBe(false);
      expect(await page.locator('#gen-extra-upscale').getAttribute('type')).toBe('checkbox');
      expect(await page.locator('#gen-guidance').getAttribute('placeholder')).toBe('Auto (7)');
      await page.locator('#gen-negative').fill('blurry, watermark');
      await page.locator('#gen-extra-scheduler').selectOption({ label: 'DDIM' });
      await page.locator('#gen-extra-upscale').check();
      await controls.scrollIntoViewIfNeeded();
      problems.push(...(await fits(page, 'any-space-generate-en-800')));

      const before = sd.requestsTo('join').length;
      await page.locator('#gen-prompt').fill('any space: a red kite over dunes');
      await page.locator('#gen-prompt').press('Control+Enter');
      const card = page.locator('[data-testid="job-card"]', { hasText: 'any space: a red kite over dunes' });
      await expect.poll(() => card.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
      expect(await card.getByTestId('job-provider').textContent()).toBe('My SD');
      // What went on the wire: the negative prompt and the changed controls, the rest at their defaults.
      const join = sd.requestsTo('join').slice(before)[0];
      const data = (join?.body as { data: unknown[] }).data;
      expect(data[0]).toBe('any space: a red kite over dunes');
      expect(data[1]).toBe('blurry, watermark');
      expect(data).toContain('DDIM');
      expect(data.at(-1)).toBe(true);
      // Guidance left empty is the Space's own default (7), as its placeholder said, not FLUX's 3.5.
      expect(data[2]).toBe(7);

      // The image's details say who made it and with what.
      await card.getByTestId('job-open').click();
      const params = page.getByTestId('lightbox-params');
      await params.waitFor();
      const text = await params.textContent();
      expect(text).toContain('My SD');
      expect(text).toContain('blurry, watermark');
      expect(text).toContain('DDIM');
      problems.push(...(await fits(page, 'any-space-lightbox-en-800')));
      await page.keyboard.press('Escape');
      await params.waitFor({ state: 'detached' });

      // Reset, then reuse: the provider, its negative prompt and its controls come back.
      await page.getByRole('button', { name: 'Reset parameters' }).click();
      expect(await page.locator('#gen-provider').inputValue()).toBe('');
      expect(await page.getByTestId('space-controls').count()).toBe(0);
      await card.getByTestId('job-open').click();
      await page.getByRole('button', { name: 'Reuse parameters' }).click();
      await expect.poll(() => page.locator('#gen-provider').inputValue()).toBe(id);
      expect(await page.locator('#gen-negative').inputValue()).toBe('blurry, watermark');
      expect(await page.locator('#gen-extra-scheduler option:checked').textContent()).toBe('DDIM');
      expect(await page.locator('#gen-extra-upscale').isChecked()).toBe(true);

      // In Russian too.
      await setLanguage(page, 'ru');
      await controls.scrollIntoViewIfNeeded();
      expect(await page.locator('label[for="gen-negative"]').textContent()).toBe('Негативный запрос');
      problems.push(...(await fits(page, 'any-space-generate-ru-800')));
      await page.getByTestId('job-open').first().click();
      await page.getByTestId('lightbox-params').waitFor();
      problems.push(...(await fits(page, 'any-space-lightbox-ru-800')));
      await page.keyboard.press('Escape');
      await setLanguage(page, 'en');
      expect(problems).toEqual([]);
      expect(errors).toEqual([]);
    },
  );

  it('refuses what it cannot use in words, saving nothing', { timeout: 120_000 }, async () => {
    const { page, errors } = await openApp(browser, app, { viewport: SMALL });
    const problems: string[] = [];
    const img2img = await fake('file-input', 'me/img2img');
    const gradio3 = await fake('ws', 'me/old-gradio');
    const savedBefore = app.web.core.settings.get().customSpaces;
    await openSettings(page);
    const dialog = await openAddDialog(page);
    const refusal = dialog.getByTestId('space-inspect-error');

    await inspect(page, dialog, img2img.url);
    await refusal.waitFor({ timeout: 20_000 });
    expect(await refusal.getAttribute('data-code')).toBe('needs-file-input');
    expect(await refusal.textContent()).toBe(
      'This Space’s image endpoints all need an input image (image-to-image), so the app cannot use it.',
    );
    expect(await dialog.getByTestId('space-save').count()).toBe(0);
    problems.push(...(await fits(page, 'any-space-refused-en-800')));

    await inspect(page, dialog, gradio3.url);
    await expect.poll(() => refusal.getAttribute('data-code'), { timeout: 20_000 }).toBe('gradio-too-old');

    // The web preview itself is no Gradio app.
    await inspect(page, dialog, app.web.server.url);
    await expect.poll(() => refusal.getAttribute('data-code'), { timeout: 20_000 }).toMatch(/not-gradio|http/);
    // Nothing listens there.
    await inspect(page, dialog, 'http://127.0.0.1:9');
    await expect.poll(() => refusal.getAttribute('data-code'), { timeout: 20_000 }).toMatch(/network|http|timeout/);
    expect(await refusal.textContent()).toMatch(/connection|proxy|Retry/);

    await setLanguage(page, 'ru');
    await inspect(page, dialog, img2img.url);
    await expect
      .poll(() => refusal.textContent(), { timeout: 20_000 })
      .toBe(
        'Все точки API этого Space, создающие изображения, требуют входное изображение (image-to-image), поэтому приложение не может его использовать.',
      );
    problems.push(...(await fits(page, 'any-space-refused-ru-800')));
    await setLanguage(page, 'en');
    // Escape closes the Space dialog only; focus is back on "Add a Space…".
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.locator('.modal.settings').count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('space-add');
    expect(app.web.core.settings.get().customSpaces).toEqual(savedBefore);
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('offers the endpoints of a Space with several, each with its own mapping', { timeout: 120_000 }, async () => {
    const { page, errors } = await openApp(browser, app, { viewport: SMALL });
    const two = await fake('two-endpoints', 'me/two-endpoints');
    await openSettings(page);
    const dialog = await openAddDialog(page);
    await inspect(page, dialog, two.url);
    const picker = page.locator('#space-endpoint');
    await picker.waitFor({ timeout: 20_000 });
    const options = await picker.locator('option').allTextContents();
    expect(options[0]).toMatch(/^\/infer \(/);
    expect(options.some((o) => o.startsWith('/infer_hd ('))).toBe(true);
    expect(options.some((o) => o.startsWith('/enhance_prompt'))).toBe(false);
    await picker.selectOption({ index: options.findIndex((o) => o.startsWith('/infer_hd')) });
    await expect.poll(async () => (await mappingOf(dialog)).negative_prompt).toBe('negativePrompt');
    await setLanguage(page, 'ru');
    await dialog.getByTestId('mapping-table').scrollIntoViewIfNeeded();
    const problems = await fits(page, 'any-space-add-mapping-ru-800');
    await setLanguage(page, 'en');
    await page.keyboard.press('Escape');
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  });

  it(
    'edits the saved Space (label, models) and orders the fallback, then removes it',
    { timeout: 120_000 },
    async () => {
      const { page, errors } = await openApp(browser, app, { viewport: SMALL });
      const problems: string[] = [];
      const id = app.web.core.settings.get().customSpaces[0]!.id;
      await openSettings(page);
      const row = page.locator(`[data-testid="saved-space"][data-provider="${id}"]`);
      await row.getByTestId('saved-space-edit').click();
      const dialog = page.locator('.modal.space-dialog');
      await dialog.waitFor();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('space-edit-label');
      await page.locator('#space-edit-label').fill('My SD XL');
      await dialog.locator('input[data-alias="flux-schnell"]').check();
      await dialog.getByTestId('space-save').click();
      await dialog.waitFor({ state: 'detached', timeout: 20_000 });
      await expect
        .poll(() => app.web.core.settings.get().customSpaces[0])
        .toMatchObject({
          label: 'My SD XL',
          aliases: ['flux-schnell'],
        });
      await expect.poll(() => row.getByTestId('saved-space-label').textContent()).toBe('My SD XL');

      // It now serves FLUX.1 Schnell: last in its fallback order; moved up with the keyboard, then saved.
      const order = page.locator('[data-testid="fallback-order"] section[data-alias="flux-schnell"]');
      await expect.poll(() => order.getByTestId('order-row').count()).toBeGreaterThan(1);
      const rows = () =>
        order.getByTestId('order-row').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-provider')));
      const initial = await rows();
      expect(initial.at(-1)).toBe(id);
      const up = order.locator(`[data-provider="${id}"] .order__up`);
      await up.focus();
      await page.keyboard.press('Enter');
      await expect.poll(rows).toEqual([...initial.slice(0, -2), id, initial.at(-2)]);
      // Focus follows the moved Space.
      expect(
        await page.evaluate(() => document.activeElement?.closest('[data-provider]')?.getAttribute('data-provider')),
      ).toBe(id);
      await page.keyboard.press('Enter');
      await order.scrollIntoViewIfNeeded();
      problems.push(...(await fits(page, 'any-space-order-en-800')));
      await page.locator('.modal.settings').getByRole('button', { name: 'Save', exact: true }).click();
      await page.locator('.modal.settings').waitFor({ state: 'detached' });
      const savedOrder = app.web.core.settings.get().aliasOrder['flux-schnell'];
      expect(savedOrder?.slice(0, initial.length - 2)).toContain(id);
      expect(savedOrder?.indexOf(id)).toBe(initial.length - 3);

      // Reset sends [] (the default order).
      await openSettings(page);
      await order.getByTestId('order-reset').click();
      await expect.poll(rows).toEqual(initial);
      await page.locator('.modal.settings').getByRole('button', { name: 'Save', exact: true }).click();
      await page.locator('.modal.settings').waitFor({ state: 'detached' });
      expect(app.web.core.settings.get().aliasOrder['flux-schnell'] ?? []).toEqual([]);

      // Remove asks first; "Keep" keeps it.
      await openSettings(page);
      await row.getByTestId('saved-space-remove').click();
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Keep');
      await row.scrollIntoViewIfNeeded();
      problems.push(...(await fits(page, 'any-space-remove-en-800')));
      await page.keyboard.press('Enter');
      expect(app.web.core.settings.get().customSpaces).toHaveLength(1);
      await setLanguage(page, 'ru');
      await row.getByTestId('saved-space-remove').click();
      await row.scrollIntoViewIfNeeded();
      problems.push(...(await fits(page, 'any-space-remove-ru-800')));
      await row.getByTestId('saved-space-remove-confirm').click();
      await row.waitFor({ state: 'detached' });
      expect(app.web.core.settings.get().customSpaces).toEqual([]);
      // Gone from the picker; its image still names it (by id).
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator(`#gen-provider option[value="${id}"]`).count()).toBe(0);
      await setLanguage(page, 'en');
      expect(problems).toEqual([]);
      expect(errors).toEqual([]);
    },
  );

  it('saves the Inference Providers settings, off by default, with the cost said', { timeout: 120_000 }, async () => {
    const { page, errors } = await openApp(browser, app, { viewport: SMALL });
    const problems: string[] = [];
    await openSettings(page);
    const section = page.getByTestId('settings-inference');
    await section.scrollIntoViewIfNeeded();
    expect(await page.getByTestId('inference-note').textContent()).toContain('can cost money');
    expect(await page.getByTestId('inference-token').textContent()).toBe(
      'No token is set, so Inference Providers cannot run. Add your token above.',
    );
    for (const box of await page.getByTestId('inference-fallback').all()) expect(await box.isChecked()).toBe(false);
    expect(await page.getByTestId('inference-models').textContent()).toContain('black-forest-labs/FLUX.1-dev');

    // A bad id is said; Enter adds a good one (and does not save the settings).
    await page.locator('#set-inf-model').fill('not a model');
    await page.locator('#set-inf-model').press('Enter');
    expect(await page.locator('#set-inf-model-error').textContent()).toBe(
      'A model id is owner/name (letters, digits, - _ .).',
    );
    await page.locator('#set-inf-model').fill('stabilityai/sdxl-turbo');
    await page.locator('#set-inf-model').press('Enter');
    await page.locator('[data-testid="inference-model"][data-model="stabilityai/sdxl-turbo"]').waitFor();
    expect(await page.locator('.modal.settings').count()).toBe(1);
    await page.locator('#set-inf-provider').selectOption('other');
    await page.locator('#set-inf-provider-name').fill('sambanova');
    await page.locator('[data-testid="inference-fallback"][data-alias="flux-dev"]').check();
    await page.locator('.inference__advanced summary').click();
    await page.locator('#set-inf-url').fill('http://127.0.0.1:9/router');
    await section.scrollIntoViewIfNeeded();
    problems.push(...(await fits(page, 'any-space-inference-en-800')));
    await page.locator('.modal.settings').getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('.modal.settings').waitFor({ state: 'detached' });
    expect(app.web.core.settings.get().inference).toEqual({
      models: ['stabilityai/sdxl-turbo'],
      provider: 'sambanova',
      fallbackAliases: ['flux-dev'],
      url: 'http://127.0.0.1:9/router',
    });

    // The saved values come back; a provider name the schema refuses is said under its field (in Russian).
    await setLanguage(page, 'ru');
    await openSettings(page);
    expect(await page.locator('#set-inf-provider').inputValue()).toBe('other');
    expect(await page.locator('#set-inf-provider-name').inputValue()).toBe('sambanova');
    await page.locator('#set-inf-provider-name').fill('Not Valid');
    await page.locator('.modal.settings').getByRole('button', { name: 'Сохранить', exact: true }).click();
    await page.locator('#set-inf-provider-name-error').waitFor();
    expect(await page.locator('#set-inf-provider-name-error').textContent()).toBe(
      'Имя провайдера — строчные латинские буквы, цифры и -.',
    );
    await section.scrollIntoViewIfNeeded();
    problems.push(...(await fits(page, 'any-space-inference-error-ru-800')));
    await page.locator('#set-inf-provider').selectOption('fal-ai');
    problems.push(...(await fits(page, 'any-space-inference-ru-800')));
    await page.locator('.modal.settings').getByRole('button', { name: 'Сохранить', exact: true }).click();
    await page.locator('.modal.settings').waitFor({ state: 'detached' });
    expect(app.web.core.settings.get().inference.provider).toBe('fal-ai');

    // The picker lists the inference models, marked as paid; pinning one says it needs the token.
    const paid = page.locator('#gen-provider optgroup[label="Inference Providers (платно)"] option');
    await expect.poll(() => paid.count()).toBeGreaterThan(0);
    const first = await paid.first().getAttribute('value');
    await page.locator('#gen-provider').selectOption(first!);
    await page.getByTestId('paid-note').waitFor();
    expect(await page.getByTestId('paid-note').textContent()).toMatch(/токен/);
    problems.push(...(await fits(page, 'any-space-paid-ru-800')));
    await setLanguage(page, 'en');
    expect(await page.getByTestId('paid-note').textContent()).toMatch(/token/);
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  });
});

/** One Hub for both fakes: `/api/models/…` to the fake Inference Hub, the rest to the Spaces' hub. */
async function startJointHub(spacesHub: string, modelsHub: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const target = (req.url ?? '/').startsWith('/api/models/') ? modelsHub : spacesHub;
    const headers: Record<string, string> = {};
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    fetch(`${target}${req.url ?? '/'}`, { headers })
      .then(async (r) => {
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await r.arrayBuffer()));
      })
      .catch(() => {
        res.writeHead(502);
        res.end();
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('Inference Providers jobs in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let inference: FakeInference;
  let hub: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    app = await startTestApp({ core: { overrides: { hfToken: FAKE_TOKEN } } });
    inference = await startFakeInference({ falPolls: 1 });
    hub = await startJointHub(app.spaces!.hfUrl, inference.hubUrl);
    await app.web.core.settings.update({ hfUrl: hub.url, inference: { url: inference.routerUrl, provider: 'fal-ai' } });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await Promise.all([inference?.close(), hub?.close()]);
  });

  it('says which Inference Provider made the image, and words a spent account', { timeout: 120_000 }, async () => {
    const { page, errors } = await openApp(browser, app, { viewport: SMALL });
    const id = 'hf-inference:black-forest-labs/FLUX.1-schnell';
    await page.locator('#gen-provider').selectOption(id);
    expect(await page.locator('#gen-model').inputValue()).toBe('flux');
    // A token is set: the note says it is billed, without a warning.
    expect(await page.getByTestId('paid-note').textContent()).toBe(
      'Runs on Inference Providers with your Hugging Face token: it is billed to your account.',
    );
    await page.locator('#gen-prompt').fill('paid: a glass teapot');
    await page.locator('#gen-prompt').press('Control+Enter');
    const card = page.locator('[data-testid="job-card"]', { hasText: 'paid: a glass teapot' });
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    await expect
      .poll(() => card.getByTestId('job-provider').textContent())
      .toBe('FLUX.1-schnell (Inference Providers) · via fal-ai');
    await card.getByTestId('job-open').click();
    await expect.poll(() => page.getByTestId('lightbox-served-by').textContent()).toBe('served by fal-ai');
    await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => {}))));
    await maybeScreenshot(page, 'any-space-inference-served-en-800');
    expect(await fitProblems(page)).toEqual([]);
    await page.keyboard.press('Escape');

    // Credits spent (HTTP 402): said in words, with what to do.
    inference.setFault({ route: 'generate', kind: 'http', status: 402 }, { times: 1 });
    await page.locator('#gen-prompt').fill('paid: no credits left');
    await page.locator('#gen-prompt').press('Control+Enter');
    const failed = page.locator('[data-testid="job-card"]', { hasText: 'paid: no credits left' });
    await expect.poll(() => failed.getAttribute('data-state'), { timeout: 30_000 }).toBe('failed');
    expect(await failed.getByTestId('job-error').getAttribute('data-code')).toBe('out-of-credits');
    expect(await failed.getByTestId('job-error-cause').textContent()).toBe(
      'Your Hugging Face credits for Inference Providers are used up. Add credits on huggingface.co, or choose a free Space.',
    );
    await maybeScreenshot(page, 'any-space-inference-credits-en-800');
    expect(errors).toEqual([]);
  });
});
