/**
 * Providers as the user sees them: grouped by kind (the built-in Spaces, the user's own Spaces,
 * Inference Providers, which cost money), and named by their label, or by their id when the
 * provider is gone (a removed Space, in history and job cards).
 */
import type { ProviderInfo } from '../../../shared/contract';
import {
  INFERENCE_PROVIDER_PREFIX,
  SPACE_PROVIDER_PREFIX,
  type ModelAlias,
  type ProviderId,
} from '../../../shared/constants';

export type ProviderKind = ProviderInfo['kind'];
export const PROVIDER_KINDS: readonly ProviderKind[] = ['builtin', 'space', 'inference'];

export interface ProviderGroup {
  kind: ProviderKind;
  providers: ProviderInfo[];
}

/** Non-empty groups in the order built-in, the user's Spaces, Inference Providers; each keeps the list's order. */
export function groupProviders(providers: readonly ProviderInfo[]): ProviderGroup[] {
  return PROVIDER_KINDS.map((kind) => ({ kind, providers: providers.filter((p) => kindOf(p) === kind) })).filter(
    (g) => g.providers.length > 0,
  );
}

/** A provider's kind; an info from an older core (no `kind`) is a built-in Space. */
export function kindOf(p: Pick<ProviderInfo, 'id'> & Partial<Pick<ProviderInfo, 'kind'>>): ProviderKind {
  if (p.kind) return p.kind;
  return kindOfId(p.id);
}

export function kindOfId(id: string): ProviderKind {
  if (id.startsWith(SPACE_PROVIDER_PREFIX)) return 'space';
  if (id.startsWith(INFERENCE_PROVIDER_PREFIX)) return 'inference';
  return 'builtin';
}

/** `space:owner/name` → `owner/name`, `hf-inference:owner/model` → `owner/model`; a built-in id as is. */
export function bareId(id: string): string {
  if (id.startsWith(SPACE_PROVIDER_PREFIX)) return id.slice(SPACE_PROVIDER_PREFIX.length);
  if (id.startsWith(INFERENCE_PROVIDER_PREFIX)) return id.slice(INFERENCE_PROVIDER_PREFIX.length);
  return id;
}

/** The provider's label, or (a Space removed since, an older entry) its id without the prefix. */
export function providerName(id: string, providers: readonly ProviderInfo[]): string {
  return providers.find((p) => p.id === id)?.label ?? bareId(id);
}

/**
 * The model alias to ask for when the user pins this provider: the current one when the provider
 * serves it (or serves no alias: a Space the user keeps for itself runs whatever is asked), else
 * the model it runs (`flux-dev`, `flux-schnell`), else its first alias.
 */
export function aliasWhenPinned(provider: Pick<ProviderInfo, 'aliases'>, current: ModelAlias): ModelAlias {
  const { aliases } = provider;
  if (aliases.length === 0 || aliases.includes(current)) return current;
  return aliases.find((a) => a !== 'flux') ?? aliases[0]!;
}

/** Does this provider serve the alias when pinned (the main side refuses a pin that does not)? */
export function pinServes(provider: Pick<ProviderInfo, 'aliases'>, alias: ModelAlias): boolean {
  return provider.aliases.length === 0 || provider.aliases.includes(alias);
}

export const isInference = (id: ProviderId | string | null | undefined): boolean =>
  typeof id === 'string' && id.startsWith(INFERENCE_PROVIDER_PREFIX);
