/**
 * The Flux-1-Schnell Spaces share one endpoint: `infer(prompt, seed, randomize_seed, width, height,
 * num_inference_steps)` → `[image, seed]`. Each provider file gives its name, URL and aliases.
 */
import type { ModelAlias, ProviderId } from '../../shared/params';
import { createGradioProvider } from './gradio-provider';
import type { Provider } from './types';

/** g4f's Schnell defaults: 768 × 768, 2 steps. */
export const SCHNELL_DEFAULTS = { width: 768, height: 768, steps: 2 } as const;

export function createSchnellProvider(spec: {
  id: ProviderId;
  label: string;
  defaultBaseUrl: string;
  spaceId: string;
  aliases: readonly ModelAlias[];
}): Provider {
  return createGradioProvider({
    ...spec,
    defaults: SCHNELL_DEFAULTS,
    supportsGuidance: false,
    apiName: 'infer',
    args: (r) => [r.prompt, r.seed, r.randomizeSeed, r.width, r.height, r.steps],
    sizeArgs: [3, 4],
    // Only for a cancel when /config could not be read (then the call API runs): a best guess, as
    // without /config the Space's dependency order cannot be known.
    fallbackFnIndex: 0,
    fallbackTriggerId: null,
  });
}
