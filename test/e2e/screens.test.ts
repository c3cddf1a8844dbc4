/**
 * Every screen fits, in both languages and both themes, at 800×600 and 1920×1080 (issue 14, #8): the
 * gallery with job cards (running, done, failed), the filters, the viewer, the settings, the drop
 * overlay and an empty search. One page is switched between languages, themes and sizes (the job
 * cards live in it); each screen is checked (support/fit.ts) and, with FLUX_SCREENSHOTS=dir, saved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Language, Theme } from '../../shared/settings';
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

interface Combo {
  language: Language;
  theme: Theme;
  size: (typeof SIZES)[number];
}

describe('every screen fits, in both languages and themes, at 800×600 and 1920×1080', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    const libraryDir = await makeLibraryDir();
    await seedImages(libraryDir, [
      ...Array.from({ length: 8 }, (_, i) => ({ prompt: `a seeded gradient number ${i + 1}` })),
      { prompt: LONG_PROMPT, model: 'flux' as const, providerId: 'bfl-flux1-dev' as const, width: 832, height: 1216 },
    ]);
    app = await startTestApp({ libraryDir });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** Job cards in the strip: one done, one failed (pinned Space's error), one still running. */
  async function makeJobs(page: Page): Promise<void> {
    const spaces = app.spaces!.spaces;
    const run = async (prompt: string, model: string, provider: string) => {
      await page.locator('#gen-model').selectOption(model);
      await page.locator('#gen-provider').selectOption(provider);
      await page.locator('#gen-prompt').fill(prompt);
      await page.locator('#gen-prompt').press('Control+Enter');
    };
    await run('a finished job: a paper boat', 'flux-schnell', 'voodoohop-flux1-schnell');
    await page.locator('[data-testid="job-card"][data-state="done"]').waitFor({ timeout: 20_000 });
    spaces['bfl-flux1-schnell'].setFault(
      { route: 'stream', kind: 'error-event', message: 'CUDA out of memory on the GPU' },
      { times: 1 },
    );
    await run('a failed job: a stone bridge over a river', 'flux-schnell', 'bfl-flux1-schnell');
    await page.locator('[data-testid="job-card"][data-state="failed"]').waitFor({ timeout: 20_000 });
    spaces['bfl-flux1-dev'].setTiming({ stepMs: 4000 });
    await run('a running job: a slow snail on a leaf', 'flux-dev', 'bfl-flux1-dev');
    await page.locator('[data-testid="job-card"][data-state="running"]').waitFor({ timeout: 20_000 });
    await page.locator('#gen-prompt').fill('a quiet harbour at dawn');
  }

  async function apply(page: Page, c: Combo): Promise<void> {
    await app.web.core.settings.update({ language: c.language, theme: c.theme });
    await page.setViewportSize(c.size);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(c.language);
    const want = c.theme;
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(want);
  }

  it('checks and shoots each screen', { timeout: 300_000 }, async () => {
    const { page, errors } = await openApp(browser, app);
    await makeJobs(page);
    const problems: string[] = [];
    const shoot = async (c: Combo, screen: string) => {
      // Let layout settle after a change of size, language or dialog, and fade-ins end (endless ones aside).
      await page.evaluate(async () => {
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const finite = document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity);
        await Promise.all(finite.map((a) => a.finished.catch(() => {})));
      });
      const name = `screen-${screen}-${c.language}-${c.theme}-${c.size.width}x${c.size.height}`;
      for (const p of await fitProblems(page)) problems.push(`${name}: ${p}`);
      await maybeScreenshot(page, name);
    };
    const tr = (c: Combo, en: string, ru: string) => (c.language === 'en' ? en : ru);

    for (const language of ['en', 'ru'] as const) {
      for (const theme of ['dark', 'light'] as const) {
        for (const size of SIZES) {
          const c: Combo = { language, theme, size };
          await apply(page, c);
          await page.locator('[role="gridcell"][data-id]').first().waitFor();
          await shoot(c, 'main');

          // The filters unfolded (a button on narrow windows; inline on wide ones).
          const toggle = page.getByTestId('filters-toggle');
          const folded = await toggle.isVisible();
          if (folded) await toggle.click();
          await shoot(c, 'filters');
          if (folded) await toggle.click();

          // A search that finds nothing.
          await page.locator('#history-search').fill('zzzz nothing');
          await page.getByTestId('gallery-empty').waitFor();
          await shoot(c, 'no-matches');
          await page.locator('#history-search').fill('');
          await page.getByTestId('gallery-empty').waitFor({ state: 'detached' });

          // The viewer, on the tall image with the long prompt.
          await page.getByRole('gridcell', { name: LONG_PROMPT }).click();
          const viewer = page.getByRole('dialog', { name: tr(c, 'Image viewer', 'Просмотр изображения') });
          await viewer.waitFor();
          await expect
            .poll(() =>
              viewer
                .getByTestId('lightbox-image')
                .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
            )
            .toBeGreaterThan(0);
          await shoot(c, 'viewer');
          await page.keyboard.press('Escape');
          await viewer.waitFor({ state: 'detached' });

          // Settings: the top, the Spaces further down, and a refused save.
          await page.getByRole('button', { name: tr(c, 'Settings', 'Настройки') }).click();
          const settings = page.getByRole('dialog', { name: tr(c, 'Settings', 'Настройки') });
          await settings.waitFor();
          await page.locator('#set-library').waitFor();
          await shoot(c, 'settings');
          await page.getByTestId('space-states').evaluate((el) => el.scrollIntoView({ block: 'center' }));
          await shoot(c, 'settings-spaces');
          await page.locator('#set-library').fill('relative/folder');
          await settings.getByRole('button', { name: tr(c, 'Save', 'Сохранить') }).click();
          await page.locator('#set-library-error').waitFor();
          await shoot(c, 'settings-error');
          await page.keyboard.press('Escape');
          await settings.waitFor({ state: 'detached' });

          // A file dragged over the window.
          await page.evaluate(() => {
            const dt = new DataTransfer();
            dt.items.add(new File(['x'], 'x.png', { type: 'image/png' }));
            (window as unknown as { __dt: DataTransfer }).__dt = dt;
            document.body.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true }));
          });
          await page.getByTestId('drop-overlay').waitFor();
          await shoot(c, 'drop');
          await page.evaluate(() => {
            const dt = (window as unknown as { __dt: DataTransfer }).__dt;
            document.body.dispatchEvent(new DragEvent('dragleave', { dataTransfer: dt, bubbles: true }));
          });
          await page.getByTestId('drop-overlay').waitFor({ state: 'detached' });
        }
      }
    }
    await app.web.core.settings.update({ language: 'en', theme: 'system' });
    app.spaces!.spaces['bfl-flux1-dev'].setTiming({ stepMs: 40 });
    await page.evaluate(() => undefined);
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  });
});
