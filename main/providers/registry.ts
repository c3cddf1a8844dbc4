/**
 * The model registry and router: which providers serve a model alias, and a generation that tries
 * them in order, falling back to the next on failure (never on a user cancel) and remembering
 * failures so that a Space that just failed is tried last.
 */
import type { Dispatcher } from 'undici';
import type { ModelInfo, ProviderInfo } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { MODEL_ALIASES, type GenerationParams, type ProviderId, type ResolvedParams } from '../../shared/params';
import { bflFlux1Dev } from './bfl-flux1-dev';
import { bflFlux1Schnell } from './bfl-flux1-schnell';
import { dispatcherForProxy } from './dispatcher';
import { sharedFailureMemory, type FailureMemory } from './failure-memory';
import { tagProvider } from './provider-error';
import { DEFAULT_IDLE_TIMEOUT_MS, type Provider, type ProviderContext, type RoutedEvent } from './types';
import { voodoohopFlux1Schnell } from './voodoohop-flux1-schnell';

/** In preference order: `flux` tries Dev first (best quality), then the Schnell Spaces. */
export const PROVIDERS: readonly Provider[] = [bflFlux1Dev, bflFlux1Schnell, voodoohopFlux1Schnell];
export const DEFAULT_HF_URL = 'https://huggingface.co';

export type ProviderUrls = Partial<Record<ProviderId, string | null | undefined>>;

export function getProvider(id: ProviderId): Provider {
  const p = PROVIDERS.find((x) => x.id === id);
  if (!p) throw new AppError('invalid-argument', `Unknown provider "${id}".`);
  return p;
}

const trimUrl = (u: string) => u.trim().replace(/\/+$/, '');

/** The base URL a provider uses: the override when set, else its default. */
export function providerBaseUrl(p: Provider, overrides: ProviderUrls = {}): string {
  const o = overrides[p.id];
  return o ? trimUrl(o) : p.defaultBaseUrl;
}

export function listModels(): ModelInfo[] {
  return MODEL_ALIASES.map((alias) => ({
    alias,
    providers: PROVIDERS.filter((p) => p.aliases.includes(alias)).map((p) => p.id),
  }));
}

export function listProviders(overrides: ProviderUrls = {}): ProviderInfo[] {
  return PROVIDERS.map((p) => p.info(providerBaseUrl(p, overrides)));
}

/** Providers to try for these parameters, in order (a pinned provider is tried alone). */
export function candidatesFor(
  params: Pick<GenerationParams, 'model' | 'provider'>,
  failures: FailureMemory = sharedFailureMemory,
  providers: readonly Provider[] = PROVIDERS,
): Provider[] {
  if (params.provider) {
    const p = providers.find((x) => x.id === params.provider);
    if (!p) throw new AppError('invalid-argument', `Unknown provider "${params.provider}".`);
    if (!p.aliases.includes(params.model)) {
      throw new AppError('invalid-argument', `${p.label} does not serve the model "${params.model}".`);
    }
    return [p];
  }
  const serving = providers.filter((p) => p.aliases.includes(params.model));
  if (serving.length === 0) throw new AppError('invalid-argument', `No provider serves the model "${params.model}".`);
  return failures.order(serving);
}

export interface RouteOptions {
  /** A user cancel: stops everything, no fallback, not remembered as a failure. */
  signal?: AbortSignal;
  /** Per-provider base URL overrides (duplicated Spaces). */
  providerUrls?: ProviderUrls;
  /** Hugging Face site URL for ZeroGPU tokens. Default https://huggingface.co. */
  hfUrl?: string | null;
  hfToken?: string | null;
  /** HTTP(S) proxy URL; requests then go through an undici ProxyAgent. */
  proxy?: string | null;
  /** Overrides `proxy` (tests, custom agents). */
  dispatcher?: Dispatcher;
  idleTimeoutMs?: number;
  progressTimeoutMs?: number;
  failures?: FailureMemory;
  /** The provider set (tests); default PROVIDERS. */
  providers?: readonly Provider[];
}

/**
 * Streams a generation's events, each tagged with the provider speaking. When a provider fails,
 * an `error` event names it and the next provider starts. Ends after one `image` event; throws
 * AppError `cancelled` on a user cancel, the provider's own error when only one was tried, else
 * `all-providers-failed` naming each failure.
 */
export async function* routeGeneration(
  params: GenerationParams,
  options: RouteOptions = {},
): AsyncGenerator<RoutedEvent, void, void> {
  const failures = options.failures ?? sharedFailureMemory;
  const candidates = candidatesFor(params, failures, options.providers);
  const signal = options.signal ?? new AbortController().signal;
  const dispatcher = options.dispatcher ?? dispatcherForProxy(options.proxy);
  const failed: { provider: Provider; error: AppError }[] = [];

  for (const provider of candidates) {
    if (signal.aborted) throw cancelled();
    const ctx: ProviderContext = {
      baseUrl: providerBaseUrl(provider, options.providerUrls),
      hfUrl: options.hfUrl ? trimUrl(options.hfUrl) : DEFAULT_HF_URL,
      hfToken: options.hfToken || null,
      signal,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      ...(options.progressTimeoutMs !== undefined ? { progressTimeoutMs: options.progressTimeoutMs } : {}),
      ...(dispatcher ? { dispatcher } : {}),
    };
    try {
      for await (const ev of provider.generate(params, ctx)) {
        yield { ...ev, providerId: provider.id };
        if (ev.type === 'image') {
          failures.recordSuccess(provider.id);
          return;
        }
      }
      throw new AppError('protocol', 'The Space finished without an image.', { providerId: provider.id });
    } catch (err) {
      const error = tagProvider(err, provider.id);
      if (signal.aborted || error.code === 'cancelled') throw cancelled(err);
      failures.recordFailure(provider.id);
      failed.push({ provider, error });
      yield { type: 'error', error: error.toInfo(), providerId: provider.id };
    }
  }

  if (failed.length === 1) throw failed[0]!.error;
  const words = failed.map(({ provider, error }) => `${provider.label}: ${error.message.replace(/\.$/, '')}`);
  throw new AppError('all-providers-failed', `No provider could make the image. ${words.join('; ')}.`);
}

const cancelled = (cause?: unknown) => new AppError('cancelled', 'Cancelled.', cause === undefined ? {} : { cause });

/** What a provider sends for these parameters (size after rounding, default steps): for history. */
export function resolveParams(providerId: ProviderId, params: GenerationParams): ResolvedParams {
  return getProvider(providerId).resolve(params);
}
