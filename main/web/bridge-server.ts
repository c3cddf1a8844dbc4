/**
 * The WebSocket transport of the IPC contract, for tests and `npm run preview:web`: serves the built
 * renderer, library media by id, and the bridge on 127.0.0.1. No Electron.
 *
 * Who may use it: the page opened from the printed address, which carries a secret token in its
 * fragment (never sent in a request line). The WebSocket handshake proves the token once and gets an
 * HttpOnly, SameSite=Strict session cookie; media and later connections (a reload, after the page
 * dropped the token from its address bar) use that cookie. Every request must name our own host
 * (no DNS rebinding), and the media route serves library images only.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import sirv from 'sirv';
import { WebSocketServer, type WebSocket } from 'ws';
import type { MediaKind } from '../../shared/contract';
import { toErrorInfo } from '../../shared/errors';
import {
  WEB_BRIDGE_PATH,
  WEB_MEDIA_PATH,
  WEB_TOKEN_PARAM,
  type WebClientMessage,
  type WebServerMessage,
} from '../../shared/web-bridge-protocol';
import type { Core } from '../core';

/** What the bridge needs of the core. */
export type BridgeHost = Pick<Core, 'router' | 'events' | 'resolveMedia'>;

/** The session cookie's name. */
export const SESSION_COOKIE = 'fg_session';
import { cspDirectives, cspHeader } from '../security/csp';
import { imageTypeOf } from '../security/media-types';

export interface WebBridgeServer {
  /** Open this in a browser: the token travels in the fragment, never in a request line. */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

/** The window's directives (main/security/csp.ts); media come from this origin, so no extra scheme. */
export const WEB_CSP = cspHeader(cspDirectives());
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

export async function startWebBridge(opts: {
  core: BridgeHost;
  rendererDir: string;
  port?: number;
  token?: string;
}): Promise<WebBridgeServer> {
  const { core } = opts;
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const session = randomBytes(24).toString('base64url');
  let hosts: string[] = [];
  let origins: string[] = [];
  const ourHost = (req: IncomingMessage) => hosts.includes(String(req.headers.host ?? '').toLowerCase());
  const hasSession = (req: IncomingMessage) => sameToken(cookie(req, SESSION_COOKIE), session);
  const serveStatic = sirv(opts.rendererDir, { dev: false, etag: true, single: false });
  let origin = '';

  async function serveMedia(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const [, kind, id] = url.pathname.slice(WEB_MEDIA_PATH.length).split('/');
    if (!hasSession(req)) return void res.writeHead(403).end();
    if ((kind !== 'image' && kind !== 'thumb') || !id) return void res.writeHead(404).end();
    try {
      const file = await opts.core.resolveMedia(kind as MediaKind, decodeURIComponent(id));
      const info = await stat(file);
      const type = imageTypeOf(file);
      // Library images only, whatever an id resolves to (the same rule as gallery://).
      if (!info.isFile() || !type) return void res.writeHead(404).end();
      res.writeHead(200, {
        'content-type': type,
        'content-length': info.size,
        'cache-control': 'private, max-age=3600',
        'x-content-type-options': 'nosniff',
      });
      // pipeline, not pipe: a read error must end this response, not throw from an unheard 'error'.
      pipeline(createReadStream(file), res, () => {});
    } catch (err) {
      const info = toErrorInfo(err);
      res.writeHead(info.code === 'invalid-argument' ? 400 : 404, { 'content-type': 'text/plain' }).end(info.message);
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
    res.setHeader('content-security-policy', WEB_CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    // A page on another name that resolves here (DNS rebinding) is not ours.
    if (!ourHost(req)) return void res.writeHead(421, { 'content-type': 'text/plain' }).end('Misdirected request');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    if (url.pathname.startsWith(`${WEB_MEDIA_PATH}/`)) return void serveMedia(req, res, url);
    serveStatic(req, res, () => {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  // The handshake's answer carries the session cookie: media and reloads use it from then on.
  wss.on('headers', (headers) => {
    headers.push(`Set-Cookie: ${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`);
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    // The token (or the session it opened) plus our own host and origin: other local pages and
    // processes cannot drive the app.
    const okOrigin = req.headers.origin === undefined || origins.includes(req.headers.origin);
    const authorised = sameToken(url.searchParams.get(WEB_TOKEN_PARAM), token) || hasSession(req);
    if (url.pathname !== WEB_BRIDGE_PATH || !ourHost(req) || !okOrigin || !authorised) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachClient(ws));
  });

  function attachClient(ws: WebSocket): void {
    const post = (m: WebServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    const unsubscribe = core.events.subscribe((channel, payload) => post({ type: 'event', channel, payload }));
    ws.on('close', unsubscribe);
    // A broken frame or an oversized message: ws closes the connection; unheard, it would throw.
    ws.on('error', () => {});
    ws.on('message', (data) => {
      let msg: WebClientMessage;
      try {
        msg = JSON.parse(data.toString()) as WebClientMessage;
      } catch {
        return; // Not our client; nothing to answer to.
      }
      if (msg?.type === 'invoke' && typeof msg.id === 'number') {
        void core.router
          .invoke(msg.channel, msg.args, { transport: 'web' })
          .then((envelope) => post({ type: 'result', id: msg.id, envelope }));
      } else if (msg?.type === 'send') {
        core.router.send(msg.channel, msg.args, { transport: 'web' });
      }
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  origins = [origin, `http://localhost:${port}`];

  return {
    url: `${origin}/#${WEB_TOKEN_PARAM}=${token}`,
    origin,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
