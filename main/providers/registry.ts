/**
 * The model registry and router: which providers serve a model alias, and a generation that tries
 * them in order, falling back to the next on failure (never on a user cancel) and remembering
 * failures so that a Space that just failed is tried last.
 */
import type { Dispatcher } from 'undici';
import type { ModelInfo, ProviderInfo } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import {
  MODEL_ALIASES,
  type GenerationParams,
  type ModelAlias,
  type ProviderId,
  type ResolvedParams,
} from '../../shared/params';
import { bflFlux1Dev } from './bfl-flux1-dev';
import { bflFlux1Schnell } from './bfl-flux1-schnell';
import { createSpaceConfigCache, type SpaceConfigCache } from './gradio/config';
import { createFailureMemory, type FailureMemory } from './failure-memory';
import { tokenMayGoTo } from './space-origin';
import { createSpaceStates, type SpaceStates } from './space-states';
import { tagProvider } from './provider-error';
import type { RoutedEvent } from '../../shared/events';
import { DEFAULT_IDLE_TIMEOUT_MS, type Provider, type ProviderContext } from './types';
import { voodoohopFlux1Schnell } from './voodoohop-flux1-schnell';

/** In preference order: `flux` tries Dev first (best quality), then the Schnell Spaces. */
export const PROVIDERS: readonly Provider[] = [bflFlux1Dev, bflFlux1Schnell, voodoohopFlux1Schnell];
export const DEFAULT_HF_URL = 'https://huggingface.co';

export type ProviderUrls = Partial<Record<ProviderId, string | null | undefined>>;

/**
 * How routing orders an alias's providers beyond the default: the user's order per alias, and the
 * aliases that may fall back to Inference Providers (which can cost money: off unless opted in).
 */
export interface RoutingRules {
  aliasOrder?: Partial<Record<ModelAlias, readonly ProviderId[]>>;
  inferenceAliases?: readonly ModelAlias[];
}

export function getProvider(id: ProviderId, providers: readonly Provider[] = PROVIDERS): Provider {
  const p = providers.find((x) => x.id === id);
  if (!p) throw new AppError('invalid-argument', `Unknown provider "${id}".`);
  return p;
}

const trimUrl = (u: string) => u.trim().replace(/\/+$/, '');

/** The base URL a provider uses: the override when set, else its default. */
export function providerBaseUrl(p: Provider, overrides: ProviderUrls = {}): string {
  const o = overrides[p.id];
  return o ? trimUrl(o) : p.defaultBaseUrl;
}

/** Each alias with the providers routing tries for it, in order (before failures reorder them). */
export function listModels(providers: readonly Provider[] = PROVIDERS, routing: RoutingRules = {}): ModelInfo[] {
  return MODEL_ALIASES.map((alias) => ({ alias, providers: routeOrder(alias, providers, routing).map((p) => p.id) }));
}

/**
 * The providers serving an alias in routing's order: the free Spaces first (the user's order for the
 * alias, then the rest as listed: built-in before the user's), then Inference Providers when the
 * user opted in for this alias.
 */
export function routeOrder(alias: ModelAlias, providers: readonly Provider[], routing: RoutingRules = {}): Provider[] {
  const serving = providers.filter((p) => p.aliases.includes(alias));
  const order = routing.aliasOrder?.[alias] ?? [];
  const rank = (p: Provider) => {
    const i = order.indexOf(p.id);
    return i === -1 ? order.length + serving.indexOf(p) : i;
  };
  const sorted = [...serving].sort((a, b) => rank(a) - rank(b));
  const paidAllowed = routing.inferenceAliases?.includes(alias) ?? false;
  return [
    ...sorted.filter((p) => p.kind === 'space'),
    ...(paidAllowed ? sorted.filter((p) => p.kind === 'inference') : []),
  ];
}

