/**
 * The Flux-1-Schnell Spaces share one shape: Gradio's call API, `infer(prompt, seed,
 * randomize_seed, width, height, num_inference_steps)` → `[image, seed]`, sizes rounded down to a
 * multiple of 8 (floor 32). Each provider file gives its name, URL and aliases.
 */
import type { ProviderInfo } from '../../shared/contract';
import {
  ASPECT_RATIOS,
  roundSizeTo8,
  type GenerationParams,
  type ModelAlias,
  type ProviderId,
  type ResolvedParams,
} from '../../shared/params';
import { callApi } from './gradio';
import { toProviderEvents } from './gradio-events';
import { tagProvider } from './provider-error';
import { newSessionHash } from './session';
import { DEFAULT_PROGRESS_TIMEOUT_MS, type Provider } from './types';

export interface CallProviderSpec {
  id: ProviderId;
  label: string;
  defaultBaseUrl: string;
  aliases: readonly ModelAlias[];
}

export const SCHNELL_DEFAULTS = { width: 768, height: 768, steps: 2 } as const;

/**
 * Explicit width/height win; otherwise the aspect ratio at the Space's default long side (768, so
 * 1:1 is the Space's own 768×768); then rounded down to a multiple of 8 with a floor of 32.
 */
export function schnellSize(p: Pick<GenerationParams, 'aspectRatio' | 'width' | 'height'>): {
  width: number;
  height: number;
} {
  const [aw, ah] = ASPECT_RATIOS[p.aspectRatio];
  const scale = SCHNELL_DEFAULTS.width / Math.max(aw, ah);
  return {
    width: roundSizeTo8(p.width ?? Math.round(aw * scale)),
    height: roundSizeTo8(p.height ?? Math.round(ah * scale)),
  };
}

export function createCallApiProvider(spec: CallProviderSpec): Provider {
  const resolve = (params: GenerationParams): ResolvedParams => ({
    prompt: params.prompt,
    ...schnellSize(params),
    steps: params.steps ?? SCHNELL_DEFAULTS.steps,
    seed: params.seed,
    randomizeSeed: params.randomizeSeed,
    aspectRatio: params.aspectRatio,
  });
  return {
    ...spec,
    info: (baseUrl: string): ProviderInfo => ({
      id: spec.id,
      label: spec.label,
      baseUrl,
      defaultBaseUrl: spec.defaultBaseUrl,
      aliases: [...spec.aliases],
      protocol: 'call',
      defaults: { ...SCHNELL_DEFAULTS },
      supportsGuidance: false,
      sizeMultiple: 8,
    }),
    resolve,
    async *generate(params, ctx) {
      const r = resolve(params);
      try {
        const events = callApi({
          base: ctx.baseUrl,
          sessionHash: newSessionHash(),
          idleTimeoutMs: ctx.idleTimeoutMs,
          progressTimeoutMs: ctx.progressTimeoutMs ?? DEFAULT_PROGRESS_TIMEOUT_MS,
          apiName: 'infer',
          data: [r.prompt, r.seed, r.randomizeSeed, r.width, r.height, r.steps],
          http: { signal: ctx.signal, providerId: spec.id, ...(ctx.dispatcher ? { dispatcher: ctx.dispatcher } : {}) },
        });
        yield* toProviderEvents(events, ctx.baseUrl, spec.id);
      } catch (err) {
        throw tagProvider(err, spec.id);
      }
    },
  };
}
