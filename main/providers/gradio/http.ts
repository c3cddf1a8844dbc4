/**
 * HTTP plumbing shared by the Gradio client: readable errors (from JSON, text or HTML bodies, never
 * dumping HTML), network-error mapping, size-limited body reading, and a JSON request helper.
 */
import { STATUS_CODES } from 'node:http';
import { request, type Dispatcher } from 'undici';
import { AppError, type ErrorCode } from '../../../shared/errors';

export interface HttpOptions {
  dispatcher?: Dispatcher;
  signal: AbortSignal;
  /** No bytes (headers or body) for this long is a timeout. */
  idleTimeoutMs: number;
  providerId?: string;
}

/** Where the cut of a Gradio/ZeroGPU message goes: upstream drops the trailing HTML link. */
const LINK_TAIL = ' <a ';
const MAX_MESSAGE = 300;
const ERROR_BODY_LIMIT = 64 * 1024;

/** A one-line, tag-free, length-limited version of a server message. */
export function cleanMessage(text: string): string {
  let s = text;
  const cut = s.indexOf(LINK_TAIL);
  if (cut >= 0) s = s.slice(0, cut);
  s = s
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE - 1)}…` : s;
}

/** Ends a message with one period (none added after `.`, `!`, `?` or `…`). */
export const sentence = (s: string): string => (/[.!?…]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

const isHtml = (contentType: string, text: string) =>
  contentType.includes('html') || /^\s*<(!doctype|html|head|body)/i.test(text);

/**
 * What a Hugging Face page in place of the Space's answer means. The `*.hf.space` proxy's pages are
 * not in Gradio's source; the notes' "The space is paused, ask a maintainer to restart it" is the
 * one confirmed wording, the others are matched loosely.
 */
export type PageMeaning = 'paused' | 'sleeping' | 'starting' | 'broken';
export function pageMeaning(text: string): PageMeaning | null {
  const plain = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
  if (/\bpaused\b/i.test(plain)) return 'paused';
  if (/\b(sleeping|asleep|inactivity)\b/i.test(plain)) return 'sleeping';
  if (/\b(building|starting|restarting|booting)\b/i.test(plain)) return 'starting';
  if (/\b(runtime error|build error|config error|no application file|crashed)\b/i.test(plain)) return 'broken';
  return null;
}
const MEANING_WORDS: Record<PageMeaning, string> = {
  paused: 'the Space is paused by its author',
  sleeping: 'the Space is asleep',
  starting: 'the Space is starting',
  broken: 'the Space has an error',
};

/** The readable part of an error body: `error`/`message`/`detail` of JSON, a page's meaning, or short text. */
export function describeBody(contentType: string, text: string): string | null {
  if (!text.trim()) return null;
  if (isHtml(contentType, text)) {
    const meaning = pageMeaning(text);
    return meaning ? MEANING_WORDS[meaning] : 'an HTML page';
  }
  try {
    const json: unknown = JSON.parse(text);
    const msg = pickMessage(json);
    if (msg) return cleanMessage(msg);
  } catch {
    // Not JSON: fall through to plain text.
  }
  const plain = cleanMessage(text);
  return plain || null;
}

/** The message of a JSON error body: `error`, `message` or `detail` (FastAPI's list of `{msg}` too). */
export function pickMessage(json: unknown): string | null {
  if (typeof json === 'string') return json;
  if (!json || typeof json !== 'object') return null;
  const o = json as Record<string, unknown>;
  for (const key of ['error', 'message', 'detail']) {
    const v = o[key];
    if (typeof v === 'string' && v.trim()) return v;
    // FastAPI validation errors: detail is a list of {msg}.
    if (Array.isArray(v) && v.length > 0) {
      const first: unknown = v[0];
      if (first && typeof first === 'object' && typeof (first as { msg?: unknown }).msg === 'string') {
        return (first as { msg: string }).msg;
      }
    }
  }
  return null;
}

function codeForStatus(status: number, contentType: string, text: string, detail: string | null): ErrorCode {
  // The Hugging Face proxy's rate limit, not the GPU quota (that one arrives inside the job).
  if (status === 429) return 'rate-limited';
  if (status === 401 || status === 403) return 'forbidden';
  // routes.py queue_join: 503 "Queue is full. Max size is N and size is M." / "Queue is stopped."
  if (status === 503 && detail && /^queue is (full|stopped)/i.test(detail)) return 'busy';
  // Only a page or plain text stands for the Space's state: a JSON body is the Space's own error.
  if ((status >= 500 || status === 404) && (isHtml(contentType, text) || contentType.startsWith('text/plain'))) {
    const meaning = pageMeaning(text);
    if (meaning === 'paused') return 'space-paused';
    if (meaning === 'broken') return 'space-broken';
    if (meaning === 'sleeping' || meaning === 'starting') return 'space-asleep';
  }
  return 'http';
}

/** An AppError for a non-2xx answer: status, reason and the readable part of the body. */
export function httpError(
  status: number,
  contentType: string,
  bodyText: string,
  what: string,
  providerId?: string,
): AppError {
  const detail = describeBody(contentType, bodyText);
  const reason = STATUS_CODES[status] ?? 'Error';
  const message = sentence(`${what} answered HTTP ${status} ${reason}${detail ? `: ${detail}` : ''}`);
  return new AppError(codeForStatus(status, contentType, bodyText, detail), message, { status, providerId });
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'refused the connection',
  ECONNRESET: 'reset the connection',
  ENOTFOUND: 'could not be found (DNS lookup failed)',
  EAI_AGAIN: 'could not be found (DNS lookup failed)',
  EHOSTUNREACH: 'is unreachable',
  ENETUNREACH: 'is unreachable (no network)',
  UND_ERR_SOCKET: 'closed the connection unexpectedly',
  UND_ERR_CLOSED: 'closed the connection unexpectedly',
};
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

function errCode(err: unknown): string | undefined {
  let e: unknown = err;
  // undici wraps socket errors ("fetch failed"-style); the code may sit on the cause.
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Maps anything thrown while talking to a server to an AppError (cancel and timeouts included). */
export function networkError(err: unknown, what: string, signal: AbortSignal, providerId?: string): AppError {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof AppError) return reason;
    return new AppError('cancelled', 'Cancelled.', { cause: err, providerId });
  }
  if (err instanceof AppError) return err;
  const extra = { cause: err, providerId };
  const code = errCode(err);
  if (code && TIMEOUT_CODES.has(code)) return new AppError('timeout', `${what} stopped answering (timed out).`, extra);
  const phrase = code ? NETWORK_CODES[code] : undefined;
  if (phrase) return new AppError('network', `${what} ${phrase}.`, extra);
  const msg = err instanceof Error && err.message ? cleanMessage(err.message) : 'unknown error';
  return new AppError('network', `Could not talk to ${lowerFirst(what)}: ${msg}.`, extra);
}

const lowerFirst = (s: string) => (s.startsWith('The ') ? `the ${s.slice(4)}` : s);

/** Drops a response body and its connection without an unhandled 'error' event. */
export function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

/** Reads a body as text, failing (and discarding the rest) past `maxBytes`. */
export async function readText(body: Dispatcher.ResponseData['body'], maxBytes: number, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      discard(body);
      throw new AppError('protocol', `${what} sent an answer larger than ${Math.round(maxBytes / 1024)} KB.`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a little of an error body for its message; never fails. */
export async function readErrorBody(body: Dispatcher.ResponseData['body']): Promise<string> {
  try {
    return await readText(body, ERROR_BODY_LIMIT, 'error body');
  } catch {
    discard(body);
    return '';
  }
}

export const headerValue = (h: Record<string, string | string[] | undefined>, name: string): string => {
  const v = h[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};

export interface JsonRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** What the answer should be, for error messages (e.g. "an event id"). */
  expected: string;
  maxBytes?: number;
}

export interface JsonResponse<T = unknown> {
  status: number;
  data: T;
}

/**
 * One JSON request whose whole exchange must finish within `idleTimeoutMs` (these are small
 * answers; a server that trickles or never ends one is broken).
 */
export async function requestJson<T = unknown>(
  url: string,
  req: JsonRequest,
  http: HttpOptions,
  what: string,
): Promise<JsonResponse<T>> {
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new AppError('timeout', `${what} did not answer within ${seconds(http.idleTimeoutMs)}.`)),
    http.idleTimeoutMs,
  );
  const signal = AbortSignal.any([http.signal, deadline.signal]);
  try {
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (req.json !== undefined) headers['content-type'] = 'application/json';
    const res = await request(url, {
      method: req.method ?? 'GET',
      headers,
      body: req.json === undefined ? null : JSON.stringify(req.json),
      signal,
      headersTimeout: http.idleTimeoutMs,
      bodyTimeout: http.idleTimeoutMs,
      ...(http.dispatcher ? { dispatcher: http.dispatcher } : {}),
    });
    const contentType = headerValue(res.headers, 'content-type').toLowerCase();
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw httpError(res.statusCode, contentType, await readErrorBody(res.body), what, http.providerId);
    }
    if (!contentType.includes('json')) {
      const text = await readErrorBody(res.body);
      const got = isHtml(contentType, text) ? 'an HTML page' : contentType || 'no content type';
      throw protocolError(`${what} sent ${got} where ${req.expected} (JSON) was expected.`, http);
    }
    const text = await readText(res.body, req.maxBytes ?? 1024 * 1024, what);
    try {
      return { status: res.statusCode, data: JSON.parse(text) as T };
    } catch {
      throw protocolError(`${what} sent malformed JSON where ${req.expected} was expected.`, http);
    }
  } catch (err) {
    throw networkError(err, what, signal, http.providerId);
  } finally {
    clearTimeout(timer);
  }
}

export const protocolError = (message: string, http: { providerId?: string }): AppError =>
  new AppError('protocol', message, { providerId: http.providerId });

export const seconds = (ms: number): string => (ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`);
