/**
 * The renderer's logic for any Space and Inference Providers, without a browser: the mapping table's
 * edits and the `spaces:add` / `spaces:update` they become, a pinned Space's own controls and the
 * `params.extras` they send (and get back on reuse), provider grouping and names, the fallback order,
 * the inference settings patch, and the words for the new error codes in both languages.
 */
import { DEFAULT_NOTIFICATION_SETTINGS } from '../../shared/queue';
import { describe, expect, it } from 'vitest';
import { StartJobsSchema, type ProviderInfo } from '../../shared/contract';
import { ERROR_CODES, type ErrorCode } from '../../shared/errors';
import { GenerationParamsSchema } from '../../shared/params';
import type { SavedSpace, SpaceEndpoint, SpaceInput, SpaceInspection } from '../../shared/spaces';
import { DEFAULT_INFERENCE_SETTINGS, type PublicSettings } from '../../shared/settings';
import { listProviders } from '../../main/providers/registry';
import { INITIAL_FORM, formFromParams, toRequest, type FormState } from '../../renderer/src/generate/form';
import { buildExtras, defaultDraft, draftFromExtras, shownExtraInputs } from '../../renderer/src/generate/extras';
import { aliasWhenPinned, groupProviders, pinServes, providerName } from '../../renderer/src/generate/providers';
import { sizeRules } from '../../renderer/src/generate/form';
import { validate } from '../../renderer/src/generate/validate';
import { createI18n } from '../../renderer/src/i18n/i18n';
import { errorText, jobErrorView, settingsFocusFor } from '../../renderer/src/i18n/errors';
import {
  addArgs,
  addDraftFrom,
  becomesControl,
  choiceOf,
  displacedBy,
  editDraftFrom,
  endpointKey,
  endpointName,
  mappingProblems,
  optionsFor,
  setChoice,
  updateArgs,
} from '../../renderer/src/settings/space-form';
import { isCustomOrder, moved, orderPatch, orderedFor } from '../../renderer/src/settings/provider-order';
import {
  draftFrom,
  inferencePatch,
  inferenceDraftFrom,
  patchFrom,
  validatePatch,
} from '../../renderer/src/settings/settings-form';

const en = createI18n('en');
const ru = createI18n('ru');

const input = (over: Partial<SpaceInput> & Pick<SpaceInput, 'index' | 'key' | 'kind'>): SpaceInput => ({
  label: null,
  component: over.kind === 'text' ? 'textbox' : over.kind,
  default: null,
  ...over,
});

/** An SD-like Space: everything the app has a parameter for, plus a sampler, a refiner switch and a style text. */
const SD_INPUTS: SpaceInput[] = [
  input({ index: 0, key: 'prompt', kind: 'text', label: 'Prompt', default: '' }),
  input({ index: 1, key: 'negative_prompt', kind: 'text', label: 'Negative prompt', default: '' }),
  input({ index: 2, key: 'seed', kind: 'slider', label: 'Seed', default: 0, minimum: 0, maximum: 2147483647, step: 1 }),
  input({ index: 3, key: 'randomize_seed', kind: 'checkbox', label: 'Randomize seed', default: true }),
  input({
    index: 4,
    key: 'width',
    kind: 'slider',
    label: 'Width',
    default: 1024,
    minimum: 256,
    maximum: 1536,
    step: 64,
  }),
  input({
    index: 5,
    key: 'height',
    kind: 'slider',
    label: 'Height',
    default: 1024,
    minimum: 256,
    maximum: 1536,
    step: 64,
  }),
  input({
    index: 6,
    key: 'guidance_scale',
    kind: 'slider',
    label: 'CFG',
    default: 7,
    minimum: 1,
    maximum: 20,
    step: 0.5,
  }),
  input({
    index: 7,
    key: 'num_inference_steps',
    kind: 'number',
    label: 'Steps',
    default: 30,
    minimum: 1,
    maximum: 100,
  }),
  input({
    index: 8,
    key: 'sampler',
    kind: 'dropdown',
    label: 'Sampler',
    default: 'euler',
    choices: [
      { label: 'Euler', value: 'euler' },
      { label: 'DPM++ 2M', value: 'dpmpp_2m' },
      { label: 'Four', value: 4 },
    ],
  }),
  input({ index: 9, key: 'use_refiner', kind: 'checkbox', label: 'Use refiner', default: false }),
  input({
    index: 10,
    key: 'strength',
    kind: 'slider',
    label: 'Refiner strength',
    default: 0.3,
    minimum: 0,
    maximum: 1,
    step: 0.05,
  }),
  input({ index: 11, key: 'style', kind: 'text', label: 'Style', default: 'photo' }),
  input({ index: 12, key: 'mask', kind: 'file', label: 'Mask', default: null }),
];

