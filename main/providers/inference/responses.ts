/**
 * The image in a provider's answer, read the way the official client's `getResponse` methods
 * read it (`@huggingface/inference` 4.13.30), but with the app's transport for every follow-up
 * request (the client's own follow-ups use the global `fetch`, not the `fetch` option):
 *
 * | answer | providers | client source |
 * |---|---|---|
 * | image bytes (`image/*`) | hf-inference | `utils/request.ts` `innerRequest` (`response.blob()`), `providers/hf-inference.ts` |
 * | `{data: [{b64_json}]}` | hf-inference, together, nscale, deepinfra | `HFInferenceTextToImageTask`, `TogetherTextToImageTask`, … `getResponse` |
 * | `{data: [{url}]}` | together | `TogetherTextToImageTask.getResponse` |
 * | `{output: url \| [url]}` | replicate, hf-inference | `ReplicateTextToImageTask.getResponse` |
 * | `{request_id, status, response_url}`: poll `{router}/fal-ai{path}/status{query}` every 500 ms until `COMPLETED`, then `GET {router}/fal-ai{path}{query}` → `{images: [{url}]}` | fal-ai | `providers/fal-ai.ts` `getResponseFromQueueApi`, `FalAITextToImageTask.getResponse` |
 *
 * Image URLs (fal's CDN, replicate's) are fetched without the token, through the same proxy.
 */
import { AppError } from '../../../shared/errors';
import type { ProviderEvent } from '../../../shared/events';
import { MAX_IMAGE_BYTES } from '../../../shared/constants';
import { abortableSleep } from '../abortable-sleep';
import { seconds } from '../gradio/http';
import { downloadImage } from '../download';
import { exchange, parseJson, type Exchange, type InferenceHttp } from './http';
import { LIBRARY_ROUTER_URL, type BuiltRequest } from './request';

export interface ReadContext {
  /** The provider that serves the job (`fal-ai`, …). */
  provider: string;
  /** The router's base URL (no trailing slash). */
  routerBase: string;
  request: BuiltRequest;
  http: InferenceHttp;
  /** A queue that says nothing new for this long is a timeout (ms). */
  progressTimeoutMs: number;
  /** Between fal status polls (the client's 500 ms). */
  pollMs: number;
  /** "Inference Providers (fal-ai)". */
  what: string;
  /** The router's non-2xx answers in the app's words. */
  onError: (status: number, detail: string | null) => AppError;
  maxBytes?: number;
}

const MAX_JSON_BYTES = Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 64 * 1024;
/** The router's JSON answers may carry a base64 image: 4/3 of the image limit. */
export const MAX_ANSWER_BYTES = MAX_JSON_BYTES;

/** The image bytes in the answer to the generation request (after any queue), with status events on the way. */
export async function* readImage(first: Exchange, rc: ReadContext): AsyncGenerator<ProviderEvent, Buffer, void> {
  const pid = rc.http.providerId;
  if (!first.contentType.includes('json')) {
    if (first.contentType.startsWith('text/') || first.contentType.includes('html')) {
      const got = first.contentType.includes('html') ? 'a web page' : first.contentType;
      throw new AppError('bad-image', `${rc.what} sent ${got} instead of an image.`, { providerId: pid });
    }
    return first.body;
  }
  let answer = parseJson(first, rc.what, 'an image', pid);
  if (rc.provider === 'fal-ai') answer = yield* falQueue(answer, rc);
  return await imageFrom(answer, rc);
}

const obj = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

async function imageFrom(answer: unknown, rc: ReadContext): Promise<Buffer> {
  const pid = rc.http.providerId;
  const o = obj(answer);
  const fail = (what: string) => new AppError('protocol', `${rc.what} answered without ${what}.`, { providerId: pid });
  if (!o) throw fail('an image');
  // fal's result.
  const images = o.images;
  if (Array.isArray(images) && images.length > 0) {
    const url = obj(images[0])?.url;
    if (typeof url === 'string') return fetchImage(url, rc);
  }
  // OpenAI-style `data` (hf-inference, together, nscale, deepinfra).
  const data = o.data;
  if (Array.isArray(data) && data.length > 0) {
    const first = obj(data[0]);
    if (typeof first?.b64_json === 'string') return fromBase64(first.b64_json, rc);
    if (typeof first?.url === 'string') return fetchImage(first.url, rc);
  }
  // replicate's prediction (and hf-inference's `output` list).
  const output = o.output;
  const outUrl = typeof output === 'string' ? output : Array.isArray(output) ? output[0] : undefined;
  if (typeof outUrl === 'string') return fetchImage(outUrl, rc);
  if (typeof o.status === 'string' && /^(failed|canceled|cancelled)$/i.test(o.status)) {
    const why = typeof o.error === 'string' && o.error.trim() ? `: ${o.error.trim().slice(0, 300)}` : '';
    throw new AppError('http', `${rc.what} could not make the image (${o.status})${why.replace(/[.!?]+$/, '')}.`, {
      providerId: pid,
    });
  }
  if (typeof o.status === 'string' && /^(starting|processing)$/i.test(o.status)) {
    throw new AppError('timeout', `${rc.what} had not finished the image when it answered.`, { providerId: pid });
  }
  throw fail('an image (no `images`, `data` or `output`)');
}

