/**
 * A fake Hugging Face Space (Node `http`, 127.0.0.1, random port) that follows the Gradio server's
 * rules of the chosen version (gradio-rules.ts), plus the Hugging Face endpoints around it:
 *
 * - `GET /config`, `GET {P}/info` (config.ts)
 * - call API: `POST {P}/call/infer` → `{event_id}`, `GET {P}/call/{api}/{event_id}` → SSE
 * - queue API: `POST {P}/queue/join` → `{event_id}`, `GET {P}/queue/data?session_hash=` → SSE
 * - `POST {P}/cancel`, `POST {P}/reset`, `GET {P}/file=…` (real PNG/WebP bytes)
 * - hub: `GET /api/spaces/{owner}/{name}` (hub.ts), `GET /spaces/{owner}/{name}` and
 *   `GET /api/spaces/{owner}/{name}/jwt` (site.ts, ZeroGPU)
 *
 * Both APIs take the layout's inputs and run through one queue (queue.ts, job.ts); streams
 * (streams.ts) drain the sessions' messages. `{P}` is the API prefix. Faults per route: setFault.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { appConfigJson, appInfoJson, type AppConfigInput } from './app-config';
import { APP_SPACE_IDS, buildApp, isAppLayout, plan, preprocessInputs, type App, type RunPlan } from './apps';
import { configJson, infoJson, type ConfigInput } from './config';
import { missingQuery } from './fastapi';
import { genericFault, isGeneric } from './faults';
import { FileStore } from './files';
import { DEFAULT_GRADIO_VERSION, RULES, UPSTREAM_HEARTBEAT_MS } from './gradio-rules';
import { readBytes, sendHtml, sendJson, sleep } from './http-util';
import { createFakeHub, isServing, sendProxyPage, sendRateLimit } from './hub';
import sharp from 'sharp';
import { plainImage, sizedImage } from './images';
import { runJob, type JobContext, type Program } from './job';
import { callJoin, cancel, queueJoin, refuseJoin, reset, type Body, type JoinContext } from './joins';
import { layoutInputs, preprocess, sliderProps, type FluxLayout, type JobValues, type Layout } from './layout';
import * as M from './messages';
import { GradioQueue, type QueueJob } from './queue';
import { sendJwt, sendSpacePage, type ZeroGpu } from './site';
import { QUOTA_MESSAGE, serveStream, type StreamContext } from './streams';
import { WS_SPACE_ID, wsConfigJson, wsInfoJson } from './ws-app';
import type {
  Fault,
  FakeSpace,
  FakeSpaceOptions,
  FakeTiming,
  FaultRoute,
  ImageFormat,
  JoinFault,
  RecordedRequest,
  StreamFault,
} from './types';

export { QUOTA_MESSAGE };

export const DEFAULT_TIMING: FakeTiming = {
  stepMs: 10,
  queueUpdates: 2,
  progressSteps: 4,
  previews: 2,
  heartbeatMs: UPSTREAM_HEARTBEAT_MS,
  joinDelayMs: 0,
};

/** The hub id of a Space started without `spaceId`. */
export const DEFAULT_SPACE_IDS: Record<Layout, string> = {
  dev: 'black-forest-labs/FLUX.1-dev',
  schnell: 'black-forest-labs/FLUX.1-schnell',
  ...APP_SPACE_IDS,
  ws: WS_SPACE_ID,
};

type Active = { fault: Fault; remaining: number };
const HF_ROUTES: readonly RecordedRequest['route'][] = ['page', 'jwt', 'hub'];

