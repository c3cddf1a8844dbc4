/**
 * A Gradio Space as a provider: one endpoint, driven the way the official client drives it. When
 * `/config` names the endpoint, the queue API (`queue/join` + `queue/data`: queue position,
 * progress, logs, previews); otherwise the two-step call API. An endpoint without a name (a saved
 * Space's `#fnIndex`) goes by fn_index through the queue API only. Each built-in provider file gives
 * its Space's name, argument layout and, for ZeroGPU, its identity headers; a Space the user saved
 * gets all of it from its inspection (custom-space/custom-space-provider.ts).
 *
 * Around the call: the Space's state is read before its first job and after a config or join
 * failure (space-states.ts); a busy queue is retried with backoff; a join failure or HTTP 500
 * forgets the cached config and tries once more with a fresh one.
 */
import type { ProviderInfo } from '../../shared/contract';
import { AppError, type ErrorCode } from '../../shared/errors';
import type { ProviderEvent } from '../../shared/events';
import {
  DEFAULTS,
  type GenerationParams,
  type ModelAlias,
  type ProviderId,
  type ResolvedParams,
} from '../../shared/params';
import { DEFAULT_SIZE_LIMITS, sizeFor, sizeRefusal, type SizeLimits } from '../../shared/sizes';
import { abortableSleep } from './abortable-sleep';
import { trustedSpaceId } from './space-origin';
import { callApi, queueApi, type GradioEvent } from './gradio';
import { findDependency, inputRange, type SpaceConfig, type SpaceConfigCache } from './gradio/config';
import type { HttpOptions } from './gradio/http';
import { FLUX_OUTPUTS, statusEvent, toProviderEvents, type OutputLayout } from './gradio-events';
import { tagProvider } from './provider-error';
import { newSessionHash } from './session';
import type { SpaceProbe } from './space-states';
import type { SpaceInput } from '../../shared/spaces';
import {
  DEFAULT_BUSY_RETRY_DELAYS_MS,
  DEFAULT_PROGRESS_TIMEOUT_MS,
  type Provider,
  type ProviderContext,
} from './types';

/** Headers a job sends to the Space, and notes for its status line. */
export interface SpaceIdentity {
  headers: Record<string, string>;
  notes: ProviderEvent[];
}

export interface GradioProviderSpec {
  id: ProviderId;
  label: string;
  defaultBaseUrl: string;
  /** `owner/name` on Hugging Face; null for an app that is not a Space (a local one). */
  spaceId: string | null;
  aliases: readonly ModelAlias[];
  /** The Space's defaults; aspect presets scale to the larger of width and height. */
  defaults: { steps: number; width: number; height: number; guidance?: number };
  supportsGuidance: boolean;
  /** The endpoint's api name, or `#<fn_index>` for one without a name (queue API only). */
  apiName: string;
  /** The endpoint's arguments, in the Space's order. */
  args(r: ResolvedParams): unknown[];
  /** Positions of width and height among the arguments (their sliders bound the size); null: none. */
  sizeArgs: readonly [number, number] | null;
  /** The size range when /config does not describe the size inputs (default: the FLUX Spaces'). */
  sizeLimits?: SizeLimits;
  /** Where the image and the seed are among the outputs (default `[image, seed]`). */
  outputs?: OutputLayout;
  /**
   * After the common resolution (size, steps, guidance): what else goes on the wire (negative
   * prompt, extras, a seed the app picks). Throws invalid-argument for a value the Space refuses.
   */
  refine?(params: GenerationParams, r: ResolvedParams): ResolvedParams;
  /** The seed the Space will use when it does not report it (null: unknown). */
  knownSeed?(r: ResolvedParams): number | null;
  /** Checks that a config read for a job still has the endpoint as the provider knows it (throws). */
  checkEndpoint?(config: SpaceConfig): void;
  /** fn_index and trigger id when /config does not list the endpoint. */
  fallbackFnIndex: number;
  fallbackTriggerId: number | null;
  /** Extra query on the queue join (the Dev page's `__theme=light`). */
  joinQuery?: string;
  /** `space` for a Space the user added (default `builtin`). */
  infoKind?: 'builtin' | 'space';
  supportsNegativePrompt?: boolean;
  /** Inputs shown as extra controls (a user's Space). */
  extraInputs?: readonly SpaceInput[];
  /** Per-job identity beyond the user's token (ZeroGPU credentials). */
  identity?: (ctx: ProviderContext, config: SpaceConfig, http: HttpOptions) => Promise<SpaceIdentity>;
}

