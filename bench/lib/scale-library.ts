/**
 * Libraries of 100, 100 000 and 1 000 000 entries for the scale benchmarks (bench/scale.ts and the
 * renderer bench): 12 real images saved through the library (thumbnails, embedded metadata), and
 * every other entry sharing their files with its own id, time and prompt.
 *
 * Prompts are varied like real ones: 10 to 24 words drawn from 3 000 (60 common English words of
 * image prompts and made-up words), the 60 common ones far more frequent than the rest, so a search
 * word matches anything from a handful of entries to a tenth of them (see SEARCHES).
 *
 * Filling a million entries takes minutes, so each library is kept in the temp folder between runs
 * (`fg-bench-scale-<version>-<n>`), complete once its `ready` mark is written.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { HistoryStore } from '../../main/library/history-store';
import { LAYOUT } from '../../main/library/paths';
import type { HistoryEntry } from '../../shared/library';
import { seedImages } from '../../test/e2e/support/seed';

const VERSION = 'v3';
const CHUNK = 20_000;

const COMMON = (
  'portrait castle forest neon city dragon ocean robot river mountain cat dog girl woman man warrior ' +
  'knight wizard sunset night rain snow street garden flower temple ship space station desert jungle ' +
  'cyberpunk steampunk watercolor oil painting photograph cinematic lighting detailed soft dramatic ' +
  'golden hour fog misty ancient futuristic glowing crystal armor cloak lantern bridge tower village ' +
  'market'
).split(' ');
const SYLLABLES = 'ka lo mi ne ru sa ti vo ze ba de fi go hu ja ke li mo nu pa qui re so tu va we xi yo zu'.split(' ');

/** A deterministic generator (mulberry32): the same library on every machine and run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vocabulary(): string[] {
  const rnd = random(7);
  const words = new Set(COMMON);
  while (words.size < 3000) {
    const n = 2 + Math.floor(rnd() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rnd() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

/** What the search benchmark types: a word in about 0.4 % of prompts, one in about 10 %, two words, a prefix. */
export const SEARCHES = [
  { label: 'rare word', text: vocabulary()[2000]! },
  { label: 'common word', text: 'portrait' },
  { label: 'two words', text: 'castle fog' },
  { label: 'a prefix', text: 'cas' },
];

export function makePrompt(rnd: () => number, words: readonly string[]): string {
  const n = 10 + Math.floor(rnd() * 15);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    // A third of the words are common ones (each in about a tenth of the prompts), the rest rare
    // (each in about 0.4 %).
    const k = rnd() < 0.35 ? Math.floor(rnd() * COMMON.length) : Math.floor(rnd() * words.length);
    out.push(words[k]!);
  }
  return out.join(' ');
}

/** The library folder with `n` entries (made once, then reused). */
export async function scaleLibrary(n: number, log: (m: string) => void = () => {}): Promise<string> {
  const dir = path.join(tmpdir(), `fg-bench-scale-${VERSION}-${n}`);
  const ready = path.join(dir, 'ready');
  if (existsSync(ready)) return dir;
  rmSync(dir, { recursive: true, force: true });
  const t0 = performance.now();
  const base = await seedImages(
    dir,
    Array.from({ length: 12 }, (_, i) => ({ prompt: `seeded image ${i}` })),
  );
  const oldest = Math.min(...base.map((e) => Date.parse(e.createdAt)));
  const words = vocabulary();
  const rnd = random(42);
  const store = HistoryStore.open({ dir: path.join(dir, LAYOUT.index) });
  try {
    for (let from = 0; from < n - base.length; from += CHUNK) {
      const batch: HistoryEntry[] = [];
      for (let k = from; k < Math.min(n - base.length, from + CHUNK); k++) {
        const src = base[k % base.length]!;
        batch.push({
          ...src,
          params: { ...src.params },
          id: `s${k.toString(36).padStart(8, '0')}`,
          prompt: makePrompt(rnd, words),
          createdAt: new Date(oldest - (k + 1) * 1000).toISOString(),
          favourite: k % 13 === 0,
          ...(k % 5 === 0 ? { rating: 1 + (k % 5) } : {}),
        });
      }
      store.addMany(batch);
      if (n >= 100_000 && (from / CHUNK) % 10 === 0)
        log(`  filling ${n.toLocaleString('en-US')}: ${from.toLocaleString('en-US')}…`);
    }
  } finally {
    store.close();
  }
  writeFileSync(ready, `${Math.round(performance.now() - t0)} ms to fill\n`);
  log(`  ${n.toLocaleString('en-US')} entries made in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return dir;
}
