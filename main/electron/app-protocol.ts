/**
 * `app://flux-gallery/…`: serves the built renderer (out/renderer) with the CSP as a real header.
 * Only files under the renderer folder are served; there is no directory listing and no fallback.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../security/confine';
import { contentTypeOf } from '../security/media-types';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security-policy';

export interface AppProtocolDeps {
  /** Absolute folder of the built renderer. */
  rootDir: string;
  csp?: string;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

export function createAppProtocolHandler(deps: AppProtocolDeps): (request: Request) => Promise<Response> {
  const root = path.resolve(deps.rootDir);
  const csp = deps.csp ?? CONTENT_SECURITY_POLICY;
  const fail = (status: number) =>
    new Response(null, { status, headers: { ...SECURITY_HEADERS, 'content-security-policy': csp } });

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return fail(405);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return fail(400);
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return fail(404);

    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      return fail(400);
    }
    if (rel === '/') rel = '/index.html';
    // Backslashes are separators on Windows and NUL truncates paths: neither belongs in our URLs.
    if (rel.includes('\0') || rel.includes('\\')) return fail(400);
    const file = path.resolve(root, `.${rel}`);
    if (file === root || !isInside(root, file)) return fail(403);

    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return fail(404);
    }
    const headers = {
      ...SECURITY_HEADERS,
      'content-type': contentTypeOf(file) ?? 'application/octet-stream',
      'content-length': String(body.length),
      'content-security-policy': csp,
      'cache-control': 'no-cache',
    };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}
