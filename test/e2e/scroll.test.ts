/**
 * A gallery of 50 000 history entries scrolls as a virtual list: a scripted scroll (a fling, jumps
 * to the middle and the end, a fling back) in Chromium keeps only the rows near the viewport in the
 * DOM and loads the pages it reaches, the last one included. It asserts structure only, never
 * timings (they depend on what else the machine does): frame times and long tasks are printed here
 * for the curious and measured by the benchmark (`npm run bench`, bench/renderer.ts), which reports them.
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

  it('keeps only nearby rows in the DOM and loads pages as they are reached', async () => {
    // Every entry the library hands out, counted: lazily loaded pages are a small part of the 50 000.
    const library = app.web.core.library();
    const query = library.query.bind(library);
    let served = 0;
    library.query = (q) => {
      const page = query(q);
      served += page.items.length;
      return page;
    };
    const { page, errors } = await openApp(browser, app);
    await expect.poll(() => page.getByTestId('gallery-count').textContent(), { timeout: 20_000 }).toBe('50,000 images');
    await page.locator('[role="gridcell"][data-id]').first().waitFor();

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
    // Virtualized: only the rows near the viewport exist, never the 50 000.
    expect(figures.tilesInDom).toBeGreaterThan(0);
    expect(figures.tilesInDom).toBeLessThan(200);
    expect(figures.scrolledPx).toBeGreaterThan(0);
    expect(served).toBeLessThan(TOTAL / 4);

    // The end of the list loads on demand: jump there and see the oldest entry.
    await page.locator('[data-testid="gallery-scroller"]').evaluate((el) => (el.scrollTop = el.scrollHeight));
    const oldest = page.locator(`[role="gridcell"][data-id="clone${String(TOTAL - 13).padStart(6, '0')}"]`);
    await oldest.waitFor();
    // Once the scroll settles, thumbnails load.
    await expect
      .poll(() => oldest.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true);
    await maybeScreenshot(page, 'gallery-50k-end');
    console.log(`entries served to the renderer: ${served} of ${TOTAL}`);
    expect(served).toBeLessThan(TOTAL / 4);
    expect(errors).toEqual([]);
  });
});
