/**
 * Session-wide rules for the renderer: no permissions (except writing text to the clipboard from our
 * own page), no device access, no downloads, and no network at all: the page talks to the core over
 * IPC, images come from gallery://, so any http(s)/ws request from a page is a bug or an attack.
 */
import type { Session } from 'electron';
import { isAppUrl } from './security-policy';

/** Harmless for our own page (copying a prompt): Chromium sanitizes what is written. */
const ALLOWED_FOR_APP = new Set<string>(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return ALLOWED_FOR_APP.has(permission) && requestingUrl !== undefined && isAppUrl(requestingUrl);
}

export const BLOCKED_REQUEST_URLS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'];

type SessionLike = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler' | 'on'
> & { webRequest: Pick<Session['webRequest'], 'onBeforeRequest'> };

export function hardenSession(session: SessionLike, log: (message: string) => void = () => {}): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = isPermissionAllowed(permission, details.requestingUrl);
    if (!allowed) log(`permission denied: ${permission}`);
    callback(allowed);
  });
  // Checks happen without a request (e.g. navigator.permissions.query): same answer.
  session.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    isPermissionAllowed(permission, details.requestingUrl),
  );
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => {
    log('download blocked');
    event.preventDefault();
  });
  // Main-process networking (providers) uses Node's fetch, not this session, so it is unaffected.
  session.webRequest.onBeforeRequest({ urls: BLOCKED_REQUEST_URLS }, (details, callback) => {
    log(`network request from a page blocked: ${details.url.slice(0, 80)}`);
    callback({ cancel: true });
  });
}
