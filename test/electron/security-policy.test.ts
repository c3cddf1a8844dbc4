import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  CSP_DIRECTIVES,
  isAppUrl,
  isSafeExternalUrl,
} from '../../main/electron/security-policy';
import { WEB_CSP } from '../../main/web/bridge-server';

const directives = (policy: string) =>
  new Map(
    policy
      .split(';')
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => {
        const [name, ...values] = d.split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
  );

describe('Content-Security-Policy', () => {
  it('the web preview runs under the same directives, less the gallery: scheme', () => {
    const web = directives(WEB_CSP);
    const window = directives(CONTENT_SECURITY_POLICY);
    expect(window.get('img-src')).toContain('gallery:');
    expect(web.get('img-src')).not.toContain('gallery:');
    window.set('img-src', window.get('img-src')!.replace(/\s*gallery:/, ''));
    expect(web).toEqual(window);
  });

  it('matches the meta policy of renderer/index.html (frame-ancestors is header-only)', async () => {
    const html = await readFile(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    const header = directives(CONTENT_SECURITY_POLICY);
    header.delete('frame-ancestors');
    expect(directives(meta!)).toEqual(header);
  });

  it('allows no remote origin, eval or inline script', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline|wasm-unsafe-eval|https?:|\*/);
    const map = new Map(CSP_DIRECTIVES);
    expect(map.get('default-src')).toBe("'none'");
    expect(map.get('script-src')).toBe("'self'");
    expect(map.get('object-src')).toBe("'none'");
    expect(map.get('frame-ancestors')).toBe("'none'");
  });
});

describe('URL classes', () => {
  it('recognises only our own app:// pages', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://flux-gallery/assets/index.js')).toBe(true);
    for (const url of [
      'app://flux-gallery.evil.com/index.html',
      'app://evil/index.html',
      'app://user:pw@flux-gallery/index.html',
      'file:///index.html',
      'https://flux-gallery/index.html',
      'gallery://image/abcdef',
      'about:blank',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });

  it('lets only plain https links out to the OS browser', () => {
    expect(isSafeExternalUrl('https://huggingface.co/spaces')).toBe(true);
    for (const url of [
      'http://example.com',
      'file:///etc/passwd',
      'smb://host/share',
      'javascript:alert(1)',
      'ms-settings:',
      'https://user:pass@example.com/',
      'app://flux-gallery/index.html',
      'garbage',
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });
});