/** Every provider with what the core knows of its Space (limits, state), when given. */
export function listProviders(
  overrides: ProviderUrls = {},
  spaces?: SpaceStates,
  providers: readonly Provider[] = PROVIDERS,
): ProviderInfo[] {
  return providers.map((p) =>
    p.info(
      providerBaseUrl(p, overrides),
      spaces
        ? { sizeLimits: spaces.limits(p.id), state: spaces.get(p.id), protocol: spaces.protocol(p.id) }
        : undefined,
    ),
  );
}

/**
 * Providers to try for these parameters, in order (a pinned provider is tried alone). Paused and
 * broken Spaces are skipped until the user retries them; when nothing is left, the first skip's
 * error says why.
 */
export function candidatesFor(
  params: Pick<GenerationParams, 'model' | 'provider'>,
  failures: FailureMemory,
  providers: readonly Provider[] = PROVIDERS,
  spaces?: SpaceStates,
  routing: RoutingRules = {},
): Provider[] {
  const skip = (p: Provider) => spaces?.skipReason(p.id, p.label) ?? null;
  if (params.provider) {
    const p = providers.find((x) => x.id === params.provider);
    if (!p) throw new AppError('invalid-argument', `Unknown provider "${params.provider}".`);
    // `flux` names any FLUX model; a provider in no alias (a Space the user added for itself) runs
    // whatever alias is named.
    if (params.model !== 'flux' && p.aliases.length > 0 && !p.aliases.includes(params.model)) {
      throw new AppError('invalid-argument', `${p.label} does not serve the model "${params.model}".`);
    }
    const reason = skip(p);
    if (reason) throw reason;
    return [p];
  }
  const serving = routeOrder(params.model, providers, routing);
  if (serving.length === 0) throw new AppError('invalid-argument', `No provider serves the model "${params.model}".`);
  const open = serving.filter((p) => !skip(p));
  if (open.length === 0) throw skip(serving[0]!)!;
  // A failure moves a free Space behind the other free ones, never behind a paid provider.
  const free = open.filter((p) => p.kind === 'space');
  return [...failures.order(free), ...failures.order(open.filter((p) => p.kind !== 'space'))];
}

export interface RouteOptions {
  /** A user cancel: stops everything, no fallback, not remembered as a failure. */
  signal?: AbortSignal;
  /** Per-provider base URL overrides (duplicated Spaces). */
  providerUrls?: ProviderUrls;
  /** Hugging Face site URL for ZeroGPU tokens. Default https://huggingface.co. */
  hfUrl?: string | null;
  hfToken?: string | null;
  /** Origins beyond Hugging Face's own that the user confirmed for the token (space-origin.ts). */
  tokenOrigins?: readonly string[];
  /** The caller's proxy agent (its owner closes it), or undici's global dispatcher. */
  dispatcher?: Dispatcher;
  idleTimeoutMs?: number;
  progressTimeoutMs?: number;
  failures?: FailureMemory;
  /** The provider set (the core's: built-in, the user's Spaces, inference models); default PROVIDERS. */
  providers?: readonly Provider[];
  routing?: RoutingRules;
  /** Inference Providers: `auto` or a provider's name. */
  inferenceProvider?: string;
  /** The core's Space configs and states; a routing of its own gets fresh ones. */
  configs?: SpaceConfigCache;
  spaces?: SpaceStates;
  busyRetryDelaysMs?: readonly number[];
  /**
   * A GPU quota refusal that names when to try again ("Try again in 0:05:12") ends the routing with
   * that error instead of falling back, and is not remembered as the Space's failure: the job runner
   * waits for the time it names (settings.quotaFallback off).
   */
  waitOnQuota?: boolean;
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
  // A routing of its own (tests) gets fresh memories; the core and the CLI pass theirs.
  const failures = options.failures ?? createFailureMemory();
  const configs = options.configs ?? createSpaceConfigCache();
  const spaces = options.spaces ?? createSpaceStates();
  const candidates = candidatesFor(params, failures, options.providers, spaces, options.routing);
  const signal = options.signal ?? new AbortController().signal;
  const dispatcher = options.dispatcher;
  const failed: { provider: Provider; error: AppError }[] = [];

