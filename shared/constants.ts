/**
 * Names, ranges and defaults shared by both sides, without zod: the renderer's first screen reads
 * these and loads zod (the schemas in params.ts, settings.ts, contract.ts) only when it validates.
 * params.ts, settings.ts and library.ts re-export them, so the main side imports them as before.
 */

export const MODEL_ALIASES = ['flux', 'flux-dev', 'flux-schnell'] as const;
export type ModelAlias = (typeof MODEL_ALIASES)[number];

/** The three Spaces the app was built for. */
export const PROVIDER_IDS = ['bfl-flux1-dev', 'bfl-flux1-schnell', 'voodoohop-flux1-schnell'] as const;
export type BuiltinProviderId = (typeof PROVIDER_IDS)[number];
/** A Gradio Space the user added (`space:owner/name`). */
export type SpaceProviderId = `space:${string}`;
/** A model through Hugging Face Inference Providers (`hf-inference:owner/model`). */
export type InferenceProviderId = `hf-inference:${string}`;
export type ProviderId = BuiltinProviderId | SpaceProviderId | InferenceProviderId;

/** `owner/name`, as Hugging Face spells repository ids. */
export const REPO_ID_RE = /^[A-Za-z0-9][\w.-]{0,95}\/[A-Za-z0-9][\w.-]{0,95}$/;
export const SPACE_PROVIDER_PREFIX = 'space:';
export const INFERENCE_PROVIDER_PREFIX = 'hf-inference:';

export const isBuiltinProviderId = (v: unknown): v is BuiltinProviderId =>
  (PROVIDER_IDS as readonly unknown[]).includes(v);
/** Any provider id the app can name (the user's Spaces and inference models included); ≤ 200 characters. */
export function isProviderId(v: unknown): v is ProviderId {
  if (typeof v !== 'string' || v.length > 200) return false;
  if (isBuiltinProviderId(v)) return true;
  if (v.startsWith(SPACE_PROVIDER_PREFIX)) return REPO_ID_RE.test(v.slice(SPACE_PROVIDER_PREFIX.length));
  if (v.startsWith(INFERENCE_PROVIDER_PREFIX)) return REPO_ID_RE.test(v.slice(INFERENCE_PROVIDER_PREFIX.length));
  return false;
}

/** The model each built-in provider's Space runs: what an image is filed under, whatever alias was asked for. */
export const PROVIDER_MODELS = {
  'bfl-flux1-dev': 'flux-dev',
  'bfl-flux1-schnell': 'flux-schnell',
  'voodoohop-flux1-schnell': 'flux-schnell',
} as const satisfies Record<BuiltinProviderId, ModelAlias>;

/** The FLUX models on Inference Providers and the model aliases they serve. */
export const INFERENCE_FLUX_MODELS = {
  'black-forest-labs/FLUX.1-dev': 'flux-dev',
  'black-forest-labs/FLUX.1-schnell': 'flux-schnell',
} as const satisfies Record<string, ModelAlias>;

/** The model alias a provider's image is filed under: its own model when known, else the alias asked for. */
export function modelRunBy(providerId: ProviderId, asked: ModelAlias): ModelAlias {
  if (isBuiltinProviderId(providerId)) return PROVIDER_MODELS[providerId];
  if (providerId.startsWith(INFERENCE_PROVIDER_PREFIX)) {
    const model = providerId.slice(INFERENCE_PROVIDER_PREFIX.length);
    if (model in INFERENCE_FLUX_MODELS) return INFERENCE_FLUX_MODELS[model as keyof typeof INFERENCE_FLUX_MODELS];
  }
  return asked;
}

/** The models a provider can run (the aliases that name one model, not `flux`). */
export const RUN_MODELS = ['flux-dev', 'flux-schnell'] as const satisfies readonly ModelAlias[];

/** Upstream Flux-1-Dev aspect-ratio table (explicit width/height win over it). */
export const ASPECT_RATIOS = {
  '1:1': [1024, 1024],
  '16:9': [1024, 576],
  '9:16': [576, 1024],
  '4:3': [1024, 768],
  '3:4': [768, 1024],
  '3:2': [1024, 682],
  '2:3': [682, 1024],
  '21:9': [1024, 440],
  '9:21': [440, 1024],
  '4:5': [832, 1040],
  '5:4': [1040, 832],
  '2:1': [1024, 512],
  '1:2': [512, 1024],
} as const satisfies Record<string, readonly [number, number]>;
export type AspectRatio = keyof typeof ASPECT_RATIOS;
export const ASPECT_RATIO_KEYS = Object.keys(ASPECT_RATIOS) as [AspectRatio, ...AspectRatio[]];

export const LIMITS = {
  promptMaxLength: 2000,
  size: { min: 32, max: 2048 },
  steps: { min: 1, max: 50 },
  guidance: { min: 1, max: 15 },
  /** The Spaces use numpy's int32 max as MAX_SEED. */
  seed: { min: 0, max: 2_147_483_647 },
  imagesPerJob: { min: 1, max: 16 },
} as const;

export const DEFAULTS = {
  model: 'flux' as ModelAlias,
  aspectRatio: '1:1' as AspectRatio,
  guidance: 3.5,
  seed: 0,
  randomizeSeed: true,
  count: 1,
} as const;

export const THEMES = ['system', 'dark', 'light'] as const;
export const LANGUAGES = ['en', 'ru'] as const;
export type Theme = (typeof THEMES)[number];
export type Language = (typeof LANGUAGES)[number];

/** Largest image file the app accepts (download or import). */
export const MAX_IMAGE_BYTES = 40 * 1024 * 1024;