function fromBase64(b64: string, rc: ReadContext): Buffer {
  const max = rc.maxBytes ?? MAX_IMAGE_BYTES;
  const s = b64.replace(/^data:[^,]*,/, '');
  if ((s.length * 3) / 4 > max + 4) {
    throw new AppError('too-large', `The image is larger than ${Math.round(max / (1024 * 1024))} MB.`, {
      providerId: rc.http.providerId,
    });
  }
  const bytes = Buffer.from(s, 'base64');
  if (bytes.length === 0) {
    throw new AppError('bad-image', `${rc.what} sent an empty image.`, { providerId: rc.http.providerId });
  }
  return bytes;
}

/** A provider's image URL: a `data:` URL decoded here, else downloaded without the token. */
async function fetchImage(url: string, rc: ReadContext): Promise<Buffer> {
  if (/^data:image\/[\w.+-]+;base64,/i.test(url)) return fromBase64(url, rc);
  const { bytes } = await downloadImage(url, {
    signal: rc.http.signal,
    idleTimeoutMs: rc.http.idleTimeoutMs,
    maxBytes: rc.maxBytes ?? MAX_IMAGE_BYTES,
    providerId: rc.http.providerId,
    ...(rc.http.dispatcher ? { dispatcher: rc.http.dispatcher } : {}),
  });
  return bytes;
}

/** fal's queue: status until COMPLETED (queue position and start said on the way), then the result. */
async function* falQueue(submitted: unknown, rc: ReadContext): AsyncGenerator<ProviderEvent, unknown, void> {
  const pid = rc.http.providerId;
  const o = obj(submitted);
  const requestId = o?.request_id;
  const responseUrl = o?.response_url;
  if (typeof requestId !== 'string' || !requestId || typeof responseUrl !== 'string') {
    throw new AppError('protocol', `${rc.what} answered without a request id.`, { providerId: pid });
  }
  let path: string;
  try {
    // The model path from the answer, which may differ from the mapped model (the client's comment).
    path = new URL(responseUrl).pathname;
  } catch {
    throw new AppError('protocol', `${rc.what} answered with an invalid result address.`, { providerId: pid });
  }
  const query = new URL(`${LIBRARY_ROUTER_URL}${rc.request.routerPath}`).search;
  const base = `${rc.routerBase}/fal-ai`;
  const statusUrl = `${base}${path}/status${query}`;
  const resultUrl = `${base}${path}${query}`;
  const headers: Record<string, string> = { ...rc.request.headers, accept: 'application/json' };
  delete headers['content-type'];
  const get = (url: string, maxBytes: number) =>
    exchange(
      url,
      { method: 'GET', headers, waitMs: rc.http.idleTimeoutMs, maxBytes, what: rc.what, onError: rc.onError },
      rc.http,
    );

  let status = typeof o?.status === 'string' ? o.status : '';
  let said = '';
  let lastChange = Date.now();
  const say = (s: Record<string, unknown>): ProviderEvent | null => {
    const position = typeof s.queue_position === 'number' ? s.queue_position : null;
    const key = `${String(s.status)}:${position ?? ''}`;
    if (key === said) return null;
    said = key;
    lastChange = Date.now();
    if (s.status === 'IN_QUEUE' && position !== null) return { type: 'queue', position, size: null, eta: null };
    if (s.status === 'IN_PROGRESS') return { type: 'status', status: { code: 'generating' } };
    return null;
  };
  const first = o ? say(o) : null;
  if (first) yield first;
  while (status !== 'COMPLETED') {
    await abortableSleep(rc.pollMs, rc.http.signal);
    const s = obj(parseJson(await get(statusUrl, 64 * 1024), rc.what, 'a queue status', pid));
    if (!s || typeof s.status !== 'string') {
      throw new AppError('protocol', `${rc.what} sent a queue status without a status.`, { providerId: pid });
    }
    status = s.status;
    const ev = say(s);
    if (ev) yield ev;
    if (status !== 'COMPLETED' && Date.now() - lastChange > rc.progressTimeoutMs) {
      throw new AppError(
        'timeout',
        `${rc.what} left the job ${status === 'IN_QUEUE' ? 'queued' : 'running'} for ${seconds(rc.progressTimeoutMs)} without news.`,
        { providerId: pid },
      );
    }
  }
  return parseJson(await get(resultUrl, MAX_JSON_BYTES), rc.what, 'the result', pid);
}
