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
  PROVIDER_IDS,
  type AspectRatio,
  type ModelAlias,
  type ProviderId,
} from '../../../shared/constants';
import type { GenerationParams } from '../../../shared/params';
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
}

export type FieldName = 'prompt' | 'width' | 'height' | 'steps' | 'guidance' | 'seed' | 'count';
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
  guidance: String(DEFAULTS.guidance),
  seed: String(DEFAULTS.seed),
  seedLocked: !DEFAULTS.randomizeSeed,
  count: String(DEFAULTS.count),
};

/** '' stays undefined (optional field); anything else must parse as a number (NaN is reported). */
const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s.trim()));

export function toRequest(form: FormState): StartRequest {
  const seed = num(form.seed);
  return {
    params: {
      prompt: form.prompt,
      model: form.model,
      ...(form.provider ? { provider: form.provider } : {}),
      aspectRatio: form.aspectRatio,
      ...(form.customSize ? { width: num(form.width) ?? NaN, height: num(form.height) ?? NaN } : {}),
      ...(num(form.steps) !== undefined ? { steps: num(form.steps) } : {}),
      ...(num(form.guidance) !== undefined ? { guidance: num(form.guidance) } : {}),
      // An unlocked seed is replaced by the Space anyway; only a locked one must be valid.
      ...(form.seedLocked ? { seed: seed ?? NaN } : {}),
      randomizeSeed: !form.seedLocked,
    },
    count: num(form.count) ?? NaN,
  };
}

/** The provider whose rules apply: the pinned one, else the first the alias routes to. */
export function effectiveProvider(form: FormState, models: Models): ProviderInfo | undefined {
  const id = form.provider || models.models.find((m) => m.alias === form.model)?.providers[0];
  return models.providers.find((p) => p.id === id);
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

/** Round down to the provider's multiple, never below it (the Spaces' rule). */
export function roundSize(n: number, multiple: number): number {
  const m = Math.max(1, multiple);
  return Math.max(Math.max(m, LIMITS.size.min), n - (n % m));
}

/**
 * The size a provider sends for an aspect preset. Flux-1-Dev uses upstream's table as is; the
 * Schnell Spaces scale it to their own default long side (768). ProviderInfo carries the default
 * size, which tells the two apart.
 */
export function presetSize(aspect: AspectRatio, provider: ProviderInfo | undefined): { width: number; height: number } {
  const [aw, ah] = ASPECT_RATIOS[aspect];
  const multiple = provider?.sizeMultiple ?? 8;
  const long = provider ? Math.max(provider.defaults.width, provider.defaults.height) : 1024;
  const scale = long >= 1024 ? 1 : long / Math.max(aw, ah);
  return { width: roundSize(Math.round(aw * scale), multiple), height: roundSize(Math.round(ah * scale), multiple) };
}

/** The size that will actually be sent, or null while width/height are invalid. */
export function sentSize(
  form: FormState,
  provider: ProviderInfo | undefined,
): { width: number; height: number } | null {
  if (!form.customSize) return presetSize(form.aspectRatio, provider);
  const w = num(form.width);
  const h = num(form.height);
  const ok = (v: number | undefined): v is number =>
    v !== undefined && Number.isInteger(v) && v >= LIMITS.size.min && v <= LIMITS.size.max;
  if (!ok(w) || !ok(h)) return null;
  const multiple = provider?.sizeMultiple ?? 8;
  return { width: roundSize(w, multiple), height: roundSize(h, multiple) };
}

export function randomSeed(): number {
  const buf = new Uint32Array(1);
  crypto.getRandomValues(buf);
  return buf[0]! % (LIMITS.seed.max + 1);
}

const isAlias = (v: unknown): v is ModelAlias => (MODEL_ALIASES as readonly unknown[]).includes(v);
const isProvider = (v: unknown): v is ProviderId => (PROVIDER_IDS as readonly unknown[]).includes(v);
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
    provider: isProvider(p.provider) ? p.provider : '',
    aspectRatio: isAspect(p.aspectRatio) ? p.aspectRatio : base.aspectRatio,
    customSize: false,
    steps: p.steps !== undefined ? String(p.steps) : '',
    guidance: p.guidance !== undefined ? String(p.guidance) : base.guidance,
    seed: p.seed !== undefined ? String(p.seed) : base.seed,
    seedLocked: p.seed !== undefined ? p.randomizeSeed !== true : base.seedLocked,
  };
  if (p.width !== undefined && p.height !== undefined) {
    // A size equal to what the preset gives on that provider is the preset: keeps the panel simple.
    const preset = presetSize(next.aspectRatio, effectiveProvider(next, models));
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
    return merged;
  } catch {
    return INITIAL_FORM;
  }
}

export function storeForm(form: FormState): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(form));
  } catch {
    // Storage full or disabled: remembering the form is a convenience only.
  }
}
