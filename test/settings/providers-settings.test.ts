/**
 * Settings for the providers beyond the three Spaces, kept in electron-store's core (`conf`) on
 * disk: saved Spaces, Inference Providers (off by default in routing), the order per alias. A file
 * edited by hand (or by a newer version) loses only its bad entries.
 */
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSettingsService } from '../../main/settings/settings-service';
import { plainSecretCodec } from '../../main/settings/secret-codec';
import { confStoreFactory } from '../../main/store';
import { SettingsPatchSchema } from '../../shared/settings';
import type { SavedSpace } from '../../shared/spaces';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fg-provset-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const service = () =>
  createSettingsService({
    storeFactory: confStoreFactory,
    dataDir: path.join(dir, 'data'),
    defaultLibraryDir: path.join(dir, 'lib'),
    secrets: plainSecretCodec,
  });

const SAVED: SavedSpace = {
  id: 'space:me/sd-style',
  label: 'My SD Space',
  baseUrl: 'https://me-sd-style.hf.space',
  spaceId: 'me/sd-style',
  endpoint: {
    apiName: 'generate',
    fnIndex: 0,
    inputs: [
      { index: 0, key: 'prompt', label: 'Prompt', kind: 'text', component: 'textbox', default: '' },
      {
        index: 1,
        key: 'scheduler',
        label: 'Scheduler',
        kind: 'dropdown',
        component: 'dropdown',
        default: 'Euler a',
        choices: [
          { label: 'Euler a', value: 'Euler a' },
          { label: 'DDIM', value: 'DDIM' },
        ],
      },
    ],
    outputs: [{ index: 0, kind: 'image', label: null }],
    imageOutput: 0,
    seedOutput: null,
    mapping: [{ index: 0, param: 'prompt' }],
  },
  aliases: ['flux'],
  addedAt: 1,
};

describe('provider settings', () => {
  it('start empty: no Spaces, Inference Providers off for every alias, the default order', () => {
    const s = service().get();
    expect(s.customSpaces).toEqual([]);
    expect(s.inference).toEqual({ models: [], provider: 'auto', fallbackAliases: [], url: null });
    expect(s.aliasOrder).toEqual({});
  });

  it('saved Spaces, inference choices and the order survive a restart', async () => {
    const a = service();
    a.updateSpaces(() => [SAVED]);
    await a.update(
      SettingsPatchSchema.parse({
        inference: { models: ['stabilityai/sdxl', 'stabilityai/sdxl'], provider: 'fal-ai', fallbackAliases: ['flux'] },
        aliasOrder: { flux: ['space:me/sd-style', 'bfl-flux1-schnell'] },
      }),
    );
    const b = service().get();
    expect(b.customSpaces).toEqual([SAVED]);
    expect(b.inference).toEqual({
      models: ['stabilityai/sdxl'],
      provider: 'fal-ai',
      fallbackAliases: ['flux'],
      url: null,
    });
    expect(b.aliasOrder).toEqual({ flux: ['space:me/sd-style', 'bfl-flux1-schnell'] });
    // A partial patch keeps the rest; an empty order restores the default.
    await service().update(SettingsPatchSchema.parse({ inference: { fallbackAliases: [] }, aliasOrder: { flux: [] } }));
    const c = service().get();
    expect(c.inference.provider).toBe('fal-ai');
    expect(c.inference.fallbackAliases).toEqual([]);
    expect(c.aliasOrder).toEqual({});
  });

  it('refuses bad values in words', () => {
    const bad = [
      { inference: { models: ['not a model'] } },
      { inference: { provider: 'Fal AI!' } },
      { inference: { url: 'http://router.example.com' } },
      { aliasOrder: { flux: ['space:../etc'] } },
      { aliasOrder: { 'flux-pro': [] } },
    ];
    for (const patch of bad) expect(SettingsPatchSchema.safeParse(patch).success, JSON.stringify(patch)).toBe(false);
  });

  it('a hand-edited file: bad saved Spaces and values are left out, the good ones kept', async () => {
    await mkdir(path.join(dir, 'data'), { recursive: true });
    await writeFile(
      path.join(dir, 'data', 'settings.json'),
      JSON.stringify({
        customSpaces: [SAVED, { id: 'space:x/y', label: '' }, 'junk'],
        inference: {
          models: ['ok/model', 'bad model'],
          provider: 'NOPE',
          fallbackAliases: ['flux', 'flux-pro'],
          url: 5,
        },
        aliasOrder: { flux: ['bfl-flux1-dev', 'nope'], other: ['bfl-flux1-dev'] },
      }),
    );
    const s = service().get();
    expect(s.customSpaces).toEqual([SAVED]);
    expect(s.inference).toEqual({ models: ['ok/model'], provider: 'auto', fallbackAliases: ['flux'], url: null });
    expect(s.aliasOrder).toEqual({ flux: ['bfl-flux1-dev'] });
  });

  it('at most 32 saved Spaces', () => {
    const s = service();
    const many = Array.from({ length: 33 }, (_, i) => ({ ...SAVED, id: `space:me/s${i}` as const }));
    expect(() => s.updateSpaces(() => many)).toThrow(/At most 32 Spaces/);
    expect(s.get().customSpaces).toEqual([]);
  });

  it('tells its listeners when Spaces change', async () => {
    const s = service();
    const seen: number[] = [];
    s.onChange((p) => seen.push(p.customSpaces.length));
    s.updateSpaces(() => [SAVED]);
    s.updateSpaces(() => []);
    expect(seen).toEqual([1, 0]);
    expect(JSON.parse(await readFile(path.join(dir, 'data', 'settings.json'), 'utf8')).customSpaces).toEqual([]);
  });
});
