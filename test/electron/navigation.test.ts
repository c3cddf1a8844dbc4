import { describe, expect, it, vi } from 'vitest';
import { hardenWebContents } from '../../main/electron/navigation';
import { fakeContents, navEvent } from './fakes';

function setup() {
  const contents = fakeContents();
  const openExternal = vi.fn(async (_url: string) => {});
  hardenWebContents(contents, { openExternal, log: () => {} });
  const fire = (name: string, url: string, isMainFrame = true) => {
    const e = navEvent(url, isMainFrame);
    contents.emit(name, e);
    return e;
  };
  return { contents, openExternal, fire };
}

describe('navigation hardening', () => {
  it('lets our own pages load', () => {
    const { fire, openExternal } = setup();
    expect(fire('will-navigate', 'app://flux-gallery/index.html').defaultPrevented).toBe(false);
    expect(fire('will-frame-navigate', 'app://flux-gallery/index.html').defaultPrevented).toBe(false);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('blocks navigation away and opens https links in the OS browser instead', () => {
    const { fire, openExternal } = setup();
    expect(fire('will-navigate', 'https://huggingface.co/').defaultPrevented).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://huggingface.co/');
  });

  it.each(['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/x', 'app://evil/'])(
    'blocks %s without opening anything',
    (url) => {
      const { fire, openExternal } = setup();
      expect(fire('will-navigate', url).defaultPrevented).toBe(true);
      expect(fire('will-frame-navigate', url, false).defaultPrevented).toBe(true);
      expect(fire('will-redirect', url).defaultPrevented).toBe(true);
      expect(openExternal).not.toHaveBeenCalled();
    },
  );

  it('does not open links for subframe navigations', () => {
    const { fire, openExternal } = setup();
    expect(fire('will-navigate', 'https://example.com/', false).defaultPrevented).toBe(true);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('denies every window.open; https targets go to the OS browser', () => {
    const { contents, openExternal } = setup();
    expect(contents.windowOpenHandler!({ url: 'https://example.com/a' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'app://flux-gallery/index.html' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://example.com/a']]);
  });

  it('refuses <webview> attachment', () => {
    const { contents } = setup();
    const e = navEvent('');
    contents.emit('will-attach-webview', e, {}, {});
    expect(e.defaultPrevented).toBe(true);
  });

  it('survives a failing openExternal', async () => {
    const contents = fakeContents();
    const log = vi.fn();
    hardenWebContents(contents, { openExternal: () => Promise.reject(new Error('no browser')), log });
    contents.emit('will-navigate', navEvent('https://example.com/'));
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toHaveBeenCalledWith('could not open a link in the browser', expect.any(Error));
  });
});
