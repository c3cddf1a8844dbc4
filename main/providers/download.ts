/**
 * Downloads an image URL's bytes at once (Space file URLs are temporary): size-limited, with an
 * idle and a total timeout, abortable. Checking the bytes and converting them is the library's job.
 */
import { request, type Dispatcher } from 'undici';
import { AppError } from '../../shared/errors';
import { MAX_IMAGE_BYTES } from '../../shared/library';
import { redirectAllowed } from './space-origin';
import { discard, headerValue, httpError, networkError, readErrorBody, seconds } from './gradio/http';

export interface DownloadOptions {
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
  /** Whole download. Default 120 s. */
  timeoutMs?: number;
  /** No bytes for this long. Default 30 s. */
  idleTimeoutMs?: number;
  /** Default MAX_IMAGE_BYTES. */
  maxBytes?: number;
  headers?: Record<string, string>;
  providerId?: string;
}

export interface Downloaded {
  bytes: Buffer;
  /** As the server sent it (lowercase, without parameters); application/octet-stream when missing. */
  contentType: string;
}

export async function downloadImage(url: string, opts: DownloadOptions = {}): Promise<Downloaded> {
  const maxBytes = opts.maxBytes ?? MAX_IMAGE_BYTES;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const idleTimeoutMs = opts.idleTimeoutMs ?? 30_000;
  const extra = { providerId: opts.providerId };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('protocol', 'The image address is not a valid URL.', extra);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError('protocol', 'The image address is not an http(s) URL.', extra);
  }

  const first = parsed;
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new AppError('timeout', `The image download took longer than ${seconds(timeoutMs)}.`, extra)),
    timeoutMs,
  );
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline.signal]) : deadline.signal;
  const get = (u: URL) =>
    request(u, {
      method: 'GET',
      headers: { accept: 'image/*', ...opts.headers },
      signal,
      headersTimeout: idleTimeoutMs,
      bodyTimeout: idleTimeoutMs,
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
  try {
    let res = await get(parsed);
    // A few redirects (CDNs, signed URLs); http(s) only.
    for (let hops = 0; REDIRECTS.has(res.statusCode) && hops < 3; hops++) {
      const location = headerValue(res.headers, 'location');
      discard(res.body);
      const next = location ? new URL(location, parsed) : null;
      if (!next || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
        throw new AppError('protocol', 'The image server redirected to an invalid address.', extra);
      }
      if (!redirectAllowed(first, next)) {
        throw new AppError(
          'protocol',
          `The image server redirected to another host (${next.host}), which the app does not fetch from.`,
          extra,
        );
      }
      parsed = next;
      res = await get(parsed);
    }
    const contentType = headerValue(res.headers, 'content-type').split(';')[0]!.trim().toLowerCase();
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw httpError(res.statusCode, contentType, await readErrorBody(res.body), 'The image server', opts.providerId);
    }
    if (contentType.startsWith('text/') || contentType.includes('json')) {
      discard(res.body);
      throw new AppError(
        'bad-image',
        `The Space sent ${contentType.includes('html') ? 'a web page' : contentType} instead of an image.`,
        extra,
      );
    }
    const declared = Number(headerValue(res.headers, 'content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      discard(res.body);
      throw tooLarge(maxBytes, extra);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        discard(res.body);
        throw tooLarge(maxBytes, extra);
      }
      chunks.push(chunk);
    }
    if (size === 0) throw new AppError('bad-image', 'The Space sent an empty image.', extra);
    return { bytes: Buffer.concat(chunks, size), contentType: contentType || 'application/octet-stream' };
  } catch (err) {
    throw networkError(err, 'The image server', signal, opts.providerId);
  } finally {
    clearTimeout(timer);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const tooLarge = (max: number, extra: { providerId?: string }) =>
  new AppError('too-large', `The image is larger than ${Math.round(max / (1024 * 1024))} MB.`, extra);
