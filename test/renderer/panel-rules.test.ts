/**
 * The renderer's plain logic, without a browser: the generation panel agrees with the providers
 * about sizes and with the shared schema about validity, reuse round-trips, and the history pager
 * loads only what is asked for.
 */
import { describe, expect, it, vi } from 'vitest';
import type { HistoryEntry, HistoryPage, HistoryQueryInput } from '../../shared/library';
import { ASPECT_RATIO_KEYS, GenerationParamsSchema, PROVIDER_IDS } from '../../shared/params';
import { listModels, listProviders, PROVIDERS } from '../../main/providers/registry';
import { DEFAULT_SIZE_LIMITS, type SizeLimits } from '../../shared/sizes';
import {
  INITIAL_FORM,
  effectiveProvider,
  formFromParams,
  presetSize,
  sendSize,
  sizeRules,
  toRequest,
  type FormState,
} from '../../renderer/src/generate/form';
import { validate } from '../../renderer/src/generate/validate';
import { HistoryPager } from '../../renderer/src/gallery/history-pager';
import { createI18n } from '../../renderer/src/i18n/i18n';

const models = { models: listModels(), providers: listProviders() };
const en = createI18n('en');
const ru = createI18n('ru');

describe('generation panel rules', () => {
  it('shows, for every provider, preset and size limits, the size the provider really sends', () => {
    const limitSets: SizeLimits[] = [
      DEFAULT_SIZE_LIMITS,
      { min: 64, max: 1536, step: 16 },
      { min: 256, max: 1024, step: 64 },
      { min: 100, max: 2000, step: 25 },
    ];
    const unknown = { health: 'unknown', stage: null, checkedAt: null, skipped: false } as const;
    for (const provider of PROVIDERS) {
      for (const limits of limitSets) {
        const info = provider.info(provider.defaultBaseUrl, { sizeLimits: limits, state: unknown });
        const rules = sizeRules(info);
        const where = `${provider.id} ${limits.min}–${limits.max}/${limits.step}`;
        for (const aspectRatio of ASPECT_RATIO_KEYS) {
          const sent = provider.resolve(GenerationParamsSchema.parse({ prompt: 'x', aspectRatio }), limits);
          const wire = { width: sent.width, height: sent.height };
          expect(presetSize(aspectRatio, rules), `${where} ${aspectRatio}`).toEqual(wire);
          expect(sendSize({ ...INITIAL_FORM, aspectRatio }, rules), `${where} ${aspectRatio}`).toEqual({
            ok: true,
            ...wire,
          });
        }
        for (const [w, h] of [
          [1001, 777],
          [256, 2048],
          [33, 2048],
          [512, 40],
          [128, 512],
          [1900, 1600],
          [64, 64],
        ] as const) {
          const form: FormState = { ...INITIAL_FORM, customSize: true, width: String(w), height: String(h) };
          const outcome = sendSize(form, rules);
          let sent: { width: number; height: number } | null = null;
          try {
            const r = provider.resolve(GenerationParamsSchema.parse({ prompt: 'x', width: w, height: h }), limits);
            sent = { width: r.width, height: r.height };
          } catch (err) {
            // Refused by the provider: the panel must refuse it too.
            expect((err as { code?: string }).code, `${where} ${w}×${h}`).toBe('invalid-argument');
          }
          if (sent) expect(outcome, `${where} ${w}×${h}`).toEqual({ ok: true, ...sent });
          else expect(outcome?.ok, `${where} ${w}×${h}`).toBe(false);
          // The validator agrees: a refused size is an error on its field, an accepted one is not.
          const checked = validate({ ...form, prompt: 'x' }, en, rules);
          expect(checked.ok, `${where} ${w}×${h}`).toBe(sent !== null);
        }
      }
    }
  });

  it('refuses a size outside the provider’s limits, naming them, in both languages', () => {
    const dev = models.providers.find((p) => p.id === 'bfl-flux1-dev')!;
    const form: FormState = { ...INITIAL_FORM, prompt: 'x', customSize: true, width: '128', height: '3000' };
    const rules = sizeRules(dev);
    const r = validate(form, en, rules);
    expect(!r.ok && r.errors).toEqual({
      width: 'Width must be from 256 to 2,048.',
      height: 'Height must be from 256 to 2,048.',
    });
    const inRussian = validate(form, ru, rules);
    expect(!inRussian.ok && inRussian.errors.width).toMatch(/^Поле «Ширина»: от 256 до 2\s048\.$/);
    // Narrower limits read from a Space's /config apply at once.
    const narrow = sizeRules({ ...dev, sizeLimits: { min: 512, max: 1024, step: 64 } });
    const r2 = validate({ ...form, width: '400', height: '1024' }, en, narrow);
    expect(!r2.ok && r2.errors).toEqual({ width: 'Width must be from 512 to 1,024.' });
    // Before the provider list arrives, the FLUX Spaces' default limits apply.
    expect(sizeRules(undefined)).toEqual({ limits: DEFAULT_SIZE_LIMITS, longSide: 1024, providerLabel: '' });
    const r3 = validate(form, en, sizeRules(undefined));
    expect(!r3.ok && r3.errors.width).toBe('Width must be from 256 to 2,048.');
  });

  it('sizes for the first provider routing would try, skipping paused and broken Spaces', () => {
    const skipped = { health: 'paused', stage: 'PAUSED', checkedAt: 1, skipped: true } as const;
    const flux = { ...INITIAL_FORM, model: 'flux' } as const;
    expect(effectiveProvider(flux, models)?.id).toBe('bfl-flux1-dev');
    const devPaused = {
      ...models,
      providers: models.providers.map((p) => (p.id === 'bfl-flux1-dev' ? { ...p, state: skipped } : p)),
    };
    expect(effectiveProvider(flux, devPaused)?.id).toBe('bfl-flux1-schnell');
    // Schnell's presets scale to its 768 long side.
    expect(sendSize(flux, sizeRules(effectiveProvider(flux, devPaused)))).toEqual({
      ok: true,
      width: 768,
      height: 768,
    });
    // A pinned provider is the one, skipped or not.
    expect(effectiveProvider({ ...flux, provider: 'bfl-flux1-dev' }, devPaused)?.id).toBe('bfl-flux1-dev');
  });

  it('validates with the shared schema and explains problems in the user’s language', () => {
    const bad: FormState = {
      ...INITIAL_FORM,
      prompt: '   ',
      customSize: true,
      width: '5000',
      height: 'abc',
      steps: '2.5',
      seedLocked: true,
      seed: '-3',
      count: '17',
    };
    const rules = sizeRules(models.providers[0]);
    const r = validate(bad, en, rules);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      prompt: 'Prompt must not be empty.',
      width: 'Width must be from 256 to 2,048.',
      height: 'Height must be a number.',
      steps: 'Steps must be a whole number.',
      seed: 'Seed must be at least 0.',
      count: 'Number of images must be at most 16.',
    });
    const inRussian = validate(bad, ru, rules);
    expect(!inRussian.ok && inRussian.errors.width).toMatch(/^Поле «Ширина»: от 256 до 2\s048\.$/);
    // A value that is no number at all is still said so, whatever the limits.
    const notNumber = validate({ ...bad, width: '12px' }, en, rules);
    expect(!notNumber.ok && notNumber.errors.width).toBe('Width must be a number.');

    // An unlocked seed is not checked (the Space picks one); empty steps and guidance mean the provider's defaults.
    const ok = validate({ ...INITIAL_FORM, prompt: 'a fox', seed: 'whatever', steps: '' }, en, rules);
    expect(ok.ok && ok.request).toEqual({
      params: { prompt: 'a fox', model: 'flux', aspectRatio: '1:1', randomizeSeed: true },
      count: 1,
    });
  });

  it('fills the panel from reused parameters and sends them back unchanged', () => {
    for (const p of [
      {
        prompt: 'a boat',
        model: 'flux-schnell',
        provider: 'voodoohop-flux1-schnell',
        aspectRatio: '16:9',
        width: 768,
        height: 416,
        steps: 3,
        guidance: 3.5,
        seed: 4242,
        randomizeSeed: false,
      },
      {
        prompt: 'a custom size',
        model: 'flux-dev',
        provider: 'bfl-flux1-dev',
        aspectRatio: '1:1',
        width: 1000,
        height: 600,
        steps: 20,
        guidance: 5,
        seed: 7,
        randomizeSeed: false,
      },
    ] as const) {
      const form = formFromParams(INITIAL_FORM, p, models);
      // A preset size is recognised as the preset; anything else is a custom size.
      expect(form.customSize).toBe(p.prompt === 'a custom size');
      const req = toRequest(form);
      const parsed = GenerationParamsSchema.parse(req.params);
      const provider = PROVIDERS.find((x) => x.id === p.provider)!;
      expect(provider.resolve(parsed)).toEqual(provider.resolve(GenerationParamsSchema.parse(p)));
      expect(parsed).toMatchObject({ prompt: p.prompt, model: p.model, provider: p.provider, seed: p.seed });
      expect(parsed.randomizeSeed).toBe(false);
    }
    expect(PROVIDER_IDS.length).toBe(models.providers.length);
  });
});

