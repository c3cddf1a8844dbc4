/** Responses of the generic faults (any route): error pages, silence, garbage, endless bodies. */
import type { ServerResponse } from 'node:http';
import { sendHtml, sendJson } from './http-util';
import { mimeOf } from './images';
import type { Fault, FaultRoute, GenericFault, ImageFormat } from './types';

export const isGeneric = (f: Fault): f is GenericFault & { route: FaultRoute } =>
  ['http', 'hang', 'stall', 'wrong-content-type', 'malformed-json', 'endless'].includes(f.kind);

export function genericFault(
  res: ServerResponse,
  fault: GenericFault,
  route: FaultRoute,
  format: ImageFormat,
  isClosed: () => boolean,
): void {
  const type =
    route === 'stream'
      ? 'text/event-stream'
      : route === 'file'
        ? mimeOf(format)
        : route === 'page'
          ? 'text/html'
          : 'application/json';
  switch (fault.kind) {
    case 'http': {
      const message = fault.message ?? 'Something went wrong';
      if (fault.body === 'json') return sendJson(res, fault.status, { error: message });
      if (fault.body === 'text') {
        res.writeHead(fault.status, { 'content-type': 'text/plain' });
        return void res.end(message);
      }
      return sendHtml(
        res,
        fault.status,
        `<!DOCTYPE html><html><head><title>${fault.status} ${message}</title><style>body{font:1em sans-serif}</style></head>` +
          `<body><h1>${message}</h1><p>Please retry later.</p><script>var x = 1;</script></body></html>`,
      );
    }
    case 'hang':
      return; // never answer; close() tears the socket down
    case 'stall':
      res.writeHead(200, { 'content-type': type });
      res.flushHeaders();
      return;
    case 'wrong-content-type':
      return sendHtml(
        res,
        200,
        '<!DOCTYPE html><html><head><title>Flux</title></head><body><div id="app"></div></body></html>',
      );
    case 'malformed-json':
      if (route === 'stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('event: complete\ndata: [{"path": "/tmp/x.webp", "url": \n\n');
        res.write('data: {"msg": "process_completed", "output": {"data": [\n\n');
        return void res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"event_id": "abc');
    case 'endless':
      return endless(res, route === 'stream' ? 'text/event-stream' : type, route, isClosed);
  }
}

function endless(res: ServerResponse, type: string, route: FaultRoute, isClosed: () => boolean): void {
  res.writeHead(200, { 'content-type': type });
  const chunk = Buffer.alloc(64 * 1024, route === 'file' ? 0x41 : 0x30);
  if (route === 'stream') res.write('data: ');
  else if (type.includes('json')) res.write('[');
  let open = true;
  res.on('close', () => (open = false));
  const pump = () => {
    while (open && !isClosed()) {
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
  };
  pump();
}
