/**
 * Saving the CLI's image: through the library (main/library), so it gets the same checks,
 * metadata, thumbnail and history entry as in the app. Kept small so generate.ts needs no change.
 */
import path from 'node:path';
import type { GenerationParams, ProviderId, ResolvedParams } from '../../shared/params';
import { openLibrary } from '../library/library';
import { LAYOUT } from '../library/paths';
import { createNodePlatform } from '../platform';

export interface SaveInput {
  bytes: Buffer;
  /** As the server sent it; informational (the library trusts the bytes, not the header). */
  contentType: string;
  libraryDir: string;
  params: GenerationParams;
  resolved: ResolvedParams;
  providerId: ProviderId;
  seed: number | null;
  /** How long the generation took (ms); 0 when unknown. */
  durationMs?: number;
}

export interface Saved {
  id: string;
  /** Absolute path of the image. */
  file: string;
}

export async function saveImage(input: SaveInput): Promise<Saved> {
  const dir = path.resolve(input.libraryDir);
  // No routine scan: a one-shot save should not walk a large library (the app does at start).
  const lib = await openLibrary({
    dir,
    platform: createNodePlatform(path.join(dir, LAYOUT.localTrash)),
    scanOnOpen: false,
    purgeLeftoversOnOpen: false,
  });
  try {
    const entry = await lib.saveImage({
      bytes: input.bytes,
      request: input.params,
      providerId: input.providerId,
      resolved: input.resolved,
      seed: input.seed,
      durationMs: input.durationMs ?? 0,
    });
    return { id: entry.id, file: path.join(lib.dir, entry.file) };
  } finally {
    await lib.dispose();
  }
}
