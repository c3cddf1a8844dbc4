/**
 * A text-to-image model through Hugging Face Inference Providers (`hf-inference:{model}`): FLUX.1
 * [dev] and [schnell], or any text-to-image model id, on the provider the user chose (`auto` or a
 * name such as `fal-ai`, `hf-inference`, `replicate`, `together`). Billed to the user's account,
 * so routing only uses it where the user opted in.
 *
 * One job: the Hub's provider mapping (`inference/mapping.ts`), the provider's request as the
 * official client `@huggingface/inference` builds it (`inference/request.ts`), sent with undici
 * through the app's proxy agent to the router (`ctx.baseUrl`, default
 * https://router.huggingface.co), the image read from the answer (`inference/responses.ts`).
 *
 * Why not the client's `textToImage` with its `fetch` option: its follow-up requests (fal's queue
 * status and result, which carry the token; the image URLs of fal, replicate, wavespeed, zai) call
 * the global `fetch`, so they would skip the proxy, the user's router URL and the test server; its
 * mapping cache is module-wide and never expires; `auto` asks the Hub without the token and takes
 * the first mapping whatever its task; a 503 is retried at once, forever, unless told not to; and
 * answers are read whole without a size limit.
 */
import type { ProviderInfo } from '../../shared/contract';
import { LIMITS, MAX_IMAGE_BYTES, REPO_ID_RE, INFERENCE_FLUX_MODELS } from '../../shared/constants';
import { AppError } from '../../shared/errors';
import type { GenerationParams, InferenceProviderId, ModelAlias, ResolvedParams } from '../../shared/params';
import { INFERENCE_PROVIDER_RE, INFERENCE_ROUTER_URL } from '../../shared/settings';
import { sizeFor, sizeRefusal, type SizeLimits } from '../../shared/sizes';
import { exchange, plainHttpError, reason, type InferenceHttp } from './inference/http';
import { chooseEntry, fetchMapping } from './inference/mapping';
import { buildRequest, canCall, loadLibrary } from './inference/request';
import { MAX_ANSWER_BYTES, readImage } from './inference/responses';
import { tagProvider } from './provider-error';
import { DEFAULT_PROGRESS_TIMEOUT_MS, type Provider } from './types';

/**
 * Width and height: 256–2048 in steps of 16. FLUX works on 16-pixel multiples (diffusers
 * `FluxPipeline.check_inputs`: height and width divisible by `vae_scale_factor * 2` = 16, else
 * resized); 256–2048 is the range the FLUX Spaces' sliders offer, inside what fal's `image_size`
 * and hf-inference accept. Providers' own limits are not published per model; a provider that
 * refuses a size says so (HTTP 400/422) and the app repeats its words.
 */
export const INFERENCE_SIZE_LIMITS: SizeLimits = { min: 256, max: 2048, step: 16 };

/** Between fal queue polls: the official client's 500 ms (`providers/fal-ai.ts`). */
export const FAL_POLL_MS = 500;

export const TOKEN_MISSING_MESSAGE = 'Inference Providers need a Hugging Face token: add one in Settings.';

export interface InferenceProviderOptions {
  aliases?: readonly ModelAlias[];
  label?: string;
  /** Between fal queue polls (tests); default FAL_POLL_MS. */
  pollMs?: number;
}

/** FLUX.1 [schnell] (and models named like it) are distilled to a few steps; others default to 28. */
const defaultsFor = (model: string) => ({
  steps: /schnell/i.test(model) ? 4 : 28,
  width: 1024,
  height: 1024,
  guidance: 3.5,
});

const randomSeed = () => Math.floor(Math.random() * (LIMITS.seed.max + 1));

