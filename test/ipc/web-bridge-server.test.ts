/**
 * The WebSocket transport's failure paths: a media file that cannot be read and a client that sends
 * a broken frame must cost one request or one connection, never the process.
 */
import { mkdir, rm } from 'node:fs/promises';
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createCore, type Core } from '../../main/core';
import { startWebBridge, type WebBridgeServer } from '../../main/web/bridge-server';
import type { HistoryEntry } from '../../shared/library';
import { saveInput, tempDir } from '../library/helpers';

const get = (url: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });

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

  const mediaUrl = (kind: string, id: string) => `${server.origin}/media/${kind}/${id}?token=${server.token}`;

  it('serves an image by id', async () => {
    const res = await get(mediaUrl('image', entry.id));
    expect(res.status).toBe(200);
  });

  it('answers a media path that is not a readable file without crashing', async () => {
    // A folder where the thumbnail should be: it "exists", but cannot be read as a file.
    const thumb = path.join(core.library().dir, entry.thumb);
    await rm(thumb);
    await mkdir(thumb);
    const res = await get(mediaUrl('thumb', entry.id));
    expect(res.status).toBe(404);
    // The server is still there.
    expect((await get(mediaUrl('image', entry.id))).status).toBe(200);
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
    expect((await get(mediaUrl('image', entry.id))).status).toBe(200);
  });
});