const PROPOSED = [
  { index: 0, param: 'prompt' },
  { index: 1, param: 'negativePrompt' },
  { index: 2, param: 'seed' },
  { index: 3, param: 'randomizeSeed' },
  { index: 4, param: 'width' },
  { index: 5, param: 'height' },
  { index: 6, param: 'guidance' },
  { index: 7, param: 'steps' },
] as const;

const endpoint = (over: Partial<SpaceEndpoint> = {}): SpaceEndpoint => ({
  apiName: 'generate',
  fnIndex: 2,
  inputs: SD_INPUTS,
  outputs: [
    { index: 0, kind: 'image', label: 'Result' },
    { index: 1, kind: 'number', label: 'Seed' },
  ],
  imageOutput: 0,
  seedOutput: 1,
  mapping: PROPOSED.map((m) => ({ ...m })),
  ...over,
});

const INSPECTION: SpaceInspection = {
  baseUrl: 'https://someone-sd-space.hf.space',
  spaceId: 'someone/sd-space',
  providerId: 'space:someone/sd-space',
  label: 'SD Space',
  gradioVersion: '5.49.1',
  endpoints: [
    endpoint(),
    endpoint({ apiName: null, fnIndex: 7, inputs: SD_INPUTS.slice(0, 3), mapping: [{ index: 0, param: 'prompt' }] }),
  ],
  fileInputEndpoints: ['img2img'],
};

const unknownState = { health: 'unknown', stage: null, checkedAt: null, skipped: false } as const;
const builtins = listProviders();

/** The SD Space as `models:list` would list it once saved: unmapped inputs are its extra controls. */
const SD_PROVIDER: ProviderInfo = {
  id: 'space:someone/sd-space',
  kind: 'space',
  label: 'SD Space',
  baseUrl: INSPECTION.baseUrl,
  defaultBaseUrl: INSPECTION.baseUrl,
  aliases: ['flux'],
  protocol: 'queue',
  defaults: { steps: 30, width: 1024, height: 1024, guidance: 7 },
  supportsGuidance: true,
  supportsNegativePrompt: true,
  costs: false,
  extraInputs: SD_INPUTS.slice(8),
  sizeLimits: { min: 256, max: 1536, step: 64 },
  state: unknownState,
};
const INFERENCE: ProviderInfo = {
  ...SD_PROVIDER,
  id: 'hf-inference:black-forest-labs/FLUX.1-dev',
  kind: 'inference',
  label: 'FLUX.1 Dev (Inference Providers)',
  aliases: ['flux', 'flux-dev'],
  supportsNegativePrompt: false,
  costs: true,
  extraInputs: [],
};
const LONER: ProviderInfo = {
  ...SD_PROVIDER,
  id: 'space:me/loner',
  label: 'Loner',
  aliases: [],
  supportsNegativePrompt: false,
  extraInputs: [],
};
const models = {
  models: [],
  providers: [...builtins, SD_PROVIDER, LONER, INFERENCE],
};