export function createInferenceProvider(model: string, opts: InferenceProviderOptions = {}): Provider {
  if (!REPO_ID_RE.test(model)) throw new AppError('invalid-argument', `"${model}" is not a model id (owner/name).`);
  const id: InferenceProviderId = `hf-inference:${model}`;
  const label = opts.label ?? `${model.split('/')[1]} (Inference Providers)`;
  const aliases = [...(opts.aliases ?? [])];
  const defaults = defaultsFor(model);
  const longSide = Math.max(defaults.width, defaults.height);

  const resolve = (params: GenerationParams, limits: SizeLimits = INFERENCE_SIZE_LIMITS): ResolvedParams => {
    const size = sizeFor(params, { longSide, limits });
    if (!size.ok) throw new AppError('invalid-argument', sizeRefusal(size, label), { providerId: id });
    return {
      prompt: params.prompt,
      width: size.width,
      height: size.height,
      steps: params.steps ?? defaults.steps,
      guidance: params.guidance ?? defaults.guidance,
      seed: params.seed,
      randomizeSeed: params.randomizeSeed,
      aspectRatio: params.aspectRatio,
    };
  };

  return {
    id,
    kind: 'inference',
    label,
    defaultBaseUrl: INFERENCE_ROUTER_URL,
    aliases,
    spaceId: null,
    hfSpaceId: () => null,
    info: (baseUrl, live): ProviderInfo => ({
      id,
      kind: 'inference',
      label,
      baseUrl,
      defaultBaseUrl: INFERENCE_ROUTER_URL,
      aliases: [...aliases],
      protocol: live?.protocol ?? 'call',
      defaults: { ...defaults },
      supportsGuidance: true,
      supportsNegativePrompt: false,
      costs: true,
      extraInputs: [],
      sizeLimits: live?.sizeLimits ?? INFERENCE_SIZE_LIMITS,
      state: live?.state ?? { health: 'unknown', stage: null, checkedAt: null, skipped: false },
    }),
    resolve,
    async *generate(params, ctx) {
      try {
        const token = ctx.spaceToken;
        if (!token) {
          throw new AppError(
            'token-missing',
            ctx.hfToken
              ? `Inference Providers need a Hugging Face token, and the token may not go to ${originOf(ctx.baseUrl)}: use Hugging Face's router or confirm that address in Settings.`
              : TOKEN_MISSING_MESSAGE,
            { providerId: id },
          );
        }
        const wanted = ctx.inferenceProvider?.trim() || 'auto';
        if (!INFERENCE_PROVIDER_RE.test(wanted)) {
          throw new AppError('invalid-argument', `"${wanted}" is not an Inference Provider name.`, { providerId: id });
        }
        const r = resolve(params);
        const seed = params.randomizeSeed ? randomSeed() : params.seed;
        const routerBase = ctx.baseUrl.replace(/\/+$/, '');
        const http: InferenceHttp = {
          signal: ctx.signal,
          idleTimeoutMs: ctx.idleTimeoutMs,
          providerId: id,
          secrets: [token, ctx.hfToken ?? ''],
          ...(ctx.dispatcher ? { dispatcher: ctx.dispatcher } : {}),
        };

        const lib = await loadLibrary();
        const entries = await fetchMapping(ctx.hfUrl.replace(/\/+$/, ''), model, ctx.hfToken, http);
        const entry = chooseEntry(entries, wanted, model, (p) => canCall(lib, p), id);
        const provider = entry.provider;
        const input = {
          prompt: r.prompt,
          width: r.width,
          height: r.height,
          steps: r.steps,
          guidance: params.guidance ?? defaults.guidance,
          seed,
        };
        const request = buildRequest(lib, entry, model, input, routerBase, token, id);
        const what = `Inference Providers (${provider})`;
        const onError = (status: number, detail: string | null) =>
          routerError(status, detail, provider, model, what, id);

        yield { type: 'status', status: { code: 'sent' } };
        const first = await exchange(
          request.url,
          {
            method: 'POST',
            headers: request.headers,
            body: request.body,
            // The router says nothing until the image is made: the no-progress limit, not the idle one.
            waitMs: Math.max(ctx.progressTimeoutMs ?? DEFAULT_PROGRESS_TIMEOUT_MS, ctx.idleTimeoutMs),
            // An image itself, or JSON carrying one in base64.
            maxBytes: (type) => (type.includes('json') ? MAX_ANSWER_BYTES : MAX_IMAGE_BYTES),
            what,
            onError,
          },
          http,
        );
        const bytes = yield* readImage(first, {
          provider,
          routerBase,
          request,
          http,
          progressTimeoutMs: ctx.progressTimeoutMs ?? DEFAULT_PROGRESS_TIMEOUT_MS,
          pollMs: opts.pollMs ?? FAL_POLL_MS,
          what,
          onError,
          maxBytes: MAX_IMAGE_BYTES,
        });
        if (bytes.length > MAX_IMAGE_BYTES) {
          throw new AppError('too-large', `The image is larger than ${MAX_IMAGE_BYTES / (1024 * 1024)} MB.`, {
            providerId: id,
          });
        }
        if (!imageKind(bytes)) {
          throw new AppError('bad-image', `${what} sent something that is not a PNG, JPEG or WebP image.`, {
            providerId: id,
          });
        }
        yield {
          type: 'image',
          url: `${routerBase}/${provider}/models/${model}`,
          seed,
          bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
          resolved: { ...r, guidance: params.guidance ?? defaults.guidance, seed, servedBy: provider },
        };
      } catch (err) {
        throw tagProvider(err, id);
      }
    },
  };
}

