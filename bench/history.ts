/**
 * History index benchmark: append and load times at 100, 10 000 and 50 000 entries.
 *
 *   npm run bench -- history
 *   (or: node scripts/build.mjs --only=bench && node out/bench/history.mjs [sizes…])
 *
 * For each size it fills a fresh index in a temp folder (bulk, like a rebuild), then times
 *  - append: 200 single appends, each written to disk before the next (what saving an image does);
 *  - load: opening the index from disk (what the app does at start);
 *  - query: a text search over every entry, first page (what the gallery's search box does).
 * The point to check: append time stays flat as the history grows (one SQLite transaction each).
 * The larger sizes, up to a million, are in bench/scale.ts.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { HistoryStore } from '../main/library/history-store';
import { confStoreFactory } from '../main/store';
import type { HistoryEntry } from '../shared/library';
import { HistoryQuerySchema } from '../shared/library';
import { MODEL_ALIASES, PROVIDER_IDS } from '../shared/params';
import { markdownTable, ms, percentile } from './lib/report';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const SIZES = sizes.length ? sizes : [100, 10_000, 50_000];
const APPENDS = 200;
const WORDS = ['fox', 'castle', 'river', 'neon', 'portrait', 'forest', 'robot', 'ocean', 'city', 'dragon'];

function entry(i: number): HistoryEntry {
  const id = `b${i.toString(36).padStart(10, '0')}`;
  const createdAt = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
  const month = createdAt.slice(0, 7).replace('-', '/');
  return {
    id,
    prompt: `a ${WORDS[i % WORDS.length]} in the style of an old photograph, soft light, detailed, number ${i}`,
    model: MODEL_ALIASES[i % MODEL_ALIASES.length]!,
    providerId: PROVIDER_IDS[i % PROVIDER_IDS.length]!,
    params: { aspectRatio: '1:1', width: 1024, height: 1024, steps: 28, guidance: 3.5, seed: i, randomizeSeed: true },
    seed: i,
    createdAt,
    durationMs: 8000 + (i % 5000),
    file: `images/${month}/${id}.png`,
    thumb: `thumbs/${month}/${id}.webp`,
    width: 1024,
    height: 1024,
    bytes: 1_400_000,
    favourite: i % 13 === 0,
  };
}

const rows: string[][] = [];
for (const n of SIZES) {
  const dir = mkdtempSync(path.join(tmpdir(), 'fg-bench-history-'));
  try {
    const open = () => HistoryStore.open({ dir, storeFactory: confStoreFactory });
    const store = open();
    const t0 = performance.now();
    store.addMany(Array.from({ length: n }, (_, i) => entry(i)));
    const fill = performance.now() - t0;

    const appends: number[] = [];
    for (let i = 0; i < APPENDS; i++) {
      const t = performance.now();
      store.add(entry(n + i));
      appends.push(performance.now() - t);
    }

    const t1 = performance.now();
    const loaded = open();
    const load = performance.now() - t1;
    if (loaded.size !== n + APPENDS) throw new Error(`loaded ${loaded.size}, expected ${n + APPENDS}`);

    const q = HistoryQuerySchema.parse({ text: 'castle photograph', limit: 200 });
    const t2 = performance.now();
    const page = loaded.query(q);
    const query = performance.now() - t2;

    const files = readdirSync(dir).length;
    const mean = appends.reduce((a, b) => a + b, 0) / appends.length;
    rows.push([
      n.toLocaleString('en-US'),
      String(files),
      ms(fill),
      ms(mean),
      ms(percentile(appends, 0.95)),
      ms(load),
      `${ms(query)} (${page.total} hits)`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  markdownTable(['entries', 'index files', 'bulk fill', 'append mean', 'append p95', 'load', 'text query'], rows, [
    true,
    true,
    true,
    true,
    true,
    true,
    true,
  ]),
);
console.log(
  `\n${APPENDS} appends per size, each committed to disk (one SQLite transaction, synchronous = FULL) before the next.`,
);
