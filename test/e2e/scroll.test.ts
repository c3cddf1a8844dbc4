/**
 * A gallery of 50 000 history entries stays smooth: a scripted scroll (steady, then jumps) in
 * Chromium with a PerformanceObserver for long tasks (> 50 ms, the browser's own threshold).
 * The figures are printed so a regression shows its size, not just a red test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, maybeScreenshot } from '../helpers/browser';
import { openApp, startTestApp, type TestApp } from './support/app';
import { makeLibraryDir, seedClones, seedImages } from './support/seed';

const TOTAL = 50_000;

interface ScrollFigures {
  longTasks: number[];
  frames: number;
  frameAvgMs: number;
  frameP95Ms: number;
  frameMaxMs: number;
  scrolledPx: number;
  tilesInDom: number;
}

describe('a gallery of 50 000 entries', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    const libraryDir = await makeLibraryDir();
    const base = await seedImages(
      libraryDir,
      Array.from({ length: 12 }, (_, i) => ({ prompt: `seeded image ${i}` })),
    );
    seedClones(libraryDir, base, TOTAL - base.length);
    app = await startTestApp({ spaces: false, libraryDir });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('scrolls without long tasks over 50 ms, loading pages lazily', async () => {
    const { page, errors } = await openApp(browser, app);
    await expect.poll(() => page.getByTestId('gallery-count').textContent(), { timeout: 20_000 }).toBe('50,000 images');
    await page.locator('[role="gridcell"][data-id]').first().waitFor();
    // Let start-up work (first paint, first thumbnails) settle before measuring.
    await page.waitForTimeout(500);

    const figures = await page.evaluate(async (): Promise<ScrollFigures> => {
      const longTasks: number[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTasks.push(Math.round(e.duration));
      });
      observer.observe({ type: 'longtask' });
      const scroller = document.querySelector<HTMLElement>('[data-testid="gallery-scroller"]')!;
      const frameTimes: number[] = [];
      const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(r));
      let last = await nextFrame();
      const start = scroller.scrollTop;
      const tick = async () => {
        const now = await nextFrame();
        frameTimes.push(now - last);
        last = now;
      };
      // A fast, steady fling: ~5 rows a frame for 4 seconds.
      for (let i = 0; i < 240; i++) {
        scroller.scrollTop += 900;
        await tick();
      }
      // Jumps, as when dragging the scrollbar: the middle, the end, back near the top.
      for (const to of [0.5, 1, 0.1]) {
        scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * to;
        for (let i = 0; i < 20; i++) await tick();
      }
      // And a fling back up.
      for (let i = 0; i < 120; i++) {
        scroller.scrollTop -= 900;
        await tick();
      }
      await new Promise((r) => setTimeout(r, 300));
      observer.disconnect();
      const sorted = [...frameTimes].sort((a, b) => a - b);
      return {
        longTasks,
        frames: frameTimes.length,
        frameAvgMs: Math.round((frameTimes.reduce((a, b) => a + b, 0) / frameTimes.length) * 10) / 10,
        frameP95Ms: Math.round(sorted[Math.floor(sorted.length * 0.95)]! * 10) / 10,
        frameMaxMs: Math.round(sorted.at(-1)! * 10) / 10,
        scrolledPx: Math.round(Math.abs(scroller.scrollTop - start)),
        tilesInDom: document.querySelectorAll('[role="gridcell"]').length,
      };
    });
    console.log(
      `50 000-entry scroll: ${figures.frames} frames, frame avg ${figures.frameAvgMs} ms, p95 ${figures.frameP95Ms} ms, ` +
        `max ${figures.frameMaxMs} ms; long tasks: ${figures.longTasks.length}` +
        (figures.longTasks.length ? ` (${figures.longTasks.join(', ')} ms)` : '') +
        `; tiles in the DOM: ${figures.tilesInDom}`,
    );
    expect(figures.longTasks).toEqual([]);
    // Virtualized: only the rows near the viewport exist.
    expect(figures.tilesInDom).toBeLessThan(200);

    // The end of the list loads on demand: jump there and see the oldest entry.
    await page.locator('[data-testid="gallery-scroller"]').evaluate((el) => (el.scrollTop = el.scrollHeight));
    const oldest = page.locator(`[role="gridcell"][data-id="clone${String(TOTAL - 13).padStart(6, '0')}"]`);
    await oldest.waitFor();
    // Once the scroll settles, thumbnails load.
    await expect
      .poll(() => oldest.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
    await maybeScreenshot(page, 'gallery-50k-end');
    expect(errors).toEqual([]);
  });
});
