/**
 * The generation form: what the inputs hold (text, so half-typed values survive) and how it becomes
 * a `jobs:start` request. Validation is in validate.ts.
 */
import type { InvokeArgs, ProviderInfo } from '../../../shared/contract';
import type { ImportedParams } from '../../../shared/library';
import {
  ASPECT_RATIOS,
  DEFAULTS,
  LIMITS,
  MODEL_ALIASES,
  isProviderId,
  type AspectRatio,
  type ModelAlias,
  type ProviderId,
} from '../../../shared/constants';
import type { GenerationParams } from '../../../shared/params';
import { DEFAULT_SIZE_LIMITS, sizeFor, type SizeLimits, type SizeOutcome } from '../../../shared/sizes';
import { splitPrompts } from './batch';
import { buildExtras, draftFromExtras, shownExtraInputs, type ExtraDraft, type ExtraProblem } from './extras';
import type { Models } from './useModels';

export interface FormState {
  prompt: string;
  model: ModelAlias;
  /** '' = automatic routing with fallback. */
  provider: ProviderId | '';
  aspectRatio: AspectRatio;
  /** Width/height typed by the user win over the preset; without it they are not used. */
  customSize: boolean;
  width: string;
  height: string;
  /** '' = the provider's default. */
  steps: string;
  guidance: string;
  seed: string;
  seedLocked: boolean;
  count: string;
  /** Sent only to a pinned provider that takes one (a user's Space with a negative prompt input). */
  negativePrompt: string;
  /** The pinned Space's own controls the user changed (input key → what the control holds). */
  extras: ExtraDraft;
  /** A style's name (its template wraps the prompt when the jobs are made); '' = none. */
  style: string;
  /** Each line of the prompt box is its own prompt (a batch: `extraPrompts`). */
  multiPrompt: boolean;
}

export type FieldName =
  | 'prompt'
  | 'negativePrompt'
  | 'width'
  | 'height'
  | 'steps'
  | 'guidance'
  | 'seed'
  | 'count'
  | 'style'
  | `extra:${string}`;
export type FieldErrors = Partial<Record<FieldName, string>>;
export type StartRequest = InvokeArgs<'jobs:start'>;

export const INITIAL_FORM: FormState = {
  prompt: '',
  model: DEFAULTS.model,
  provider: '',
  aspectRatio: DEFAULTS.aspectRatio,
  customSize: false,
  width: '',
  height: '',
  steps: '',
  /** '' = the provider's default (FLUX.1 Dev 3.5, a user's Space its own). */
  guidance: '',
  seed: String(DEFAULTS.seed),
  seedLocked: !DEFAULTS.randomizeSeed,
  count: String(DEFAULTS.count),
  negativePrompt: '',
  extras: {},
  style: '',
  multiPrompt: false,
};

/** '' stays undefined (optional field); anything else must parse as a number (NaN is reported). */
const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s.trim()));

/**
 * The `jobs:start` request. `pinned`: the pinned provider's info, whose negative prompt and own
 * controls are sent (only the values the user changed); without it neither is.
 */
export function toRequest(form: FormState, pinned?: ProviderInfo): StartRequest {
  return pinnedRequest(form, pinned).request;
}

/** The request, and the extra controls whose value cannot be sent (validate.ts words them). */
export function pinnedRequest(
  form: FormState,
  pinned?: ProviderInfo,
): { request: StartRequest; extraProblems: Record<string, ExtraProblem> } {
  const seed = num(form.seed);
  const usable = pinned && form.provider === pinned.id ? pinned : undefined;
  const negative = usable?.supportsNegativePrompt ? form.negativePrompt.trim() : '';
  const { extras, problems } = buildExtras(shownExtraInputs(usable), form.extras);
  // One prompt per line: the first is the request's, the others its extra prompts.
  const lines = form.multiPrompt ? splitPrompts(form.prompt) : [];
  const style = form.style.trim();
  const request: StartRequest = {
    params: {
      prompt: form.multiPrompt ? (lines[0] ?? '') : form.prompt,
      model: form.model,
      ...(form.provider ? { provider: form.provider } : {}),
      ...(negative ? { negativePrompt: form.negativePrompt } : {}),
      ...(Object.keys(extras).length > 0 ? { extras } : {}),
      aspectRatio: form.aspectRatio,
      ...(form.customSize ? { width: num(form.width) ?? NaN, height: num(form.height) ?? NaN } : {}),
      ...(num(form.steps) !== undefined ? { steps: num(form.steps) } : {}),
      ...(num(form.guidance) !== undefined ? { guidance: num(form.guidance) } : {}),
      // An unlocked seed is replaced by the Space anyway; only a locked one must be valid.
      ...(form.seedLocked ? { seed: seed ?? NaN } : {}),
      randomizeSeed: !form.seedLocked,
      ...(style ? { style } : {}),
    },
    count: num(form.count) ?? NaN,
    ...(lines.length > 1 ? { extraPrompts: lines.slice(1) } : {}),
  };
  return { request, extraProblems: problems };
}

