/**
 * The providers a core routes to: the three built-in Spaces, the Spaces the user saved, and the
 * models through Inference Providers (the two FLUX ones and any the user added). Rebuilt only when
 * the saved Spaces or inference models change.
 */
import { INFERENCE_FLUX_MODELS, type ModelAlias } from '../../shared/params';
import type { InferenceSettings } from '../../shared/settings';
import type { SavedSpace } from '../../shared/spaces';
import { createCustomSpaceProvider } from './custom-space/custom-space-provider';
import { createInferenceProvider } from './hf-inference';
import { PROVIDERS } from './registry';
import type { Provider } from './types';

export interface ProviderSetSource {
  customSpaces: readonly SavedSpace[];
  inference: Pick<InferenceSettings, 'models'>;
}

/** The aliases an inference model serves: FLUX.1-dev and -schnell their own and `flux`; others none (pinned only). */
export function inferenceAliases(model: string): ModelAlias[] {
  const own = (INFERENCE_FLUX_MODELS as Record<string, ModelAlias | undefined>)[model];
  return own ? [own, 'flux'] : [];
}

/** Every inference model the app offers: the FLUX ones first, then the user's. */
export function inferenceModels(inference: Pick<InferenceSettings, 'models'>): string[] {
  return [...new Set([...Object.keys(INFERENCE_FLUX_MODELS), ...inference.models])];
}

export function buildProviders(source: ProviderSetSource): Provider[] {
  const builtIn = new Set<string>(PROVIDERS.map((p) => p.id));
  const spaces = source.customSpaces.filter((s) => !builtIn.has(s.id)).map((s) => createCustomSpaceProvider(s));
  const inference = inferenceModels(source.inference).map((model) =>
    createInferenceProvider(model, { aliases: inferenceAliases(model) }),
  );
  return [...PROVIDERS, ...spaces, ...inference];
}

/** Remembers the last set built, so each job does not rebuild the providers. */
export function createProviderSet(): (source: ProviderSetSource) => Provider[] {
  let key: string | null = null;
  let list: Provider[] = [];
  return (source) => {
    const next = JSON.stringify([source.customSpaces, source.inference.models]);
    if (next !== key) {
      key = next;
      list = buildProviders(source);
    }
    return list;
  };
}