/** The router's answers in the app's words (the codes shared/errors.ts advises on). */
function routerError(
  status: number,
  detail: string | null,
  provider: string,
  model: string,
  what: string,
  providerId: string,
): AppError {
  const extra = { status, providerId };
  const more = detail ? ` (${detail})` : '';
  switch (status) {
    case 401:
      return new AppError(
        'token-refused',
        `Hugging Face refused the token (${reason(status)}): check it in Settings.`,
        extra,
      );
    case 403:
      return new AppError(
        'token-permission',
        `The Hugging Face token may not call Inference Providers (${reason(status)}): give it the "Make calls to Inference Providers" permission at huggingface.co/settings/tokens, or use another token.`,
        extra,
      );
    case 402:
      return new AppError(
        'out-of-credits',
        `The account's Inference Providers credits are used up (${reason(status)})${more}: add credits or wait for the monthly ones.`,
        extra,
      );
    case 404:
      return new AppError('model-not-served', `${provider} does not serve ${model} (${reason(status)})${more}.`, extra);
    case 429:
      return new AppError(
        'rate-limited',
        `Inference Providers refused the request rate (${reason(status)}): wait a little and try again.`,
        extra,
      );
  }
  if ((status === 400 || status === 422) && detail) {
    if (
      /not (supported|found|available|deployed)|no (such )?(model|provider)|does not exist|unknown model/i.test(detail)
    ) {
      return new AppError('model-not-served', `${provider} does not serve ${model}: ${detail}.`, extra);
    }
    return new AppError('invalid-argument', `${what} refused the parameters: ${detail}.`, extra);
  }
  return plainHttpError(what, status, detail, providerId);
}

/** PNG, JPEG or WebP by their first bytes. */
export function imageKind(b: Uint8Array): 'png' | 'jpeg' | 'webp' | null {
  if (
    b.length >= 8 &&
    b[0] === 0x89 &&
    b[1] === 0x50 &&
    b[2] === 0x4e &&
    b[3] === 0x47 &&
    b[4] === 0x0d &&
    b[5] === 0x0a &&
    b[6] === 0x1a &&
    b[7] === 0x0a
  )
    return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'webp';
  return null;
}
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, to));

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'that address';
  }
}

/** The two FLUX models on Inference Providers and their aliases (dev → flux-dev, flux; schnell → flux-schnell, flux). */
export const INFERENCE_DEFAULT_MODELS: readonly { model: string; aliases: readonly ModelAlias[] }[] = (
  Object.entries(INFERENCE_FLUX_MODELS) as [string, ModelAlias][]
).map(([model, alias]) => ({ model, aliases: [alias, 'flux'] }));

/** Providers for INFERENCE_DEFAULT_MODELS. */
export const INFERENCE_DEFAULT_PROVIDERS: readonly Provider[] = INFERENCE_DEFAULT_MODELS.map(({ model, aliases }) =>
  createInferenceProvider(model, { aliases }),
);
