/**
 * Entries of images other tools made (issue 18): they keep the tool and the model name read from
 * the metadata, validated; their details show those; reusing their parameters sends them to the
 * user's current model and route (never to the `space:imported/…` filing id); search and filters
 * keep working.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPaths } from '../../main/import/importer';
import { HistoryEntrySchema } from '../../main/library/entry-schema';
import { openLibrary, type Library } from '../../main/library/library';
import { createNodePlatform } from '../../main/platform';
import { listModels, listProviders } from '../../main/providers/registry';
import { INITIAL_FORM, formFromParams, toRequest } from '../../renderer/src/generate/form';
import { IMPORTED_PROVIDER_PREFIX, isImportedEntry, type HistoryEntry } from '../../shared/library';
import { saveInput, tempDir } from '../library/helpers';
import { A1111_TEXT, COMFY_FLUX_PROMPT, pngWith } from './fixtures';

describe('imported entries: model, tool, reuse', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let lib: Library;
  const open = () =>
    openLibrary({ dir: path.join(root, 'lib'), platform: createNodePlatform(path.join(root, 'trash')) });
  const ids: Record<string, string> = {};

  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('fg-imported-'));
    lib = await open();
    const files = {
      a1111: await pngWith([['parameters', A1111_TEXT]], [64, 48], { r: 1, g: 1, b: 1 }),
      comfy: await pngWith([['prompt', COMFY_FLUX_PROMPT]], [64, 48], { r: 2, g: 2, b: 2 }),
      bare: await pngWith([], [64, 48], { r: 3, g: 3, b: 3 }),
    };
    for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(root, `${name}.png`), bytes);
    const report = await importPaths(
      lib,
      Object.keys(files).map((n) => path.join(root, `${n}.png`)),
    );
    for (const f of report.files) ids[path.basename(f.path, '.png')] = f.id!;
    expect(report.counts.imported).toBe(3);
  });
  afterEach(async () => {
    await lib.dispose();
    await cleanup();
  });

  it('keep the tool and the model name from the metadata, validated, after a re-open too', async () => {
    await lib.dispose();
    lib = await open();
    const a = lib.get(ids.a1111!);
    expect(a).toMatchObject({
      providerId: `${IMPORTED_PROVIDER_PREFIX}a1111`,
      params: { source: 'a1111', modelName: 'juggernautXL_v9', sampler: 'DPM++ 2M Karras', cfgScale: 7 },
    });
    expect(lib.get(ids.comfy!)).toMatchObject({ params: { source: 'comfyui', modelName: 'flux1-dev.safetensors' } });
    const bare = lib.get(ids.bare!);
    expect(bare.providerId).toBe(`${IMPORTED_PROVIDER_PREFIX}file`);
    expect(bare.params.source).toBeUndefined();
    for (const id of Object.values(ids)) expect(isImportedEntry(lib.get(id))).toBe(true);
    // The schema checks the fields: an unknown tool or a model name that is not text is refused.
    expect(HistoryEntrySchema.safeParse(a).success).toBe(true);
    expect(HistoryEntrySchema.safeParse({ ...a, params: { ...a.params, source: 'photoshop' } }).success).toBe(false);
    expect(HistoryEntrySchema.safeParse({ ...a, params: { ...a.params, modelName: 42 } }).success).toBe(false);
  });

  it("reuse: an imported image's parameters name no model and no provider; a generated one's still do", async () => {
    const reused = lib.reuse(ids.a1111!);
    expect(reused).not.toHaveProperty('model');
    expect(reused).not.toHaveProperty('provider');
    expect(reused).toMatchObject({
      prompt: expect.stringContaining('a castle on a hill'),
      negativePrompt: 'blurry, lowres,\nugly hands',
      seed: 1234567,
      steps: 28,
      width: 832,
      height: 1216,
      randomizeSeed: false,
    });
    const made = await lib.saveImage(await saveInput());
    expect(isImportedEntry(made)).toBe(false);
    expect(lib.reuse(made.id)).toMatchObject({ model: made.model, provider: made.providerId });

    // The generation panel keeps the user's model and leaves the route to the app.
    const models = { models: listModels(), providers: listProviders() };
    const current = { ...INITIAL_FORM, model: 'flux-schnell' as const, provider: 'bfl-flux1-schnell' as const };
    const form = formFromParams(current, reused, models);
    expect(form).toMatchObject({ model: 'flux-schnell', provider: '', prompt: reused.prompt, seed: '1234567' });
    expect(toRequest(form).params).toMatchObject({ model: 'flux-schnell' });
    expect(toRequest(form).params).not.toHaveProperty('provider');
  });

  it('search and filters: by text, by the tool (provider filter), by model', () => {
    const texts = (items: HistoryEntry[]) => items.map((e) => e.id).sort();
    expect(texts(lib.query({ text: 'castle' }).items)).toEqual([ids.a1111]);
    expect(texts(lib.query({ text: 'neon city' }).items)).toEqual([ids.comfy]);
    expect(texts(lib.query({ providerId: `${IMPORTED_PROVIDER_PREFIX}comfyui` as never }).items)).toEqual([ids.comfy]);
    expect(lib.query({ model: 'flux' }).total).toBe(3);
    expect(lib.query({ model: 'flux-dev' }).total).toBe(0);
    expect(lib.listIds({ providerId: `${IMPORTED_PROVIDER_PREFIX}a1111` as never }).ids).toEqual([ids.a1111]);
  });
});