/** Failures before the join that a fresh config (and a fresh look at the Space's state) may cure. */
const REPROBE = new Set<ErrorCode>(['http', 'protocol', 'space-asleep', 'space-paused', 'space-broken']);

/**
 * The Space's size range from its width/height sliders (or Numbers with both bounds), else
 * `fallback` (the FLUX Spaces' own by default).
 */
export function sizeLimitsOf(
  config: SpaceConfig,
  apiName: string,
  sizeArgs: readonly [number, number] | null,
  fallback: SizeLimits = DEFAULT_SIZE_LIMITS,
): SizeLimits {
  if (!sizeArgs) return fallback;
  const w = inputRange(config, apiName, sizeArgs[0]);
  const h = inputRange(config, apiName, sizeArgs[1]);
  if (!w && !h) return fallback;
  const sliders = [w, h].filter((s) => s !== null);
  const step = sliders.find((s) => s.step !== null && s.step > 0)?.step ?? 1;
  return {
    min: Math.ceil(Math.max(...sliders.map((s) => s.minimum))),
    max: Math.floor(Math.min(...sliders.map((s) => s.maximum))),
    step,
  };
}

/**
 * The id Hugging Face knows the Space by: announced in /config, the default Space's, or its
 * subdomain; null for an app that is not on Hugging Face (nothing to ask about).
 */
function spaceIdFor(spec: GradioProviderSpec, baseUrl: string, configs: SpaceConfigCache): string | null {
  const announced = trustedSpaceId(configs.peek(baseUrl)?.spaceId, baseUrl);
  if (announced) return announced;
  if (baseUrl === spec.defaultBaseUrl) return spec.spaceId;
  try {
    const host = new URL(baseUrl).hostname;
    if (host.endsWith('.hf.space')) return `by-subdomain/${host.slice(0, -'.hf.space'.length)}`;
  } catch {
    // Not a URL: the router validated it; fall through.
  }
  return spec.spaceId;
}

/** The user's token to the Space host, as the official Python client sends it. */
const userIdentity = (ctx: ProviderContext): Record<string, string> =>
  ctx.spaceToken ? { 'x-hf-authorization': `Bearer ${ctx.spaceToken}` } : {};

