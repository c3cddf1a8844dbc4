/** Presets and styles: save/replace/delete, export → import, bad imports, limits, the file, applying a style. */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GenerationParamsSchema } from '../../shared/params';
import { MAX_PRESETS, MAX_STYLES, PresetSchema, StyleSchema, type Preset, type Style } from '../../shared/queue';
import { applyStyle, presetParams, promptsOf, styledPrompt, type StartRequest } from '../../main/prompts/apply';
import { createPresetStore } from '../../main/prompts/presets';
import { confStoreFactory } from '../../main/store';

const preset = (p: Partial<Preset> & { name: string }): Preset => PresetSchema.parse(p);
const style = (s: Partial<Style> & { name: string }): Style => StyleSchema.parse({ template: '{prompt}', ...s });

describe('presets and styles store', () => {
  let dir: string;
  const logs: string[] = [];
  const open = () => createPresetStore({ storeFactory: confStoreFactory, dataDir: dir, log: (m) => logs.push(m) });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fg-presets-'));
    logs.length = 0;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('saves, replaces (any case) and deletes presets and styles, sorted by name', () => {
    const s = open();
    expect(s.state()).toEqual({ presets: [], styles: [] });
    s.savePreset(preset({ name: 'Wide', aspectRatio: '16:9', steps: 4 }));
    s.savePreset(preset({ name: 'portrait', aspectRatio: '3:4' }));
    let st = s.savePreset(preset({ name: 'Portrait', aspectRatio: '2:3', model: 'flux-dev', guidance: 4 }));
    expect(st.presets.map((p) => p.name)).toEqual(['Portrait', 'Wide']);
    expect(st.presets[0]).toMatchObject({ aspectRatio: '2:3', model: 'flux-dev', guidance: 4 });
    st = s.saveStyle(
      style({ name: 'Cinematic', template: 'cinematic photo of {prompt}, 35mm', negativePrompt: 'blurry' }),
    );
    expect(st.styles).toEqual([
      { name: 'Cinematic', template: 'cinematic photo of {prompt}, 35mm', negativePrompt: 'blurry' },
    ]);
    expect(s.style('CINEMATIC')?.name).toBe('Cinematic');
    expect(s.preset('wide')?.steps).toBe(4);
    expect(s.deletePreset('WIDE').presets.map((p) => p.name)).toEqual(['Portrait']);
    expect(s.deleteStyle('cinematic').styles).toEqual([]);
    // Deleting what is not there changes nothing.
    expect(s.deleteStyle('nope').styles).toEqual([]);
    // Kept in presets.json in the data folder, read again by a new store.
    expect(
      open()
        .state()
        .presets.map((p) => p.name),
    ).toEqual(['Portrait']);
  });

  it('exports and imports (a round trip into an empty store), counting added and replaced', async () => {
    const a = open();
    a.savePreset(preset({ name: 'Fast', model: 'flux-schnell', steps: 4, randomizeSeed: false, seed: 42 }));
    a.saveStyle(style({ name: 'Anime', template: 'anime art of {prompt}' }));
    const json = a.exportJson();
    expect(JSON.parse(json)).toMatchObject({ app: 'flux-gallery', kind: 'presets', v: 1 });

    const otherDir = await mkdtemp(path.join(tmpdir(), 'fg-presets-b-'));
    try {
      const b = createPresetStore({ storeFactory: confStoreFactory, dataDir: otherDir });
      b.saveStyle(style({ name: 'anime', template: 'old {prompt}' }));
      b.savePreset(preset({ name: 'Mine', steps: 2 }));
      const r = b.importJson(json);
      expect(r.added).toBe(1);
      expect(r.replaced).toBe(1);
      expect(r.presets.map((p) => p.name)).toEqual(['Fast', 'Mine']);
      expect(r.styles).toEqual([{ name: 'Anime', template: 'anime art of {prompt}' }]);
      expect(b.state()).toEqual({ presets: r.presets, styles: r.styles });
      expect(b.preset('fast')).toEqual(a.preset('Fast'));
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('refuses a bad import in words, changing nothing', () => {
    const s = open();
    s.savePreset(preset({ name: 'Keep' }));
    const refused = (json: string) => {
      try {
        s.importJson(json);
      } catch (err) {
        return err as { code: string; message: string };
      }
      throw new Error('not refused');
    };
    expect(refused('{not json')).toMatchObject({ code: 'invalid-argument', message: /not JSON/ });
    expect(refused('{"presets":[]}')).toMatchObject({ message: /not a Flux Gallery presets file/ });
    const bad = refused(
      JSON.stringify({ app: 'flux-gallery', kind: 'presets', v: 1, presets: [{ name: 'X', steps: 500 }] }),
    );
    expect(bad.code).toBe('invalid-argument');
    expect(bad.message).toMatch(/presets\.0\.steps/);
    const noPrompt = refused(
      JSON.stringify({ app: 'flux-gallery', kind: 'presets', v: 1, styles: [{ name: 'S', template: 'no slot' }] }),
    );
    expect(noPrompt.message).toMatch(/\{prompt\}/);
    const twice = refused(
      JSON.stringify({ app: 'flux-gallery', kind: 'presets', v: 1, presets: [{ name: 'A' }, { name: 'a' }] }),
    );
    expect(twice.message).toMatch(/twice/);
    expect(s.state().presets.map((p) => p.name)).toEqual(['Keep']);
  });

  it(`keeps at most ${MAX_PRESETS} presets and ${MAX_STYLES} styles`, () => {
    const s = open();
    const many = Array.from({ length: MAX_PRESETS }, (_, i) => ({ name: `p${i}` }));
    const styles = Array.from({ length: MAX_STYLES }, (_, i) => ({ name: `s${i}`, template: `{prompt} ${i}` }));
    const r = s.importJson(JSON.stringify({ app: 'flux-gallery', kind: 'presets', v: 1, presets: many, styles }));
    expect(r.added).toBe(MAX_PRESETS + MAX_STYLES);
    expect(() => s.savePreset(preset({ name: 'one more' }))).toThrow(/at most 200/);
    expect(() => s.saveStyle(style({ name: 'one more' }))).toThrow(/at most 200/);
    // Replacing one is not one more.
    expect(s.savePreset(preset({ name: 'P0', steps: 3 })).presets).toHaveLength(MAX_PRESETS);
    expect(() =>
      s.importJson(JSON.stringify({ app: 'flux-gallery', kind: 'presets', v: 1, presets: [{ name: 'extra' }] })),
    ).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });

  it('sets a presets file that is not JSON aside, and leaves out records it cannot read', async () => {
    await writeFile(path.join(dir, 'presets.json'), '{"presets": [');
    const s = open();
    expect(s.state()).toEqual({ presets: [], styles: [] });
    expect((await readdir(dir)).some((n) => n.startsWith('presets.json.corrupt-'))).toBe(true);

    await writeFile(
      path.join(dir, 'presets.json'),
      JSON.stringify({ presets: [{ name: 'ok', steps: 4 }, { name: '', steps: 4 }, 'x'], styles: [{ name: 'bad' }] }),
    );
    expect(open().state()).toEqual({ presets: [{ name: 'ok', steps: 4 }], styles: [] });
    expect(logs.join('\n')).toMatch(/left out/);
  });
});

describe('applying a style and a preset', () => {
  const req = (params: Record<string, unknown>, extra: Partial<StartRequest> = {}): StartRequest => ({
    params: GenerationParamsSchema.parse(params),
    count: 1,
    ...extra,
  });
  const cinematic = style({
    name: 'Cinematic',
    template: 'cinematic photo of {prompt}, 35mm',
    negativePrompt: 'blurry',
  });
  const find = (name: string) => (name.toLowerCase() === 'cinematic' ? cinematic : null);

  it('replaces {prompt} (every one) in the template', () => {
    expect(styledPrompt('{prompt}, by {prompt}', 'a fox')).toBe('a fox, by a fox');
  });

  it('styles the prompt and the extra prompts, adds the negative prompt and keeps the name', () => {
    const out = applyStyle(
      req({ prompt: 'a fox', style: 'cinematic', negativePrompt: 'text' }, { extraPrompts: ['a cat'] }),
      find,
    );
    expect(out.params.prompt).toBe('cinematic photo of a fox, 35mm');
    expect(out.extraPrompts).toEqual(['cinematic photo of a cat, 35mm']);
    expect(out.params.negativePrompt).toBe('text, blurry');
    expect(out.params.style).toBe('Cinematic');
    expect(applyStyle(req({ prompt: 'a fox', style: 'Cinematic' }), find).params.negativePrompt).toBe('blurry');
  });

  it('leaves a request without a style as it is', () => {
    const r = req({ prompt: 'a fox' });
    expect(applyStyle(r, find)).toBe(r);
  });

  it('refuses an unknown style, and a styled prompt beyond the limit, in words', () => {
    expect(() => applyStyle(req({ prompt: 'a fox', style: 'Gone' }), find)).toThrow(/no style "Gone"/);
    expect(() => applyStyle(req({ prompt: 'x'.repeat(1990), style: 'Cinematic' }), find)).toThrow(
      /characters long; at most 2000/,
    );
  });

  it('records each prompt of a request once, as typed', () => {
    const r = req({ prompt: 'a', style: 'Cinematic' }, { extraPrompts: ['b', 'a'] });
    expect(promptsOf(r).map((p) => [p.prompt, p.style])).toEqual([
      ['a', 'Cinematic'],
      ['b', 'Cinematic'],
    ]);
  });

  it("a preset's parameters: the seed only when it is fixed", () => {
    expect(presetParams(preset({ name: 'A', steps: 4, randomizeSeed: true, seed: 9, style: 'Cinematic' }))).toEqual({
      steps: 4,
      randomizeSeed: true,
      style: 'Cinematic',
    });
    expect(presetParams(preset({ name: 'B', randomizeSeed: false, seed: 9, aspectRatio: '16:9' }))).toEqual({
      randomizeSeed: false,
      seed: 9,
      aspectRatio: '16:9',
    });
  });
});