function fakeHistory(n: number) {
  const entries = Array.from(
    { length: n },
    (_, i) => ({ id: `entry${String(i).padStart(5, '0')}`, prompt: i % 2 ? `odd ${i}` : `even ${i}` }) as HistoryEntry,
  );
  const calls: HistoryQueryInput[] = [];
  const query = vi.fn(async (q: HistoryQueryInput): Promise<HistoryPage> => {
    calls.push(q);
    const list = q.text ? entries.filter((e) => e.prompt.includes(q.text!)) : entries;
    const offset = q.offset ?? 0;
    return { items: list.slice(offset, offset + (q.limit ?? 200)), total: list.length };
  });
  return { entries, calls, query };
}

const settle = () => new Promise((r) => setTimeout(r, 100));

describe('history pager', () => {
  it('loads only the pages asked for, and forgets far ones', async () => {
    const h = fakeHistory(50_000);
    const pager = new HistoryPager(h.query, { pageSize: 100 });
    pager.setFilter({});
    await settle();
    expect(pager.getSnapshot().total).toBe(50_000);
    expect(h.calls.map((c) => c.offset)).toEqual([0]);

    pager.ensureRange(25_050, 25_180);
    await settle();
    expect(h.calls.slice(1).map((c) => c.offset)).toEqual([25_000, 25_100]);
    expect(pager.get(25_123)?.id).toBe('entry25123');
    expect(pager.get(300)).toBeUndefined();
    // Page 0 was far from the viewport: dropped, it would be fetched again if needed.
    expect(pager.get(5)).toBeUndefined();

    // Asking again for loaded pages costs nothing.
    pager.ensureRange(25_050, 25_180);
    await settle();
    expect(h.calls).toHaveLength(3);
  });

  it('keeps stale entries on screen while refetching after a change, and ignores old answers', async () => {
    const h = fakeHistory(1_000);
    const pager = new HistoryPager(h.query, { pageSize: 100 });
    pager.setFilter({});
    pager.ensureRange(0, 50);
    await settle();
    h.entries.unshift({ id: 'newest0001', prompt: 'new' } as HistoryEntry);
    pager.invalidate();
    expect(pager.get(0)?.id).toBe('entry00000'); // still the old page until the answer comes
    await settle();
    expect(pager.get(0)?.id).toBe('newest0001');
    expect(pager.getSnapshot().total).toBe(1_001);

    // A filter change while a query is in flight: only the newest answer counts.
    pager.setFilter({ text: 'odd' });
    pager.setFilter({ text: 'even' });
    await settle();
    expect(pager.getSnapshot().total).toBe(500);
    expect(pager.get(0)?.prompt).toBe('even 0');
  });
});
