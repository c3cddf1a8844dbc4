/**
 * The request each provider expects, built by the official client (`@huggingface/inference`,
 * loaded on first use): `getProviderHelper(provider, 'text-to-image')` and
 * `makeRequestOptionsFromResolvedModel`, the same functions its `textToImage` calls
 * (`lib/makeRequestOptions.ts`). They give the router URL `https://router.huggingface.co/{provider}/…`
 * (`providers/providerHelper.ts` `makeBaseUrl`), the headers and the provider's body, e.g.
 *
 * - hf-inference: `POST /hf-inference/models/{model}`, `{inputs, parameters: {width, height,
 *   num_inference_steps, guidance_scale, seed}}` (`providers/hf-inference.ts`);
 * - fal-ai: `POST /fal-ai/{providerId}?_subdomain=queue`, the parameters flat beside `prompt`
 *   (`providers/fal-ai.ts` `FalAITextToImageTask.preparePayload`);
 * - together: `POST /together/v1/images/generations`, `{prompt, model, steps, …, response_format: 'base64'}`;
 * - replicate: `POST /replicate/v1/models/{providerId}/predictions`, `{input: {prompt, …}}`, `Prefer: wait`.
 *
 * The app sends them itself (see hf-inference.ts for why not `textToImage`), so the client is
 * built with a placeholder `hf_` token: a token's prefix is what makes the client go through the
 * router (`authMethod` `hf-token`) rather than to the provider's own API with the token as a
 * provider key. The real token is set here, on the router's URL only.
 */
import { AppError } from '../../../shared/errors';
import type { InferenceProviderMappingEntry } from '@huggingface/inference';
import type { MappingEntry } from './mapping';

type Library = typeof import('@huggingface/inference');
let library: Promise<Library> | null = null;
/** The client, loaded on the first job (it takes ~100 ms to load). */
export const loadLibrary = (): Promise<Library> => (library ??= import('@huggingface/inference'));

/** Where the client sends everything routed (`config.ts` `HF_ROUTER_URL`). */
export const LIBRARY_ROUTER_URL = 'https://router.huggingface.co';
const PLACEHOLDER_TOKEN = 'hf_placeholder';

/**
 * Providers whose text-to-image answers the app reads (responses.ts): image bytes, `data[0].b64_json`
 * or `.url`, `output` URLs, fal's queue. wavespeed and zai-org poll shapes of their own: not yet.
 */
export const READABLE_PROVIDERS: readonly string[] = [
  'hf-inference',
  'fal-ai',
  'together',
  'replicate',
  'nscale',
  'deepinfra',
];

/** Can the app ask this provider for an image (the client knows it for text-to-image, the app reads it)? */
export function canCall(lib: Library, provider: string): boolean {
  if (!READABLE_PROVIDERS.includes(provider)) return false;
  try {
    lib.getProviderHelper(provider as Parameters<Library['getProviderHelper']>[0], 'text-to-image');
    return true;
  } catch {
    return false;
  }
}

export interface TextToImageInput {
  prompt: string;
  width: number;
  height: number;
  steps: number;
  guidance: number;
  seed: number;
}

export interface BuiltRequest {
  /** On the app's router base (the user's override, or the fake in tests). */
  url: string;
  /** The path after the router base, e.g. `/fal-ai/fal-ai/flux/dev?_subdomain=queue`. */
  routerPath: string;
  headers: Record<string, string>;
  body: string;
}

/** The provider's parameters: fal's FLUX takes the size as `image_size` (huggingface_hub `fal_ai.py`). */
export function providerParameters(provider: string, p: TextToImageInput): Record<string, unknown> {
  const common = { num_inference_steps: p.steps, guidance_scale: p.guidance, seed: p.seed };
  if (provider === 'fal-ai') return { image_size: { width: p.width, height: p.height }, ...common };
  return { width: p.width, height: p.height, ...common };
}

export function buildRequest(
  lib: Library,
  entry: MappingEntry,
  model: string,
  input: TextToImageInput,
  routerBase: string,
  token: string,
  providerId: string,
): BuiltRequest {
  let built: { url: string; info: RequestInit };
  try {
    const helper = lib.getProviderHelper(
      entry.provider as Parameters<Library['getProviderHelper']>[0],
      'text-to-image',
    );
    built = lib.makeRequestOptionsFromResolvedModel(
      entry.providerId,
      helper,
      {
        accessToken: PLACEHOLDER_TOKEN,
        model,
        provider: entry.provider as Parameters<Library['getProviderHelper']>[0],
        inputs: input.prompt,
        parameters: providerParameters(entry.provider, input),
      },
      entry as unknown as InferenceProviderMappingEntry,
      { task: 'text-to-image' },
    );
  } catch (err) {
    const why = err instanceof Error && err.message ? err.message.replace(/[.!?]+$/, '') : 'unknown reason';
    throw new AppError('model-not-served', `The app cannot ask ${entry.provider} for this image: ${why}.`, {
      providerId,
      cause: err,
    });
  }
  if (!built.url.startsWith(`${LIBRARY_ROUTER_URL}/`)) {
    // Never the case for a routed (`hf_`) token; refuse rather than send the token elsewhere.
    throw new AppError('internal', `The client wanted to call ${entry.provider} outside the router.`, { providerId });
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((built.info.headers ?? {}) as Record<string, string>)) {
    if (k.toLowerCase() !== 'authorization') headers[k.toLowerCase()] = v;
  }
  headers.authorization = `Bearer ${token}`;
  headers.accept = headers.accept ?? '*/*';
  if (typeof built.info.body !== 'string') {
    throw new AppError('internal', 'The client built a request body the app cannot send.', { providerId });
  }
  const routerPath = built.url.slice(LIBRARY_ROUTER_URL.length);
  return { url: `${routerBase}${routerPath}`, routerPath, headers, body: built.info.body };
}