/** The pinned provider's info (undefined when routing chooses, or the list has not arrived). */
export function pinnedProvider(form: FormState, models: Models): ProviderInfo | undefined {
  return form.provider ? models.providers.find((p) => p.id === form.provider) : undefined;
}

/**
 * The provider whose rules apply: the pinned one, else the first the alias routes to, in routing
 * order (routing skips paused and broken Spaces until the user retries them).
 */
export function effectiveProvider(form: FormState, models: Models): ProviderInfo | undefined {
  if (form.provider) return models.providers.find((p) => p.id === form.provider);
  const candidates = providersFor(form.model, models);
  return candidates.find((p) => !p.state.skipped) ?? candidates[0];
}

/** Providers offered for a model alias. */
export function providersFor(model: ModelAlias, models: Models): ProviderInfo[] {
  const ids = models.models.find((m) => m.alias === model)?.providers ?? [];
  return ids.map((id) => models.providers.find((p) => p.id === id)).filter((p): p is ProviderInfo => !!p);
}

/** Guidance matters when some provider that may serve the request uses it. */
export function guidanceApplies(form: FormState, models: Models): boolean {
  const candidates = form.provider
    ? models.providers.filter((p) => p.id === form.provider)
    : providersFor(form.model, models);
  if (candidates.length === 0) return form.model !== 'flux-schnell';
  return candidates.some((p) => p.supportsGuidance);
}

/** How a provider sizes images: its Space's slider, and the long side aspect presets scale to. */
export interface SizeRules {
  limits: SizeLimits;
  longSide: number;
  /** Who the rules are from, for messages ('' before the provider list has arrived). */
  providerLabel: string;
}

/** The rules the provider applies (exactly the arguments the main side gives `sizeFor`). */
export function sizeRules(provider: ProviderInfo | undefined): SizeRules {
  if (!provider) return { limits: DEFAULT_SIZE_LIMITS, longSide: 1024, providerLabel: '' };
  return {
    limits: provider.sizeLimits,
    longSide: Math.max(provider.defaults.width, provider.defaults.height),
    providerLabel: provider.label,
  };
}

/** The size an aspect preset sends (presets always fit the limits). */
export function presetSize(aspect: AspectRatio, rules: SizeRules): { width: number; height: number } {
  const r = sizeFor({ aspectRatio: aspect }, rules);
  // Cannot fail without an explicit size; the fallback only satisfies the type.
  return r.ok ? { width: r.width, height: r.height } : { width: rules.limits.min, height: rules.limits.min };
}

/**
 * What the form sends: the size on the wire, or the provider's refusal of an explicit size outside
 * its limits; null while a typed width/height is not a whole number (the schema reports that).
 */
export function sendSize(form: FormState, rules: SizeRules): SizeOutcome | null {
  if (!form.customSize) return sizeFor({ aspectRatio: form.aspectRatio }, rules);
  const w = num(form.width);
  const h = num(form.height);
  const whole = (v: number | undefined): v is number => v !== undefined && Number.isInteger(v);
  if (!whole(w) || !whole(h)) return null;
  return sizeFor({ aspectRatio: form.aspectRatio, width: w, height: h }, rules);
}