export async function startFakeSpace(options: FakeSpaceOptions = {}): Promise<FakeSpace> {
  const version = options.gradioVersion ?? DEFAULT_GRADIO_VERSION;
  const rules = RULES[version];
  const layout = options.layout ?? 'dev';
  // 'ws' plays Gradio 3.50.2 whatever the version: no API prefix (ws-app.ts).
  const ws = layout === 'ws';
  const app: App | null = isAppLayout(layout) ? buildApp(layout) : null;
  const flux: FluxLayout = layout === 'schnell' ? 'schnell' : 'dev';
  const prefix = ws ? '' : (options.apiPrefix ?? rules.apiPrefix);
  const fnIndex = options.fnIndex ?? 2;
  const format: ImageFormat = options.image?.format ?? 'webp';
  const hub = options.hub ?? createFakeHub();
  const spaceId = options.spaceId ?? DEFAULT_SPACE_IDS[layout];
  const zero: ZeroGpu = {
    pageToken: options.zeroGpu?.pageToken ?? 'page-token',
    sessionUuid: options.zeroGpu?.sessionUuid ?? 'fake-session-uuid',
    jwtToken: options.zeroGpu?.jwtToken ?? 'jwt-token',
    acceptHfToken: options.zeroGpu?.acceptHfToken,
    quotaWithoutJwt: options.zeroGpu?.quotaWithoutJwt ?? false,
  };
  let timing: FakeTiming = { ...DEFAULT_TIMING, ...options.timing };
  const requests: RecordedRequest[] = [];
  const waiters = new Set<(r: RecordedRequest) => void>();
  let faults: Active[] = [];
  let closed = false;
  let origin = '';
  let streamCount = 0;

  const limit = options.concurrencyLimit === undefined ? 1 : options.concurrencyLimit;
  const queue = new GradioQueue(rules, () => limit);
  const files = new FileStore(format, options.fileOutput ?? 'filedata', () => origin + prefix);
  const cfg = (): ConfigInput => ({
    rules,
    prefix,
    root: origin,
    spaceId: options.spaceId ?? null,
    fnIndex,
    triggerId: options.triggerId ?? 4,
    inputs: layoutInputs(flux),
    sliders: sliderProps(flux, options.sliders),
    generator: timing.previews > 0,
  });
  const appCfg = (a: App): AppConfigInput => ({
    version,
    rules,
    prefix,
    root: origin,
    spaceId: options.spaceId ?? null,
    app: a,
    generator: (ep) => ep.gpu && timing.previews > 0,
  });
  const size = (v: number) => Math.min(4096, Math.max(16, Math.round(v) || 16));
  const fluxInputs = layoutInputs(flux);
  const fluxSliders = sliderProps(flux, options.sliders);
  const store = async (bytes: Promise<Buffer>, name: string) => files.store(await bytes, name);
  /** The FLUX function: [image, seed], previews tinted by their number. */
  const fluxProgram = (job: QueueJob): Program => {
    let values: JobValues | null = null;
    return {
      gpu: true,
      preprocess: async () => {
        const pre = preprocess(job.data, fluxInputs, fluxSliders, rules);
        if (!pre.ok) return pre;
        values = pre.values;
        return { ok: true, steps: pre.values.steps, seed: job.seed };
      },
      preview: async (n) => [await store(plainImage(64, 64, format, n * 40), `preview${n}`), job.seed],
      final: async () => [
        await store(
          options.image?.bytes
            ? sizedImage(options.image.bytes, format)
            : plainImage(size(values!.width), size(values!.height), format, job.seed),
          'image',
        ),
        job.seed,
      ],
    };
  };
  /** An app endpoint's function (apps.ts), its outputs postprocessed as its components do. */
  const appProgram = (a: App, job: QueueJob): Program => {
    const ep = a.endpoints.find((e) => e.fnIndex === job.fnIndex)!;
    let run: RunPlan | null = null;
    const image = async (name: string, w: number, h: number, tint: number) =>
      store(options.image?.bytes ? sizedImage(options.image.bytes, format) : plainImage(w, h, format, tint), name);
    // gallery.py postprocess: GalleryData of GalleryImage {image: FileData, caption}.
    const gallery = async (count: number, prefix: string, w: number, h: number) => {
      const items: unknown[] = [];
      for (let i = 0; i < count; i++)
        items.push({ image: await image(`${prefix}${i}`, w, h, run!.seed + i * 50), caption: null });
      return items;
    };
    return {
      gpu: ep.gpu,
      preprocess: async () => {
        const pre = preprocessInputs(a, ep, job.data, rules, files);
        if (!pre.ok) return pre;
        const p = plan(ep, pre.value);
        if (!p.ok) return p;
        run = p.value;
        if (run.source) {
          const meta = await sharp(run.source)
            .metadata()
            .catch(() => null);
          if (!meta?.width || !meta.height)
            return { ok: false, refusal: { kind: 'exception', reason: 'PIL cannot identify image file' } };
          run.width = meta.width;
          run.height = meta.height;
        }
        return { ok: true, steps: run.steps, seed: run.seed };
      },
      preview: async (n) => {
        const r = run!;
        if (ep.run === 'gallery') return [await gallery(Math.min(n, r.count), `preview${n}-`, 64, 64), r.seed];
        const img = await image(`preview${n}`, 64, 64, n * 40);
        return ep.outputs.length > 1 ? [img, r.seed] : [img];
      },
      final: async () => {
        const r = run!;
        if (ep.run === 'enhance') return [r.text];
        if (ep.run === 'gallery') return [await gallery(r.count, 'image', size(r.width), size(r.height)), r.seed];
        const img = await image('image', size(r.width), size(r.height), r.seed);
        return ep.outputs.length > 1 ? [img, r.seed] : [img];
      },
    };
  };
  const jobCtx: JobContext = {
    rules,
    queue,
    timing: () => timing,
    program: (job) => (app ? appProgram(app, job) : fluxProgram(job)),
    logs: (options.logs ?? ['ZeroGPU: waiting for a GPU slice.']).map((l) => (typeof l === 'string' ? { log: l } : l)),
    diffPreviews: options.diffPreviews !== false,
    quota: (job) =>
      zero.quotaWithoutJwt && String(job.headers['x-zerogpu-token'] ?? '') !== zero.jwtToken
        ? { kind: 'app-error', message: QUOTA_MESSAGE }
        : null,
  };
  const joinCtx: JoinContext = {
    queue,
    hasFn: (i) => (app ? app.endpoints.some((e) => e.fnIndex === i) : i === fnIndex),
    fnForApi: (name) =>
      app ? (app.endpoints.find((e) => e.apiName === name)?.fnIndex ?? null) : name === 'infer' ? fnIndex : null,
    maxQueueSize: options.maxQueueSize ?? null,
    run: (job) => void runJob(jobCtx, job),
  };
  const streamCtx: StreamContext = {
    rules,
    queue,
    timing: () => timing,
    isClosed: () => closed,
    opened: () => void streamCount++,
    closed: () => void streamCount--,
    ...(options.crossTalk ? { crossTalk } : {}),
  };

  /** Another session's messages (only a broken proxy would mix them in; clients must skip them). */
  async function crossTalk(): Promise<M.Msg[]> {
    const other = randomBytes(16).toString('hex');
    const file = files.store(await plainImage(64, 64, format, 360), 'someone-else');
    return [
      M.estimation(other, 7, 9, 99),
      M.completed(rules, other, M.output(rules, [file, 1], false, 1, 1), true),
      M.failed(rules, other, { kind: 'app-error', message: 'not yours' }),
    ];
  }

  const takeFault = (route: FaultRoute): Fault | null => {
    const i = faults.findIndex((f) => f.fault.route === route);
    if (i < 0) return null;
    const a = faults[i]!;
    a.remaining -= 1;
    if (a.remaining <= 0) faults.splice(i, 1);
    return a.fault;
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: `fake space bug: ${String(err)}` });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const isUpload = req.method === 'POST' && url.pathname === `${prefix}/upload` && !ws;
    const bytes = req.method === 'POST' ? await readBytes(req, isUpload ? 32 * 1024 * 1024 : 1024 * 1024) : null;
    const raw = bytes && !isUpload ? bytes.toString('utf8') : '';
    let json: unknown = undefined;
    try {
      json = raw ? JSON.parse(raw) : undefined;
    } catch {
      // not JSON: recorded as text, refused by the body validation
    }
    const path = decodeURIComponent(url.pathname);
    const route = routeOf(req.method ?? 'GET', path);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: json === undefined ? raw : json,
      route,
      at: Date.now(),
    };
    requests.push(record);
    for (const w of [...waiters]) w(record);

    if (!HF_ROUTES.includes(route)) {
      // The *.hf.space proxy answers for a Space that is not running (hub.ts).
      hub.visit(spaceId);
      const stage = hub.stage(spaceId);
      if (!isServing(stage)) return sendProxyPage(res, stage!);
    }
    const fault = route === 'other' || route === 'reset' || route === 'hub' ? null : takeFault(route);
    if (fault && isGeneric(fault)) return genericFault(res, fault, fault.route, format, () => closed);
    if (fault?.kind === 'rate-limit') return sendRateLimit(res);
    if (fault?.kind === 'queue-full' || fault?.kind === 'queue-stopped')
      return refuseJoin(res, joinCtx, fault as JoinFault);
    if (isUpload) return upload(res, bytes!, req.headers['content-type']);
    return dispatch(
      route,
      path,
      url,
      { raw, json, contentType: req.headers['content-type'] },
      req,
      res,
      fault as StreamFault | null,
    );
  }

  function routeOf(method: string, path: string): RecordedRequest['route'] {
    if (method === 'GET' && path === '/config') return 'config';
    if (/^\/spaces\/[^/]+\/[^/]+\/?$/.test(path)) return 'page';
    if (/^\/api\/spaces\/[^/]+\/[^/]+\/jwt$/.test(path)) return 'jwt';
    if (method === 'GET' && /^\/api\/spaces\/[^/]+\/[^/]+$/.test(path)) return 'hub';
    if (path.startsWith(`${prefix}/file=`)) return 'file';
    if (!path.startsWith(`${prefix}/`)) return 'other';
    const rest = path.slice(prefix.length);
    if (method === 'POST' && (/^\/call\/[^/]+\/?$/.test(rest) || rest === '/queue/join')) return 'join';
    if (method === 'GET' && (/^\/call\/[^/]+\/[^/]+$/.test(rest) || rest === '/queue/data')) return 'stream';
    if (method === 'POST' && rest === '/cancel') return 'cancel';
    if (method === 'POST' && /^\/reset\/?$/.test(rest)) return 'reset';
    return 'other';
  }

  async function dispatch(
    route: RecordedRequest['route'],
    path: string,
    url: URL,
    body: Body,
    req: IncomingMessage,
    res: ServerResponse,
    fault: StreamFault | null,
  ): Promise<void> {
    const rest = path.slice(prefix.length);
    // Gradio 3.x: /config, /info and the HF routes; `/queue/join` is a WebSocket route, which
    // answers an HTTP request 404 (Starlette WebSocketRoute.matches → Router.not_found).
    if (ws && !['page', 'jwt', 'hub'].includes(route)) {
      if (req.method === 'GET' && (path === '/config' || path === '/config/') && options.serveConfig !== false)
        return sendJson(res, 200, wsConfigJson(origin, options.spaceId ?? null));
      if (req.method === 'GET' && (path === '/info' || path === '/info/')) return sendJson(res, 200, wsInfoJson());
      if (req.method === 'GET' && path === '/')
        return sendHtml(res, 200, '<!doctype html><title>Fake Space</title><p>Fake Gradio 3 app</p>');
      return sendJson(res, 404, { detail: 'Not Found' });
    }
    switch (route) {
      case 'config':
        if (options.serveConfig === false) return sendJson(res, 404, { detail: 'Not Found' });
        return sendJson(res, 200, app ? appConfigJson(appCfg(app)) : configJson(cfg()));
      case 'page':
        return sendSpacePage(res, path, zero);
      case 'jwt':
        return sendJwt(res, req, url, zero);
      case 'hub': {
        const [, , , owner = '', name = ''] = path.split('/');
        return owner === 'by-subdomain' ? hub.answer(res, name, true) : hub.answer(res, `${owner}/${name}`, false);
      }
      case 'file':
        return files.send(res, path);
      case 'cancel':
        return cancel(res, joinCtx, body);
      case 'reset':
        return reset(res, body);
      case 'join':
        if (timing.joinDelayMs > 0) await sleep(timing.joinDelayMs);
        if (rest === '/queue/join') return queueJoin(res, req, joinCtx, body);
        return callJoin(res, req, joinCtx, rest.split('/')[2] ?? '', body);
      case 'stream': {
        if (rest === '/queue/data') {
          const hash = url.searchParams.get('session_hash');
          if (hash === null) return missingQuery(res, 'session_hash');
          return serveStream(streamCtx, res, hash, 'queue', fault);
        }
        return serveStream(streamCtx, res, callSession(rest.split('/')[3] ?? ''), 'call', fault);
      }
      default:
        if ((path === `${prefix}/info` || path === `${prefix}/info/`) && req.method === 'GET')
          return sendJson(res, 200, app ? appInfoJson(appCfg(app)) : infoJson(cfg()));
        if (path === '/' && req.method === 'GET')
          return sendHtml(res, 200, '<!doctype html><title>Fake Space</title><p>Fake Gradio app</p>');
        return sendJson(res, 404, { detail: 'Not Found' });
    }
  }

  /**
   * `POST {P}/upload` (routes.py upload_file): multipart `files`; each is stored in the upload
   * folder and the answer is the list of their paths. Not multipart: 400 (GradioMultiPartParser).
   */
  async function upload(res: ServerResponse, body: Buffer, contentType: string | undefined): Promise<void> {
    // MultiPartException → PlainTextResponse(exc.message, 400); the message text is not ported.
    const refuse = () => {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Invalid multipart form data');
    };
    if (!contentType?.toLowerCase().startsWith('multipart/form-data')) return refuse();
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
    } catch {
      return refuse();
    }
    const paths: string[] = [];
    for (const f of form.getAll('files'))
      if (typeof f !== 'string') paths.push(files.upload(Buffer.from(await f.arrayBuffer()), f.name, f.type));
    sendJson(res, 200, paths);
  }

  /** routes.py simple_predict_get: the session `GET /call/{api}/{event_id}` streams (gradio-rules.ts). */
  function callSession(eventId: string): string {
    if (rules.callGetSession === 'event-id') return eventId;
    const job = queue.byEvent.get(eventId);
    if (job && !job.finished) return job.sessionHash;
    for (const s of queue.sessions.values()) if (s.pending?.has(eventId)) return s.hash;
    return eventId;
  }

  // ---- lifecycle ----

  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  origin = `http://${addr.address}:${addr.port}`;
  hub.register(spaceId, { host: origin });
  const jobs = [] as FakeSpace['jobs'];
  const record = joinCtx.run;
  joinCtx.run = (job) => {
    jobs.push(job);
    record(job);
  };

  return {
    url: origin,
    version,
    spaceId,
    hub,
    requests,
    jobs,
    setFault(fault, opts) {
      faults.push({ fault, remaining: opts?.times ?? Infinity });
    },
    clearFaults() {
      faults = [];
    },
    setTiming(t) {
      timing = { ...timing, ...t };
    },
    setStage(stage, opts) {
      hub.setStage(spaceId, stage, opts);
    },
    setQueueStopped(stopped) {
      queue.setStopped(stopped);
    },
    openStreams: () => streamCount,
    requestsTo: (route) => requests.filter((r) => r.route === route),
    waitForRequest(match, timeoutMs = 5000) {
      const found = requests.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`fake space: no matching request within ${timeoutMs} ms`));
        }, timeoutMs);
        const w = (r: RecordedRequest) => {
          if (!match(r)) return;
          clearTimeout(timer);
          waiters.delete(w);
          resolve(r);
        };
        waiters.add(w);
      });
    },
    async close() {
      closed = true;
      for (const job of queue.byEvent.values()) job.kill('cancelled');
      if (!options.hub) hub.dispose();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await done;
    },
  };
}
