/**
 * Issue 16, the queue in Chromium against the real core and the fake Spaces: pause and resume,
 * moving a queued job (run next), retry of a failed job and "Retry failed", a GPU quota wait counting
 * down on its card, a batch of prompts × images, and a browser notification shown only while the page
 * is in the background. Screens of the new controls in both languages at 800×600 are checked to fit.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Language } from '../../shared/settings';
import { launchChromium, maybeScreenshot } from '../helpers/browser';
import { openApp, startTestApp, type TestApp } from './support/app';
import { fitProblems } from './support/fit';

const card = (page: Page, prompt: string) => page.locator('[data-testid="job-card"]', { hasText: prompt });
const cardsIn = (page: Page, state: string) => page.locator(`[data-testid="job-card"][data-state="${state}"]`);

async function pin(page: Page, provider = 'voodoohop-flux1-schnell'): Promise<void> {
  await page.locator('#gen-model').selectOption('flux-schnell');
  await page.locator('#gen-provider').selectOption(provider);
}

async function generate(page: Page, prompt: string): Promise<void> {
  await page.locator('#gen-prompt').fill(prompt);
  await page.locator('#gen-prompt').press('Control+Enter');
  await card(page, prompt.split('\n')[0]!).first().waitFor();
}

async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity);
    await Promise.all(finite.map((a) => a.finished.catch(() => {})));
  });
}

/** The order of the card prompts in the strip, left to right. */
const stripOrder = (page: Page) =>
  page.locator('[data-testid="job-card"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));

describe('the queue (issue 16)', () => {
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
  // A failed test must not leave the next one a paused queue or a Space that still refuses.
  afterEach(() => {
    app.web.core.jobs.resume();
    for (const s of Object.values(app.spaces!.spaces)) s.clearFaults();
  });

  it('pause → jobs wait → resume → they run; a queued job moves to the front and runs next', async () => {
    const { page, errors } = await openApp(browser, app, { viewport: { width: 800, height: 600 } });
    const space = app.spaces!.spaces['voodoohop-flux1-schnell'];
    await pin(page);

    // Paused from the panel before anything is queued: the strip says so, the panel too.
    await page.getByTestId('panel-queue-toggle').click();
    await page.getByTestId('queue-paused').waitFor();
    expect(await page.getByTestId('queue-paused').textContent()).toContain('Paused');
    expect(await page.getByTestId('panel-paused').textContent()).toContain('The queue is paused');
    expect(await page.getByTestId('panel-queue-toggle').getAttribute('aria-label')).toBe('Resume queue');
    expect(app.web.core.jobs.queueState().paused).toBe(true);

    const before = space.jobs.length;
    await generate(page, 'paused one: a red kite');
    await generate(page, 'paused two: a green kite');
    await generate(page, 'paused three: a blue kite');
    // None runs while paused.
    await page.waitForTimeout(800);
    expect(await cardsIn(page, 'queued').count()).toBe(3);
    expect(space.jobs.length).toBe(before);
    const first = card(page, 'paused one: a red kite');
    expect(await first.getByTestId('job-place').textContent()).toBe('Waits: the queue is paused.');
    // Left to right: the queue in the order it will run.
    expect(await stripOrder(page)).toEqual([
      'paused one: a red kite',
      'paused two: a green kite',
      'paused three: a blue kite',
    ]);
    await settle(page);
    expect(await fitProblems(page)).toEqual([]);
    await maybeScreenshot(page, 'queue-paused-en-800x600');

    // The last one runs next: by keyboard, from its card.
    const third = card(page, 'paused three: a blue kite');
    expect(await third.getByTestId('job-run-next').getAttribute('aria-label')).toBe(
      'Run next: paused three: a blue kite',
    );
    expect(await first.getByTestId('job-move-up').getAttribute('aria-disabled')).toBe('true');
    await third.getByTestId('job-run-next').focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => stripOrder(page))
      .toEqual(['paused three: a blue kite', 'paused one: a red kite', 'paused two: a green kite']);
    // Down one: two swaps with one.
    await card(page, 'paused one: a red kite').getByTestId('job-move-down').click();
    await expect
      .poll(() => stripOrder(page))
      .toEqual(['paused three: a blue kite', 'paused two: a green kite', 'paused one: a red kite']);

    // Resumed from the strip: they run, one at a time, in that order.
    await page.getByTestId('queue-toggle').click();
    await page.getByTestId('queue-paused').waitFor({ state: 'detached' });
    expect(await page.getByTestId('panel-paused').count()).toBe(0);
    await expect.poll(() => cardsIn(page, 'done').count(), { timeout: 30_000 }).toBe(3);
    const sent = space.jobs.slice(before).map((j) => String(j.data[0]));
    expect(sent).toEqual(['paused three: a blue kite', 'paused two: a green kite', 'paused one: a red kite']);
    expect(errors).toEqual([]);
  });

  it('retries a failed job from its card, and every failed one with "Retry failed"', async () => {
    const { page, errors } = await openApp(browser, app);
    const space = app.spaces!.spaces['voodoohop-flux1-schnell'];
    await pin(page);
    space.setFault({ route: 'stream', kind: 'error-event', message: 'CUDA out of memory' }, { times: 1 });
    await generate(page, 'retry me: a copper kettle');
    const failed = page.locator('[data-testid="job-card"][data-state="failed"]', {
      hasText: 'retry me: a copper kettle',
    });
    await failed.waitFor({ timeout: 20_000 });
    const failedId = await failed.getAttribute('data-job-id');
    await failed.locator('[data-action="retry"]').click();
    const done = page.locator('[data-testid="job-card"][data-state="done"]', { hasText: 'retry me: a copper kettle' });
    await done.waitFor({ timeout: 20_000 });
    // A new job took the failed one's place.
    expect(await done.getAttribute('data-job-id')).not.toBe(failedId);
    expect(await page.locator(`[data-job-id="${failedId}"]`).count()).toBe(0);

    // Two failures, then "Retry failed" runs them both again.
    space.setFault({ route: 'stream', kind: 'error-event', message: 'CUDA out of memory' }, { times: 2 });
    await generate(page, 'fails: a tin drum');
    await cardsIn(page, 'failed').first().waitFor({ timeout: 20_000 });
    await generate(page, 'fails: a brass horn');
    await expect.poll(() => cardsIn(page, 'failed').count(), { timeout: 20_000 }).toBe(2);
    expect(await page.getByTestId('jobs-retry-failed').textContent()).toContain('Retry failed');
    await page.getByTestId('jobs-retry-failed').click();
    await expect.poll(() => cardsIn(page, 'failed').count(), { timeout: 20_000 }).toBe(0);
    await page
      .locator('[data-testid="job-card"][data-state="done"]', { hasText: 'fails: a brass horn' })
      .waitFor({ timeout: 20_000 });
    await page
      .locator('[data-testid="job-card"][data-state="done"]', { hasText: 'fails: a tin drum' })
      .waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('jobs-retry-failed').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('a batch of 2 prompts × 2 images makes 4 jobs, the total said before starting', async () => {
    const { page, errors } = await openApp(browser, app, { viewport: { width: 800, height: 600 } });
    const space = app.spaces!.spaces['voodoohop-flux1-schnell'];
    await pin(page);
    await page.locator('#gen-multi').check();
    await page.locator('#gen-prompt').fill('batch: a paper moon\n\n  batch: a glass sun  \n');
    await page.locator('#gen-count').fill('2');
    expect(await page.getByTestId('prompt-count').textContent()).toBe('2 prompts');
    expect(await page.getByTestId('batch-total').textContent()).toBe('2 prompts × 2 images = 4 images');
    expect(await page.locator('button[type="submit"]').textContent()).toBe('Generate 4 images');
    await settle(page);
    expect(await fitProblems(page)).toEqual([]);
    await maybeScreenshot(page, 'queue-batch-en-800x600');

    const before = space.jobs.length;
    await page.locator('#gen-prompt').press('Control+Enter');
    await expect
      .poll(() => page.locator('[data-testid="job-card"][aria-label^="batch: "]').count(), { timeout: 5000 })
      .toBe(4);
    await expect
      .poll(() => page.locator('[data-testid="job-card"][data-state="done"]', { hasText: 'batch: ' }).count(), {
        timeout: 30_000,
      })
      .toBe(4);
    const sent = space.jobs
      .slice(before)
      .map((j) => String(j.data[0]))
      .sort();
    expect(sent).toEqual(['batch: a glass sun', 'batch: a glass sun', 'batch: a paper moon', 'batch: a paper moon']);

    // Too many lines: said in words, nothing sent.
    await page.locator('#gen-prompt').fill(Array.from({ length: 34 }, (_, i) => `line ${i + 1}`).join('\n'));
    await page.locator('#gen-prompt').press('Control+Enter');
    await expect
      .poll(() => page.locator('#gen-prompt-error').textContent())
      .toBe('At most 33 prompts at once (one per line); there are 34.');
    await page.locator('#gen-multi').uncheck();
    await page.locator('#gen-count').fill('1');
    expect(errors).toEqual([]);
  });

  it('a Space out of GPU quota: the job waits with a live countdown, the strip names the Space', async () => {
    const { page, errors } = await openApp(browser, app, { viewport: { width: 800, height: 600 } });
    // A Space of its own: its quota wait outlives this test (the Space stays out of quota until then).
    const space = app.spaces!.spaces['bfl-flux1-schnell'];
    await pin(page, 'bfl-flux1-schnell');
    space.setFault(
      {
        route: 'stream',
        kind: 'error-event',
        message: 'You have exceeded your GPU quota (60s requested vs. 23s left). Try again in 1:23:45',
      },
      { times: 1 },
    );
    await generate(page, 'quota: a sleeping dragon');
    const waiting = card(page, 'quota: a sleeping dragon');
    const countdown = waiting.getByTestId('job-quota-wait');
    await countdown.waitFor({ timeout: 20_000 });
    expect(await waiting.getAttribute('data-state')).toBe('queued');
    const first = await countdown.textContent();
    expect(first).toMatch(/^Quota: starts again in 1:23:(4\d|3\d)$/);
    // It counts down, second by second.
    await expect.poll(() => countdown.textContent(), { timeout: 4000 }).not.toBe(first);
    expect(await page.getByTestId('quota-waits').textContent()).toMatch(
      /^BlackForestLabs Flux-1-Schnell: GPU quota back in 1:23:\d\d$/,
    );
    expect(await countdown.getAttribute('title')).toMatch(
      /The GPU quota of BlackForestLabs Flux-1-Schnell runs out until/,
    );
    await settle(page);
    expect(await fitProblems(page)).toEqual([]);
    await maybeScreenshot(page, 'queue-quota-en-800x600');

    // In Russian.
    await app.web.core.settings.update({ language: 'ru' });
    await expect.poll(() => countdown.textContent()).toMatch(/^Квота: снова начнётся через 1:2\d:\d\d$/);
    await settle(page);
    expect(await fitProblems(page)).toEqual([]);
    await maybeScreenshot(page, 'queue-quota-ru-800x600');
    await app.web.core.settings.update({ language: 'en' });

    await waiting.getByRole('button', { name: /^Cancel job/ }).click();
    await expect.poll(() => waiting.getAttribute('data-state')).toBe('cancelled');
    // A cancelled job can be retried while its card shows.
    expect(await waiting.getByTestId('job-retry').textContent()).toContain('Retry');
    expect(errors).toEqual([]);
  });

  it(
    'a browser notification when the page is in the background, none while it is in front',
    { timeout: 90_000 },
    async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      // The browser's Notification API, recorded; the page's focus and visibility, as the test says.
      await context.addInitScript(() => {
        const w = window as unknown as {
          __notes: { title: string; body: string }[];
          __asked: number;
          __hidden: boolean;
          Notification: unknown;
        };
        w.__notes = [];
        w.__asked = 0;
        w.__hidden = false;
        class FakeNotification {
          static permission = 'default';
          static requestPermission() {
            w.__asked++;
            FakeNotification.permission = 'granted';
            return Promise.resolve('granted');
          }
          onclick: (() => void) | null = null;
          constructor(title: string, opts: { body?: string } = {}) {
            w.__notes.push({ title, body: opts.body ?? '' });
            (w as unknown as { __last: FakeNotification }).__last = this;
          }
          close() {}
        }
        w.Notification = FakeNotification;
        // The chime's notes, counted (WebAudio without a sound card).
        const t = window as unknown as { __tones: number; AudioContext: unknown };
        t.__tones = 0;
        t.AudioContext = class {
          state = 'running';
          currentTime = 0;
          destination = {};
          resume() {
            return Promise.resolve();
          }
          createOscillator() {
            t.__tones++;
            return { type: '', frequency: { value: 0 }, connect: (n: unknown) => n, start() {}, stop() {} };
          }
          createGain() {
            const param = { setValueAtTime() {}, exponentialRampToValueAtTime() {} };
            return { gain: param, connect: (n: unknown) => n };
          }
        };
        Object.defineProperty(document, 'visibilityState', { get: () => (w.__hidden ? 'hidden' : 'visible') });
        Object.defineProperty(document, 'hidden', { get: () => w.__hidden });
        document.hasFocus = () => !w.__hidden;
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(app.web.server.url);
      await page.getByRole('region', { name: 'Gallery' }).waitFor();
      const notes = () => page.evaluate(() => (window as unknown as { __notes: { title: string }[] }).__notes);
      await pin(page);

      // The first job asks for the permission, once (a user's action).
      await generate(page, 'in front: a white owl');
      await card(page, 'in front: a white owl').and(cardsIn(page, 'done')).waitFor({ timeout: 20_000 });
      expect(await page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(1);
      // In front: none shown.
      await page.waitForTimeout(500);
      expect(await notes()).toEqual([]);

      // In the background: shown, with the prompt; clicking it opens the image.
      await page.evaluate(() => ((window as unknown as { __hidden: boolean }).__hidden = true));
      await generate(page, 'behind: a grey heron');
      await expect.poll(notes, { timeout: 20_000 }).toEqual([{ title: 'Image ready', body: 'behind: a grey heron' }]);
      await page.evaluate(() => ((window as unknown as { __hidden: boolean }).__hidden = false));
      await page.evaluate(() => (window as unknown as { __last: { onclick: () => void } }).__last.onclick());
      const viewer = page.getByRole('dialog', { name: 'Image viewer' });
      await viewer.waitFor();
      expect(await viewer.getByTestId('lightbox-prompt').textContent()).toBe('behind: a grey heron');
      await page.keyboard.press('Escape');

      const tones = () => page.evaluate(() => (window as unknown as { __tones: number }).__tones);
      expect(await tones()).toBe(0);

      // Failures say so, with the sound when Settings want it; a second job does not ask again.
      await app.web.core.settings.update({ notifications: { sound: true } });
      app.spaces!.spaces['voodoohop-flux1-schnell'].setFault(
        { route: 'stream', kind: 'error-event', message: 'CUDA out of memory' },
        { times: 1 },
      );
      await page.evaluate(() => ((window as unknown as { __hidden: boolean }).__hidden = true));
      await generate(page, 'behind and failing: a cracked bell');
      await expect.poll(async () => (await notes()).length, { timeout: 20_000 }).toBe(2);
      expect((await notes())[1]).toEqual({ title: 'Job failed', body: 'behind and failing: a cracked bell' });
      expect(await page.evaluate(() => (window as unknown as { __asked: number }).__asked)).toBe(1);
      expect(await tones()).toBe(2);
      await app.web.core.settings.update({ notifications: { sound: false } });
      await context.close();
      expect(errors).toEqual([]);
    },
  );
});

describe('queue screens fit at 800×600 in both languages', () => {
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

  it(
    'paused strip with queued cards, the panel, and Settings → Queue and Notifications',
    { timeout: 120_000 },
    async () => {
      const { page, errors } = await openApp(browser, app, { viewport: { width: 800, height: 600 } });
      const problems: string[] = [];
      await pin(page);
      // Every tool of the strip at once: a done job, a failed one (Retry failed), queued ones, paused.
      await generate(page, 'done: a paper boat');
      await cardsIn(page, 'done').waitFor({ timeout: 20_000 });
      app.spaces!.spaces['voodoohop-flux1-schnell'].setFault(
        { route: 'stream', kind: 'error-event', message: 'CUDA out of memory' },
        { times: 1 },
      );
      await generate(page, 'failed: a stone bridge');
      await cardsIn(page, 'failed').waitFor({ timeout: 20_000 });
      app.web.core.jobs.pause();
      try {
        await generate(page, 'queued: a lantern festival over a river at night, many small boats');
        await generate(page, 'queued: a red kite');
        for (const language of ['en', 'ru'] as Language[]) {
          await app.web.core.settings.update({ language });
          await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
          await settle(page);
          for (const p of await fitProblems(page)) problems.push(`main ${language}: ${p}`);
          await maybeScreenshot(page, `queue-strip-${language}-800x600`);

          await page.getByRole('button', { name: language === 'en' ? 'Settings' : 'Настройки' }).click();
          const dialog = page.getByRole('dialog');
          await dialog.waitFor();
          await dialog.getByTestId('settings-queue').scrollIntoViewIfNeeded();
          await settle(page);
          for (const p of await fitProblems(page)) problems.push(`settings queue ${language}: ${p}`);
          await maybeScreenshot(page, `queue-settings-${language}-800x600`);
          await dialog.getByTestId('settings-notifications').evaluate((el) => el.scrollIntoView({ block: 'end' }));
          await settle(page);
          for (const p of await fitProblems(page)) problems.push(`settings notifications ${language}: ${p}`);
          await maybeScreenshot(page, `queue-notifications-${language}-800x600`);
          await page.keyboard.press('Escape');
          await dialog.waitFor({ state: 'detached' });
        }
      } finally {
        await app.web.core.settings.update({ language: 'en' });
        app.web.core.jobs.resume();
      }
      expect(problems).toEqual([]);
      expect(errors).toEqual([]);
    },
  );

  it('Settings → Queue saves per-provider concurrency, the quota choice and the notification switches', async () => {
    const { page, errors } = await openApp(browser, app);
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel('Jobs at once on Voodoohop Flux-1-Schnell').selectOption('3');
    await dialog.getByTestId('quota-fallback').check();
    await dialog.getByTestId('notify-sound').check();
    await dialog.getByTestId('notify-jobDone').uncheck();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const s = app.web.core.settings.get();
    expect(s.concurrencyByProvider).toEqual({ 'voodoohop-flux1-schnell': 3 });
    expect(s.quotaFallback).toBe(true);
    expect(s.notifications).toMatchObject({ sound: true, jobDone: false, jobFailed: true });

    // Back to the defaults.
    await page.getByRole('button', { name: 'Settings' }).click();
    await dialog.waitFor();
    expect(await dialog.getByLabel('Jobs at once on Voodoohop Flux-1-Schnell').inputValue()).toBe('3');
    await dialog.getByLabel('Jobs at once on Voodoohop Flux-1-Schnell').selectOption('');
    await dialog.getByTestId('quota-wait').check();
    await dialog.getByTestId('notify-sound').uncheck();
    await dialog.getByTestId('notify-jobDone').check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const back = app.web.core.settings.get();
    expect(back.concurrencyByProvider).toEqual({});
    expect(back.quotaFallback).toBe(false);
    expect(back.notifications.sound).toBe(false);
    expect(errors).toEqual([]);
  });
});
