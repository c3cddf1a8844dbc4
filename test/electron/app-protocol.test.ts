import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../main/electron/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../main/electron/security-policy';

describe('app:// protocol (renderer files)', () => {
  let base: string;
  let handler: (r: Request) => Promise<Response>;
  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'flux-app-proto-'));
    const root = path.join(base, 'renderer');
    await mkdir(path.join(root, 'assets'), { recursive: true });
    await writeFile(path.join(root, 'index.html'), '<!doctype html><title>x</title>');
    await writeFile(path.join(root, 'assets/app.js'), 'console.log(1)');
    await writeFile(path.join(base, 'secret.txt'), 'outside');
    handler = createAppProtocolHandler({ rootDir: root });
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('serves the entry page with the CSP header and nosniff', async () => {
    const res = await handler(new Request('app://flux-gallery/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>x</title>');
    expect((await handler(new Request('app://flux-gallery/'))).status).toBe(200);
  });

  it('serves module scripts with a JavaScript type', async () => {
    const res = await handler(new Request('app://flux-gallery/assets/app.js'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it.each([
    'app://flux-gallery/..%2fsecret.txt',
    'app://flux-gallery/..%2F..%2F..%2Fetc%2Fpasswd',
    'app://flux-gallery/assets/..%2f..%2fsecret.txt',
    'app://flux-gallery/%2e%2e%2fsecret.txt',
    'app://flux-gallery/..%5csecret.txt',
    'app://flux-gallery/index.html%00.js',
    'app://flux-gallery/%2fetc%2fpasswd',
    'app://flux-gallery/%E0%A4%A',
  ])('refuses %s', async (url) => {
    const res = await handler(new Request(url));
    expect([400, 403, 404]).toContain(res.status);
    expect(await res.text()).not.toContain('outside');
  });

  it('refuses other hosts, missing files and non-GET methods', async () => {
    expect((await handler(new Request('app://evil/index.html'))).status).toBe(404);
    expect((await handler(new Request('app://flux-gallery/missing.js'))).status).toBe(404);
    expect((await handler(new Request('app://flux-gallery/assets'))).status).toBe(404);
    expect((await handler(new Request('app://flux-gallery/index.html', { method: 'POST', body: 'x' }))).status).toBe(
      405,
    );
  });
});
