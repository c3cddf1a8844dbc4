/**
 * ZeroGPU credentials. ZeroGPU Spaces meter GPU time per visitor through the `x-zerogpu-token` and
 * `x-zerogpu-uuid` headers. The Space page on the Hugging Face site carries an anonymous token and
 * a session uuid (HTML-escaped JSON); with the user's HF token, the `jwt` endpoint gives a token
 * tied to their account (a larger quota). Failures are not fatal: the job then runs anonymously.
 */
import { request } from 'undici';
import { AppError } from '../../shared/errors';
import { spacePath } from './space-origin';
import {
  headerValue,
  httpError,
  networkError,
  readErrorBody,
  readText,
  requestJson,
  type HttpOptions,
} from './gradio/http';

export interface ZeroGpuCredentials {
  token: string | null;
  uuid: string | null;
  /** Where the token came from. */
  source: 'jwt' | 'page' | null;
  /** Notes for the status line (never contain the token); `message` without a final period. */
  warnings: ZeroGpuWarning[];
}

export interface ZeroGpuWarning {
  code: 'zerogpu-no-page-token' | 'zerogpu-token-refused';
  /** English, for logs and the CLI. */
  message: string;
  /** Why, in words (an error message), when known. */
  reason?: string;
}

const PAGE_LIMIT = 8 * 1024 * 1024;
/** `&quot;key&quot;:&quot;value&quot;` in the page's data-props (plain quotes tolerated). */
const field = (key: string) =>
  new RegExp(`(?:&quot;|")${key}(?:&quot;|")\\s*:\\s*(?:&quot;|")([^&"<>\\s]+?)(?:&quot;|")`);

export function parseSpacePage(html: string): { token: string | null; uuid: string | null } {
  return { token: field('token').exec(html)?.[1] ?? null, uuid: field('sessionUuid').exec(html)?.[1] ?? null };
}

export async function getZeroGpuCredentials(opts: {
  hfUrl: string;
  /** `owner/name`. */
  space: string;
  hfToken: string | null;
  http: HttpOptions;
  now?: () => Date;
}): Promise<ZeroGpuCredentials> {
  const { hfUrl, space, hfToken, http } = opts;
  const auth: Record<string, string> = hfToken ? { authorization: `Bearer ${hfToken}` } : {};
  const creds: ZeroGpuCredentials = { token: null, uuid: null, source: null, warnings: [] };

  try {
    const page = parseSpacePage(await fetchPage(`${hfUrl}/spaces/${spacePath(space)}`, auth, http));
    creds.uuid = page.uuid;
    if (page.token) {
      creds.token = page.token;
      creds.source = 'page';
    }
    if (!page.token && !page.uuid)
      creds.warnings.push({ code: 'zerogpu-no-page-token', message: 'The Space page carried no ZeroGPU token' });
  } catch (err) {
    if (err instanceof AppError && err.code === 'cancelled') throw err;
    creds.warnings.push({
      code: 'zerogpu-no-page-token',
      message: `Could not read the ZeroGPU token from the Space page (${messageOf(err)})`,
      reason: messageOf(err),
    });
  }

  if (hfToken) {
    const expiration = new Date((opts.now?.() ?? new Date()).getTime() + 10 * 60_000).toISOString();
    const url = `${hfUrl}/api/spaces/${spacePath(space)}/jwt?expiration=${encodeURIComponent(expiration)}&include_pro_status=true`;
    try {
      const res = await requestJson<{ token?: unknown }>(
        url,
        { headers: auth, expected: 'a token' },
        http,
        'Hugging Face',
      );
      if (typeof res.data?.token === 'string' && res.data.token) {
        creds.token = res.data.token;
        creds.source = 'jwt';
      } else {
        creds.warnings.push({
          code: 'zerogpu-token-refused',
          message: 'Hugging Face sent no ZeroGPU token for your account',
        });
      }
    } catch (err) {
      if (err instanceof AppError && err.code === 'cancelled') throw err;
      creds.warnings.push({
        code: 'zerogpu-token-refused',
        message: `Your Hugging Face token could not be used for ZeroGPU (${messageOf(err)}); using the anonymous quota`,
        reason: messageOf(err),
      });
    }
  }
  return creds;
}

async function fetchPage(url: string, headers: Record<string, string>, http: HttpOptions): Promise<string> {
  const deadline = AbortSignal.timeout(http.idleTimeoutMs);
  const signal = AbortSignal.any([http.signal, deadline]);
  try {
    const res = await request(url, {
      method: 'GET',
      headers: { accept: 'text/html', ...headers },
      signal,
      headersTimeout: http.idleTimeoutMs,
      bodyTimeout: http.idleTimeoutMs,
      ...(http.dispatcher ? { dispatcher: http.dispatcher } : {}),
    });
    const type = headerValue(res.headers, 'content-type');
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw httpError(res.statusCode, type, await readErrorBody(res.body), 'Hugging Face');
    }
    return await readText(res.body, PAGE_LIMIT, 'Hugging Face');
  } catch (err) {
    if (!http.signal.aborted && deadline.aborted) throw new AppError('timeout', 'Hugging Face did not answer in time.');
    throw networkError(err, 'Hugging Face', signal);
  }
}

const messageOf = (err: unknown) =>
  (err instanceof Error ? err.message : String(err)).replace(/\.$/, '').replace(/^The /, 'the ');
