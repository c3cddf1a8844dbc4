/**
 * What a Space may make the app fetch, and whose id it may claim: file URLs on its own origin or
 * Hugging Face's file hosts (any host for a local Space), redirects checked hop by hop, and a
 * `space_id` believed only when it is the Space's own host.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadImage } from '../../main/providers/download';
import { toProviderEvents } from '../../main/providers/gradio-events';
import type { GradioEvent } from '../../main/providers/gradio';
import {
  redirectAllowed,
  spaceFileAllowed,
  spacePath,
  tokenMayGoTo,
  trustedSpaceId,
} from '../../main/providers/space-origin';
import { collect } from './helpers';

const SPACE = 'https://black-forest-labs-flux-1-dev.hf.space';
const u = (s: string) => new URL(s);

describe('file hosts', () => {
  it("allows the Space's origin and Hugging Face's file hosts over https", () => {
    expect(spaceFileAllowed(u(`${SPACE}/gradio_api/file=/tmp/x.webp`), SPACE)).toBe(true);
    expect(spaceFileAllowed(u('https://cdn-lfs.huggingface.co/x.png'), SPACE)).toBe(true);
    expect(spaceFileAllowed(u('https://other-space.hf.space/file=x'), SPACE)).toBe(true);
  });

  it('refuses other sites, metadata and LAN addresses, credentials and plain http to HF', () => {
    for (const bad of [
      'https://evil.example/x.png',
      'http://169.254.169.254/latest/meta-data',
      'http://192.168.1.1/x.png',
      'http://127.0.0.1:8080/x.png',
      'http://cdn-lfs.huggingface.co/x.png',
      'https://user:pw@black-forest-labs-flux-1-dev.hf.space/x.png',
      'https://huggingface.co.evil.example/x.png',
    ]) {
      expect(spaceFileAllowed(u(bad), SPACE), bad).toBe(false);
    }
  });

  it('a local Space (development, tests) may name any host', () => {
    expect(spaceFileAllowed(u('http://192.168.1.5/x.png'), 'http://127.0.0.1:7860')).toBe(true);
    expect(spaceFileAllowed(u('http://example.test/x.png'), 'http://localhost:7860')).toBe(true);
  });

  it('redirects: same origin or HF file hosts, any only from a local start', () => {
    const first = u(`${SPACE}/file=x`);
    expect(redirectAllowed(first, u(`${SPACE}/other`))).toBe(true);
    expect(redirectAllowed(first, u('https://cdn-lfs.hf.co/x'))).toBe(true);
    expect(redirectAllowed(first, u('http://10.0.0.1/x'))).toBe(false);
    expect(redirectAllowed(u('http://127.0.0.1:1/x'), u('http://10.0.0.1/x'))).toBe(true);
  });

  it('a result named on another host fails the job in words; such a preview is skipped', async () => {
    async function* events(): AsyncGenerator<GradioEvent, void, void> {
      yield { type: 'joined', eventId: 'e', apiPrefix: '/gradio_api' };
      yield { type: 'generating', data: [{ url: 'http://169.254.169.254/preview.png' }] };
      yield { type: 'complete', data: [{ url: 'https://evil.example/x.png' }, 1] };
    }
    const { events: seen, error } = await collect(toProviderEvents(events(), SPACE, 'bfl-flux1-dev'));
    expect(seen.some((e) => e.type === 'preview')).toBe(false);
    expect(error?.code).toBe('protocol');
    expect(error?.message).toMatch(/another host \(evil\.example\)/);
  });
});

describe('download redirects', () => {
  let server: Server | null = null;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = null;
  });

  it('refuses a redirect from a remote-looking start to another host, hop by hop', async () => {
    // 127.0.0.1 counts as a local Space (redirects from it may go anywhere), so the download starts
    // at a non-loopback name that a custom lookup resolves to the local test server.
    server = createServer((req, res) => {
      res.writeHead(302, { location: 'http://10.255.255.1/x.png' });
      res.end();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as AddressInfo).port;
    const { Agent } = await import('undici');
    const dispatcher = new Agent({
      connect: { lookup: (_host, _opts, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]) },
    });
    try {
      await expect(downloadImage(`http://files.hf.space:${port}/x.png`, { dispatcher })).rejects.toMatchObject({
        code: 'protocol',
        message: expect.stringMatching(/redirected to another host \(10\.255\.255\.1\)/),
      });
    } finally {
      await dispatcher.close();
    }
  });
});

describe('space ids', () => {
  it('believes a space_id only on its own *.hf.space host', () => {
    expect(trustedSpaceId('me/my-flux.dev', 'https://me-my-flux-dev.hf.space')).toBe('me/my-flux.dev');
    expect(trustedSpaceId('Me/My_Flux', 'https://me-my-flux.hf.space')).toBe('Me/My_Flux');
    expect(trustedSpaceId('black-forest-labs/FLUX.1-dev', 'https://me-my-flux.hf.space')).toBeNull();
    expect(trustedSpaceId('me/my-flux', 'http://127.0.0.1:7860')).toBeNull();
    expect(trustedSpaceId('../../api/x', 'https://x.hf.space')).toBeNull();
    expect(trustedSpaceId('me/..', 'https://me---.hf.space')).toBeNull();
    expect(trustedSpaceId(null, SPACE)).toBeNull();
  });

  it('encodes each path segment', () => {
    expect(spacePath('me/my flux')).toBe('me/my%20flux');
  });
});

describe('where the token may go', () => {
  it("Hugging Face's own hosts over https, local servers, and origins the user confirmed", () => {
    expect(tokenMayGoTo('https://huggingface.co')).toBe(true);
    expect(tokenMayGoTo('https://black-forest-labs-flux-1-dev.hf.space')).toBe(true);
    expect(tokenMayGoTo('http://127.0.0.1:7860')).toBe(true);
    expect(tokenMayGoTo('http://huggingface.co')).toBe(false);
    expect(tokenMayGoTo('https://huggingface.co.evil.example')).toBe(false);
    expect(tokenMayGoTo('https://evil.example')).toBe(false);
    expect(tokenMayGoTo('https://mirror.example', ['https://mirror.example'])).toBe(true);
    expect(tokenMayGoTo('http://mirror.example', ['http://mirror.example'])).toBe(false);
  });

  it('a job whose HF URL points elsewhere sends the token to neither that host nor a foreign Space', async () => {
    const { routeGeneration } = await import('../../main/providers/registry');
    const { startFakeSpaces } = await import('../fake-space');
    const all = await startFakeSpaces({ timing: { stepMs: 1, heartbeatMs: 50, queueUpdates: 0, previews: 0 } });
    try {
      // A non-local name for the Dev Space (resolved to the fake by a custom lookup): not HF's.
      const { Agent } = await import('undici');
      const dispatcher = new Agent({
        connect: { lookup: (_h, _o, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]) },
      });
      const port = new URL(all.spaces['bfl-flux1-dev'].url).port;
      const evil = `http://evil.example:${port}`;
      const { error } = await collect(
        routeGeneration(
          { ...(await import('./helpers')).params({ model: 'flux-dev' }) },
          {
            providerUrls: { 'bfl-flux1-dev': evil },
            hfUrl: evil,
            hfToken: 'hf_secret',
            dispatcher,
            idleTimeoutMs: 2000,
          },
        ),
      );
      await dispatcher.close();
      // The fake names its files on 127.0.0.1, not on evil.example: refused too, after the whole job ran.
      expect(error?.message).toMatch(/another host/);
      const dev = all.spaces['bfl-flux1-dev'];
      expect(dev.requests.length).toBeGreaterThan(0);
      for (const r of dev.requests) {
        expect(r.headers.authorization, r.path).toBeUndefined();
        expect(r.headers['x-hf-authorization'], r.path).toBeUndefined();
      }
      expect(dev.requestsTo('jwt')).toHaveLength(0);
    } finally {
      await all.close();
    }
  });
});