describe('the mapping table', () => {
  it('moves a parameter to the input chosen for it, and frees an input', () => {
    const m = PROPOSED.map((x) => ({ ...x }));
    // The seed goes to the refiner strength: the old seed input goes back to its default.
    expect(displacedBy(m, 10, 'seed')).toBe(2);
    const next = setChoice(m, 10, 'seed');
    expect(choiceOf(next, 10)).toBe('seed');
    expect(choiceOf(next, 2)).toBe('');
    expect(next.filter((x) => x.param === 'seed')).toHaveLength(1);
    expect(next.map((x) => x.index)).toEqual([...next.map((x) => x.index)].sort((a, b) => a - b));
    // Freeing the prompt input leaves no prompt: that cannot be saved.
    const free = setChoice(next, 0, '');
    expect(choiceOf(free, 0)).toBe('');
    expect(mappingProblems(free)).toEqual(['no-prompt']);
    expect(mappingProblems(next)).toEqual([]);
    expect(displacedBy(m, 0, '')).toBeNull();
    // An input keeps one parameter: choosing another replaces it.
    const swapped = setChoice(m, 1, 'prompt');
    expect(choiceOf(swapped, 1)).toBe('prompt');
    expect(choiceOf(swapped, 0)).toBe('');
    expect(swapped.filter((x) => x.index === 1)).toHaveLength(1);
  });

  it('offers the parameters an input of its kind can take, and always its current one', () => {
    const [prompt, , seed, randomize, , , , steps, sampler, , , , mask] = SD_INPUTS as [
      SpaceInput,
      SpaceInput,
      SpaceInput,
      SpaceInput,
      SpaceInput,
      SpaceInput,
      SpaceInput,
      SpaceInput,
      SpaceInput,
      SpaceInput,
      SpaceInput,
      SpaceInput,
      SpaceInput,
    ];
    expect(optionsFor(prompt, 'prompt')).toEqual(['prompt', 'negativePrompt']);
    expect(optionsFor(seed, 'seed')).toEqual(['seed', 'width', 'height', 'guidance', 'steps']);
    expect(optionsFor(randomize, 'randomizeSeed')).toEqual(['randomizeSeed']);
    expect(optionsFor(steps, '')).toContain('steps');
    // A dropdown may carry sizes or steps: every parameter is offered.
    expect(optionsFor(sampler, '')).toHaveLength(8);
    expect(optionsFor(mask, '')).toEqual([]);
    // A proposal of an unusual kind stays selectable.
    expect(optionsFor(prompt, 'seed')).toEqual(['prompt', 'negativePrompt', 'seed']);
    expect(becomesControl(sampler)).toBe(true);
    expect(becomesControl(mask)).toBe(false);
  });

  it('becomes spaces:add with the endpoint chosen, its mapping, the label and no alias by default', () => {
    const d = addDraftFrom('  someone/sd-space ', INSPECTION);
    expect(d.aliases).toEqual([]);
    expect(addArgs(d)).toEqual({
      url: 'someone/sd-space',
      endpoint: 'generate',
      mapping: PROPOSED.map((x) => ({ ...x })),
      label: 'SD Space',
      aliases: [],
    });
    // The second endpoint has no api name: named by its fn index; its own mapping goes with it.
    const second = { ...d, endpoint: 1, label: '  ', aliases: ['flux-dev' as const] };
    expect(addArgs(second)).toEqual({
      url: 'someone/sd-space',
      endpoint: '#7',
      mapping: [{ index: 0, param: 'prompt' }],
      label: 'SD Space',
      aliases: ['flux-dev'],
    });
    // Edits of one endpoint's mapping do not leak into another's.
    const edited = { ...d, mappings: d.mappings.map((m, i) => (i === 0 ? setChoice(m, 2, '') : m)) };
    expect(addArgs(edited).mapping?.some((m) => m.param === 'seed')).toBe(false);
    expect(addArgs({ ...edited, endpoint: 1 }).mapping).toEqual([{ index: 0, param: 'prompt' }]);
    expect(endpointKey({ apiName: 'infer', fnIndex: 0 })).toBe('infer');
    expect(endpointName({ apiName: 'infer', fnIndex: 0 })).toBe('/infer');
    expect(endpointName({ apiName: null, fnIndex: 3 })).toBe('#3');
  });

  it('becomes spaces:update with what changed only', () => {
    const saved: SavedSpace = {
      id: 'space:someone/sd-space',
      label: 'SD Space',
      baseUrl: INSPECTION.baseUrl,
      spaceId: 'someone/sd-space',
      endpoint: endpoint(),
      aliases: ['flux'],
      addedAt: 1,
    };
    const d = editDraftFrom(saved);
    expect(updateArgs(d)).toBeNull();
    expect(updateArgs({ ...d, label: ' SD ' })).toEqual({ id: saved.id, label: 'SD' });
    expect(updateArgs({ ...d, aliases: [] })).toEqual({ id: saved.id, aliases: [] });
    expect(updateArgs({ ...d, aliases: ['flux'] })).toBeNull();
    const mapping = setChoice(d.mapping, 1, '');
    expect(updateArgs({ ...d, mapping })).toEqual({ id: saved.id, mapping });
    // An empty label keeps the saved one.
    expect(updateArgs({ ...d, label: '   ' })).toBeNull();
  });
});

