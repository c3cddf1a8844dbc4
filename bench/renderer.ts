/**
 * Renderer benchmark, in Debian's Chromium (playwright-core, headless, no GPU):
 *
 *   npm run bench -- renderer     (needs the built renderer: npm run bench builds it)
 *
 * 1. Bundle size of out/renderer/assets (JS and CSS), raw and gzip (node:zlib, default level).
 * 2. Gallery first paint with 100, 100 000 and 1 000 000 history entries, median of several cold loads
 *    (a fresh browser context each, so no HTTP cache). Two moments, in ms since navigation start
 *    (the page's performance.now()), checked on every animation frame from before the app's own
 *    scripts run:
 *    - tiles: the first frame with a gallery tile that shows an entry (its caption) in the DOM;
 *    - thumbnails: the first frame where every tile inside the gallery's viewport has an entry and
 *      its thumbnail <img> loaded and decoded (complete, naturalWidth > 0): the first screen done.
 * 3. Scrolling 1 000 000 entries: frame times and long tasks (PerformanceObserver 'longtask', the
 *    browser's own > 50 ms threshold) for a reading scroll (slow enough that thumbnails load), a
 *    fling, and jumps as when dragging the scrollbar.
 *
 * The app is the real core + WebSocket transport + built renderer (test/helpers/web-app.ts), on a
 * library seeded with 12 real images and history entries that share their files (the e2e seed).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/helpers/browser';
import { RENDERER_DIR, startWebApp } from '../test/helpers/web-app';
import { scaleLibrary } from './lib/scale-library';
import { bytes, markdownTable, median, ms, percentile } from './lib/report';

const LOADS = 5;
// The libraries of bench/scale.ts (made once, kept in the temp folder).
const SIZES = [100, 100_000, 1_000_000];
const VIEWPORT = { width: 1280, height: 800 };

// ---- 1. bundle size ----------------------------------------------------------------------------

function bundleTable(): string {
  const dir = path.join(RENDERER_DIR, 'assets');
  const files = readdirSync(dir).filter((f) => /\.(js|css)$/.test(f));
  if (files.length === 0) throw new Error(`no built renderer in ${dir}: run the build first`);
  let raw = 0;
  let gz = 0;
  const rows = files.sort().map((f) => {
    const data = readFileSync(path.join(dir, f));
    const zipped = gzipSync(data).length;
    raw += data.length;
    gz += zipped;
    return [f, bytes(data.length), bytes(zipped)];
  });
  rows.push(['**total**', `**${bytes(raw)}**`, `**${bytes(gz)}**`]);
  return markdownTable(['asset', 'raw', 'gzip'], rows, [false, true, true]);
}

// ---- 2. first paint ----------------------------------------------------------------------------

interface PaintProbe {
  tiles: number;
  thumbs: number;
  visibleTiles: number;
  longestTask: number;
}

/** Runs in the page before its scripts (addInitScript), so it sees the first frames. */
function installPaintProbe(): void {
  const probe: PaintProbe = { tiles: 0, thumbs: 0, visibleTiles: 0, longestTask: 0 };
  (window as unknown as { __paint: PaintProbe }).__paint = probe;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longestTask = Math.max(probe.longestTask, e.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no long-task API: the column stays 0
  }
  const check = () => {
    const scroller = document.querySelector('[data-testid="gallery-scroller"]');
    const cells = scroller ? Array.from(scroller.querySelectorAll<HTMLElement>('[role="gridcell"]')) : [];
    if (!probe.tiles && cells.some((c) => c.dataset.id)) probe.tiles = performance.now();
    if (scroller && probe.tiles) {
      const view = scroller.getBoundingClientRect();
      const visible = cells.filter((c) => {
        const r = c.getBoundingClientRect();
        return r.bottom > view.top && r.top < view.bottom;
      });
      const done = visible.every((c) => {
        const img = c.querySelector('img');
        return c.dataset.id && img?.complete && img.naturalWidth > 0;
      });
      if (visible.length > 0 && done) {
        probe.thumbs = performance.now();
        probe.visibleTiles = visible.length;
        return;
      }
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

async function firstPaint(browser: Browser, url: string, expectCount: string): Promise<PaintProbe> {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'dark' });
  try {
    const page = await context.newPage();
    await page.addInitScript(installPaintProbe);
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __paint: PaintProbe }).__paint.thumbs > 0, null, {
      timeout: 30_000,
    });
    const count = await page.getByTestId('gallery-count').textContent();
    if (count !== expectCount) throw new Error(`gallery shows "${count}", expected "${expectCount}"`);
    return await page.evaluate(() => (window as unknown as { __paint: PaintProbe }).__paint);
  } finally {
    await context.close();
  }
}

// ---- 3. scrolling ------------------------------------------------------------------------------

interface PhaseFigures {
  name: string;
  frames: number[];
  longTasks: number[];
}

