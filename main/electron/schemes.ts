/** Custom schemes must be declared privileged before `app` is ready; this runs at startup. */
import type { CustomScheme, Protocol } from 'electron';
import { APP_SCHEME, GALLERY_SCHEME } from './security-policy';

export const PRIVILEGED_SCHEMES: CustomScheme[] = [
  {
    // Standard + secure: relative URLs, a real origin for 'self' in the CSP, and ES module scripts.
    // corsEnabled only lets Chromium apply CORS rules to the scheme; we send no CORS headers.
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
  },
  {
    // Only <img> loads: no fetch API, no CSP bypass, no service workers.
    scheme: GALLERY_SCHEME,
    privileges: { standard: true, secure: true },
  },
];

export function registerPrivilegedSchemes(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES);
}
