/**
 * Generation in Chromium against the real core and the fake Spaces: live progress and preview,
 * the result in the gallery, errors in words, cancel, reuse, offline and inline validation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, maybeScreenshot } from '../helpers/browser';
import { openApp, startTestApp, type TestApp } from './support/app';

interface Seen {
  states: string[];
  statuses: string[];
  providers: string[];
  fallbacks: string[];
  previews: number;
  maxStep: number;
  stepTotal: number;
}

/** Records everything the first job card shows, on every DOM change: fast steps cannot slip between polls. */
async function recordJobCard(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen = { states: [], statuses: [], providers: [], fallbacks: [], previews: 0, maxStep: 0, stepTotal: 0 } as {
      states: string[];
      statuses: string[];
      providers: string[];
      fallbacks: string[];
      previews: number;
      maxStep: number;
      stepTotal: number;
    };
    const add = (list: string[], v: string | null | undefined) => {
      if (v && list.at(-1) !== v) list.push(v);
    };
    (window as unknown as { __seen: typeof seen }).__seen = seen;
    new MutationObserver(() => {
      const card = document.querySelector('[data-testid="job-card"]');
      if (!card) return;
      add(seen.states, card.getAttribute('data-state'));
      add(seen.statuses, card.querySelector('[data-testid="job-status"]')?.textContent);
      add(seen.providers, card.querySelector('[data-testid="job-provider"]')?.textContent);
      for (const f of Array.from(card.querySelectorAll('.job__fallback'))) add(seen.fallbacks, f.textContent);
      const preview = card.querySelector<HTMLImageElement>('[data-testid="job-preview"]');
      if (preview?.src.startsWith('data:image/')) seen.previews++;
      const bar = card.querySelector('[role="progressbar"]');
      const now = Number(bar?.getAttribute('aria-valuenow') ?? 0);
      if (now > seen.maxStep) {
        seen.maxStep = now;
        seen.stepTotal = Number(bar?.getAttribute('aria-valuemax') ?? 0);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

const seenOf = (page: Page) => page.evaluate(() => (window as unknown as { __seen: Seen }).__seen);

async function generate(page: Page, prompt: string): Promise<void> {
  await page.locator('#gen-prompt').fill(prompt);
  await page.locator('#gen-prompt').press('Control+Enter');
}

describe('generation in Chromium', () => {
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

  it('generates with live queue, progress and preview, then shows the image in the gallery', async () => {
    const { page, errors } = await openApp(browser, app);
    await recordJobCard(page);
    await generate(page, 'a lighthouse in a storm, dramatic light');

    const card = page.getByTestId('job-card').first();
    await card.waitFor();
    await maybeScreenshot(page, 'generate-running');
    await page.locator('[data-testid="job-card"][data-state="done"]').waitFor({ timeout: 20_000 });

    const seen = await seenOf(page);
    console.log('job card showed:', JSON.stringify(seen));
    expect(seen.states).toContain('running');
    expect(seen.states.at(-1)).toBe('done');
    expect(seen.statuses.some((s) => /^Queue position \d+/.test(s))).toBe(true);
    expect(seen.statuses.some((s) => /^Step \d+ of \d+$/.test(s))).toBe(true);
    expect(seen.maxStep).toBeGreaterThan(0);
    expect(seen.stepTotal).toBeGreaterThan(0);
    expect(seen.previews).toBeGreaterThan(0);
    expect(seen.providers).toContain('BlackForestLabs Flux-1-Dev');
    // A duration in words (how long it took is the machine's business, not the test's).
    expect(await card.getByTestId('job-elapsed').textContent()).toMatch(/^\d+ (s|min)/);

    // The saved image is in the gallery, its thumbnail served from the library.
    const tile = page.getByRole('gridcell', { name: 'a lighthouse in a storm, dramatic light' });
    await tile.waitFor();
    await expect
      .poll(() => tile.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
    expect(await page.getByTestId('gallery-count').textContent()).toBe('1 image');
    await maybeScreenshot(page, 'generate-done');
    expect(errors).toEqual([]);
  });

  it('falls back to another provider by itself, and offers one when a pinned provider fails', async () => {
    const { page, errors } = await openApp(browser, app);
    await recordJobCard(page);
    // "flux" routes Dev first (it has not failed yet: the router tries recent failures last); its
    // quota refusal sends the job on to a Schnell Space.
    app.spaces!.spaces['bfl-flux1-dev'].setFault({ route: 'stream', kind: 'quota' }, { times: 1 });
    await generate(page, 'fallback: a glass teapot');
    await page.locator('[data-testid="job-card"][data-state="done"]', { hasText: 'fallback: a glass teapot' }).waitFor({
      timeout: 20_000,
    });
    const seen = await seenOf(page);
    expect(seen.fallbacks).toContain('BlackForestLabs Flux-1-Dev failed; trying the next provider.');
    expect(seen.providers.at(-1)).not.toBe('BlackForestLabs Flux-1-Dev');

    // Pinned to one Schnell Space, a failure stays a failure, with the other Space on offer.
    await page.locator('#gen-model').selectOption('flux-schnell');
    await page.locator('#gen-provider').selectOption('bfl-flux1-schnell');
    app.spaces!.spaces['bfl-flux1-schnell'].setFault(
      { route: 'stream', kind: 'error-event', message: 'CUDA out of memory' },
      { times: 1 },
    );
    await generate(page, 'pinned: a copper kettle');
    const error = page.getByTestId('job-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.getAttribute('data-code')).toBe('space-error');
    expect(await error.textContent()).toContain('CUDA out of memory');
    await maybeScreenshot(page, 'generate-pinned-failure');
    await error.getByRole('button', { name: /^Try Voodoohop/ }).click();
    const retried = page.locator('[data-testid="job-card"]', { hasText: 'pinned: a copper kettle' });
    await retried.locator('[data-testid="job-provider"]', { hasText: /^Voodoohop/ }).waitFor();
    await page
      .locator('[data-testid="job-card"][data-state="done"]', { hasText: 'pinned: a copper kettle' })
      .waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
  });

  it('explains a quota error in plain words and leads to the HF token setting', async () => {
    const { page, errors } = await openApp(browser, app);
    // Only the Dev Space serves flux-dev: no fallback, the quota error reaches the user.
    await page.locator('#gen-model').selectOption('flux-dev');
    app.spaces!.spaces['bfl-flux1-dev'].setFault({ route: 'stream', kind: 'quota' }, { times: 1 });
    await generate(page, 'quota please');

    const error = page.getByTestId('job-error');
    await error.waitFor({ timeout: 20_000 });
    expect(await error.getAttribute('data-code')).toBe('quota');
    expect(await error.textContent()).toContain('The free GPU quota for this Space is used up.');
    expect(await error.textContent()).toContain('Add a Hugging Face token in settings');
    await maybeScreenshot(page, 'generate-quota');

    await error.getByRole('button', { name: 'Add HF token' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('set-token');

    // The token is write-only: saved, then shown only as "set".
    await page.locator('#set-token').fill('hf_e2eTestToken');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(app.web.core.settings.get().hasHfToken).toBe(true);
    await page.getByRole('button', { name: 'Settings' }).click();
    expect(await page.locator('#set-token').inputValue()).toBe('');
    // The fake Spaces do not serve whoami-v2: saved, and said to be unchecked (first-hour-jobs checks a real answer).
    expect(await page.locator('#set-token-hint').textContent()).toMatch(
      /^A token is set; Hugging Face could not be asked about it \(.*HTTP 404\)\.$/,
    );
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('cancels a running job', async () => {
    const { page, errors } = await openApp(browser, app);
    for (const s of Object.values(app.spaces!.spaces)) s.setTiming({ stepMs: 500 });
    try {
      const before = await page.getByTestId('gallery-count').textContent();
      await generate(page, 'a job to cancel');
      const card = page.locator('[data-testid="job-card"]', { hasText: 'a job to cancel' });
      await page.locator('[data-testid="job-card"][data-state="running"]', { hasText: 'a job to cancel' }).waitFor();
      await card.getByRole('button', { name: /^Cancel job: a job to cancel/ }).click();
      await page.locator('[data-testid="job-card"][data-state="cancelled"]').waitFor();
      expect(await card.getByTestId('job-state').textContent()).toBe('Cancelled');
      await page.waitForTimeout(300);
      expect(await page.getByTestId('gallery-count').textContent()).toBe(before);
    } finally {
      for (const s of Object.values(app.spaces!.spaces)) s.setTiming({ stepMs: 40 });
    }
    expect(errors).toEqual([]);
  });

  it('reuses an image’s parameters from the lightbox', async () => {
    const { page, errors } = await openApp(browser, app);
    await page.locator('#gen-model').selectOption('flux-schnell');
    await page.locator('#gen-provider').selectOption('voodoohop-flux1-schnell');
    await page.getByRole('radio', { name: '16:9' }).check();
    await page.locator('#gen-steps').fill('3');
    await page.locator('#gen-seed').fill('4242');
    await generate(page, 'reuse me: a paper boat on a pond');
    await page.getByRole('gridcell', { name: 'reuse me: a paper boat on a pond' }).waitFor({ timeout: 20_000 });

    // Change everything, then take it back from the image.
    await page.getByRole('button', { name: 'Reset parameters' }).click();
    await page.locator('#gen-prompt').fill('something else');
    expect(await page.locator('#gen-model').inputValue()).toBe('flux');

    await page.getByRole('gridcell', { name: 'reuse me: a paper boat on a pond' }).click();
    const viewer = page.getByRole('dialog', { name: 'Image viewer' });
    await viewer.waitFor();
    await viewer.getByRole('button', { name: 'Reuse parameters' }).click();
    await viewer.waitFor({ state: 'detached' });

    expect(await page.locator('#gen-prompt').inputValue()).toBe('reuse me: a paper boat on a pond');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('gen-prompt');
    expect(await page.locator('#gen-model').inputValue()).toBe('flux-schnell');
    expect(await page.locator('#gen-provider').inputValue()).toBe('voodoohop-flux1-schnell');
    expect(await page.getByRole('radio', { name: '16:9' }).isChecked()).toBe(true);
    expect(await page.locator('#gen-steps').inputValue()).toBe('3');
    expect(await page.locator('#gen-seed').inputValue()).toBe('4242');
    expect(await page.getByRole('button', { name: 'Lock seed' }).getAttribute('aria-pressed')).toBe('true');
    // 16:9 scaled to the Schnell Space's 768 long side, 432 snapped down onto its slider (256 + k·32).
    expect(await page.getByTestId('sent-size').textContent()).toBe('Sends 768 × 416');
    await maybeScreenshot(page, 'generate-reused');
    expect(errors).toEqual([]);
  });

  it('validates inline, shows the size that will be sent, and sends nothing while invalid', async () => {
    const { page, errors } = await openApp(browser, app);
    const joinsBefore = Object.values(app.spaces!.spaces).reduce((n, s) => n + s.jobs.length, 0);
    await page.locator('#gen-prompt').fill('an invalid request');
    await page.locator('#gen-width').fill('5000');
    expect(await page.locator('#gen-width-error').textContent()).toBe('Width must be from 256 to 2,048.');
    expect(await page.getByRole('radio', { name: 'Custom' }).isChecked()).toBe(true);
    await page.locator('#gen-seed').fill('-1');
    expect(await page.locator('#gen-seed-error').textContent()).toBe('Seed must be at least 0.');

    await page.getByRole('button', { name: /^Generate/ }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('gen-width');
    await page.waitForTimeout(200);
    expect(await page.getByTestId('job-card').count()).toBe(0);

    await page.locator('#gen-width').fill('1001');
    await page.locator('#gen-seed').fill('7');
    expect(await page.locator('#gen-width-error').count()).toBe(0);
    expect(await page.getByTestId('sent-size').textContent()).toBe('Sends 992 × 1024 · rounded down to steps of 32');
    await page.locator('#gen-prompt').fill('');
    await page.getByRole('button', { name: /^Generate/ }).click();
    expect(await page.locator('#gen-prompt-error').textContent()).toBe('Prompt must not be empty.');
    await maybeScreenshot(page, 'generate-invalid');
    const joinsAfter = Object.values(app.spaces!.spaces).reduce((n, s) => n + s.jobs.length, 0);
    expect(joinsAfter).toBe(joinsBefore);
    expect(errors).toEqual([]);
  });

  it('says generation is offline when the browser is offline, and sends nothing', async () => {
    const { page, errors } = await openApp(browser, app);
    const joinsBefore = Object.values(app.spaces!.spaces).reduce((n, s) => n + s.jobs.length, 0);
    // navigator.onLine only: in Electron, going offline does not cut the IPC bridge, and here the
    // bridge is a local WebSocket that Chromium's offline emulation would cut.
    const setOnline = (online: boolean) =>
      page.evaluate((on) => {
        Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => on });
        window.dispatchEvent(new Event(on ? 'online' : 'offline'));
      }, online);
    await setOnline(false);
    await page.getByTestId('offline-banner').waitFor();
    expect(await page.getByTestId('offline-notice').textContent()).toContain('Offline: generation needs a network');
    await generate(page, 'offline attempt');
    expect(await page.getByTestId('generate-error').textContent()).toContain('You are offline.');
    expect(await page.getByTestId('job-card').count()).toBe(0);
    // The gallery, search and viewer need no network.
    await page.locator('#history-search').fill('lighthouse');
    await expect.poll(() => page.getByTestId('gallery-count').textContent()).toBe('1 match');
    await page.getByRole('gridcell', { name: /lighthouse/ }).click();
    await page.getByRole('dialog', { name: 'Image viewer' }).waitFor();
    await maybeScreenshot(page, 'generate-offline');
    await page.keyboard.press('Escape');
    await setOnline(true);
    await page.getByTestId('offline-banner').waitFor({ state: 'detached' });
    const joinsAfter = Object.values(app.spaces!.spaces).reduce((n, s) => n + s.jobs.length, 0);
    expect(joinsAfter).toBe(joinsBefore);
    expect(errors).toEqual([]);
  });
});
