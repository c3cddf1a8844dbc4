/** The provider interface the job runner and CLI use; each Space implements it in its own file. */
import type { ProviderEvent } from '../../shared/events';
import type { GenerationParams, ModelAlias, ProviderId, ResolvedParams } from '../../shared/params';
import type { SizeLimits } from '../../shared/sizes';
import type { ProviderInfo } from '../../shared/contract';
import type { Dispatcher } from 'undici';
import type { SpaceConfigCache } from './gradio/config';
import type { SpaceStates } from './space-states';

/** Runtime configuration every provider receives (settings: URL overrides, token, proxy). */
export interface ProviderContext {
  /** Base URL of this provider's Space (override or default), no trailing slash. */
  baseUrl: string;
  /** Hugging Face site URL for ZeroGPU tokens, e.g. https://huggingface.co. */
  hfUrl: string;
  /** The user's HF token for `hfUrl` (null when that origin may not have it); never logged. */
  hfToken: string | null;
  /**
   * The same token for `baseUrl`'s origin, when that origin may have it: the Space's host
   * (X-HF-Authorization), or the Inference Providers router (Authorization).
   */
  spaceToken: string | null;
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
  /** The core's cache of Space configs. */
  configs: SpaceConfigCache;
  /** The core's view of each Space's state. */
  spaces: SpaceStates;
  /** Inference Providers: `auto` or the provider's name (`fal-ai`, `hf-inference`, …). */
  inferenceProvider?: string;
  /** Waits before retrying a join the Space refused as busy (queue full or stopped). */
  busyRetryDelaysMs?: readonly number[];
}

/** Queue full or stopped: retried after 2, 5 and 10 s before falling back to another provider. */
export const DEFAULT_BUSY_RETRY_DELAYS_MS = [2000, 5000, 10_000] as const;

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_PROGRESS_TIMEOUT_MS = 5 * 60_000;

export interface Provider {
  readonly id: ProviderId;
  /** A Gradio Space (built in or the user's), or a model through Inference Providers. */
  readonly kind: 'space' | 'inference';
  readonly label: string;
  readonly defaultBaseUrl: string;
  readonly aliases: readonly ModelAlias[];
  info(
    baseUrl: string,
    live?: Pick<ProviderInfo, 'sizeLimits' | 'state'> & { protocol?: ProviderInfo['protocol'] | null },
  ): ProviderInfo;
  /** The Space's id on Hugging Face (`owner/name`) for its state; a duplicate's /config names its own. Null: not a Space (Inference Providers) or a local app. */
  readonly spaceId: string | null;
  /** The id to ask Hugging Face about for this base URL (a duplicate's own, a subdomain, or spaceId); null: nothing to ask. */
  hfSpaceId(baseUrl: string, configs: SpaceConfigCache): string | null;
  /** What this provider would send for these parameters (size within the Space's limits, defaults); throws for a size outside them. */
  resolve(params: GenerationParams, limits?: SizeLimits): ResolvedParams;
  /** Streams events; ends after one `image` event, or throws an AppError. */
  generate(params: GenerationParams, ctx: ProviderContext): AsyncGenerator<ProviderEvent, void, void>;
}
