/**
 * Issue 14, "The first hour": what a new user hit around jobs, in Chromium against the real core
 * and the fake Spaces: failures that say their real cause, the HF token checked when saved, seeds
 * of a locked batch, a finished image one click away, and the layout at 800×600.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ProviderId } from '../../shared/params';
import { launchChromium, maybeScreenshot } from '../helpers/browser';
import { E2E_SPACE_OPTIONS, openApp, startTestApp, type TestApp } from './support/app';
import { startFakeHf, type FakeHf } from './support/fake-hf';

async function generate(page: Page, prompt: string): Promise<void> {
  await page.locator('#gen-prompt').fill(prompt);
  await page.locator('#gen-prompt').press('Control+Enter');
}

const card = (page: Page, prompt: string) => page.locator('[data-testid="job-card"]', { hasText: prompt });
const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id);

describe('the first hour: jobs', () => {
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

  it('#2 without a network, a failed job names each Space’s real cause and offers no token', async () => {
    const { page, errors } = await openApp(browser, app);
    const saved = app.web.core.settings.get();
    // Names that never resolve (RFC 6761): every Space, and Hugging Face itself, fail their DNS lookup.
    const nowhere = (id: string) => `http://${id}.flux-e2e.invalid`;
    await app.web.core.settings.update({
      providerUrls: {
        'bfl-flux1-dev': nowhere('dev'),
        'bfl-flux1-schnell': nowhere('schnell'),
        'voodoohop-flux1-schnell': nowhere('voodoohop'),
      },
      hfUrl: nowhere('hf'),
    });
    try {
      await generate(page, 'no network: a paper lantern');
      const error = card(page, 'no network: a paper lantern').getByTestId('job-error');
      await error.waitFor({ timeout: 20_000 });
      expect(await error.getAttribute('data-code')).toBe('all-providers-failed');
      const text = (await error.innerText()).replace(/\s+/g, ' ');
      // The real cause first, for each Space, then what to do about it.
      expect(await error.getByTestId('job-error-cause').textContent()).toBe('No provider could make the image:');
      const causes = await error.locator('li').allInnerTexts();
      expect(causes).toHaveLength(3);
      for (const cause of causes) expect(cause).toMatch(/could not be found \(DNS lookup failed\)/);
      expect(causes.map((c) => c.split(':')[0])).toEqual(
        expect.arrayContaining([
          'BlackForestLabs Flux-1-Dev',
          'BlackForestLabs Flux-1-Schnell',
          'Voodoohop Flux-1-Schnell',
        ]),
      );
      expect(text).toContain('Check your connection or proxy, then retry.');
      expect(text).not.toMatch(/token/i);
      expect(await error.getByRole('button', { name: 'Add HF token' }).count()).toBe(0);
      expect(await error.getByRole('button', { name: 'Retry' }).count()).toBe(1);
      await maybeScreenshot(page, 'first-hour-no-network');
    } finally {
      await app.web.core.settings.update({ providerUrls: saved.providerUrls, hfUrl: saved.hfUrl });
    }

    // When the quota is among the causes, and no token is set, the token is offered.
    app.spaces!.spaces['bfl-flux1-dev'].setFault({ route: 'stream', kind: 'quota' }, { times: 1 });
    app.spaces!.spaces['bfl-flux1-schnell'].setFault({ route: 'stream', kind: 'quota' }, { times: 1 });
    app.spaces!.spaces['voodoohop-flux1-schnell'].setFault(
      { route: 'stream', kind: 'error-event', message: 'CUDA out of memory' },
      { times: 1 },
    );
    await generate(page, 'quota everywhere: a tin robot');
    const error = card(page, 'quota everywhere: a tin robot').getByTestId('job-error');
    await error.waitFor({ timeout: 20_000 });
    const causes = await error.locator('li').allInnerTexts();
    expect(causes.some((c) => c.includes('CUDA out of memory'))).toBe(true);
    expect(await error.innerText()).toContain('Add a Hugging Face token in settings');
    expect(await error.getByRole('button', { name: 'Add HF token' }).count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it('#9 the locked-seed hint says what a batch really uses, and the batch uses it', async () => {
    const { page, errors } = await openApp(browser, app);
    await page.locator('#gen-model').selectOption('flux-schnell');
    await page.locator('#gen-provider').selectOption('voodoohop-flux1-schnell');
    await page.locator('#gen-count').fill('3');
    // Typing a seed locks it.
    await page.locator('#gen-seed').fill('12345');
    expect(await page.locator('#gen-seed-hint').textContent()).toBe(
      'Seed locked: the images use seeds 12345 to 12347, one after another.',
    );
    await page.locator('#gen-count').fill('1');
    expect(await page.locator('#gen-seed-hint').textContent()).toBe('Seed locked: the image uses this seed.');
    await page.locator('#gen-count').fill('3');

    const space = app.spaces!.spaces['voodoohop-flux1-schnell'];
    const before = space.jobs.length;
    await generate(page, 'seeds: three paper cranes');
    await expect
      .poll(
        () =>
          page.locator('[data-testid="job-card"][data-state="done"]', { hasText: 'seeds: three paper cranes' }).count(),
        {
          timeout: 20_000,
        },
      )
      .toBe(3);
    // Schnell's infer(prompt, seed, randomize_seed, width, height, steps): the seeds on the wire.
    const sent = space.jobs.slice(before).map((j) => j.data[1] as number);
    expect(sent.sort()).toEqual([12345, 12346, 12347]);
    expect(errors).toEqual([]);
  });

  it('#11 a done job stays, and clicking it (or the newest-image button) opens its image', async () => {
    const { page, errors } = await openApp(browser, app);
    await page.locator('#gen-model').selectOption('flux-schnell');
    await generate(page, 'open me: a glass whale');
    const done = page.locator('[data-testid="job-card"][data-state="done"]', { hasText: 'open me: a glass whale' });
    await done.waitFor({ timeout: 20_000 });
    // Still there well after it ended (it used to vanish after ~5 s).
    await page.waitForTimeout(7000);
    expect(await done.count()).toBe(1);

    const viewer = page.getByRole('dialog', { name: 'Image viewer' });
    await done.click();
    await viewer.waitFor();
    expect(await viewer.getByTestId('lightbox-prompt').textContent()).toBe('open me: a glass whale');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    // By keyboard: the card's image is a button.
    await done.getByRole('button', { name: 'Open image: open me: a glass whale' }).focus();
    await page.keyboard.press('Enter');
    await viewer.waitFor();
    await page.keyboard.press('Escape');

    // Filtered out of the gallery, it still opens (on its own).
    await page.locator('#history-search').fill('no such prompt');
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toBe('0 matches');
    await done.click();
    await expect.poll(() => viewer.getByTestId('lightbox-prompt').textContent()).toBe('open me: a glass whale');
    await page.keyboard.press('Escape');
    await page.locator('#history-search').fill('');

    // Folded away, the strip still offers the newest image.
    await page.getByTestId('jobs-toggle').click();
    expect(await page.getByTestId('jobs-toggle').getAttribute('aria-expanded')).toBe('false');
    expect(await done.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Open newest image' }).click();
    await expect.poll(() => viewer.getByTestId('lightbox-prompt').textContent()).toBe('open me: a glass whale');
    await page.keyboard.press('Escape');
    await page.getByTestId('jobs-toggle').click();
    expect(errors).toEqual([]);
  });

  it('#13 at 800×600 the gallery keeps most of the window while a job runs', async () => {
    const { page, errors } = await openApp(browser, app, { viewport: { width: 800, height: 600 } });
    for (const s of Object.values(app.spaces!.spaces)) s.setTiming({ stepMs: 400 });
    try {
      await page.locator('#gen-model').selectOption('flux-schnell');
      await generate(page, 'layout: a slow snail');
      await page
        .locator('[data-testid="job-card"][data-state="running"]', { hasText: 'layout: a slow snail' })
        .waitFor();
      const galleryHeight = () => page.getByTestId('gallery-scroller').evaluate((el) => el.clientHeight);
      const expanded = await galleryHeight();
      await maybeScreenshot(page, 'first-hour-800-running');
      // The job strip folds to one line.
      await page.getByTestId('jobs-toggle').click();
      const folded = await galleryHeight();
      await maybeScreenshot(page, 'first-hour-800-folded');
      console.log(`800×600 with a running job: gallery ${expanded} px (strip open), ${folded} px (folded)`);
      expect(expanded).toBeGreaterThanOrEqual(330);
      expect(folded).toBeGreaterThanOrEqual(450);
      // The panel keeps its Generate button on screen, and the search its row.
      const button = (await page.getByRole('button', { name: /^Generate/ }).boundingBox())!;
      expect(button.y + button.height).toBeLessThanOrEqual(600);
      const bar = (await page.locator('.history-bar').boundingBox())!;
      expect(bar.height).toBeLessThanOrEqual(56);
      await page.getByTestId('jobs-toggle').click();
      await card(page, 'layout: a slow snail')
        .getByRole('button', { name: /^Cancel job/ })
        .click();
    } finally {
      for (const s of Object.values(app.spaces!.spaces)) s.setTiming({ stepMs: E2E_SPACE_OPTIONS.timing!.stepMs! });
    }
    expect(errors).toEqual([]);
  });
});

describe('the first hour: the Hugging Face token', () => {
  let app: TestApp;
  let browser: Browser;
  let hf: FakeHf;
  const DEV: ProviderId = 'bfl-flux1-dev';
  beforeAll(async () => {
    // Dev's ZeroGPU takes only hf_good; without its jwt the anonymous quota is used up.
    app = await startTestApp({
      perSpace: { [DEV]: { zeroGpu: { acceptHfToken: 'hf_good', quotaWithoutJwt: true } } },
    });
    // whoami-v2 knows both tokens; hf_limited is real but not allowed ZeroGPU.
    hf = await startFakeHf({ upstream: app.spaces!.hfUrl, users: { hf_good: 'ada', hf_limited: 'bob' } });
    await app.web.core.settings.update({ hfUrl: hf.url });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await hf?.close();
  });

  const saveToken = async (page: Page, token: string) => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await page.locator('#set-token').fill(token);
    await dialog.getByRole('button', { name: 'Save' }).click();
    return dialog;
  };

  it('#3 checks a token when it is saved: refused in words, or whose it is', async () => {
    const { page, errors } = await openApp(browser, app);
    const dialog = await saveToken(page, 'hf_wrong');
    const fieldError = page.locator('#set-token-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toBe(
      'Hugging Face refused this token: it is not a valid token. It was not saved.',
    );
    expect(hf.whoamiAuth.at(-1)).toBe('Bearer hf_wrong');
    expect(app.web.core.settings.get().hasHfToken).toBe(false);
    await expect.poll(() => activeId(page)).toBe('set-token');
    await maybeScreenshot(page, 'first-hour-token-refused');
    // Escape still closes (#4).
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await saveToken(page, 'hf_good');
    await page.getByTestId('toast').filter({ hasText: 'Token saved: it belongs to ada.' }).last().waitFor();
    expect(app.web.core.settings.get()).toMatchObject({
      hasHfToken: true,
      hfTokenCheck: { state: 'valid', name: 'ada' },
    });
    await page.getByRole('button', { name: 'Settings' }).click();
    expect(await page.locator('#set-token-hint').textContent()).toBe(
      'The token of ada is set. Type a new one to replace it.',
    );
    await page.keyboard.press('Escape');

    // With it, Dev runs on the account's quota.
    await page.locator('#gen-model').selectOption('flux-dev');
    await generate(page, 'token ok: a brass owl');
    await page
      .locator('[data-testid="job-card"][data-state="done"]', { hasText: 'token ok: a brass owl' })
      .waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
  });

  it('#3 a job that had to drop the token says so, and its quota error does not ask for a token', async () => {
    const { page, errors } = await openApp(browser, app);
    // A real token (whoami knows it) that ZeroGPU refuses.
    await saveToken(page, 'hf_limited');
    await page.getByTestId('toast').filter({ hasText: 'Token saved: it belongs to bob.' }).last().waitFor();
    await page.locator('#gen-model').selectOption('flux-dev');
    await generate(page, 'token dropped: a velvet fox');
    const job = card(page, 'token dropped: a velvet fox');
    const error = job.getByTestId('job-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.getAttribute('data-code')).toBe('quota');
    // The card keeps saying the token was dropped, after the job has moved on and failed.
    expect(await job.getByTestId('job-note').textContent()).toMatch(
      /^Hugging Face did not accept your token for ZeroGPU; the anonymous quota is used\./,
    );
    const text = await error.innerText();
    expect(text).toContain('The anonymous GPU quota for this Space is used up');
    expect(text).not.toContain('Add a Hugging Face token');
    expect(await error.getByRole('button', { name: 'Add HF token' }).count()).toBe(0);
    await maybeScreenshot(page, 'first-hour-token-dropped');
    await error.getByRole('button', { name: 'Check token' }).click();
    await page.getByRole('dialog', { name: 'Settings' }).waitFor();
    expect(await activeId(page)).toBe('set-token');
    await page.keyboard.press('Escape');

    // A good token whose own quota is used up: said so, no token offered.
    await saveToken(page, 'hf_good');
    await page.getByTestId('toast').filter({ hasText: 'Token saved: it belongs to ada.' }).last().waitFor();
    app.spaces!.spaces[DEV].setFault({ route: 'stream', kind: 'quota' }, { times: 1 });
    await generate(page, 'token quota: a marble hare');
    const second = card(page, 'token quota: a marble hare').getByTestId('job-error');
    await second.waitFor({ timeout: 20_000 });
    expect(await second.innerText()).toContain('Your token’s GPU quota for this Space is used up.');
    expect(await second.getByRole('button', { name: 'Add HF token' }).count()).toBe(0);
    expect(await card(page, 'token quota: a marble hare').getByTestId('job-note').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
