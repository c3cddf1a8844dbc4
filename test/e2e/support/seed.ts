/**
 * Seeds a library folder before the app starts, through the library's own API: real images with
 * thumbnails and embedded metadata (Library.saveImage), then optionally many more history entries
 * that share those files (HistoryStore.addMany), for the 50 000-entry scroll test.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HistoryEntry } from '../../../shared/library';
import { GenerationParamsSchema, type ModelAlias, type ProviderId } from '../../../shared/params';
import { HistoryStore } from '../../../main/library/history-store';
import { openLibrary } from '../../../main/library/library';
import { LAYOUT } from '../../../main/library/paths';
import { createNodePlatform } from '../../../main/platform';
import { confStoreFactory } from '../../../main/store';
import { makePng } from './images';

export interface SeedImage {
  prompt: string;
  model?: ModelAlias;
  providerId?: ProviderId;
  seed?: number;
  width?: number;
  height?: number;
}

export async function makeLibraryDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'flux-gallery-e2e-lib-'));
}

/** Saves the images newest-last (so the first one listed ends up last in the gallery). */
export async function seedImages(libraryDir: string, images: SeedImage[]): Promise<HistoryEntry[]> {
  const lib = await openLibrary({
    dir: libraryDir,
    platform: createNodePlatform(path.join(libraryDir, '..', 'seed-trash')),
    scanOnOpen: false,
  });
  const start = Date.now() - images.length * 60_000;
  const saved: HistoryEntry[] = [];
  try {
    for (const [i, img] of images.entries()) {
      const width = img.width ?? 512;
      const height = img.height ?? 512;
      const model = img.model ?? (i % 2 ? 'flux-schnell' : 'flux-dev');
      const providerId = img.providerId ?? (model === 'flux-schnell' ? 'bfl-flux1-schnell' : 'bfl-flux1-dev');
      const seed = img.seed ?? 1000 + i;
      const request = GenerationParamsSchema.parse({ prompt: img.prompt, model, provider: providerId, seed });
      saved.push(
        await lib.saveImage({
          bytes: await makePng(i, width, height),
          request,
          providerId,
          resolved: {
            prompt: img.prompt,
            width,
            height,
            steps: model === 'flux-schnell' ? 4 : 28,
            ...(model === 'flux-schnell' ? {} : { guidance: 3.5 }),
            seed,
            randomizeSeed: false,
            aspectRatio: '1:1',
          },
          seed,
          durationMs: 3000 + i * 100,
          createdAt: new Date(start + i * 60_000),
        }),
      );
    }
  } finally {
    await lib.dispose();
  }
  return saved;
}

/**
 * Adds `count` history entries that reuse the files of `base` (so thumbnails load), each with its
 * own id, prompt and time, older than everything in `base`.
 */
export function seedClones(libraryDir: string, base: HistoryEntry[], count: number): void {
  const store = HistoryStore.open({ dir: path.join(libraryDir, LAYOUT.index), storeFactory: confStoreFactory });
  const oldest = Math.min(...base.map((e) => Date.parse(e.createdAt)));
  const clones: HistoryEntry[] = [];
  for (let n = 0; n < count; n++) {
    const src = base[n % base.length]!;
    clones.push({
      ...src,
      params: { ...src.params },
      id: `clone${String(n).padStart(6, '0')}`,
      prompt: `${src.prompt} #${n}`,
      createdAt: new Date(oldest - (n + 1) * 1000).toISOString(),
      favourite: false,
    });
  }
  store.addMany(clones);
}
