/**
 * Generation parameters: defined once here, with their ranges and defaults.
 * Everything that crosses the bridge or reaches a provider is validated with these schemas.
 */
import { z } from 'zod';

export const MODEL_ALIASES = ['flux', 'flux-dev', 'flux-schnell'] as const;
export type ModelAlias = (typeof MODEL_ALIASES)[number];

export const PROVIDER_IDS = ['bfl-flux1-dev', 'bfl-flux1-schnell', 'voodoohop-flux1-schnell'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

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

const intIn = (r: { min: number; max: number }, what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(r.min, `${what} must be at least ${r.min}`)
    .max(r.max, `${what} must be at most ${r.max}`);

export const GenerationParamsSchema = z.strictObject({
  prompt: z
    .string({ error: 'prompt must be text' })
    .trim()
    .min(1, 'prompt must not be empty')
    .max(LIMITS.promptMaxLength, `prompt must be at most ${LIMITS.promptMaxLength} characters`),
  /** A model alias; routed to providers with fallback. */
  model: z.enum(MODEL_ALIASES).default(DEFAULTS.model),
  /** Pin one provider (no fallback). */
  provider: z.enum(PROVIDER_IDS).optional(),
  aspectRatio: z.enum(ASPECT_RATIO_KEYS).default(DEFAULTS.aspectRatio),
  /** Explicit size wins over the aspect ratio; providers round it to their rules. */
  width: intIn(LIMITS.size, 'width').optional(),
  height: intIn(LIMITS.size, 'height').optional(),
  /** Omitted: the provider's default (Dev 28, Schnell 2). */
  steps: intIn(LIMITS.steps, 'steps').optional(),
  /** Used by Flux-1-Dev only. */
  guidance: z
    .number({ error: 'guidance must be a number' })
    .min(LIMITS.guidance.min, `guidance must be at least ${LIMITS.guidance.min}`)
    .max(LIMITS.guidance.max, `guidance must be at most ${LIMITS.guidance.max}`)
    .default(DEFAULTS.guidance),
  seed: intIn(LIMITS.seed, 'seed').default(DEFAULTS.seed),
  randomizeSeed: z.boolean().default(DEFAULTS.randomizeSeed),
});
/** Parameters after validation (defaults applied). */
export type GenerationParams = z.output<typeof GenerationParamsSchema>;
/** Parameters as a caller may write them (defaults optional). */
export type GenerationParamsInput = z.input<typeof GenerationParamsSchema>;

/** What a provider actually sent, stored in history so a result can be reproduced. */
export interface ResolvedParams {
  prompt: string;
  width: number;
  height: number;
  steps: number;
  guidance?: number;
  seed: number;
  randomizeSeed: boolean;
  aspectRatio: AspectRatio;
}

/** Schnell Spaces: round down to a multiple of 8 with a floor of 32. */
export function roundSizeTo8(n: number): number {
  return Math.max(32, n - (n % 8));
}

/** Explicit width/height win; otherwise the aspect-ratio table; then rounded to a multiple of 8. */
export function resolveSize(p: Pick<GenerationParams, 'aspectRatio' | 'width' | 'height'>): {
  width: number;
  height: number;
} {
  const [aw, ah] = ASPECT_RATIOS[p.aspectRatio];
  return { width: roundSizeTo8(p.width ?? aw), height: roundSizeTo8(p.height ?? ah) };
}
