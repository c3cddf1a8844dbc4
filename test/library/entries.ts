/** Synthetic history entries (no image files) for index tests and the bench. */
import type { HistoryEntry } from '../../shared/library';
import { MODEL_ALIASES, PROVIDER_IDS } from '../../shared/params';

const WORDS = ['fox', 'castle', 'river', 'neon', 'portrait', 'forest', 'robot', 'ocean', 'city', 'dragon'];

export function makeEntry(i: number, over: Partial<HistoryEntry> = {}): HistoryEntry {
  const id = `e${String(i).padStart(8, '0')}`;
  const createdAt = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
  const month = createdAt.slice(0, 7).replace('-', '/');
  return {
    id,
    prompt: `a ${WORDS[i % WORDS.length]} number ${i}`,
    model: MODEL_ALIASES[i % MODEL_ALIASES.length]!,
    providerId: PROVIDER_IDS[i % PROVIDER_IDS.length]!,
    params: { aspectRatio: '1:1', width: 1024, height: 1024, steps: 28, guidance: 3.5, seed: i, randomizeSeed: true },
    seed: i,
    createdAt,
    durationMs: 1000 + i,
    file: `images/${month}/${id}.png`,
    thumb: `thumbs/${month}/${id}.webp`,
    width: 1024,
    height: 1024,
    bytes: 1_000_000,
    favourite: i % 7 === 0,
    ...over,
  };
}
