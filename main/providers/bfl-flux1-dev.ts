/**
 * BlackForestLabs Flux-1-Dev: a ZeroGPU Space on Gradio's queue API. `infer(prompt, seed,
 * randomize_seed, width, height, guidance_scale, num_inference_steps)` streams queue position,
 * progress, logs and previews, then `[image, seed]`.
 */
import type { ProviderInfo } from '../../shared/contract';
import { resolveSize, type GenerationParams, type ResolvedParams } from '../../shared/params';
import { getSpaceConfig, queueApi } from './gradio';
import type { HttpOptions } from './gradio/http';
import { toProviderEvents } from './gradio-events';
import { tagProvider } from './provider-error';
import { newSessionHash } from './session';
import { DEFAULT_PROGRESS_TIMEOUT_MS, type Provider } from './types';
import { getZeroGpuCredentials } from './zerogpu';

const ID = 'bfl-flux1-dev' as const;
export const DEV_SPACE = 'black-forest-labs/FLUX.1-dev';
export const DEV_DEFAULTS = { width: 1024, height: 1024, steps: 28, guidance: 3.5 } as const;
/** The Space's current layout; /config overrides them when it lists `infer`. */
const FN_INDEX = 2;
const TRIGGER_ID = 4;

function resolve(params: GenerationParams): ResolvedParams {
  return {
    prompt: params.prompt,
    ...resolveSize(params),
    steps: params.steps ?? DEV_DEFAULTS.steps,
    guidance: params.guidance,
    seed: params.seed,
    randomizeSeed: params.randomizeSeed,
    aspectRatio: params.aspectRatio,
  };
}

export const bflFlux1Dev: Provider = {
  id: ID,
  label: 'BlackForestLabs Flux-1-Dev',
  defaultBaseUrl: 'https://black-forest-labs-flux-1-dev.hf.space',
  aliases: ['flux-dev', 'flux'],
  info(baseUrl: string): ProviderInfo {
    return {
      id: ID,
      label: this.label,
      baseUrl,
      defaultBaseUrl: this.defaultBaseUrl,
      aliases: [...this.aliases],
      protocol: 'queue',
      defaults: { ...DEV_DEFAULTS },
      supportsGuidance: true,
      sizeMultiple: 8,
    };
  },
  resolve,
  async *generate(params, ctx) {
    const r = resolve(params);
    const http: HttpOptions = {
      signal: ctx.signal,
      idleTimeoutMs: ctx.idleTimeoutMs,
      providerId: ID,
      ...(ctx.dispatcher ? { dispatcher: ctx.dispatcher } : {}),
    };
    try {
      // A duplicated Space announces its own id; its ZeroGPU quota is keyed by it.
      const config = await getSpaceConfig(ctx.baseUrl, http);
      const creds = await getZeroGpuCredentials({
        hfUrl: ctx.hfUrl,
        space: config.spaceId ?? DEV_SPACE,
        hfToken: ctx.hfToken,
        http,
      });
      for (const w of creds.warnings) yield { type: 'status', message: `${w}.` };
      const headers: Record<string, string> = { referer: `${ctx.baseUrl}/?__theme=light` };
      if (creds.token) headers['x-zerogpu-token'] = creds.token;
      if (creds.uuid) headers['x-zerogpu-uuid'] = creds.uuid;

      const events = queueApi({
        base: ctx.baseUrl,
        sessionHash: newSessionHash(),
        idleTimeoutMs: ctx.idleTimeoutMs,
        progressTimeoutMs: ctx.progressTimeoutMs ?? DEFAULT_PROGRESS_TIMEOUT_MS,
        apiName: 'infer',
        fallbackFnIndex: FN_INDEX,
        fallbackTriggerId: TRIGGER_ID,
        data: [r.prompt, r.seed, r.randomizeSeed, r.width, r.height, r.guidance, r.steps],
        joinQuery: '__theme=light',
        headers,
        http: { signal: ctx.signal, providerId: ID, ...(ctx.dispatcher ? { dispatcher: ctx.dispatcher } : {}) },
      });
      yield* toProviderEvents(events, ctx.baseUrl, ID);
    } catch (err) {
      throw tagProvider(err, ID);
    }
  },
};
