/**
 * Where the app's own pages come from, the Content-Security-Policy they run under, and which URLs
 * may leave the app. Kept in one place so the window, the protocols and the tests agree.
 */

import { cspDirectives, cspHeader } from '../security/csp';

/** The renderer is served from this privileged scheme (never file://: its extra privileges are fused off). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'flux-gallery';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Library images, by id only: `gallery://image/<id>` and `gallery://thumb/<id>`. */
export const GALLERY_SCHEME = 'gallery';

/** The window's policy: the shared directives (main/security/csp.ts), with library images from `gallery:`. */
export const CSP_DIRECTIVES = cspDirectives([`${GALLERY_SCHEME}:`]);
export const CONTENT_SECURITY_POLICY = cspHeader(CSP_DIRECTIVES);

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for a page of ours: `app://flux-gallery/…` and nothing else (no look-alike hosts, no ports). */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
}

/** Links the OS browser may open: plain https only (no file:, smb:, custom handlers, credentials). */
export function isSafeExternalUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === 'https:' && u.hostname !== '' && !u.username && !u.password;
}