/** Runs in the page: three scroll phases, each with its own frame times and long tasks. */
async function scrollPhases(): Promise<PhaseFigures[]> {
  const scroller = document.querySelector<HTMLElement>('[data-testid="gallery-scroller"]')!;
  const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(r));
  const results: PhaseFigures[] = [];
  const phase = async (name: string, steps: (() => void)[]) => {
    const longTasks: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push(e.duration);
    });
    observer.observe({ type: 'longtask' });
    const frames: number[] = [];
    let last = await nextFrame();
    for (const step of steps) {
      step();
      const now = await nextFrame();
      frames.push(now - last);
      last = now;
    }
    // Work a scroll set off (page fetches, thumbnail decodes) lands after it: wait for it too.
    await new Promise((r) => setTimeout(r, 400));
    observer.disconnect();
    results.push({ name, frames, longTasks });
  };
  const repeat = (n: number, f: () => void) => Array.from({ length: n }, () => f);
  // Slower than the grid's "fast" threshold, so thumbnails load as rows come into view.
  await phase(
    'reading scroll: 40 px a frame for 180 frames',
    repeat(180, () => (scroller.scrollTop += 40)),
  );
  await phase('fling: 900 px a frame for 240 frames, and back', [
    ...repeat(240, () => (scroller.scrollTop += 900)),
    ...repeat(120, () => (scroller.scrollTop -= 900)),
  ]);
  const jump = (to: number) => () => (scroller.scrollTop = (scroller.scrollHeight - scroller.clientHeight) * to);
  await phase(
    'jumps: middle, end, 10 %, each held 30 frames',
    [0.5, 1, 0.1].flatMap((to) => [jump(to), ...repeat(29, () => {})]),
  );
  return results;
}

// ---- run ---------------------------------------------------------------------------------------

console.log('### bundle size\n');
console.log(bundleTable());

interface Gallery {
  total: number;
  url: string;
  expectCount: string;
  close(): Promise<void>;
}

async function startGallery(total: number): Promise<Gallery> {
  const libraryDir = await scaleLibrary(total, (m) => console.log(m));
  const app = await startWebApp({ defaultLibraryDir: libraryDir });
  return {
    total,
    url: app.server.url,
    expectCount: `${total.toLocaleString('en-US')} images`,
    async close() {
      await app.close();
    },
  };
}

async function measureScroll(browser: Browser, url: string): Promise<string[][]> {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'dark' });
  try {
    const page = await context.newPage();
    await page.addInitScript(installPaintProbe);
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __paint: PaintProbe }).__paint.thumbs > 0);
    await page.waitForTimeout(300); // let start-up work settle
    const phases = await page.evaluate(scrollPhases);
    return phases.map((p) => [
      p.name,
      String(p.frames.length),
      ms(median(p.frames)),
      ms(percentile(p.frames, 0.95)),
      ms(Math.max(...p.frames)),
      String(p.longTasks.length),
      p.longTasks.length ? ms(Math.max(...p.longTasks)) : 'none',
    ]);
  } finally {
    await context.close();
  }
}

const browser = await launchChromium();
const galleries: Gallery[] = [];
const paintRows: string[][] = [];
let scrollRows: string[][] = [];
try {
  for (const total of SIZES) galleries.push(await startGallery(total));
  // Warm-up (server caches, Chromium's code cache), then the sizes take turns, so a burst of load
  // from elsewhere on the machine hits both alike.
  for (const g of galleries) await firstPaint(browser, g.url, g.expectCount);
  const loads = galleries.map((): PaintProbe[] => []);
  for (let i = 0; i < LOADS; i++) {
    for (const [k, g] of galleries.entries()) loads[k]!.push(await firstPaint(browser, g.url, g.expectCount));
  }
  for (const [k, g] of galleries.entries()) {
    const l = loads[k]!;
    paintRows.push([
      g.total.toLocaleString('en-US'),
      ms(median(l.map((x) => x.tiles))),
      ms(median(l.map((x) => x.thumbs))),
      String(median(l.map((x) => x.visibleTiles))),
      ms(median(l.map((x) => x.longestTask))),
    ]);
  }
  scrollRows = await measureScroll(browser, galleries.at(-1)!.url);
} finally {
  await browser.close();
  for (const g of galleries) await g.close();
}

console.log('\n### gallery first paint\n');
console.log(
  markdownTable(
    ['entries', 'tiles in DOM', 'first screen of thumbnails', 'tiles on screen', 'longest task while loading'],
    paintRows,
    [true, true, true, true, true],
  ),
);
console.log(
  `\nMedians of ${LOADS} cold loads each, taking turns (fresh context each, after one warm-up load), ${VIEWPORT.width}×${VIEWPORT.height}` +
    '\nviewport, ms since navigation start. "tiles in DOM": first frame with an entry tile; "first screen of' +
    '\nthumbnails": first frame where every tile in the gallery viewport has its thumbnail loaded and decoded.',
);
console.log('\n### scrolling 1 000 000 entries\n');
console.log(
  markdownTable(
    ['phase', 'frames', 'frame median', 'frame p95', 'frame max', 'long tasks (> 50 ms)', 'longest task'],
    scrollRows,
    [false, true, true, true, true, true, true],
  ),
);
console.log('\nFrame: time between animation frames (16.7 ms at 60 Hz). Headless Chromium, --disable-gpu.');
