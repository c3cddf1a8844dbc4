/**
 * Asks Hugging Face whose a token is (`GET {hfUrl}/api/whoami-v2`), so a wrong token is caught when
 * it is saved rather than by a job that falls back to the anonymous quota. Plain Node (undici).
 * The token goes in the Authorization header only: never in a URL, a log line or an error message.
 */
import { request, type Dispatcher } from 'undici';
import { AppError } from '../../shared/errors';
import type { HfTokenCheck } from '../../shared/settings';
import { tokenMayGoTo } from '../providers/space-origin';

export const DEFAULT_HF_URL = 'https://huggingface.co';
export const TOKEN_CHECK_TIMEOUT_MS = 10_000;
const MAX_BODY = 256 * 1024;

export type TokenCheckResult =
  /** Hugging Face knows the token: `name` is its owner's user name. */
  | { state: 'valid'; name: string }
  /** Hugging Face refused it (HTTP 401: not a valid token; 403: not allowed to say). */
  | { state: 'refused'; status: number; reason: string }
  /** The answer could not be had (offline, timeout, a mirror without the API): the token is not judged. */
  | { state: 'unchecked'; reason: string };

export async function checkHfToken(opts: {
  token: string;
  hfUrl?: string | null;
  /** Origins the user confirmed for the token: elsewhere than Hugging Face (or a local server) it is not sent. */
  tokenOrigins?: readonly string[];
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  signal?: AbortSignal;
}): Promise<TokenCheckResult> {
  const base = (opts.hfUrl || DEFAULT_HF_URL).replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? TOKEN_CHECK_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  let host = base;
  try {
    host = new URL(base).host;
  } catch {
    return { state: 'unchecked', reason: `"${base}" is not a URL` };
  }
  if (!tokenMayGoTo(base, opts.tokenOrigins ?? [])) {
    return { state: 'unchecked', reason: `the token is not sent to ${host} (not confirmed for it)` };
  }
  try {
    const res = await request(`${base}/api/whoami-v2`, {
      method: 'GET',
      headers: { authorization: `Bearer ${opts.token}`, accept: 'application/json' },
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
    });
    const text = await readLimited(res.body);
    const json = parseJson(text);
    if (res.statusCode === 200) {
      const name = json && typeof json.name === 'string' && json.name.trim() ? json.name.trim().slice(0, 200) : null;
      if (name) return { state: 'valid', name };
      return { state: 'unchecked', reason: `${host} answered without a user name` };
    }
    if (res.statusCode === 401 || res.statusCode === 403) {
      const said = json && typeof json.error === 'string' ? clean(json.error) : '';
      return {
        state: 'refused',
        status: res.statusCode,
        reason: said || (res.statusCode === 401 ? 'invalid token' : 'not allowed'),
      };
    }
    return { state: 'unchecked', reason: `${host} answered HTTP ${res.statusCode}` };
  } catch (err) {
    if (deadline.aborted) return { state: 'unchecked', reason: `${host} did not answer in time` };
    return { state: 'unchecked', reason: `${host} could not be reached (${describe(err)})` };
  }
}

async function readLimited(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) {
      body.destroy();
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** One printable line; what a server says is shown to the user. */
const clean = (s: string) =>
  s
    .replace(/\p{Cc}+/gu, ' ')
    .trim()
    .slice(0, 200);

function describe(err: unknown): string {
  let e: unknown = err;
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'DNS lookup failed';
    if (typeof code === 'string' && code.startsWith('E')) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return err instanceof Error && err.message ? clean(err.message) : 'unknown error';
}

/**
 * What to store with a token about to be saved: whose it is, or why it could not be checked. A
 * token Hugging Face refuses is not saved: this throws `token-refused` (with the HTTP status), and
 * the settings stay as they were.
 */
export async function tokenCheckForSave(
  check: () => Promise<TokenCheckResult>,
  now: () => number = Date.now,
): Promise<HfTokenCheck> {
  const result = await check();
  if (result.state === 'refused') {
    throw new AppError('token-refused', `Hugging Face refused this token (${result.reason}); it was not saved.`, {
      status: result.status,
    });
  }
  return result.state === 'valid'
    ? { state: 'valid', name: result.name, checkedAt: now() }
    : { state: 'unchecked', reason: result.reason, checkedAt: now() };
}
