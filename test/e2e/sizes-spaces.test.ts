/**
 * Image sizes and Space states in Chromium against the real core and the fake Spaces: the panel's
 * "Sends W × H" is what goes on the wire, sizes outside a Space's slider are refused naming its
 * limits (in English and Russian), and Settings shows each Space's state with Retry for a paused one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { BuiltinProviderId as ProviderId } from '../../shared/params';
import type { FakeSpace, SpaceStage } from '../fake-space';
import { launchChromium, maybeScreenshot } from '../helpers/browser';
import { E2E_SPACE_OPTIONS, openApp, startTestApp, type TestApp } from './support/app';

const SMALL = { width: 800, height: 600 };
const LARGE = { width: 1920, height: 1080 };

/** What the fake hub's `GET /api/spaces/{id}` says of this Space from now on. */
function setStage(space: FakeSpace, stage: SpaceStage): void {
  space.setStage(stage);
}

async function generate(page: Page, prompt: string): Promise<void> {
  await page.locator('#gen-prompt').fill(prompt);
  await page.locator('#gen-prompt').press('Control+Enter');
}

/** Elements inside `selector` that stick out of it sideways (cut off or overflowing). */
function overflowing(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const out: string[] = [];
    for (const box of Array.from(document.querySelectorAll<HTMLElement>(sel))) {
      const outer = box.getBoundingClientRect();
      for (const el of [box, ...Array.from(box.querySelectorAll<HTMLElement>('*'))]) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || el.closest('.visually-hidden')) continue;
        const cut = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible';
        if (r.left < outer.left - 1 || r.right > outer.right + 1 || (cut && el.tagName !== 'INPUT'))
          out.push(`${el.tagName}.${el.className}: ${el.textContent?.slice(0, 40)}`);
      }
    }
    return out;
  }, selector);
}

/** Scrolls the settings dialog so the Spaces' states are in view (for screenshots). */
const showSpaces = (page: Page) =>
  page.getByTestId('space-states').evaluate((el) => el.scrollIntoView({ block: 'center' }));

const jobsOf = (app: TestApp, id: ProviderId) => app.spaces!.spaces[id].jobs;
const allJobs = (app: TestApp) => Object.values(app.spaces!.spaces).reduce((n, s) => n + s.jobs.length, 0);

