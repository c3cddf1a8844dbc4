/**
 * Images are filed under the model that made them (the provider's own), with the alias asked for
 * kept beside it; history written before that field existed is read the same way.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INDEX_FILE } from '../../main/library/history-store';
import { MIGRATED_DIR } from '../../main/library/legacy-shards';
import { openLibrary } from '../../main/library/library';
import { LAYOUT } from '../../main/library/paths';
import { readTextChunks } from '../../main/library/png-text-chunks';
import { EMBED_KEYWORD } from '../../main/library/png-metadata';
import { createNodePlatform } from '../../main/platform';
import { params, saveInput, tempDir, writeLegacyShard } from './helpers';

describe('the model that ran', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('fg-model-'));
  });
  afterEach(() => cleanup());
  const open = () => openLibrary({ dir, platform: createNodePlatform(path.join(dir, '..', 'trash')) });

  it('files an image asked as "flux" under the provider’s model, keeping the alias asked for', async () => {
    const lib = await open();
    const dev = await lib.saveImage(await saveInput({ request: params({ model: 'flux' }) }));
    const schnell = await lib.saveImage(
      await saveInput({ request: params({ model: 'flux' }), providerId: 'voodoohop-flux1-schnell' }),
    );
    const direct = await lib.saveImage(await saveInput({ request: params({ model: 'flux-dev' }) }));
    expect(dev).toMatchObject({ model: 'flux-dev', requestedModel: 'flux' });
    expect(schnell).toMatchObject({ model: 'flux-schnell', requestedModel: 'flux' });
    expect(direct.model).toBe('flux-dev');
    expect(direct).not.toHaveProperty('requestedModel');
    expect(
      lib
        .query({ model: 'flux-dev' })
        .items.map((e) => e.id)
        .sort(),
    ).toEqual([dev.id, direct.id].sort());
    expect(lib.query({ model: 'flux-schnell' }).items.map((e) => e.id)).toEqual([schnell.id]);
    // The embedded record says the same (recovery rebuilds it from there).
    const chunks = readTextChunks(await readFile(path.join(dir, dev.file)));
    expect(JSON.parse(chunks.get(EMBED_KEYWORD)!)).toMatchObject({ model: 'flux-dev', requestedModel: 'flux' });
    await lib.dispose();
  });

  it('reads entries of older versions (alias stored as the model) as the model that ran', async () => {
    const lib = await open();
    const saved = await lib.saveImage(await saveInput({ request: params({ model: 'flux' }) }));
    await lib.dispose();
    // The library as an older version left it: a shard whose entry has `model` = the alias asked
    // for and no requestedModel (and no SQLite index yet).
    const indexDir = path.join(dir, LAYOUT.index);
    await rm(path.join(indexDir, INDEX_FILE));
    const old: Record<string, unknown> = { ...saved, model: 'flux' };
    delete old.requestedModel;
    await writeLegacyShard(indexDir, 1, [old]);

    const again = await open();
    expect(again.get(saved.id)).toMatchObject({ model: 'flux-dev', requestedModel: 'flux' });
    expect(again.query({ model: 'flux-dev' }).total).toBe(1);
    expect(again.query({ model: 'flux' }).total).toBe(0);
    // Read from the shard (moved in, kept aside), not rebuilt from the image.
    expect(again.report.recovered).toBe(0);
    expect(await readdir(path.join(indexDir, MIGRATED_DIR))).toEqual(['history-000001.json']);
    await again.dispose();
  });
});
