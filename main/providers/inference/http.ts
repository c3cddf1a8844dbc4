/**
 * HTTP for Inference Providers: one undici request (the caller's proxy agent, its signal), the
 * answer read whole within a size limit, and every failure said in words as an AppError with the
 * code the app advises on (token, permission, credits, model, rate, server, network, timeout,
 * cancel). Server messages are cleaned: no HTML, never the token.
 */
import { STATUS_CODES } from 'node:http';
import { request, type Dispatcher } from 'undici';
import { AppError, type ErrorCode } from '../../../shared/errors';
import { cleanMessage, discard, headerValue, networkError, pickMessage, readErrorBody, sentence } from '../gradio/http';

export interface InferenceHttp {
  signal: AbortSignal;
  dispatcher?: Dispatcher;
  /** No bytes of an answer's body for this long is a timeout (ms). */
  idleTimeoutMs: number;
  providerId: string;
  /** Secrets never to repeat in a message (the user's token). */
  secrets: readonly string[];
}

export interface Exchange {
  status: number;
  /** Lowercase, without parameters. */
  contentType: string;
  body: Buffer;
}

export interface ExchangeRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** How long the answer's headers may take (ms): a generation says nothing until it is done. */
  waitMs: number;
  /** Largest body read, or per content type (an image vs. JSON carrying one in base64); more is `too-large`. */
  maxBytes: number | ((contentType: string) => number);
  /** Who answers, for messages ("Hugging Face", "Inference Providers (fal-ai)"). */
  what: string;
  /** Words a non-2xx answer in the app's terms (the router's, the Hub's or a download's). */
  onError: (status: number, detail: string | null) => AppError;
}

/** One request; a non-2xx answer throws `onError`'s AppError, anything else thrown is mapped. */
export async function exchange(url: string, req: ExchangeRequest, http: InferenceHttp): Promise<Exchange> {
  try {
    const res = await request(url, {
      method: req.method,
      headers: req.headers,
      body: req.body ?? null,
      signal: http.signal,
      headersTimeout: req.waitMs,
      bodyTimeout: http.idleTimeoutMs,
      ...(http.dispatcher ? { dispatcher: http.dispatcher } : {}),
    });
    const contentType = headerValue(res.headers, 'content-type').split(';')[0]!.trim().toLowerCase();
    if (res.statusCode < 200 || res.statusCode >= 300) {
      const text = await readErrorBody(res.body);
      throw req.onError(res.statusCode, errorDetail(contentType, text, http.secrets));
    }
    const maxBytes = typeof req.maxBytes === 'function' ? req.maxBytes(contentType) : req.maxBytes;
    const declared = Number(headerValue(res.headers, 'content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      discard(res.body);
      throw tooLarge(maxBytes, req.what, http.providerId);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        discard(res.body);
        throw tooLarge(maxBytes, req.what, http.providerId);
      }
      chunks.push(chunk);
    }
    return { status: res.statusCode, contentType, body: Buffer.concat(chunks, size) };
  } catch (err) {
    throw networkError(err, req.what, http.signal, http.providerId);
  }
}

const tooLarge = (max: number, what: string, providerId: string) =>
  new AppError('too-large', `${what} sent an answer larger than ${Math.round(max / (1024 * 1024))} MB.`, {
    providerId,
  });

/** Replaces the secrets, and anything shaped like a Hugging Face token, in a server's words. */
export function redact(text: string, secrets: readonly string[]): string {
  let s = text;
  for (const secret of secrets) if (secret) s = s.split(secret).join('[token]');
  return s.replace(/\bhf_[A-Za-z0-9]{6,}\b/g, '[token]');
}

const isHtml = (contentType: string, text: string) =>
  contentType.includes('html') || /^\s*<(!doctype|html|head|body)/i.test(text);

/**
 * The readable part of an error body: `error` / `message` / `detail` of JSON (fal's
 * `detail: [{msg}]` too), or short plain text; never a page, never the token.
 */
export function errorDetail(contentType: string, text: string, secrets: readonly string[]): string | null {
  if (!text.trim() || isHtml(contentType, text)) return null;
  let msg: string | null = null;
  try {
    const json: unknown = JSON.parse(text);
    msg = pickMessage(json);
    // The OpenAI-style `{error: {message}}` some providers send.
    if (!msg && json && typeof json === 'object') {
      const e = (json as { error?: unknown }).error;
      if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') {
        msg = (e as { message: string }).message;
      }
    }
    if (!msg) return null;
  } catch {
    msg = text;
  }
  const clean = cleanMessage(redact(msg, secrets));
  return clean ? clean.replace(/[.!?…]+$/, '') : null;
}

export const reason = (status: number): string => `HTTP ${status} ${STATUS_CODES[status] ?? 'Error'}`;

/** Words for a status without a special meaning: `http` for 5xx and unknown answers. */
export function plainHttpError(what: string, status: number, detail: string | null, providerId: string): AppError {
  const code: ErrorCode = status === 429 ? 'rate-limited' : 'http';
  return new AppError(code, sentence(`${what} answered ${reason(status)}${detail ? `: ${detail}` : ''}`), {
    status,
    providerId,
  });
}

/** The answer as JSON, or a `protocol` error naming what was expected. */
export function parseJson(ex: Exchange, what: string, expected: string, providerId: string): unknown {
  if (!ex.contentType.includes('json')) {
    const got = ex.contentType.includes('html') ? 'a web page' : ex.contentType || 'an answer without a type';
    throw new AppError('protocol', `${what} sent ${got} where ${expected} (JSON) was expected.`, { providerId });
  }
  try {
    return JSON.parse(ex.body.toString('utf8')) as unknown;
  } catch {
    throw new AppError('protocol', `${what} sent malformed JSON where ${expected} was expected.`, { providerId });
  }
}