/** Each typed width/height outside the provider's limits (both, when both are). */
export function sizeRefusals(form: FormState, rules: SizeRules): Partial<Record<'width' | 'height', SizeLimits>> {
  if (!form.customSize) return {};
  const out: Partial<Record<'width' | 'height', SizeLimits>> = {};
  for (const field of ['width', 'height'] as const) {
    const v = num(form[field]);
    if (v === undefined || !Number.isFinite(v)) continue;
    const r = sizeFor({ aspectRatio: form.aspectRatio, [field]: v }, rules);
    if (!r.ok) out[field] = r.limits;
  }
  return out;
}

export function randomSeed(): number {
  const buf = new Uint32Array(1);
  crypto.getRandomValues(buf);
  return buf[0]! % (LIMITS.seed.max + 1);
}

const isAlias = (v: unknown): v is ModelAlias => (MODEL_ALIASES as readonly unknown[]).includes(v);
const isProvider = (v: unknown): v is ProviderId => isProviderId(v);
const isAspect = (v: unknown): v is AspectRatio => typeof v === 'string' && v in ASPECT_RATIOS;

/** Parameters to reproduce (from `history:reuse` or an imported image) → the form. */
export function formFromParams(
  base: FormState,
  p: Partial<Omit<GenerationParams, 'prompt'>> & { prompt: string },
  models: Models,
): FormState {
  const next: FormState = {
    ...base,
    prompt: p.prompt,
    model: isAlias(p.model) ? p.model : base.model,
    // A provider gone since (a removed Space) leaves the choice to routing.
    provider:
      isProvider(p.provider) && (models.providers.length === 0 || models.providers.some((x) => x.id === p.provider))
        ? p.provider
        : '',
    aspectRatio: isAspect(p.aspectRatio) ? p.aspectRatio : base.aspectRatio,
    customSize: false,
    steps: p.steps !== undefined ? String(p.steps) : '',
    guidance: p.guidance !== undefined ? String(p.guidance) : '',
    seed: p.seed !== undefined ? String(p.seed) : base.seed,
    seedLocked: p.seed !== undefined ? p.randomizeSeed !== true : base.seedLocked,
    negativePrompt: p.negativePrompt ?? '',
    extras: {},
    // A reused image's prompt is already styled (its params carry no style); a recorded prompt names its own.
    style: p.style ?? '',
    // One prompt comes back: the box holds it alone.
    multiPrompt: base.multiPrompt && !p.prompt.includes('\n'),
  };
  // The pinned Space's own controls as the image was made (its current inputs: a removed one is dropped).
  const pinned = pinnedProvider(next, models);
  if (pinned && p.extras) next.extras = draftFromExtras(shownExtraInputs(pinned), p.extras);
  if (p.width !== undefined && p.height !== undefined) {
    // A size equal to what the preset gives on that provider is the preset: keeps the panel simple.
    const preset = presetSize(next.aspectRatio, sizeRules(effectiveProvider(next, models)));
    const custom = p.width !== preset.width || p.height !== preset.height;
    return { ...next, customSize: custom, width: String(p.width), height: String(p.height) };
  }
  return next;
}

export function formFromImport(base: FormState, imported: ImportedParams, models: Models): FormState {
  return formFromParams(base, { prompt: imported.prompt, ...imported.params }, models);
}

const STORAGE_KEY = 'flux-gallery.form';

/** The last parameters survive a restart (the prompt too: it is the user's work). */
export function loadStoredForm(): FormState {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return INITIAL_FORM;
    const stored = JSON.parse(raw) as Partial<FormState>;
    const merged = { ...INITIAL_FORM, ...stored };
    if (!isAlias(merged.model) || !isAspect(merged.aspectRatio)) return INITIAL_FORM;
    if (merged.provider !== '' && !isProvider(merged.provider)) merged.provider = '';
    if (typeof merged.negativePrompt !== 'string') merged.negativePrompt = '';
    if (!isDraft(merged.extras)) merged.extras = {};
    if (typeof merged.style !== 'string') merged.style = '';
    if (typeof merged.multiPrompt !== 'boolean') merged.multiPrompt = false;
    return merged;
  } catch {
    return INITIAL_FORM;
  }
}

const isDraft = (v: unknown): v is ExtraDraft =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every((x) => typeof x === 'string' || typeof x === 'boolean');

export function storeForm(form: FormState): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(form));
  } catch {
    // Storage full or disabled: remembering the form is a convenience only.
  }
}
