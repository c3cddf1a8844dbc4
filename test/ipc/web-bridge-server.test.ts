/**
 * The WebSocket transport's failure paths: a media file that cannot be read and a client that sends
 * a broken frame must cost one request or one connection, never the process.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createCore, type Core } from '../../main/core';
import { startWebBridge, type BridgeHost, type WebBridgeServer } from '../../main/web/bridge-server';
import type { HistoryEntry } from '../../shared/library';
import { saveInput, tempDir } from '../library/helpers';

const get = (
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> =>
  new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });

/** Opens the bridge with the token; resolves with the session cookie its handshake set. */
function handshake(server: WebBridgeServer, query = `?token=${server.token}`, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/bridge${query}`, { origin: server.origin, headers });
  return new Promise<{ ws: WebSocket; cookie: string | null }>((resolve, reject) => {
    let cookie: string | null = null;
    ws.once('upgrade', (res) => {
      const set = res.headers['set-cookie']?.[0] ?? '';
      cookie = /^(fg_session=[^;]+)/.exec(set)?.[1] ?? null;
    });
    ws.once('open', () => resolve({ ws, cookie }));
    ws.once('error', reject);
  });
}

describe('web bridge server', () => {
  let root: { dir: string; cleanup: () => Promise<void> };
  let core: Core;
  let server: WebBridgeServer;
  let entry: HistoryEntry;

  beforeAll(async () => {
    root = await tempDir('fg-web-');
    core = await createCore({
      dataDir: path.join(root.dir, 'data'),
      defaultLibraryDir: path.join(root.dir, 'lib'),
      transport: 'web',
      appVersion: 'test',
      log: () => {},
    });
    const rendererDir = path.join(root.dir, 'renderer');
    await mkdir(rendererDir);
    server = await startWebBridge({ core, rendererDir });
    entry = await core.library().saveImage(await saveInput());
  });
  afterAll(async () => {
    await server?.close();
    await core.dispose();
    await root.cleanup();
  });

  let session: string;
  beforeAll(async () => {
    const { ws, cookie } = await handshake(server);
    ws.close();
    session = cookie!;
  });
  const mediaUrl = (kind: string, id: string) => `${server.origin}/media/${kind}/${id}`;
  const media = (kind: string, id: string) => get(mediaUrl(kind, id), { cookie: session });

  it('serves an image by id to the session the token opened, and to nobody else', async () => {
    expect(session).toMatch(/^fg_session=/);
    expect((await media('image', entry.id)).status).toBe(200);
    expect((await get(mediaUrl('image', entry.id))).status).toBe(403);
    // The token itself does not open media any more: it only opens the bridge.
    expect((await get(`${mediaUrl('image', entry.id)}?token=${server.token}`)).status).toBe(403);
    expect((await get(mediaUrl('image', entry.id), { cookie: 'fg_session=guess' })).status).toBe(403);
  });

  it('the session cookie is HttpOnly and SameSite=Strict, and reopens the bridge without the token', async () => {
    const ws = new WebSocket(`${server.origin.replace('http', 'ws')}/bridge?token=${server.token}`, {
      origin: server.origin,
    });
    const setCookie = await new Promise<string>((resolve) =>
      ws.once('upgrade', (res) => resolve(res.headers['set-cookie']?.[0] ?? '')),
    );
    ws.close();
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const again = await handshake(server, '', { cookie: session });
    again.ws.close();
    await expect(handshake(server, '')).rejects.toThrow(/403/);
  });

  it('refuses a request that names another host (DNS rebinding)', async () => {
    const port = new URL(server.origin).port;
    expect((await get(`${server.origin}/index.html`, { host: `evil.example:${port}` })).status).toBe(421);
    expect((await get(mediaUrl('image', entry.id), { host: `evil.example:${port}`, cookie: session })).status).toBe(
      421,
    );
    await expect(handshake(server, `?token=${server.token}`, { host: `evil.example:${port}` })).rejects.toThrow(/403/);
  });

  it('answers a media path that is not a readable file without crashing', async () => {
    // A folder where the thumbnail should be: it "exists", but cannot be read as a file.
    const thumb = path.join(core.library().dir, entry.thumb);
    await rm(thumb);
    await mkdir(thumb);
    const res = await media('thumb', entry.id);
    expect(res.status).toBe(404);
    // The server is still there.
    expect((await media('image', entry.id)).status).toBe(200);
  });

  it('drops a client that sends a broken frame and keeps serving', async () => {
    const url = `${server.origin.replace('http', 'ws')}/bridge?token=${server.token}`;
    const ws = new WebSocket(url, { origin: server.origin });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => {});
    // A masked frame with the reserved opcode 3: a protocol error on the server's side.
    (ws as unknown as { _socket: { write(b: Buffer): void } })._socket.write(Buffer.from([0x83, 0x80, 0, 0, 0, 0]));
    expect(await closed).not.toBe(1000);
    expect((await media('image', entry.id)).status).toBe(200);
  });
});

describe('web bridge media route', () => {
  it('serves library images only, whatever an id resolves to', async () => {
    const root = await tempDir('fg-web-only-');
    const notAnImage = path.join(root.dir, 'settings.json');
    await writeFile(notAnImage, '{"hfTokenStored":"secret"}');
    const host: BridgeHost = {
      router: { invoke: async () => ({ ok: true, value: null }), send: () => {} } as unknown as BridgeHost['router'],
      events: { emit: () => {}, subscribe: () => () => {} },
      resolveMedia: async () => notAnImage,
    };
    const server = await startWebBridge({ core: host, rendererDir: root.dir });
    try {
      const { ws, cookie } = await handshake(server);
      ws.close();
      const res = await get(`${server.origin}/media/image/abcdef12`, { cookie: cookie! });
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('secret');
    } finally {
      await server.close();
      await root.cleanup();
    }
  });
});