export function createGradioProvider(spec: GradioProviderSpec): Provider {
  const longSide = Math.max(spec.defaults.width, spec.defaults.height);
  /**
   * The limits to apply: the given ones, except that DEFAULT_SIZE_LIMITS itself (what the core's
   * Space states hold until a /config was read) gives way to the provider's own when it has them.
   */
  const limitsOf = (given: SizeLimits | undefined): SizeLimits =>
    given === undefined || given === DEFAULT_SIZE_LIMITS ? (spec.sizeLimits ?? DEFAULT_SIZE_LIMITS) : given;
  const resolve = (params: GenerationParams, given?: SizeLimits): ResolvedParams => {
    const limits = limitsOf(given);
    const size = sizeFor(params, { longSide, limits });
    if (!size.ok) throw new AppError('invalid-argument', sizeRefusal(size, spec.label), { providerId: spec.id });
    const r: ResolvedParams = {
      prompt: params.prompt,
      width: size.width,
      height: size.height,
      steps: params.steps ?? spec.defaults.steps,
      ...(spec.supportsGuidance ? { guidance: params.guidance ?? spec.defaults.guidance ?? DEFAULTS.guidance } : {}),
      seed: params.seed,
      randomizeSeed: params.randomizeSeed,
      aspectRatio: params.aspectRatio,
    };
    return spec.refine ? spec.refine(params, r) : r;
  };
  const outputs = spec.outputs ?? FLUX_OUTPUTS;
  const byIndex = spec.apiName.startsWith('#');

  async function* attempt(
    params: GenerationParams,
    ctx: ProviderContext,
    http: HttpOptions,
    onJoined: (apiPrefix: string) => void,
  ): AsyncGenerator<ProviderEvent, void, void> {
    const config = await ctx.configs.get(ctx.baseUrl, http, userIdentity(ctx));
    if (config.known) spec.checkEndpoint?.(config);
    const limits = sizeLimitsOf(config, spec.apiName, spec.sizeArgs, spec.sizeLimits);
    // An endpoint without a name has no call API: the queue takes it by fn_index.
    const useQueue = byIndex || findDependency(config, spec.apiName) !== null;
    ctx.spaces.noteSpace(spec.id, { limits, protocol: useQueue ? 'queue' : 'call' });
    const r = resolve(params, limits);
    const identity = spec.identity ? await spec.identity(ctx, config, http) : { headers: {}, notes: [] };
    yield* identity.notes;
    const call = {
      base: ctx.baseUrl,
      config,
      apiName: spec.apiName,
      fallbackFnIndex: spec.fallbackFnIndex,
      data: spec.args(r),
      headers: { ...identity.headers, ...userIdentity(ctx) },
      idleTimeoutMs: ctx.idleTimeoutMs,
      progressTimeoutMs: ctx.progressTimeoutMs ?? DEFAULT_PROGRESS_TIMEOUT_MS,
      http: { signal: ctx.signal, providerId: spec.id, ...(ctx.dispatcher ? { dispatcher: ctx.dispatcher } : {}) },
    };
    const events = useQueue
      ? queueApi({
          ...call,
          sessionHash: newSessionHash(),
          fallbackTriggerId: spec.fallbackTriggerId,
          ...(spec.joinQuery ? { joinQuery: spec.joinQuery } : {}),
        })
      : callApi(call);
    const layout = spec.knownSeed ? { ...outputs, knownSeed: spec.knownSeed(r) } : outputs;
    yield* toProviderEvents(tapJoined(events, onJoined), ctx.baseUrl, spec.id, r, layout);
  }

  return {
    id: spec.id,
    kind: 'space',
    label: spec.label,
    defaultBaseUrl: spec.defaultBaseUrl,
    spaceId: spec.spaceId,
    aliases: spec.aliases,
    hfSpaceId: (baseUrl, configs) => spaceIdFor(spec, baseUrl, configs),
    info: (baseUrl, live): ProviderInfo => ({
      id: spec.id,
      kind: spec.infoKind ?? 'builtin',
      supportsNegativePrompt: spec.supportsNegativePrompt ?? false,
      costs: false,
      extraInputs: [...(spec.extraInputs ?? [])],
      label: spec.label,
      baseUrl,
      defaultBaseUrl: spec.defaultBaseUrl,
      aliases: [...spec.aliases],
      protocol: live?.protocol ?? 'queue',
      defaults: { ...spec.defaults },
      supportsGuidance: spec.supportsGuidance,
      sizeLimits: limitsOf(live?.sizeLimits),
      state: live?.state ?? { health: 'unknown', stage: null, checkedAt: null, skipped: false },
    }),
    resolve,
    async *generate(params, ctx) {
      const http: HttpOptions = {
        signal: ctx.signal,
        idleTimeoutMs: ctx.idleTimeoutMs,
        providerId: spec.id,
        ...(ctx.dispatcher ? { dispatcher: ctx.dispatcher } : {}),
      };
      const delays = ctx.busyRetryDelaysMs ?? DEFAULT_BUSY_RETRY_DELAYS_MS;
      const probe = (): SpaceProbe => ({
        providerId: spec.id,
        label: spec.label,
        spaceId: spaceIdFor(spec, ctx.baseUrl, ctx.configs),
        hfUrl: ctx.hfUrl,
        baseUrl: ctx.baseUrl,
        hfToken: ctx.hfToken,
        http,
      });
      let busyTries = 0;
      let reprobed = false;
      for (;;) {
        let ready = false;
        let joined = false;
        try {
          yield* ctx.spaces.ensureReady(probe());
          ready = true;
          yield* attempt(params, ctx, http, (apiPrefix) => {
            joined = true;
            ctx.configs.rememberPrefix(ctx.baseUrl, apiPrefix);
          });
          return;
        } catch (err) {
          const e = tagProvider(err, spec.id);
          if (ctx.signal.aborted || e.code === 'cancelled' || !ready) throw e;
          if (e.status === 500 || (!joined && REPROBE.has(e.code))) ctx.configs.forget(ctx.baseUrl);
          if (!joined && e.code === 'busy' && busyTries < delays.length) {
            const wait = delays[busyTries++]!;
            yield statusEvent({
              code: 'busy-retry',
              params: { attempt: busyTries, waitSeconds: Math.ceil(wait / 1000) },
            });
            await abortableSleep(wait, ctx.signal);
            continue;
          }
          if (!joined && !reprobed && REPROBE.has(e.code)) {
            reprobed = true;
            ctx.spaces.flag(spec.id);
            continue;
          }
          throw e;
        }
      }
    },
  };
}

/** Passes the events on, telling `onJoined` the API prefix once the Space accepted the job. */
async function* tapJoined(
  events: AsyncGenerator<GradioEvent, void, void>,
  onJoined: (apiPrefix: string) => void,
): AsyncGenerator<GradioEvent, void, void> {
  for await (const ev of events) {
    if (ev.type === 'joined') onJoined(ev.apiPrefix);
    yield ev;
  }
}