describe("a pinned Space's own controls", () => {
  const inputs = shownExtraInputs(SD_PROVIDER);
  const form = (over: Partial<FormState>): FormState => ({
    ...INITIAL_FORM,
    prompt: 'a lighthouse',
    model: 'flux',
    provider: SD_PROVIDER.id,
    ...over,
  });

  it('shows every input of a kind it can show, starting at the default', () => {
    expect(inputs.map((i) => i.key)).toEqual(['sampler', 'use_refiner', 'strength', 'style']);
    expect(inputs.map((i) => defaultDraft(i))).toEqual(['0', false, '0.3', 'photo']);
  });

  it('sends only what the user changed away from the default, with the right types', () => {
    expect(buildExtras(inputs, {})).toEqual({ extras: {}, problems: {} });
    expect(
      buildExtras(inputs, { sampler: '2', use_refiner: true, strength: ' 0.55 ', style: 'photo', other: 'x' }),
    ).toEqual({ extras: { sampler: 4, use_refiner: true, strength: 0.55 }, problems: {} });
    // Back to the default: nothing to send. A blank number: the default too.
    expect(buildExtras(inputs, { sampler: '0', strength: '' })).toEqual({ extras: {}, problems: {} });
    expect(buildExtras(inputs, { strength: '2' }).problems).toEqual({ strength: 'max' });
    expect(buildExtras(inputs, { strength: '-1' }).problems).toEqual({ strength: 'min' });
    expect(buildExtras(inputs, { strength: 'lots' }).problems).toEqual({ strength: 'number' });
    expect(buildExtras(inputs, { strength: '0,5' }).extras).toEqual({ strength: 0.5 });
  });

  it('puts the negative prompt and extras in the request only for the pinned provider that takes them', () => {
    const f = form({ negativePrompt: 'blurry', extras: { use_refiner: true, sampler: '1' } });
    const req = toRequest(f, SD_PROVIDER);
    expect(req.params.negativePrompt).toBe('blurry');
    expect(req.params.extras).toEqual({ use_refiner: true, sampler: 'dpmpp_2m' });
    expect(StartJobsSchema.safeParse(req).success).toBe(true);
    // Automatic routing: neither is sent.
    const auto = toRequest({ ...f, provider: '' }, undefined);
    expect(auto.params.negativePrompt).toBeUndefined();
    expect(auto.params.extras).toBeUndefined();
    // A pinned provider without a negative prompt input: not sent; a blank one is not sent either.
    expect(toRequest({ ...f, provider: LONER.id }, LONER).params.negativePrompt).toBeUndefined();
    expect(toRequest({ ...f, negativePrompt: '   ' }, SD_PROVIDER).params.negativePrompt).toBeUndefined();
  });

  it('refuses a value out of the control’s range, naming it, in English and Russian', () => {
    const f = form({ extras: { strength: '1.5' } });
    const rules = sizeRules(SD_PROVIDER);
    const bad = validate(f, en, rules, SD_PROVIDER);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors['extra:strength']).toBe('Refiner strength must be at most 1.');
    const badRu = validate(f, ru, rules, SD_PROVIDER);
    if (!badRu.ok) expect(badRu.errors['extra:strength']).toMatch(/Refiner strength/);
    const good = validate(form({ extras: { strength: '0.5' } }), en, rules, SD_PROVIDER);
    expect(good.ok).toBe(true);
    if (good.ok) expect(good.request.params.extras).toEqual({ strength: 0.5 });
  });

  it('restores the negative prompt and the controls when an image is reused', () => {
    const params = GenerationParamsSchema.parse({
      prompt: 'a lighthouse',
      provider: SD_PROVIDER.id,
      negativePrompt: 'fog',
      extras: { sampler: 'dpmpp_2m', use_refiner: true, strength: 0.8, gone: 'x' },
    });
    const f = formFromParams(INITIAL_FORM, params, models);
    expect(f.provider).toBe(SD_PROVIDER.id);
    expect(f.negativePrompt).toBe('fog');
    expect(f.extras).toEqual({ sampler: '1', use_refiner: true, strength: '0.8' });
    // And the same request goes out again.
    expect(toRequest(f, SD_PROVIDER).params.extras).toEqual({ sampler: 'dpmpp_2m', use_refiner: true, strength: 0.8 });
    expect(draftFromExtras(shownExtraInputs(SD_PROVIDER), undefined)).toEqual({});
    // A Space removed since: routing chooses.
    const gone = formFromParams(INITIAL_FORM, { ...params, provider: 'space:someone/removed' }, models);
    expect(gone.provider).toBe('');
    expect(gone.extras).toEqual({});
  });
});

