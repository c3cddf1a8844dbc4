import { describe, expect, it, vi } from 'vitest';
import { BLOCKED_REQUEST_URLS, hardenSession, isPermissionAllowed } from '../../main/electron/session-security';

type AnyFn = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

function fakeSession() {
  const s = {
    request: undefined as AnyFn | undefined,
    check: undefined as AnyFn | undefined,
    device: undefined as AnyFn | undefined,
    events: new Map<string, AnyFn>(),
    beforeRequest: undefined as { filter: { urls: string[] }; fn: AnyFn } | undefined,
    setPermissionRequestHandler: (h: AnyFn) => void (s.request = h),
    setPermissionCheckHandler: (h: AnyFn) => void (s.check = h),
    setDevicePermissionHandler: (h: AnyFn) => void (s.device = h),
    on: (name: string, h: AnyFn) => void s.events.set(name, h),
    webRequest: { onBeforeRequest: (filter: { urls: string[] }, fn: AnyFn) => void (s.beforeRequest = { filter, fn }) },
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  hardenSession(s as any);
  return s;
}

const APP = 'app://flux-gallery/index.html';
const PERMISSIONS = [
  'media',
  'geolocation',
  'notifications',
  'midi',
  'midiSysex',
  'pointerLock',
  'fullscreen',
  'openExternal',
  'clipboard-read',
  'display-capture',
  'window-management',
  'fileSystem',
  'unknown',
];

describe('session hardening', () => {
  it.each(PERMISSIONS)('denies the %s permission request, even from our page', (permission) => {
    const s = fakeSession();
    const callback = vi.fn();
    s.request!({}, permission, callback, { requestingUrl: APP, isMainFrame: true });
    expect(callback).toHaveBeenCalledWith(false);
    expect(s.check!({}, permission, 'app://flux-gallery', { requestingUrl: APP, isMainFrame: true })).toBe(false);
  });

  it('allows only sanitized clipboard writes, and only from our page', () => {
    const s = fakeSession();
    const cb = vi.fn();
    s.request!({}, 'clipboard-sanitized-write', cb, { requestingUrl: APP, isMainFrame: true });
    s.request!({}, 'clipboard-sanitized-write', cb, { requestingUrl: 'https://evil.example/', isMainFrame: false });
    expect(cb.mock.calls).toEqual([[true], [false]]);
    expect(isPermissionAllowed('clipboard-sanitized-write', undefined)).toBe(false);
  });

  it('denies device access (HID, serial, USB)', () => {
    const s = fakeSession();
    expect(s.device!({ deviceType: 'usb', origin: 'app://flux-gallery' })).toBe(false);
  });

  it('cancels every http(s)/ws request made by a page', () => {
    const s = fakeSession();
    expect(s.beforeRequest!.filter.urls).toEqual(BLOCKED_REQUEST_URLS);
    expect(BLOCKED_REQUEST_URLS).toEqual(
      expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']),
    );
    const cb = vi.fn();
    s.beforeRequest!.fn({ url: 'https://evil.example/x.js' }, cb);
    expect(cb).toHaveBeenCalledWith({ cancel: true });
  });

  it('blocks downloads', () => {
    const s = fakeSession();
    const event = { preventDefault: vi.fn() };
    s.events.get('will-download')!(event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });
});