describe('image sizes in Chromium', () => {
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

  it('shows the limits and the size sent for a preset and a custom size, and sends exactly that', async () => {
    const { page, errors } = await openApp(browser, app, { viewport: SMALL });
    const limits = page.getByTestId('size-limits');
    const sent = page.getByTestId('sent-size');
    await page.locator('#gen-model').selectOption('flux-dev');
    await expect.poll(() => limits.textContent()).toBe('BlackForestLabs Flux-1-Dev accepts 256–2,048, step 32');
    expect(await sent.textContent()).toBe('Sends 1024 × 1024');

    // A preset: 3:2 is 1024 × 682 upstream; the Space's slider takes 256 + k·32, so 672 goes out.
    await page.getByRole('radio', { name: '3:2' }).check();
    expect(await sent.textContent()).toBe('Sends 1024 × 672');
    expect(await page.locator('#gen-width').inputValue()).toBe('1024');
    expect(await page.locator('#gen-height').inputValue()).toBe('672');
    // On a Schnell Space the presets scale to its 768 long side.
    await page.locator('#gen-model').selectOption('flux-schnell');
    await page.locator('#gen-provider').selectOption('voodoohop-flux1-schnell');
    expect(await sent.textContent()).toBe('Sends 768 × 512');
    expect(await limits.textContent()).toBe('Voodoohop Flux-1-Schnell accepts 256–2,048, step 32');
    await page.locator('#gen-model').selectOption('flux-dev');
    expect(await sent.textContent()).toBe('Sends 1024 × 672');
    expect(await overflowing(page, '.size')).toEqual([]);
    await page.locator('.size').scrollIntoViewIfNeeded();
    await maybeScreenshot(page, 'sizes-preset-en-800');

    const before = jobsOf(app, 'bfl-flux1-dev').length;
    await generate(page, 'sizes: a preset');
    await page
      .locator('[data-testid="job-card"][data-state="done"]', { hasText: 'sizes: a preset' })
      .waitFor({ timeout: 20_000 });
    // Dev's infer(prompt, seed, randomize_seed, width, height, guidance, steps).
    expect(jobsOf(app, 'bfl-flux1-dev').slice(before)[0]?.data.slice(3, 5)).toEqual([1024, 672]);

    // A custom size starts from what the preset sent, and is snapped down onto the slider.
    await page.getByRole('radio', { name: 'Custom' }).check();
    expect(await page.locator('#gen-width').inputValue()).toBe('1024');
    await page.locator('#gen-width').fill('1001');
    await page.locator('#gen-height').fill('777');
    expect(await sent.textContent()).toBe('Sends 992 × 768 · rounded down to steps of 32');
    // The arrow keys step by the slider's step and stop at its maximum.
    await page.locator('#gen-height').fill('2040');
    await page.locator('#gen-height').press('ArrowUp');
    expect(await page.locator('#gen-height').inputValue()).toBe('2048');
    await page.locator('#gen-height').press('ArrowDown');
    expect(await page.locator('#gen-height').inputValue()).toBe('2016');
    await page.locator('#gen-height').fill('777');
    await page.locator('.size').scrollIntoViewIfNeeded();
    await maybeScreenshot(page, 'sizes-custom-en-800');

    const before2 = jobsOf(app, 'bfl-flux1-dev').length;
    await generate(page, 'sizes: a custom size');
    await page
      .locator('[data-testid="job-card"][data-state="done"]', { hasText: 'sizes: a custom size' })
      .waitFor({ timeout: 20_000 });
    expect(jobsOf(app, 'bfl-flux1-dev').slice(before2)[0]?.data.slice(3, 5)).toEqual([992, 768]);
    expect(errors).toEqual([]);
  });

  it('refuses a custom size of 128 naming the limits, in English and in Russian, and sends nothing', async () => {
    const { page, errors } = await openApp(browser, app, { viewport: SMALL });
    const joinsBefore = allJobs(app);
    try {
      await page.locator('#gen-model').selectOption('flux-dev');
      await page.locator('#gen-prompt').fill('too small');
      await page.getByRole('radio', { name: 'Custom' }).check();
      await page.locator('#gen-width').fill('128');
      await page.locator('#gen-height').fill('512');
      const widthError = page.locator('#gen-width-error');
      await expect.poll(() => widthError.textContent()).toBe('Width must be from 256 to 2,048.');
      expect(await page.locator('#gen-width').getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#gen-height-error').count()).toBe(0);
      // Nothing to send, so no "Sends" line.
      expect(await page.getByTestId('sent-size').count()).toBe(0);
      expect(await page.getByTestId('size-limits').textContent()).toBe(
        'BlackForestLabs Flux-1-Dev accepts 256–2,048, step 32',
      );

      await page.getByRole('button', { name: /^Generate/ }).click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('gen-width');
      await page.locator('#gen-prompt').press('Control+Enter');
      expect(await page.getByText('Fix the highlighted fields first.').count()).toBe(1);
      expect(await overflowing(page, '.size')).toEqual([]);
      await page.locator('.size').scrollIntoViewIfNeeded();
      await maybeScreenshot(page, 'sizes-refused-en-800');

      await app.web.core.settings.update({ language: 'ru' });
      await expect.poll(() => widthError.textContent()).toMatch(/^Поле «Ширина»: от 256 до 2\s048\.$/);
      expect(await page.getByTestId('size-limits').textContent()).toMatch(
        /^BlackForestLabs Flux-1-Dev принимает 256–2\s048, шаг 32$/,
      );
      await page.getByRole('button', { name: /^Сгенерировать/ }).click();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('gen-width');
      expect(await overflowing(page, '.size')).toEqual([]);
      await page.locator('.size').scrollIntoViewIfNeeded();
      await maybeScreenshot(page, 'sizes-refused-ru-800');

      await page.waitForTimeout(200);
      expect(await page.getByTestId('job-card').count()).toBe(0);
      expect(allJobs(app)).toBe(joinsBefore);

      // Back inside the limits, it is accepted at once.
      await page.locator('#gen-width').fill('256');
      await expect.poll(() => widthError.count()).toBe(0);
      expect(await page.getByTestId('sent-size').textContent()).toBe('Будет отправлено 256 × 512');
    } finally {
      await app.web.core.settings.update({ language: 'en' });
    }
    expect(errors).toEqual([]);
  });

  it('fits at 1920×1080', async () => {
    const { page, errors } = await openApp(browser, app, { viewport: LARGE });
    await page.getByRole('radio', { name: 'Custom' }).check();
    await page.locator('#gen-width').fill('1001');
    await page.getByTestId('sent-size').waitFor();
    expect(await overflowing(page, '.size')).toEqual([]);
    await page.locator('.size').scrollIntoViewIfNeeded();
    await maybeScreenshot(page, 'sizes-custom-en-1920');
    expect(errors).toEqual([]);
  });
});

describe('Space states in Chromium', () => {
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

  it('fails a job on a paused Space in words, and leads to its Retry in Settings', async () => {
    const { page, errors } = await openApp(browser, app, { viewport: SMALL });
    setStage(app.spaces!.spaces['bfl-flux1-schnell'], 'PAUSED');
    // Pinned, never checked before: the job reads the stage itself and stops there.
    await page.locator('#gen-model').selectOption('flux-schnell');
    await page.locator('#gen-provider').selectOption('bfl-flux1-schnell');
    await generate(page, 'paused: a quiet harbour');
    const error = page.getByTestId('job-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.getAttribute('data-code')).toBe('space-paused');
    expect(await error.textContent()).toContain('The Space was paused by its author');
    expect(jobsOf(app, 'bfl-flux1-schnell')).toHaveLength(0);
    await maybeScreenshot(page, 'spaces-job-paused-en-800');

    await error.getByRole('button', { name: 'Open settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.waitFor();
    const retry = dialog.getByRole('button', { name: 'Retry BlackForestLabs Flux-1-Schnell' });
    await retry.waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Retry BlackForestLabs Flux-1-Schnell');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });

  it('shows every Space’s state after Check now, in English and Russian, and retries a paused one', async () => {
    const spaces = app.spaces!.spaces;
    for (const id of ['bfl-flux1-dev', 'voodoohop-flux1-schnell'] as const) setStage(spaces[id], 'RUNNING');
    setStage(spaces['bfl-flux1-schnell'], 'PAUSED');
    const { page, errors } = await openApp(browser, app, { viewport: SMALL });
    try {
      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('dialog', { name: 'Settings' }).waitFor();
      // Its name changes with the language below.
      const dialog = page.getByRole('dialog');
      const row = (id: ProviderId) => dialog.locator(`[data-testid="space-state"][data-provider="${id}"]`);
      // Opening the dialog checks them once.
      await expect.poll(() => row('bfl-flux1-dev').getAttribute('data-health')).toBe('running');
      await expect.poll(() => row('bfl-flux1-schnell').getAttribute('data-health')).toBe('paused');
      expect(await row('bfl-flux1-schnell').getByTestId('space-health').textContent()).toBe('Paused');
      expect(await row('bfl-flux1-schnell').getByTestId('space-meta').textContent()).toMatch(
        /^Hugging Face: paused by its author \(PAUSED\) · checked at \d{1,2}:\d{2}:\d{2}/,
      );
      expect(await row('bfl-flux1-dev').getByTestId('space-health').textContent()).toBe('Running');
      expect(await row('bfl-flux1-dev').getByRole('button').count()).toBe(0);
      const retry = row('bfl-flux1-schnell').getByRole('button', { name: 'Retry BlackForestLabs Flux-1-Schnell' });
      expect(await retry.isVisible()).toBe(true);

      // "Check now" reads them again.
      setStage(spaces['voodoohop-flux1-schnell'], 'SLEEPING');
      const check = dialog.getByRole('button', { name: 'Check now' });
      await check.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => row('voodoohop-flux1-schnell').getAttribute('data-health')).toBe('sleeping');
      expect(await row('voodoohop-flux1-schnell').getByTestId('space-health').textContent()).toBe('Asleep');
      // Asleep is not skipped: a job wakes it.
      expect(await row('voodoohop-flux1-schnell').getByRole('button').count()).toBe(0);
      await showSpaces(page);
      expect(await overflowing(page, '.spaces')).toEqual([]);
      await maybeScreenshot(page, 'spaces-settings-en-800');

      // Still paused: Retry reads the stage again and the Space stays skipped.
      await retry.click();
      await expect.poll(() => retry.textContent()).toBe('Retry');
      expect(await row('bfl-flux1-schnell').getAttribute('data-health')).toBe('paused');

      // In Russian.
      await app.web.core.settings.update({ language: 'ru' });
      await expect.poll(() => row('bfl-flux1-schnell').getByTestId('space-health').textContent()).toBe('Приостановлен');
      expect(await row('bfl-flux1-schnell').getByTestId('space-meta').textContent()).toMatch(
        /^Hugging Face: приостановлен автором \(PAUSED\) · проверено в \d{1,2}:\d{2}:\d{2}/,
      );
      expect(await row('voodoohop-flux1-schnell').getByTestId('space-health').textContent()).toBe('Спит');
      await dialog.getByRole('button', { name: 'Проверить' }).waitFor();
      const retryRu = row('bfl-flux1-schnell').getByRole('button', {
        name: 'Повторить BlackForestLabs Flux-1-Schnell',
      });
      await retryRu.waitFor();
      await showSpaces(page);
      expect(await overflowing(page, '.spaces')).toEqual([]);
      await maybeScreenshot(page, 'spaces-settings-ru-800');

      // Unpaused by its author: Retry brings it back, and keyboard focus stays in the dialog.
      setStage(spaces['bfl-flux1-schnell'], 'RUNNING');
      await retryRu.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => row('bfl-flux1-schnell').getAttribute('data-health')).toBe('running');
      expect(await row('bfl-flux1-schnell').getByRole('button').count()).toBe(0);
      expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Проверить');
    } finally {
      await app.web.core.settings.update({ language: 'en' });
    }
    expect(errors).toEqual([]);
  });

  it('fits at 1920×1080', async () => {
    setStage(app.spaces!.spaces['bfl-flux1-schnell'], 'PAUSED');
    const { page, errors } = await openApp(browser, app, { viewport: LARGE });
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog
      .locator('[data-testid="space-state"][data-provider="bfl-flux1-schnell"][data-health="paused"]')
      .waitFor();
    await showSpaces(page);
    expect(await overflowing(page, '.spaces')).toEqual([]);
    await maybeScreenshot(page, 'spaces-settings-en-1920');
    await page.keyboard.press('Escape');
    setStage(app.spaces!.spaces['bfl-flux1-schnell'], 'RUNNING');
    expect(errors).toEqual([]);
  });
});

/** Records every distinct status line the job cards show, on every DOM change. */
async function recordStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __statuses: string[] }).__statuses = seen;
    new MutationObserver(() => {
      for (const el of Array.from(document.querySelectorAll('[data-testid="job-status"]'))) {
        const text = el.textContent ?? '';
        if (text && !seen.includes(text)) seen.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}
const statusesOf = (page: Page) => page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);

describe('job statuses and quota figures in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startTestApp({
      spaces: {
        ...E2E_SPACE_OPTIONS,
        timing: { ...E2E_SPACE_OPTIONS.timing, stepMs: 120 },
        logs: ['Falling back to IP-based quotas', 'Loading the pipeline (step 1/2)'],
      },
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('words what a job is doing in English and Russian, and shows the Space’s own log as is', async () => {
    const { page, errors } = await openApp(browser, app, { viewport: SMALL });
    try {
      await recordStatuses(page);
      await page.locator('#gen-model').selectOption('flux-dev');
      await generate(page, 'statuses: a windmill');
      await page
        .locator('[data-testid="job-card"][data-state="done"]', { hasText: 'statuses: a windmill' })
        .waitFor({ timeout: 20_000 });
      const en = await statusesOf(page);
      console.log('statuses (en):', JSON.stringify(en));
      expect(en).toContain('Sent to the Space; waiting for it to start…');
      expect(en.some((s) => /^Queue position \d/.test(s))).toBe(true);
      expect(en).toContain('Generating…');
      expect(en).toContain('ZeroGPU counts this job against your IP address, not your account.');
      expect(en).toContain('Loading the pipeline (step 1/2)');
      // Past the queue, its position is no longer shown in place of what the Space says.
      expect(en.indexOf('Generating…')).toBeGreaterThan(en.findLastIndex((s) => /^Queue position/.test(s)));

      await app.web.core.settings.update({ language: 'ru' });
      await page.getByRole('button', { name: 'Убрать завершённые' }).click();
      await recordStatuses(page);
      await generate(page, 'statuses: a lighthouse');
      await page
        .locator('[data-testid="job-card"][data-state="done"]', { hasText: 'statuses: a lighthouse' })
        .waitFor({ timeout: 20_000 });
      const ru = await statusesOf(page);
      console.log('statuses (ru):', JSON.stringify(ru));
      expect(ru).toContain('Отправлено в Space; ждём начала…');
      expect(ru).toContain('Генерация…');
      expect(ru).toContain('ZeroGPU учитывает это задание по вашему IP-адресу, а не по аккаунту.');
      expect(ru).toContain('Loading the pipeline (step 1/2)');
    } finally {
      await app.web.core.settings.update({ language: 'en' });
    }
    expect(errors).toEqual([]);
  });

  it('shows a quota refusal’s figures, in English and Russian', async () => {
    const { page, errors } = await openApp(browser, app, { viewport: SMALL });
    try {
      // Only the Dev Space serves flux-dev: the refusal reaches the user.
      await page.locator('#gen-model').selectOption('flux-dev');
      app.spaces!.spaces['bfl-flux1-dev'].setFault({ route: 'stream', kind: 'quota' }, { times: 1 });
      await generate(page, 'quota: a glacier');
      const error = page.getByTestId('job-error');
      await error.waitFor({ timeout: 20_000 });
      expect(await error.getAttribute('data-code')).toBe('quota');
      expect(await error.getByTestId('job-quota').textContent()).toBe('1 min requested, 23 s left');
      expect(await overflowing(page, '[data-testid="job-card"]')).toEqual([]);
      await maybeScreenshot(page, 'jobs-quota-en-800');
      await app.web.core.settings.update({ language: 'ru' });
      await expect.poll(() => error.getByTestId('job-quota').textContent()).toBe('запрошено 1 мин, осталось 23 с');
      expect(await overflowing(page, '[data-testid="job-card"]')).toEqual([]);
      await maybeScreenshot(page, 'jobs-quota-ru-800');
    } finally {
      await app.web.core.settings.update({ language: 'en' });
    }
    expect(errors).toEqual([]);
  });
});

describe('size limits a Space announces, in Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  const slider = { minimum: 512, maximum: 1536, step: 64 };
  beforeAll(async () => {
    app = await startTestApp({ spaces: { ...E2E_SPACE_OPTIONS, sliders: { width: slider, height: slider } } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('takes the limits from the Space’s /config as soon as a job has read them', async () => {
    const { page, errors } = await openApp(browser, app, { viewport: SMALL });
    const limits = page.getByTestId('size-limits');
    const sent = page.getByTestId('sent-size');
    await page.locator('#gen-model').selectOption('flux-dev');
    // Before any job, the FLUX Spaces' usual slider is assumed.
    await expect.poll(() => limits.textContent()).toBe('BlackForestLabs Flux-1-Dev accepts 256–2,048, step 32');
    await generate(page, 'limits: first job');
    await page
      .locator('[data-testid="job-card"][data-state="done"]', { hasText: 'limits: first job' })
      .waitFor({ timeout: 20_000 });
    // The job read /config: the panel follows without a reload.
    await expect.poll(() => limits.textContent()).toBe('BlackForestLabs Flux-1-Dev accepts 512–1,536, step 64');
    await page.getByRole('radio', { name: '3:2' }).check();
    expect(await sent.textContent()).toBe('Sends 1024 × 640');

    await page.getByRole('radio', { name: 'Custom' }).check();
    await page.locator('#gen-width').fill('400');
    await expect.poll(() => page.locator('#gen-width-error').textContent()).toBe('Width must be from 512 to 1,536.');
    await page.locator('#gen-width').fill('1001');
    await page.locator('#gen-height').fill('777');
    expect(await sent.textContent()).toBe('Sends 960 × 768 · rounded down to steps of 64');
    await page.locator('.size').scrollIntoViewIfNeeded();
    await maybeScreenshot(page, 'sizes-announced-en-800');

    const before = jobsOf(app, 'bfl-flux1-dev').length;
    await generate(page, 'limits: custom');
    await page
      .locator('[data-testid="job-card"][data-state="done"]', { hasText: 'limits: custom' })
      .waitFor({ timeout: 20_000 });
    expect(jobsOf(app, 'bfl-flux1-dev').slice(before)[0]?.data.slice(3, 5)).toEqual([960, 768]);
    expect(errors).toEqual([]);
  });
});
