/**
 * A tiny stand-in for the Hugging Face site's account API, in front of the fake Spaces' hub:
 * `GET /api/whoami-v2` answers from a table of tokens (401 `Invalid credentials in Authorization
 * header` otherwise, as huggingface.co does); every other request is passed to `upstream` (the fake
 * Spaces' hfUrl: hub, Space pages, ZeroGPU jwt). The fake Spaces do not serve whoami-v2.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeHf {
  url: string;
  /** Authorization headers whoami-v2 was asked with, in order. */
  whoamiAuth: string[];
  close(): Promise<void>;
}

export async function startFakeHf(opts: { upstream: string; users: Record<string, string> }): Promise<FakeHf> {
  const whoamiAuth: string[] = [];
  const upstream = new URL(opts.upstream);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/api/whoami-v2') {
      const auth = req.headers.authorization ?? '';
      whoamiAuth.push(auth);
      const token = /^Bearer (\S+)$/.exec(auth)?.[1];
      const name = token ? opts.users[token] : undefined;
      res.setHeader('content-type', 'application/json');
      if (!name) {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: 'Invalid credentials in Authorization header' }));
        return;
      }
      res.end(JSON.stringify({ type: 'user', id: '64f0', name, fullname: name, auth: { type: 'access_token' } }));
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    whoamiAuth,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
