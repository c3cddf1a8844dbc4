/**
 * A fake of Hugging Face Inference Providers for the provider tests: three real HTTP servers on
 * 127.0.0.1 — the router (`https://router.huggingface.co`), the Hub's model API
 * (`https://huggingface.co/api/models/…`) and a CDN standing in for fal's and replicate's image
 * hosts — answering what `@huggingface/inference` 4.13.30 calls for text-to-image. Never kinder
 * than the real servers: the router wants a valid token on every call, the Hub leaves the mapping
 * out unless asked for it, fal ignores a top-level width/height. See README.md.
 *
 *   const fake = await startFakeInference();
 *   provider.generate(params, { baseUrl: fake.routerUrl, hfUrl: fake.hubUrl, spaceToken: FAKE_TOKEN, … });
 *   fake.setFault({ route: 'generate', kind: 'http', status: 402 }, { times: 1 });
 *   fake.requestsTo('fal-ai')[0].json; // what was sent
 *   await fake.close();
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import sharp from 'sharp';

export const FAKE_TOKEN = 'hf_fakeInferenceToken0001';
/** A valid token without the "Make calls to Inference Providers" permission (403). */
export const FAKE_READ_TOKEN = 'hf_fakeReadOnlyToken0002';
/** A valid token whose account has no credits left (402). */
export const FAKE_BROKE_TOKEN = 'hf_fakeNoCreditsToken003';

export interface FakeMappingEntry {
  provider: string;
  /** The model's id at the provider. */
  providerId: string;
  status?: 'live' | 'staging';
  task?: string;
}

export interface FakeTokenRights {
  /** The fine-grained "Make calls to Inference Providers" permission (default true). */
  inference?: boolean;
  /** Credits left (default true). */
  credits?: boolean;
}

/** What each model's mapping says by default (the providers the fake implements). */
export const DEFAULT_MODELS: Record<string, FakeMappingEntry[]> = {
  'black-forest-labs/FLUX.1-dev': [
    { provider: 'fal-ai', providerId: 'fal-ai/flux/dev' },
    { provider: 'replicate', providerId: 'black-forest-labs/flux-dev' },
    { provider: 'hf-inference', providerId: 'black-forest-labs/FLUX.1-dev' },
  ],
  'black-forest-labs/FLUX.1-schnell': [
    { provider: 'hf-inference', providerId: 'black-forest-labs/FLUX.1-schnell' },
    { provider: 'fal-ai', providerId: 'fal-ai/flux/schnell' },
    { provider: 'together', providerId: 'black-forest-labs/FLUX.1-schnell' },
    { provider: 'replicate', providerId: 'black-forest-labs/flux-schnell' },
  ],
};

export interface FakeInferenceOptions {
  models?: Record<string, FakeMappingEntry[]>;
  /** The Hub's `inferenceProviderMapping` as a list (today's Hub, default) or an object keyed by provider (older Hubs). */
  mappingShape?: 'list' | 'object';
  /** Tokens the fake knows; default FAKE_TOKEN (all rights), FAKE_READ_TOKEN, FAKE_BROKE_TOKEN. */
  tokens?: Record<string, FakeTokenRights>;
  /** hf-inference's image type (default jpeg). */
  imageFormat?: 'jpeg' | 'png';
  /** fal status polls before COMPLETED (default 3: IN_QUEUE, IN_PROGRESS, COMPLETED). */
  falPolls?: number;
}

/**
 * Routes: the Hub's `mapping`; the router's generation POSTs (`hf-inference`, `fal-ai`, `together`,
 * `replicate`, or `generate` for any of them); fal's queue `fal-status` and `fal-result`; the CDN's
 * `cdn` (image URLs).
 */
export type FakeRoute =
  'mapping' | 'generate' | 'hf-inference' | 'fal-ai' | 'fal-status' | 'fal-result' | 'together' | 'replicate' | 'cdn';

export type FakeFault = { route: FakeRoute } & (
  | { kind: 'http'; status: number; body?: string; contentType?: string }
  /** An error page as a proxy in front would send it. */
  | { kind: 'html'; status?: number }
  /** Headers never come; the connection stays open. */
  | { kind: 'hang' }
  /** Answers normally after this long. */
  | { kind: 'slow'; delayMs: number }
  /** 200 with something that is not an image: `text` (text/plain), `bytes` (image/png that is no PNG), `json` (JSON without an image). */
  | { kind: 'not-image'; as?: 'text' | 'bytes' | 'json' }
  /** 200 image/png of about this many bytes (a PNG signature, then filler). */
  | { kind: 'huge'; bytes: number; declareLength?: boolean }
);