describe('providers as the picker shows them', () => {
  it('groups built-in Spaces, the user’s Spaces and Inference Providers, in that order', () => {
    const groups = groupProviders([INFERENCE, SD_PROVIDER, ...builtins, LONER]);
    expect(groups.map((g) => g.kind)).toEqual(['builtin', 'space', 'inference']);
    expect(groups[0]!.providers.map((p) => p.id)).toEqual(builtins.map((p) => p.id));
    expect(groups[1]!.providers.map((p) => p.id)).toEqual([SD_PROVIDER.id, LONER.id]);
    expect(groupProviders(builtins).map((g) => g.kind)).toEqual(['builtin']);
  });

  it('names a provider by its label, a removed one by its id', () => {
    expect(providerName(SD_PROVIDER.id, models.providers)).toBe('SD Space');
    expect(providerName('space:someone/removed', models.providers)).toBe('someone/removed');
    expect(providerName('hf-inference:me/model', models.providers)).toBe('me/model');
  });

  it('asks for a model the pinned provider serves', () => {
    const dev = builtins.find((p) => p.id === 'bfl-flux1-dev')!;
    expect(aliasWhenPinned(dev, 'flux-schnell')).toBe('flux-dev');
    expect(aliasWhenPinned(dev, 'flux')).toBe(dev.aliases.includes('flux') ? 'flux' : 'flux-dev');
    expect(aliasWhenPinned(LONER, 'flux-schnell')).toBe('flux-schnell');
    expect(pinServes(LONER, 'flux-dev')).toBe(true);
    expect(pinServes(SD_PROVIDER, 'flux-dev')).toBe(false);
  });
});

describe('the fallback order', () => {
  const mine: ProviderInfo = { ...SD_PROVIDER, aliases: ['flux', 'flux-schnell'] };
  const list = [...builtins, mine, INFERENCE];
  const schnellDefault = orderedFor('flux-schnell', list, undefined).map((p) => p.id);

  it('lists the free Spaces serving the alias, built-in first, never Inference Providers', () => {
    expect(schnellDefault.at(-1)).toBe(mine.id);
    expect(schnellDefault).not.toContain(INFERENCE.id);
    expect(orderedFor('flux-dev', list, undefined).map((p) => p.id)).not.toContain(mine.id);
  });

  it('moves a Space up and down, and is the default again once moved back', () => {
    const up = moved('flux-schnell', list, undefined, mine.id, -1);
    expect(up.indexOf(mine.id)).toBe(schnellDefault.length - 2);
    expect(isCustomOrder('flux-schnell', list, up)).toBe(true);
    expect(orderedFor('flux-schnell', list, up).map((p) => p.id)).toEqual(up);
    expect(moved('flux-schnell', list, up, mine.id, 1)).toEqual([]);
    // At the top it stays.
    const top = schnellDefault[0]!;
    expect(moved('flux-schnell', list, undefined, top, -1)).toEqual([]);
    // A saved order naming a Space removed since still orders the rest.
    expect(orderedFor('flux-schnell', list, ['space:gone/x' as never, mine.id])[0]!.id).toBe(mine.id);
  });

  it('sends the aliases whose order changed, [] to restore the default', () => {
    expect(orderPatch({}, {})).toBeNull();
    expect(orderPatch({ flux: [] }, {})).toBeNull();
    expect(orderPatch({ flux: [mine.id] }, {})).toEqual({ flux: [mine.id] });
    expect(orderPatch({ flux: [] }, { flux: [mine.id] })).toEqual({ flux: [] });
    expect(orderPatch({ flux: [mine.id] }, { flux: [mine.id] })).toBeNull();
  });
});

