/** The provider interface the job runner and CLI use; each Space implements it in its own file. */
import type { ProviderEvent } from '../../shared/events';
import type { GenerationParams, ModelAlias, ProviderId, ResolvedParams } from '../../shared/params';
import type { ProviderInfo } from '../../shared/contract';
import type { Dispatcher } from 'undici';

/** Runtime configuration every provider receives (settings: URL overrides, token, proxy). */
export interface ProviderContext {
  /** Base URL of this provider's Space (override or default), no trailing slash. */
  baseUrl: string;
  /** Hugging Face site URL for ZeroGPU tokens, e.g. https://huggingface.co. */
  hfUrl: string;
  /** The user's HF token; never logged. */
  hfToken: string | null;
  /** undici dispatcher (ProxyAgent when a proxy is set). */
  dispatcher?: Dispatcher;
  signal: AbortSignal;
  /** No event from the Space for this long is a timeout (ms). */
  idleTimeoutMs: number;
  /**
   * No meaningful event (heartbeats excluded) for this long is a timeout (ms); catches a Space that
   * only sends keep-alives. Default: DEFAULT_PROGRESS_TIMEOUT_MS.
   */
  progressTimeoutMs?: number;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_PROGRESS_TIMEOUT_MS = 5 * 60_000;

export interface Provider {
  readonly id: ProviderId;
  readonly label: string;
  readonly defaultBaseUrl: string;
  readonly aliases: readonly ModelAlias[];
  info(baseUrl: string): ProviderInfo;
  /** What this provider would send for these parameters (rounding, defaults). */
  resolve(params: GenerationParams): ResolvedParams;
  /** Streams events; ends after one `image` event, or throws an AppError. */
  generate(params: GenerationParams, ctx: ProviderContext): AsyncGenerator<ProviderEvent, void, void>;
}

/** An event of a routed generation: which provider is speaking. */
export type RoutedEvent = ProviderEvent & { providerId: ProviderId };
