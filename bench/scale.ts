/**
 * The library at 100, 100 000 and 1 000 000 entries (issue 18), main process side:
 *
 *   npm run bench -- scale          (sizes: node out/bench/scale.mjs 100 100000)
 *
 * For each size, in a fresh Node process each time (nothing cached in V8 or in this process):
 *  - start-up: open the library as the app does, then the gallery's first query (100 newest and the
 *    total), which is what the first tiles wait for; median of 5 starts, with the ratio to the
 *    empty library's (target: at most 1.5×);
 *  - search: the gallery's search box (first page of 100 and the total), for the SEARCHES of
 *    bench/lib/scale-library.ts; median of 5 after one cold run (target: under 100 ms);
 *  - paging deep: a page of 100 at the middle and at the end of the newest-first order (what a
 *    scrollbar drag asks for);
 *  - memory: the process's RSS and V8 heap after opening and the queries, against the empty library's.
 * Scrolling at these sizes is measured in Chromium by the renderer bench (`npm run bench -- renderer`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openLibrary } from '../main/library/library';
import { createNodePlatform } from '../main/platform';
import { bytes, markdownTable, median, ms, ratio } from './lib/report';
import { scaleLibrary, SEARCHES } from './lib/scale-library';

const STARTS = 5;
const RUNS = 5;

interface ChildResult {
  open: number;
  firstPage: number;
  total: number;
  searches: { label: string; first: number; median: number; total: number }[];
  deep: { middle: number; end: number };
  rss: number;
  heap: number;
}

/** In the child: one start of the library, then the queries. */
async function child(dir: string, withQueries: boolean): Promise<ChildResult> {
  const trash = mkdtempSync(path.join(tmpdir(), 'fg-bench-trash-'));
  const t0 = performance.now();
  // As the app opens it (main/core.ts): the scan for images without entries runs after the open.
  const lib = await openLibrary({ dir, platform: createNodePlatform(trash), scanOnOpen: 'background' });
  const t1 = performance.now();
  const page = lib.query({ limit: 100 });
  const t2 = performance.now();
  const out: ChildResult = {
    open: t1 - t0,
    firstPage: t2 - t0,
    total: page.total,
    searches: [],
    deep: { middle: 0, end: 0 },
    rss: 0,
    heap: 0,
  };
  if (withQueries) {
    for (const s of SEARCHES) {
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i <= RUNS; i++) {
        const a = performance.now();
        total = lib.query({ text: s.text, limit: 100 }).total;
        times.push(performance.now() - a);
      }
      out.searches.push({ label: s.label, first: times[0]!, median: median(times.slice(1)), total });
    }
    const at = (offset: number) => {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const a = performance.now();
        lib.query({ limit: 100, offset });
        times.push(performance.now() - a);
      }
      return median(times);
    };
    out.deep = { middle: at(Math.floor(page.total / 2)), end: at(Math.max(0, page.total - 100)) };
  }
  await lib.waitForScan();
  (globalThis as { gc?: () => void }).gc?.();
  const mem = process.memoryUsage();
  out.rss = mem.rss;
  out.heap = mem.heapUsed;
  await lib.dispose();
  rmSync(trash, { recursive: true, force: true });
  return out;
}

function runChild(dir: string, withQueries: boolean): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--expose-gc', self, '--child', dir, withQueries ? 'queries' : 'open'], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildResult;
}

async function main(): Promise<void> {
  const asked = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const sizes = asked.length ? asked : [100, 100_000, 1_000_000];
  const empty = mkdtempSync(path.join(tmpdir(), 'fg-bench-empty-'));
  const dirs = new Map<number, string>([[0, empty]]);
  for (const n of sizes) dirs.set(n, await scaleLibrary(n, (m) => console.log(m)));
  const all = [0, ...sizes];
  // Warm the page cache of every file once, then starts take turns so a burst of load hits all alike.
  for (const n of all) runChild(dirs.get(n)!, false);
  const starts = new Map<number, ChildResult[]>(all.map((n) => [n, []]));
  for (let i = 0; i < STARTS; i++) for (const n of all) starts.get(n)!.push(runChild(dirs.get(n)!, false));
  const full = new Map(all.map((n) => [n, runChild(dirs.get(n)!, true)]));
  rmSync(empty, { recursive: true, force: true });

  const startOf = (n: number) => median(starts.get(n)!.map((r) => r.firstPage));
  const base = startOf(0);
  console.log('### start-up to the first page\n');
  console.log(
    markdownTable(
      ['entries', 'open', 'open + first page of 100', 'vs empty library'],
      all.map((n) => [
        n.toLocaleString('en-US'),
        ms(median(starts.get(n)!.map((r) => r.open))),
        ms(startOf(n)),
        ratio(startOf(n), base),
      ]),
      [true, true, true, true],
    ),
  );
  console.log(`\nMedians of ${STARTS} starts, each in a fresh Node process (file pages cached by the OS).\n`);

  console.log('### search (first page of 100 and the total)\n');
  const head = ['entries', ...SEARCHES.map((s) => `${s.label} "${s.text}"`)];
  console.log(
    markdownTable(
      head,
      sizes.map((n) => {
        const r = full.get(n)!;
        return [
          n.toLocaleString('en-US'),
          ...r.searches.map((s) => `${ms(s.median)} (${s.total.toLocaleString('en-US')} found; cold ${ms(s.first)})`),
        ];
      }),
      head.map(() => true),
    ),
  );
  console.log(`\nMedian of ${RUNS} runs after a cold one.\n`);

  console.log('### paging deep, memory\n');
  const e = full.get(0)!;
  console.log(
    markdownTable(
      ['entries', 'page at the middle', 'page at the end', 'RSS', 'V8 heap', 'RSS growth per 100 000 entries'],
      all.map((n) => {
        const r = full.get(n)!;
        return [
          n.toLocaleString('en-US'),
          ms(r.deep.middle),
          ms(r.deep.end),
          bytes(r.rss),
          bytes(r.heap),
          n >= 100_000 ? bytes(((r.rss - e.rss) / n) * 100_000) : '–',
        ];
      }),
      [true, true, true, true, true, true],
    ),
  );
  console.log('\nAfter opening and every query above, after a garbage collection.');
}

if (process.argv[2] === '--child') {
  const result = await child(process.argv[3]!, process.argv[4] === 'queries');
  console.log(JSON.stringify(result));
} else await main();
