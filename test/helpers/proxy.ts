/** A small HTTP proxy on 127.0.0.1 (CONNECT tunnels and plain forwarding) that records what passes. */
import { createServer, request as httpRequest } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface TestProxy {
  url: string;
  /** `CONNECT host:port` or `GET url`, in order. */
  tunnels: string[];
  /** Bytes sent from the servers back to the client. */
  bytesIn(): number;
  close(): Promise<void>;
}

export async function startTestProxy(): Promise<TestProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  let bytesIn = 0;
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  };
  const proxy = createServer((req, res) => {
    // Plain forward proxying (absolute-form URLs), should undici use it.
    tunnels.push(`GET ${req.url}`);
    const up = httpRequest(req.url!, { method: req.method, headers: req.headers }, (r) => {
      r.on('data', (d: Buffer) => (bytesIn += d.length));
      res.writeHead(r.statusCode!, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  proxy.on('connect', (req, client: Socket, head) => {
    tunnels.push(`CONNECT ${req.url}`);
    const [host, port] = req.url!.split(':');
    const up = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.on('data', (d: Buffer) => (bytesIn += d.length));
      up.pipe(client);
      client.pipe(up);
    });
    track(client);
    track(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    tunnels,
    bytesIn: () => bytesIn,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => proxy.close(r));
    },
  };
}
