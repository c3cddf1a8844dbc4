/** The image details (lightbox parameters): an imported image shows its tool and model name, not ours. */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nContext, createI18n } from '../../renderer/src/i18n/i18n';
import { ParamsList } from '../../renderer/src/lightbox/ParamsList';
import type { HistoryEntry } from '../../shared/library';

const base: HistoryEntry = {
  id: 'e1',
  prompt: 'a castle',
  model: 'flux-dev',
  providerId: 'bfl-flux1-dev',
  params: { aspectRatio: '1:1', width: 1024, height: 1024, steps: 28, guidance: 3.5, seed: 7, randomizeSeed: false },
  seed: 7,
  createdAt: '2026-11-01T10:00:00.000Z',
  durationMs: 9000,
  file: 'images/2026/11/e1.png',
  thumb: 'thumbs/2026/11/e1.webp',
  width: 1024,
  height: 1024,
  bytes: 1000,
  favourite: false,
};
const imported: HistoryEntry = {
  ...base,
  model: 'flux',
  providerId: 'space:imported/a1111',
  durationMs: 0,
  params: {
    ...base.params,
    guidance: 7,
    source: 'a1111',
    modelName: 'juggernautXL_v9',
    sampler: 'DPM++ 2M Karras',
    cfgScale: 7,
  },
};

const rows = (entry: HistoryEntry, lang: 'en' | 'ru' = 'en') => {
  const html = renderToStaticMarkup(
    createElement(
      I18nContext.Provider,
      { value: createI18n(lang) },
      createElement(ParamsList, { entry, providerLabel: 'BFL FLUX.1 dev' }),
    ),
  );
  return [...html.matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<\/dd>/g)].map((m) => [
    m[1],
    m[2]!.replace(/<[^>]+>/g, ' ').trim(),
  ]);
};

describe('image details', () => {
  it('an imported image: its model name, the tool, its sampler; no provider of ours and no generation time', () => {
    const r = Object.fromEntries(rows(imported));
    expect(r['Model']).toBe('juggernautXL_v9');
    expect(r['Made with']).toMatch(/^A1111 \/ Forge\s+imported$/);
    expect(r['Sampler']).toBe('DPM++ 2M Karras');
    expect(r['Provider']).toBeUndefined();
    expect(r['Generation time']).toBeUndefined();
    // Guidance holds the CFG scale when no FLUX guidance was written: shown once.
    expect(r['CFG scale']).toBeUndefined();
    expect(Object.fromEntries(rows({ ...imported, params: { ...imported.params, guidance: 3.5 } }))['CFG scale']).toBe(
      '7',
    );
    const noModel = { ...imported, params: { ...imported.params, modelName: undefined } } as HistoryEntry;
    expect(Object.fromEntries(rows(noModel))['Model']).toBe('not recorded');
    expect(Object.fromEntries(rows(imported, 'ru'))['Создано в']).toMatch(/^A1111 \/ Forge\s+импортировано$/);
  });

  it('an image the app made: our model and provider as before', () => {
    const r = Object.fromEntries(rows(base));
    expect(r['Provider']).toBe('BFL FLUX.1 dev');
    expect(r['Made with']).toBeUndefined();
    expect(r['Generation time']).toBeDefined();
  });
});