  for (const provider of candidates) {
    if (signal.aborted) throw cancelled();
    const baseUrl = providerBaseUrl(provider, options.providerUrls);
    const hfUrl = options.hfUrl ? trimUrl(options.hfUrl) : DEFAULT_HF_URL;
    const ctx: ProviderContext = {
      baseUrl,
      hfUrl,
      ...tokensFor({ hfUrl, baseUrl }, options.hfToken, options.tokenOrigins),
      signal,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      configs,
      spaces,
      ...(options.inferenceProvider ? { inferenceProvider: options.inferenceProvider } : {}),
      ...(options.busyRetryDelaysMs ? { busyRetryDelaysMs: options.busyRetryDelaysMs } : {}),
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
      if (options.waitOnQuota && error.code === 'quota' && typeof error.quota?.retryInSeconds === 'number') throw error;
      failures.recordFailure(provider.id);
      failed.push({ provider, error });
      yield { type: 'error', error: error.toInfo(), providerId: provider.id };
    }
  }

  if (failed.length === 1) throw failed[0]!.error;
  const words = failed.map(({ provider, error }) => `${provider.label}: ${error.message.replace(/\.$/, '')}`);
  throw new AppError('all-providers-failed', `No provider could make the image. ${words.join('; ')}.`);
}

/** The token, split by where it may go: Hugging Face's URL and the Space's host are checked apart. */
function tokensFor(
  at: { hfUrl: string; baseUrl: string },
  token: string | null | undefined,
  confirmed: readonly string[] = [],
): { hfToken: string | null; spaceToken: string | null } {
  if (!token) return { hfToken: null, spaceToken: null };
  return {
    hfToken: tokenMayGoTo(at.hfUrl, confirmed) ? token : null,
    spaceToken: tokenMayGoTo(at.baseUrl, confirmed) ? token : null,
  };
}

const cancelled = (cause?: unknown) => new AppError('cancelled', 'Cancelled.', cause === undefined ? {} : { cause });

/** Reads every provider's Space state from Hugging Face now (Settings shows them). */
export async function checkSpaces(opts: {
  spaces: SpaceStates;
  configs: SpaceConfigCache;
  providerUrls?: ProviderUrls;
  hfUrl?: string | null;
  hfToken?: string | null;
  tokenOrigins?: readonly string[];
  dispatcher?: Dispatcher;
  idleTimeoutMs?: number;
  only?: ProviderId;
  providers?: readonly Provider[];
}): Promise<void> {
  const hfUrl = opts.hfUrl ? trimUrl(opts.hfUrl) : DEFAULT_HF_URL;
  const signal = new AbortController().signal;
  const spacesToCheck = (opts.providers ?? PROVIDERS).filter(
    (p) => p.kind === 'space' && (!opts.only || p.id === opts.only),
  );
  await Promise.all(
    spacesToCheck.map((p) => {
      const baseUrl = providerBaseUrl(p, opts.providerUrls);
      return opts.spaces.check({
        providerId: p.id,
        label: p.label,
        spaceId: p.hfSpaceId(baseUrl, opts.configs),
        hfUrl,
        baseUrl,
        hfToken: tokensFor({ hfUrl, baseUrl }, opts.hfToken, opts.tokenOrigins).hfToken,
        http: {
          signal,
          idleTimeoutMs: Math.min(opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, 15_000),
          providerId: p.id,
          ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
        },
      });
    }),
  );
}

/** What a provider sends for these parameters (size within its Space's limits, default steps): for history. */
export function resolveParams(
  providerId: ProviderId,
  params: GenerationParams,
  spaces?: SpaceStates,
  providers: readonly Provider[] = PROVIDERS,
): ResolvedParams {
  return getProvider(providerId, providers).resolve(params, spaces?.limits(providerId));
}