describe('the inference settings', () => {
  const settings = {
    libraryDir: '/lib',
    hasHfToken: false,
    hfTokenCheck: null,
    hfTokenStorage: null,
    secretProtection: 'keychain',
    tokenOrigins: [],
    providerUrls: {},
    hfUrl: null,
    proxy: null,
    proxyPasswordStorage: null,
    theme: 'system',
    language: 'en',
    concurrencyPerProvider: 1,
    customSpaces: [],
    inference: DEFAULT_INFERENCE_SETTINGS,
    aliasOrder: {},
    concurrencyByProvider: {},
    quotaFallback: false,
    notifications: DEFAULT_NOTIFICATION_SETTINGS,
  } satisfies PublicSettings;

  it('sends only what changed', () => {
    const d = draftFrom(settings);
    expect(patchFrom(d, settings)).toEqual({});
    const changed = {
      ...d,
      inference: {
        ...d.inference,
        models: ['me/my-model'],
        providerChoice: 'fal-ai' as const,
        fallbackAliases: ['flux-schnell' as const, 'flux' as const],
        url: ' http://127.0.0.1:9000 ',
      },
      aliasOrder: { flux: ['space:me/x' as const] },
    };
    expect(patchFrom(changed, settings)).toEqual({
      inference: {
        models: ['me/my-model'],
        provider: 'fal-ai',
        fallbackAliases: ['flux', 'flux-schnell'],
        url: 'http://127.0.0.1:9000',
      },
      aliasOrder: { flux: ['space:me/x'] },
    });
    expect(validatePatch(patchFrom(changed, settings), en)).toEqual({ ok: true });
  });

  it('takes a provider name of its own, and words what the schema refuses', () => {
    const other = inferenceDraftFrom({ ...DEFAULT_INFERENCE_SETTINGS, provider: 'sambanova' });
    expect(other.providerChoice).toBe('other');
    expect(other.providerName).toBe('sambanova');
    expect(inferencePatch(other, { ...DEFAULT_INFERENCE_SETTINGS, provider: 'sambanova' })).toBeNull();
    const bad = validatePatch(
      { inference: { provider: 'Not Valid', url: 'http://example.com', models: ['nope'] } },
      en,
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.inferenceProvider).toBe(en.t('set.infProviderInvalid'));
      expect(bad.errors.inferenceUrl).toMatch(/https/);
      expect(bad.errors.inferenceModels).toBe(en.t('set.infModelInvalid'));
    }
  });
});

describe('the new error codes in words', () => {
  const NEW: ErrorCode[] = [
    'token-missing',
    'token-permission',
    'out-of-credits',
    'model-not-served',
    'not-gradio',
    'gradio-too-old',
    'no-text-to-image',
    'needs-file-input',
    'interrupted',
  ];
  it('has its own words in both languages, with advice', () => {
    for (const code of NEW) {
      expect(ERROR_CODES).toContain(code);
      for (const i18n of [en, ru]) {
        const text = errorText(i18n, { code, message: 'English detail from main' });
        expect(text, `${i18n.language} ${code}`).not.toMatch(/English detail|Something went wrong|Что-то пошло/);
        expect(text.length).toBeGreaterThan(40);
      }
      expect(errorText(ru, { code, message: '' })).not.toBe(errorText(en, { code, message: '' }));
    }
  });

  it('offers the token for a missing one, Settings for a model nobody serves', () => {
    const view = (code: ErrorCode, hasToken = false) =>
      jobErrorView(en, { code, message: '' }, [], { hasToken, tokenRefused: false }, (id) => id);
    expect(view('token-missing').actions).toEqual(['add-token']);
    expect(view('token-permission', true).actions).toEqual(['check-token']);
    expect(view('model-not-served').actions).toContain('settings');
    expect(settingsFocusFor('model-not-served')).toBe('inference');
    // Every free Space failed and the paid fallback had no token: adding one is offered.
    const all = jobErrorView(
      en,
      { code: 'all-providers-failed', message: '' },
      [
        { providerId: 'bfl-flux1-dev', error: { code: 'busy', message: 'busy' } },
        { providerId: INFERENCE.id, error: { code: 'token-missing', message: 'no token' } },
      ],
      { hasToken: false, tokenRefused: false },
      (id) => id,
    );
    expect(all.actions[0]).toBe('add-token');
  });
});
