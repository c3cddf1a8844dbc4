/**
 * BlackForestLabs Flux-1-Dev: a ZeroGPU Space. `infer(prompt, seed, randomize_seed, width, height,
 * guidance_scale, num_inference_steps)` streams queue position, progress, logs and previews, then
 * `[image, seed]`. ZeroGPU meters GPU time per visitor through the `x-zerogpu-*` headers.
 */
import { trustedSpaceId } from './space-origin';
import { createGradioProvider, type SpaceIdentity } from './gradio-provider';
import { statusEvent } from './gradio-events';
import { getZeroGpuCredentials } from './zerogpu';

export const DEV_SPACE = 'black-forest-labs/FLUX.1-dev';
export const DEV_DEFAULTS = { width: 1024, height: 1024, steps: 28, guidance: 3.5 } as const;

export const bflFlux1Dev = createGradioProvider({
  id: 'bfl-flux1-dev',
  label: 'BlackForestLabs Flux-1-Dev',
  defaultBaseUrl: 'https://black-forest-labs-flux-1-dev.hf.space',
  spaceId: DEV_SPACE,
  aliases: ['flux-dev', 'flux'],
  defaults: DEV_DEFAULTS,
  supportsGuidance: true,
  apiName: 'infer',
  args: (r) => [r.prompt, r.seed, r.randomizeSeed, r.width, r.height, r.guidance, r.steps],
  sizeArgs: [3, 4],
  // The Space's current layout; /config overrides them when it lists `infer`.
  fallbackFnIndex: 2,
  fallbackTriggerId: 4,
  joinQuery: '__theme=light',
  async identity(ctx, config, http): Promise<SpaceIdentity> {
    // A duplicated Space announces its own id (its ZeroGPU quota is keyed by it), believed only
    // when it matches the Space's host.
    const creds = await getZeroGpuCredentials({
      hfUrl: ctx.hfUrl,
      space: trustedSpaceId(config.spaceId, ctx.baseUrl) ?? DEV_SPACE,
      hfToken: ctx.hfToken,
      http,
    });
    const headers: Record<string, string> = { referer: `${ctx.baseUrl}/?__theme=light` };
    if (creds.token) headers['x-zerogpu-token'] = creds.token;
    if (creds.uuid) headers['x-zerogpu-uuid'] = creds.uuid;
    const notes = creds.warnings.map((w) =>
      statusEvent({ code: w.code, ...(w.reason ? { params: { reason: w.reason } } : {}) }),
    );
    return { headers, notes };
  },
});
