/**
 * Generation parameters: their schema, from the ranges and defaults in constants.ts.
 * Everything that crosses the bridge or reaches a provider is validated with these schemas.
 */
import { z } from 'zod';
import {
  ASPECT_RATIO_KEYS,
  DEFAULTS,
  LIMITS,
  MODEL_ALIASES,
  isProviderId,
  type AspectRatio,
  type ProviderId,
} from './constants';

export {
  ASPECT_RATIO_KEYS,
  ASPECT_RATIOS,
  DEFAULTS,
  LIMITS,
  MODEL_ALIASES,
  INFERENCE_FLUX_MODELS,
  INFERENCE_PROVIDER_PREFIX,
  PROVIDER_IDS,
  PROVIDER_MODELS,
  REPO_ID_RE,
  RUN_MODELS,
  SPACE_PROVIDER_PREFIX,
  isBuiltinProviderId,
  isProviderId,
  modelRunBy,
  type AspectRatio,
  type BuiltinProviderId,
  type InferenceProviderId,
  type ModelAlias,
  type ProviderId,
  type SpaceProviderId,
} from './constants';

/** A built-in provider, a user's Space (`space:owner/name`) or an inference model (`hf-inference:owner/model`). */
export const ProviderIdSchema = z.custom<ProviderId>(
  isProviderId,
  'not a provider: bfl-flux1-dev, bfl-flux1-schnell, voodoohop-flux1-schnell, space:owner/name or hf-inference:owner/model',
);

/** A Space's own input the app has no parameter for, keyed by its name (`arg<N>` when unnamed). */
export const EXTRA_KEY_RE = /^[A-Za-z_][\w]{0,63}$/;
export const ExtraValueSchema = z.union([z.string().max(LIMITS.promptMaxLength), z.number().finite(), z.boolean()]);
export type ExtraValue = z.output<typeof ExtraValueSchema>;

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
  provider: ProviderIdSchema.optional(),
  /** For providers with a negative prompt input (the user's Spaces); others ignore it. */
  negativePrompt: z
    .string({ error: 'negative prompt must be text' })
    .max(LIMITS.promptMaxLength, `negative prompt must be at most ${LIMITS.promptMaxLength} characters`)
    .optional(),
  /** A style's name (Settings → Styles): its template wraps the prompt when the job is made. */
  style: z.string().trim().min(1).max(80).optional(),
  /** Values for a user's Space's own inputs (its extra controls); an input left out keeps the Space's default. */
  extras: z
    .record(z.string().regex(EXTRA_KEY_RE, 'extra input names are letters, digits and _'), ExtraValueSchema)
    .refine((o) => Object.keys(o).length <= 32, 'at most 32 extra inputs')
    .optional(),
  aspectRatio: z.enum(ASPECT_RATIO_KEYS).default(DEFAULTS.aspectRatio),
  /** Explicit size wins over the aspect ratio; providers round it to their rules. */
  width: intIn(LIMITS.size, 'width').optional(),
  height: intIn(LIMITS.size, 'height').optional(),
  /** Omitted: the provider's default (Dev 28, Schnell 2). */
  steps: intIn(LIMITS.steps, 'steps').optional(),
  /** Omitted: the provider's default (Flux-1-Dev 3.5; a user's Space its own). */
  guidance: z
    .number({ error: 'guidance must be a number' })
    .min(LIMITS.guidance.min, `guidance must be at least ${LIMITS.guidance.min}`)
    .max(LIMITS.guidance.max, `guidance must be at most ${LIMITS.guidance.max}`)
    .optional(),
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
  /** Sent to a Space with a negative prompt input. */
  negativePrompt?: string;
  /** A user's Space's own inputs as sent (name → value). */
  extras?: Record<string, ExtraValue>;
  /** Inference Providers: the provider that served the job (`fal-ai`, `hf-inference`, …). */
  servedBy?: string;
  /** The style applied (the prompt above is the styled one). */
  style?: string;
}