export interface RecordedRequest {
  server: 'router' | 'hub' | 'cdn';
  route: FakeRoute | 'unknown';
  method: string;
  /** Path and query. */
  path: string;
  /** Lowercase names. */
  headers: Record<string, string>;
  /** The parsed JSON body, or null. */
  json: unknown;
  /** The client went away before the answer ended (a cancel). */
  aborted: boolean;
}

export interface FakeInference {
  routerUrl: string;
  hubUrl: string;
  cdnUrl: string;
  requests: RecordedRequest[];
  requestsTo(route: FakeRoute): RecordedRequest[];
  /** Until `clearFaults()`, or for the next `times` matching requests. */
  setFault(fault: FakeFault, opts?: { times?: number }): void;
  clearFaults(): void;
  /** Replaces a model's mapping; null removes the model (Hub 404). */
  setModel(id: string, entries: FakeMappingEntry[] | null): void;
  close(): Promise<void>;
}

/** The router's error words (JSON `{error}`); not all confirmable, see README. */
export const ROUTER_ERRORS: Record<number, string> = {
  400: 'Bad request',
  401: 'Invalid credentials in Authorization header',
  402: 'You have exceeded your monthly included credits for Inference Providers. Subscribe to PRO to get 20x more monthly included credits.',
  403: 'This authentication method does not have sufficient permissions to call Inference Providers on behalf of user fake-user',
  404: 'Not Found',
  429: 'Too many requests, please try again later.',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

const GENERATE_ROUTES: readonly FakeRoute[] = ['hf-inference', 'fal-ai', 'together', 'replicate'];

interface FalJob {
  app: string;
  polls: number;
  width: number;
  height: number;
  seed: number;
  prompt: string;
}

export async function startFakeInference(opts: FakeInferenceOptions = {}): Promise<FakeInference> {
  const models = new Map(Object.entries(opts.models ?? DEFAULT_MODELS).map(([k, v]) => [k, [...v]]));
  const tokens: Record<string, FakeTokenRights> = opts.tokens ?? {
    [FAKE_TOKEN]: {},
    [FAKE_READ_TOKEN]: { inference: false },
    [FAKE_BROKE_TOKEN]: { credits: false },
  };
  const falPolls = opts.falPolls ?? 3;
  const requests: RecordedRequest[] = [];
  let faults: { fault: FakeFault; left: number }[] = [];
  const falJobs = new Map<string, FalJob>();
  const files = new Map<string, { bytes: Buffer; type: string }>();
  const sockets = new Set<Socket>();
  const urls = { router: '', hub: '', cdn: '' };

  const takeFault = (route: FakeRoute): FakeFault | null => {
    const i = faults.findIndex(
      (f) => f.fault.route === route || (f.fault.route === 'generate' && GENERATE_ROUTES.includes(route)),
    );
    if (i < 0) return null;
    const f = faults[i]!;
    if (Number.isFinite(f.left) && --f.left <= 0) faults.splice(i, 1);
    return f.fault;
  };

  /** Plays a fault; true when the request is answered (or left hanging). */
  async function playFault(route: FakeRoute, res: ServerResponse): Promise<boolean> {
    const f = takeFault(route);
    if (!f) return false;
    switch (f.kind) {
      case 'http': {
        const body = f.body ?? JSON.stringify({ error: ROUTER_ERRORS[f.status] ?? 'Error' });
        res.writeHead(f.status, { 'content-type': f.contentType ?? 'application/json' });
        res.end(body);
        return true;
      }
      case 'html':
        res.writeHead(f.status ?? 502, { 'content-type': 'text/html' });
        res.end(
          '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>',
        );
        return true;
      case 'hang':
        return true;
      case 'slow':
        await new Promise((r) => setTimeout(r, f.delayMs));
        return false;
      case 'not-image':
        if (f.as === 'json') {
          sendJson(res, 200, { id: 'x', object: 'list', data: [] });
          return true;
        }
        res.writeHead(200, { 'content-type': f.as === 'bytes' ? 'image/png' : 'text/plain; charset=utf-8' });
        res.end('this is not an image, just some text');
        return true;
      case 'huge': {
        const head = Buffer.from('89504e470d0a1a0a', 'hex');
        res.writeHead(200, {
          'content-type': 'image/png',
          ...(f.declareLength ? { 'content-length': String(f.bytes) } : {}),
        });
        res.write(head);
        const chunk = Buffer.alloc(64 * 1024, 7);
        let sent = head.length;
        const pump = () => {
          while (sent < f.bytes) {
            const n = Math.min(chunk.length, f.bytes - sent);
            sent += n;
            if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => {});
        pump();
        return true;
      }
    }
  }

  const authorize = (req: IncomingMessage, res: ServerResponse): boolean => {
    const auth = req.headers.authorization ?? '';
    const m = /^Bearer (\S+)$/.exec(auth);
    const rights = m ? tokens[m[1]!] : undefined;
    if (!rights) {
      sendJson(res, 401, { error: ROUTER_ERRORS[401] });
      return false;
    }
    if (rights.inference === false) {
      sendJson(res, 403, { error: ROUTER_ERRORS[403] });
      return false;
    }
    if (rights.credits === false) {
      sendJson(res, 402, { error: ROUTER_ERRORS[402] });
      return false;
    }
    return true;
  };

  /** Is `providerId` mapped for `provider` by some model (the router routes by the mapping)? */
  const served = (provider: string, providerId: string) =>
    [...models.values()].some((es) => es.some((e) => e.provider === provider && e.providerId === providerId));

  async function image(width: number, height: number, seed: number, format: 'jpeg' | 'png'): Promise<Buffer> {
    const t = Math.abs(Math.trunc(seed)) % 256;
    const img = sharp({ create: { width, height, channels: 3, background: { r: t, g: 255 - t, b: (t * 7) % 256 } } });
    return format === 'png' ? img.png({ compressionLevel: 1 }).toBuffer() : img.jpeg({ quality: 70 }).toBuffer();
  }

  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);

  async function putFile(bytes: Buffer, type: string, ext: string): Promise<string> {
    const name = `${randomUUID()}.${ext}`;
    files.set(name, { bytes, type });
    return `${urls.cdn}/files/${name}`;
  }

  // ---- the router ----------------------------------------------------------------------------
  async function router(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const provider = parts[0] ?? '';
    const json = rec.json;
    const body = json && typeof json === 'object' ? (json as Record<string, unknown>) : null;

    // hf-inference: POST /hf-inference/models/{owner}/{name} → image bytes.
    if (provider === 'hf-inference' && req.method === 'POST' && parts[1] === 'models' && parts.length === 4) {
      rec.route = 'hf-inference';
      if (await playFault('hf-inference', res)) return;
      if (!authorize(req, res)) return;
      const model = `${parts[2]}/${parts[3]}`;
      if (!served('hf-inference', model)) return sendJson(res, 404, { error: `Model ${model} does not exist` });
      if (!body || typeof body.inputs !== 'string' || !body.inputs.trim()) {
        return sendJson(res, 400, { error: 'Input should be a valid string: inputs' });
      }
      const p = (body.parameters ?? {}) as Record<string, unknown>;
      const format = opts.imageFormat ?? 'jpeg';
      const bytes = await image(num(p.width, 1024), num(p.height, 1024), num(p.seed, 0), format);
      res.writeHead(200, { 'content-type': `image/${format}`, 'content-length': bytes.length });
      res.end(bytes);
      return;
    }

    // fal-ai (providers/fal-ai.ts): POST /fal-ai/{providerId}?_subdomain=queue → queue entry;
    // GET /fal-ai/{app}/requests/{id}/status → status; GET /fal-ai/{app}/requests/{id} → result.
    if (provider === 'fal-ai') {
      const ri = parts.indexOf('requests');
      if (req.method === 'GET' && ri > 1) {
        const id = parts[ri + 1] ?? '';
        const isStatus = parts[ri + 2] === 'status';
        rec.route = isStatus ? 'fal-status' : 'fal-result';
        if (await playFault(rec.route, res)) return;
        if (!authorize(req, res)) return;
        const job = falJobs.get(id);
        if (!job || job.app !== parts.slice(1, ri).join('/'))
          return sendJson(res, 404, { detail: 'Request not found' });
        if (isStatus) {
          job.polls++;
          if (job.polls >= falPolls) return sendJson(res, 200, { status: 'COMPLETED', request_id: id, logs: null });
          if (job.polls === 1) return sendJson(res, 200, { status: 'IN_QUEUE', request_id: id, queue_position: 0 });
          return sendJson(res, 200, { status: 'IN_PROGRESS', request_id: id, logs: null });
        }
        if (job.polls < falPolls) return sendJson(res, 400, { detail: 'Request is still in progress' });
        const bytes = await image(job.width, job.height, job.seed, 'jpeg');
        const fileUrl = await putFile(bytes, 'image/jpeg', 'jpg');
        return sendJson(res, 200, {
          images: [{ url: fileUrl, width: job.width, height: job.height, content_type: 'image/jpeg' }],
          timings: { inference: 0.01 },
          seed: job.seed,
          has_nsfw_concepts: [false],
          prompt: job.prompt,
        });
      }
      if (req.method === 'POST') {
        rec.route = 'fal-ai';
        if (await playFault('fal-ai', res)) return;
        if (!authorize(req, res)) return;
        const providerId = parts.slice(1).join('/');
        if (url.searchParams.get('_subdomain') !== 'queue') {
          return sendJson(res, 400, { error: 'fake: only the queue route (?_subdomain=queue) is implemented' });
        }
        if (!served('fal-ai', providerId)) {
          return sendJson(res, 404, { error: `Model ${providerId} is not supported by provider fal-ai` });
        }
        if (!body || typeof body.prompt !== 'string') {
          return sendJson(res, 422, {
            detail: [{ loc: ['body', 'prompt'], msg: 'field required', type: 'value_error.missing' }],
          });
        }
        // fal's FLUX takes the size as image_size ({width, height} or a preset); width/height are ignored.
        const size = body.image_size;
        const presets: Record<string, [number, number]> = {
          square_hd: [1024, 1024],
          square: [512, 512],
          portrait_4_3: [768, 1024],
          portrait_16_9: [576, 1024],
          landscape_4_3: [1024, 768],
          landscape_16_9: [1024, 576],
        };
        const [w, h] =
          size && typeof size === 'object'
            ? [num((size as { width?: unknown }).width, 1024), num((size as { height?: unknown }).height, 768)]
            : (presets[typeof size === 'string' ? size : 'landscape_4_3'] ?? [1024, 768]);
        // The app id is the first two segments (`fal-ai/flux/dev` → `fal-ai/flux`), as fal's queue URLs have it.
        const app = providerId.split('/').slice(0, 2).join('/');
        const id = randomUUID();
        falJobs.set(id, { app, polls: 0, width: w, height: h, seed: num(body.seed, 42), prompt: body.prompt });
        const queueBase = `https://queue.fal.run/${app}/requests/${id}`;
        return sendJson(res, 200, {
          status: 'IN_QUEUE',
          request_id: id,
          response_url: queueBase,
          status_url: `${queueBase}/status`,
          cancel_url: `${queueBase}/cancel`,
          queue_position: 1,
        });
      }
    }

    // together: POST /together/v1/images/generations → {data: [{b64_json}]}.
    if (provider === 'together' && req.method === 'POST' && url.pathname === '/together/v1/images/generations') {
      rec.route = 'together';
      if (await playFault('together', res)) return;
      if (!authorize(req, res)) return;
      if (!body || typeof body.prompt !== 'string' || typeof body.model !== 'string') {
        return sendJson(res, 400, {
          error: { message: 'prompt and model are required', type: 'invalid_request_error' },
        });
      }
      if (!served('together', body.model)) {
        return sendJson(res, 404, {
          error: { message: `Unable to access model ${body.model}.`, type: 'invalid_request_error' },
        });
      }
      const bytes = await image(num(body.width, 1024), num(body.height, 768), num(body.seed, 0), 'png');
      return sendJson(res, 200, {
        id: randomUUID(),
        model: body.model,
        object: 'list',
        data: [{ index: 0, b64_json: bytes.toString('base64'), type: null }],
      });
    }

    // replicate: POST /replicate/v1/models/{owner}/{name}/predictions (Prefer: wait) → {output: [url]}.
    if (
      provider === 'replicate' &&
      req.method === 'POST' &&
      parts[1] === 'v1' &&
      parts[2] === 'models' &&
      parts[5] === 'predictions'
    ) {
      rec.route = 'replicate';
      if (await playFault('replicate', res)) return;
      if (!authorize(req, res)) return;
      const providerId = `${parts[3]}/${parts[4]}`;
      if (!served('replicate', providerId))
        return sendJson(res, 404, { detail: 'The requested resource could not be found.', status: 404 });
      const input =
        body && typeof body.input === 'object' && body.input ? (body.input as Record<string, unknown>) : null;
      if (!input || typeof input.prompt !== 'string') {
        return sendJson(res, 422, {
          title: 'Input validation failed',
          detail: '- input: prompt is required',
          status: 422,
        });
      }
      // FLUX on replicate takes aspect_ratio (default 1:1), not width/height.
      const bytes = await image(1024, 1024, num(input.seed, 0), 'png');
      const fileUrl = await putFile(bytes, 'image/png', 'png');
      return sendJson(res, 201, { id: randomUUID(), status: 'succeeded', output: [fileUrl], error: null });
    }

    sendJson(res, 404, { error: 'Not Found' });
  }

  // ---- the Hub -------------------------------------------------------------------------------
  async function hub(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/models\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!m || req.method !== 'GET')
      return sendJson(res, 404, { error: "Sorry, we can't find the page you are looking for." });
    rec.route = 'mapping';
    if (await playFault('mapping', res)) return;
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const t = /^Bearer (\S+)$/.exec(auth)?.[1];
      if (!t || !tokens[t]) return sendJson(res, 401, { error: 'Invalid credentials in Authorization header' });
    }
    const id = `${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`;
    const entries = models.get(id);
    if (!entries) return sendJson(res, 404, { error: 'Repository not found' });
    const answer: Record<string, unknown> = { _id: `fake-${id}`, id, pipeline_tag: 'text-to-image' };
    // Only fields asked for with expand[] come back.
    if (url.searchParams.getAll('expand[]').includes('inferenceProviderMapping')) {
      const list = entries.map((e) => ({
        provider: e.provider,
        providerId: e.providerId,
        status: e.status ?? 'live',
        task: e.task ?? 'text-to-image',
      }));
      answer.inferenceProviderMapping =
        opts.mappingShape === 'object'
          ? Object.fromEntries(list.map(({ provider, ...rest }) => [provider, rest]))
          : list;
    }
    sendJson(res, 200, answer);
  }

  // ---- the CDN -------------------------------------------------------------------------------
  async function cdn(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest): Promise<void> {
    rec.route = 'cdn';
    if (await playFault('cdn', res)) return;
    const name = /^\/files\/([\w.-]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname)?.[1];
    const file = name ? files.get(name) : undefined;
    if (!file || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('Not Found');
    }
    res.writeHead(200, { 'content-type': file.type, 'content-length': file.bytes.length });
    res.end(file.bytes);
  }

  const serve = (name: RecordedRequest['server'], handler: typeof router) =>
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          json = null;
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '');
        const rec: RecordedRequest = {
          server: name,
          route: 'unknown',
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          headers,
          json,
          aborted: false,
        };
        requests.push(rec);
        res.on('close', () => {
          if (!res.writableFinished) rec.aborted = true;
        });
        handler(req, res, rec).catch((err: unknown) => {
          if (!res.headersSent) sendJson(res, 500, { error: `fake: ${String(err)}` });
          else res.destroy();
        });
      });
    });

  const servers: Server[] = [serve('router', router), serve('hub', hub), serve('cdn', cdn)];
  for (const s of servers) {
    s.on('connection', (sock: Socket) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  }
  const base = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  urls.router = base(servers[0]!);
  urls.hub = base(servers[1]!);
  urls.cdn = base(servers[2]!);

  return {
    routerUrl: urls.router,
    hubUrl: urls.hub,
    cdnUrl: urls.cdn,
    requests,
    requestsTo: (route) =>
      requests.filter(
        (r) => r.route === route || (route === 'generate' && GENERATE_ROUTES.includes(r.route as FakeRoute)),
      ),
    setFault(fault, o = {}) {
      faults.push({ fault, left: o.times ?? Infinity });
    },
    clearFaults() {
      faults = [];
    },
    setModel(id, entries) {
      if (entries) models.set(id, [...entries]);
      else models.delete(id);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
