/**
 * A fake Hugging Face Space (Node `http`, 127.0.0.1, random port) speaking Gradio's two APIs the
 * way real servers do, plus the two Hugging Face site endpoints ZeroGPU needs:
 *
 * - `GET /config` (with `api_prefix` for Gradio 5, without for Gradio 4; 404 when disabled)
 * - call API: `POST {P}/call/infer` → `{event_id}`, `GET {P}/call/infer/{id}` → SSE
 *   (`generating`, `complete`, `error`, `heartbeat`) — Schnell layout:
 *   `[prompt, seed, randomize_seed, width, height, steps]`
 * - queue API: `POST {P}/queue/join` → `{event_id}`, `GET {P}/queue/data?session_hash=` → SSE of
 *   `{msg}` objects (estimation → process_starts → log → progress/process_generating (sse_v3 diffs)
 *   → process_completed → close_stream, heartbeats) — Dev layout:
 *   `[prompt, seed, randomize_seed, width, height, guidance, steps]`
 * - `POST {P}/cancel`, `POST {P}/reset`, `GET {P}/file=…` and `GET /file=…` (real PNG/WebP bytes)
 * - `GET /spaces/{owner}/{name}` (HTML-escaped ZeroGPU token and sessionUuid),
 *   `GET /api/spaces/{owner}/{name}/jwt` (needs `Authorization: Bearer …`)
 *
 * `{P}` is the API prefix (`/gradio_api` by default). Faults are injected per route with setFault.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { genericFault, isGeneric } from './faults';
import { readBody, sendHtml, sendJson, sleep } from './http-util';
import { mimeOf, plainImage, sizedImage } from './images';
import type {
  Fault,
  FakeJob,
  FakeSpace,
  FakeSpaceOptions,
  FakeTiming,
  FaultRoute,
  ImageFormat,
  RecordedRequest,
  StreamFault,
} from './types';

export const DEFAULT_TIMING: FakeTiming = {
  stepMs: 10,
  queueUpdates: 2,
  progressSteps: 4,
  previews: 2,
  heartbeatMs: 250,
  joinDelayMs: 0,
};

export const QUOTA_MESSAGE =
  'You have exceeded your GPU quota (60s requested vs. 23s left). <a style="white-space: nowrap;text-underline-offset: 2px;color: var(--body-text-color)" href="https://huggingface.co/settings/billing/subscription">Subscribe to PRO</a> to get 5x more usage quota.';

/** The queue API's inputs, as /config and /info describe them (the call API sends the first five + steps). */
const INPUTS = [
  { id: 1, name: 'prompt', label: 'Prompt', type: 'textbox', component: 'Textbox', default: null },
  { id: 11, name: 'seed', label: 'Seed', type: 'slider', component: 'Slider', default: 0 },
  { id: 12, name: 'randomize_seed', label: 'Randomize seed', type: 'checkbox', component: 'Checkbox', default: true },
  { id: 13, name: 'width', label: 'Width', type: 'slider', component: 'Slider', default: 1024 },
  { id: 14, name: 'height', label: 'Height', type: 'slider', component: 'Slider', default: 1024 },
  { id: 15, name: 'guidance_scale', label: 'Guidance Scale', type: 'slider', component: 'Slider', default: 3.5 },
  {
    id: 16,
    name: 'num_inference_steps',
    label: 'Number of inference steps',
    type: 'slider',
    component: 'Slider',
    default: 28,
  },
] as const;

const CALL_ARITY = 6;
const QUEUE_ARITY = 7;
const MAX_FILES = 500;

interface Job extends FakeJob {
  width: number;
  height: number;
  steps: number;
  fnIndex: number;
}

type Active = { fault: Fault; remaining: number };

/** stepMs 0 means no timer at all (benchmarks): only a turn of the event loop, so I/O can flow. */
const pause = (ms: number) => (ms > 0 ? sleep(ms) : new Promise<void>((r) => setImmediate(r)));
type Outcome = 'done' | 'failed' | 'cut' | 'ended' | 'cancelled' | 'gone';

export async function startFakeSpace(options: FakeSpaceOptions = {}): Promise<FakeSpace> {
  const prefix = options.apiPrefix ?? '/gradio_api';
  const fnIndex = options.fnIndex ?? 2;
  const triggerId = options.triggerId ?? 4;
  const format: ImageFormat = options.image?.format ?? 'webp';
  const zero = {
    pageToken: options.zeroGpu?.pageToken ?? 'page-token',
    sessionUuid: options.zeroGpu?.sessionUuid ?? 'fake-session-uuid',
    jwtToken: options.zeroGpu?.jwtToken ?? 'jwt-token',
    acceptHfToken: options.zeroGpu?.acceptHfToken,
    quotaWithoutJwt: options.zeroGpu?.quotaWithoutJwt ?? false,
  };
  let timing: FakeTiming = { ...DEFAULT_TIMING, ...options.timing };
  const logs = options.logs ?? ['ZeroGPU: waiting for a GPU slice.'];

  const requests: RecordedRequest[] = [];
  const jobs: Job[] = [];
  const byEvent = new Map<string, Job>();
  const waiters = new Set<(r: RecordedRequest) => void>();
  const files = new Map<string, { bytes: Buffer; type: string }>();
  let faults: Active[] = [];
  let closed = false;
  let origin = '';
  let streamCount = 0;
  /** Open queue streams by session hash. */
  const sessions = new Map<string, SessionStream>();

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
    const raw = req.method === 'POST' ? await readBody(req) : '';
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : '';
    } catch {
      // keep the text
    }
    const path = decodeURIComponent(url.pathname);
    const route = routeOf(req.method ?? 'GET', path);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      route,
      at: Date.now(),
    };
    requests.push(record);
    for (const w of [...waiters]) w(record);

    if (route !== 'other' && route !== 'reset') {
      const fault = takeFault(route);
      if (fault && isGeneric(fault)) return genericFault(res, fault, route, format, () => closed);
      if (fault && !isGeneric(fault)) return dispatch(route, path, url, body, req, res, fault);
    }
    return dispatch(route, path, url, body, req, res, null);
  }

  function routeOf(method: string, path: string): RecordedRequest['route'] {
    if (method === 'GET' && path === '/config') return 'config';
    if (/^\/spaces\/[^/]+\/[^/]+\/?$/.test(path)) return 'page';
    if (/^\/api\/spaces\/[^/]+\/[^/]+\/jwt$/.test(path)) return 'jwt';
    if (path.startsWith('/file=') || path.startsWith(`${prefix}/file=`)) return 'file';
    if (!path.startsWith(`${prefix}/`)) return 'other';
    const rest = path.slice(prefix.length);
    if (method === 'POST' && (/^\/call\/[^/]+$/.test(rest) || rest === '/queue/join')) return 'join';
    if (method === 'GET' && (/^\/call\/[^/]+\/[^/]+$/.test(rest) || rest === '/queue/data')) return 'stream';
    if (method === 'POST' && rest === '/cancel') return 'cancel';
    if (method === 'POST' && rest === '/reset') return 'reset';
    return 'other';
  }

  async function dispatch(
    route: RecordedRequest['route'],
    path: string,
    url: URL,
    body: unknown,
    req: IncomingMessage,
    res: ServerResponse,
    streamFault: Fault | null,
  ): Promise<void> {
    const rest = path.slice(prefix.length);
    switch (route) {
      case 'config':
        if (options.serveConfig === false) return sendJson(res, 404, { detail: 'Not Found' });
        return sendJson(res, 200, configJson());
      case 'page':
        return sendPage(res, path);
      case 'jwt':
        return sendJwt(res, req, url);
      case 'file':
        return sendFile(res, path);
      case 'cancel':
        return cancel(res, body);
      case 'reset':
        return sendJson(res, 200, { success: true });
      case 'join':
        if (timing.joinDelayMs > 0) await sleep(timing.joinDelayMs);
        return rest === '/queue/join' ? joinQueue(res, req, body) : joinCall(res, req, rest, body);
      case 'stream': {
        const fault = streamFault && !isGeneric(streamFault) ? (streamFault as StreamFault) : null;
        if (rest === '/queue/data') return queueStream(res, url.searchParams.get('session_hash') ?? '', fault);
        return callStream(res, rest, fault);
      }
      default:
        if (path === `${prefix}/info` && req.method === 'GET') return sendJson(res, 200, infoJson());
        if (path === '/' && req.method === 'GET')
          return sendHtml(res, 200, '<!doctype html><title>Fake Space</title><p>Fake Gradio app</p>');
        return sendJson(res, 404, { detail: 'Not Found' });
    }
  }

  // ---- /config, Hugging Face site ----

  function configJson(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      version: prefix ? '5.9.1' : '4.44.1',
      mode: 'blocks',
      protocol: 'sse_v3',
      root: origin,
      is_space: true,
      enable_queue: true,
      app_id: 1234567890,
      connect_heartbeat: false,
      components: [
        ...INPUTS.map((c) => ({ id: c.id, type: c.type, props: { label: c.label } })),
        { id: triggerId, type: 'button', props: { value: 'Run' } },
        { id: 10, type: 'image', props: { label: 'Result' } },
      ],
      dependencies: [
        { id: 0, targets: [[0, 'load']], api_name: null, queue: false, inputs: [], outputs: [] },
        { id: 1, targets: [[3, 'change']], api_name: 'update_size', queue: true, inputs: [13, 14], outputs: [13, 14] },
        {
          id: fnIndex,
          targets: [
            [triggerId, 'click'],
            [1, 'submit'],
          ],
          api_name: 'infer',
          api_visibility: 'public',
          queue: true,
          // The queue API's (Dev) layout; @gradio/client sends one value per input.
          inputs: INPUTS.map((c) => c.id),
          outputs: [10, 11],
          types: { generator: false, cancel: false },
        },
      ],
    };
    if (prefix) config.api_prefix = prefix;
    if (options.spaceId) config.space_id = options.spaceId;
    return config;
  }

  /** `GET {P}/info`: the endpoints' parameters, which @gradio/client reads at connect. */
  function infoJson(): Record<string, unknown> {
    const param = (c: (typeof INPUTS)[number]) => ({
      label: c.label,
      parameter_name: c.name,
      parameter_has_default: c.name !== 'prompt',
      parameter_default: c.default,
      type: { type: typeof c.default === 'boolean' ? 'boolean' : c.name === 'prompt' ? 'string' : 'number' },
      python_type: { type: c.name === 'prompt' ? 'str' : typeof c.default === 'boolean' ? 'bool' : 'float' },
      component: c.component,
      example_input: c.default ?? 'Hello!!',
    });
    return {
      named_endpoints: {
        '/infer': {
          parameters: INPUTS.map(param),
          returns: [
            { label: 'Result', type: { type: 'string' }, python_type: { type: 'filepath' }, component: 'Image' },
            { label: 'Seed', type: { type: 'number' }, python_type: { type: 'float' }, component: 'Slider' },
          ],
          api_visibility: 'public',
        },
      },
      unnamed_endpoints: {},
    };
  }

  function sendPage(res: ServerResponse, path: string): void {
    const space = path.replace(/^\/spaces\//, '').replace(/\/$/, '');
    const props = JSON.stringify({
      space: { id: space, runtime: { hardware: 'zero-a10g' } },
      csrf: 'x',
      zeroGPU: { token: zero.pageToken, sessionUuid: zero.sessionUuid },
    }).replace(/"/g, '&quot;');
    sendHtml(
      res,
      200,
      `<!doctype html><html><head><title>${space} - a Hugging Face Space</title></head><body>` +
        `<div class="SVELTE_HYDRATER contents" data-target="SpacePageInner" data-props="${props}"></div></body></html>`,
    );
  }

  function sendJwt(res: ServerResponse, req: IncomingMessage, url: URL): void {
    const auth = req.headers.authorization ?? '';
    const token = /^Bearer (\S+)$/.exec(auth)?.[1];
    if (!token || (zero.acceptHfToken !== undefined && token !== zero.acceptHfToken)) {
      return sendJson(res, 401, { error: 'Invalid credentials in Authorization header' });
    }
    const expiration = url.searchParams.get('expiration');
    if (!expiration || Number.isNaN(Date.parse(expiration)) || url.searchParams.get('include_pro_status') !== 'true') {
      return sendJson(res, 400, { error: 'Invalid expiration' });
    }
    sendJson(res, 200, { token: zero.jwtToken, isPro: false });
  }

  // ---- files ----

  function sendFile(res: ServerResponse, path: string): void {
    const file = files.get(path.slice(path.indexOf('/file=') + '/file='.length));
    if (!file) return sendJson(res, 404, { detail: 'File not found' });
    res.writeHead(200, { 'content-type': file.type, 'content-length': file.bytes.length, 'cache-control': 'no-store' });
    res.end(file.bytes);
  }

  async function storeImage(bytes: Buffer, name: string): Promise<Record<string, unknown> | string> {
    const path = `/tmp/gradio/${randomBytes(20).toString('hex')}/${name}.${format}`;
    files.set(path, { bytes, type: mimeOf(format) });
    if (files.size > MAX_FILES) files.delete(files.keys().next().value!);
    const fileData: Record<string, unknown> = {
      path,
      url: `${origin}${prefix}/file=${path}`,
      size: bytes.length,
      orig_name: `${name}.${format}`,
      mime_type: null,
      is_stream: false,
      meta: { _type: 'gradio.FileData' },
    };
    if (options.fileOutput === 'string') return path;
    if (options.fileOutput === 'path-only') delete fileData.url;
    return fileData;
  }

  const finalImage = (job: Job) =>
    options.image?.bytes
      ? sizedImage(options.image.bytes, format)
      : plainImage(job.width, job.height, format, job.seed);
  const previewImage = (n: number) => plainImage(64, 64, format, n * 40);

  // ---- jobs ----

  function newJob(api: 'call' | 'queue', req: IncomingMessage, data: unknown[], sessionHash: string, fn: number): Job {
    const [, seedIn, randomize, w, h] = data;
    const steps = api === 'call' ? data[5] : data[6];
    const job: Job = {
      eventId: randomBytes(16).toString('hex'),
      api,
      sessionHash,
      data,
      headers: req.headers,
      state: 'queued',
      seed: randomize === true ? randomInt(0, 2_147_483_647) : Number(seedIn),
      width: Number(w),
      height: Number(h),
      steps: Number(steps),
      fnIndex: fn,
    };
    jobs.push(job);
    byEvent.set(job.eventId, job);
    return job;
  }

  function invalidData(data: unknown, arity: number): string | null {
    if (!Array.isArray(data)) return 'data must be a list';
    if (data.length !== arity) return `expected ${arity} inputs, got ${data.length}`;
    const [prompt, seed, randomize, w, h] = data as unknown[];
    if (typeof prompt !== 'string' || !prompt) return 'prompt must be non-empty text';
    if (!Number.isInteger(seed)) return 'seed must be an integer';
    if (typeof randomize !== 'boolean') return 'randomize_seed must be a boolean';
    for (const v of [w, h]) if (!Number.isInteger(v) || (v as number) < 32 || (v as number) > 2048) return 'bad size';
    return null;
  }

  function joinCall(res: ServerResponse, req: IncomingMessage, rest: string, body: unknown): void {
    if (rest !== '/call/infer') return sendJson(res, 404, { detail: 'Not Found' });
    const b = (body ?? {}) as { data?: unknown; session_hash?: unknown };
    const bad = invalidData(b.data, CALL_ARITY);
    if (bad) return sendJson(res, 422, { detail: [{ msg: bad }] });
    const sessionHash = typeof b.session_hash === 'string' ? b.session_hash : randomBytes(6).toString('hex');
    const job = newJob('call', req, b.data as unknown[], sessionHash, fnIndex);
    sendJson(res, 200, { event_id: job.eventId });
  }

  function joinQueue(res: ServerResponse, req: IncomingMessage, body: unknown): void {
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.fn_index !== fnIndex)
      return sendJson(res, 422, { detail: [{ msg: `unknown fn_index ${String(b.fn_index)}` }] });
    if (typeof b.session_hash !== 'string' || !b.session_hash) {
      return sendJson(res, 422, { detail: [{ msg: 'session_hash is required' }] });
    }
    const bad = invalidData(b.data, QUEUE_ARITY);
    if (bad) return sendJson(res, 422, { detail: [{ msg: bad }] });
    const job = newJob('queue', req, b.data as unknown[], b.session_hash, fnIndex);
    sendJson(res, 200, { event_id: job.eventId });
    const session = sessions.get(b.session_hash);
    if (session?.stream.open) attach(session, job);
  }

  function cancel(res: ServerResponse, body: unknown): void {
    const b = (body ?? {}) as Record<string, unknown>;
    const job = typeof b.event_id === 'string' ? byEvent.get(b.event_id) : undefined;
    if (job && job.sessionHash === b.session_hash && (job.state === 'queued' || job.state === 'running')) {
      job.state = 'cancelled';
    }
    sendJson(res, 200, { success: true });
  }

  // ---- event streams ----

  interface Stream {
    write(message: { event?: string; data: unknown }): void;
    raw(text: string): void;
    readonly open: boolean;
    end(): void;
    cut(): void;
  }

  interface SessionStream {
    stream: Stream;
    fault: StreamFault | null;
    running: Set<Promise<Outcome>>;
  }

  function openStream(res: ServerResponse, heartbeat: () => { event?: string; data: unknown }): Stream {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    let open = true;
    streamCount++;
    const beat = setInterval(() => s.write(heartbeat()), timing.heartbeatMs);
    const stop = () => {
      open = false;
      clearInterval(beat);
    };
    res.on('close', () => {
      streamCount--;
      stop();
    });
    const s: Stream = {
      get open() {
        return open && !closed;
      },
      write(m) {
        if (!s.open) return;
        res.write(`${m.event ? `event: ${m.event}\n` : ''}data: ${JSON.stringify(m.data)}\n\n`);
      },
      raw(text) {
        if (s.open) res.write(text);
      },
      end() {
        stop();
        res.end();
      },
      cut() {
        stop();
        res.socket?.destroy();
      },
    };
    return s;
  }

  /** One job's messages, each produced lazily (images are made on demand). */
  type Step = () => Promise<{ event?: string; data: unknown }>;

  async function runSteps(
    stream: Stream,
    job: Job,
    steps: Step[],
    fault: StreamFault | null,
    failure: () => { event?: string; data: unknown },
  ): Promise<Outcome> {
    const stopAt = fault && 'afterMessages' in fault ? (fault.afterMessages ?? 1) : fault ? 1 : Infinity;
    job.state = 'running';
    for (let i = 0; i <= steps.length; i++) {
      if (i > 0) await pause(timing.stepMs);
      if (!stream.open) return 'gone';
      if ((job.state as FakeJob['state']) === 'cancelled') return 'cancelled';
      if (fault && fault.kind !== 'heartbeats-only' && i === Math.min(stopAt, steps.length - 1)) {
        switch (fault.kind) {
          case 'cut':
            stream.cut();
            job.state = 'failed';
            return 'cut';
          case 'end-early':
            job.state = 'failed';
            return 'ended';
          default:
            stream.write(failure());
            job.state = 'failed';
            return 'failed';
        }
      }
      if (i === steps.length) break;
      stream.write(await steps[i]!());
    }
    job.state = 'done';
    return 'done';
  }

  function failureMessage(fault: StreamFault, job: Job): { event?: string; data: unknown } {
    const text =
      fault.kind === 'quota'
        ? QUOTA_MESSAGE
        : fault.kind === 'unexpected-error'
          ? (fault.message ?? 'Session not found.')
          : fault.kind === 'error-event'
            ? fault.message
            : null;
    if (job.api === 'call') return { event: 'error', data: text };
    if (fault.kind === 'unexpected-error')
      return { data: { msg: 'unexpected_error', event_id: job.eventId, message: text, success: false } };
    return {
      data: {
        msg: 'process_completed',
        event_id: job.eventId,
        output: {
          error: text,
          title: fault.kind === 'quota' ? 'ZeroGPU quota exceeded' : 'Error',
          visible: true,
          duration: 10,
        },
        success: false,
      },
    };
  }

  async function callStream(res: ServerResponse, rest: string, fault: StreamFault | null): Promise<void> {
    const eventId = rest.split('/')[3] ?? '';
    const job = byEvent.get(eventId);
    if (!job || job.api !== 'call') return sendJson(res, 404, { detail: 'Event not found' });
    const stream = openStream(res, () => ({ event: 'heartbeat', data: null }));
    if (fault?.kind === 'heartbeats-only') return;
    const steps: Step[] = [];
    const previews = Math.min(timing.previews, 10);
    for (let n = 1; n <= previews; n++) {
      steps.push(async () => ({
        event: 'generating',
        data: [await storeImage(await previewImage(n), `preview${n}`), job.seed],
      }));
    }
    steps.push(async () => ({ event: 'complete', data: [await storeImage(await finalImage(job), 'image'), job.seed] }));
    const outcome = await runSteps(stream, job, steps, fault, () => failureMessage(fault!, job));
    if (outcome !== 'cut' && outcome !== 'gone') stream.end();
  }

  async function queueStream(res: ServerResponse, sessionHash: string, fault: StreamFault | null): Promise<void> {
    const pending = jobs.filter((j) => j.api === 'queue' && j.sessionHash === sessionHash && j.state === 'queued');
    if (pending.length === 0) return sendJson(res, 404, { detail: 'Session not found.' });
    const stream = openStream(res, () => ({ data: { msg: 'heartbeat' } }));
    if (fault?.kind === 'heartbeats-only') return;
    // Like Gradio, one stream serves every job of its session, including jobs joined while it is
    // open (@gradio/client joins many jobs on one session and opens the stream once).
    const session: SessionStream = { stream, fault, running: new Set() };
    sessions.set(sessionHash, session);
    res.on('close', () => {
      if (sessions.get(sessionHash) === session) sessions.delete(sessionHash);
    });
    if (options.crossTalk) {
      const other = randomBytes(16).toString('hex');
      const file = await storeImage(await previewImage(9), 'someone-else');
      stream.write({ data: { msg: 'estimation', event_id: other, rank: 7, queue_size: 9, rank_eta: 99 } });
      stream.write({ data: { msg: 'process_completed', event_id: other, output: { data: [file, 1] }, success: true } });
      stream.write({
        data: { msg: 'process_completed', event_id: other, output: { error: 'not yours' }, success: false },
      });
    }
    for (const job of pending) attach(session, job);
    const outcomes: Outcome[] = [];
    while (session.running.size > 0) outcomes.push(...(await Promise.all([...session.running])));
    // Checked and removed in the same turn as the last job ended: a later join finds no stream.
    if (sessions.get(sessionHash) === session) sessions.delete(sessionHash);
    if (outcomes.some((o) => o === 'cut' || o === 'gone')) return;
    if (fault?.kind === 'end-early' && !fault.closeStream) return stream.end();
    stream.write({ data: { msg: 'close_stream', event_id: null } });
    stream.end();
  }

  function attach(session: SessionStream, job: Job): void {
    const run = runQueueJob(session.stream, job, session.fault);
    session.running.add(run);
    void run.finally(() => session.running.delete(run));
  }

  function runQueueJob(stream: Stream, job: Job, fault: StreamFault | null) {
    const id = job.eventId;
    const steps: Step[] = [];
    const q = timing.queueUpdates;
    for (let i = 0; i < q; i++) {
      const rank = q - 1 - i;
      steps.push(async () => ({
        data: {
          msg: 'estimation',
          event_id: id,
          rank,
          queue_size: q,
          rank_eta: ((rank + 1) * timing.stepMs) / 1000,
          avg_event_process_time: 1,
        },
      }));
    }
    steps.push(async () => ({ data: { msg: 'process_starts', event_id: id, eta: 2.5, progress_data: null } }));
    for (const log of logs)
      steps.push(async () => ({ data: { msg: 'log', event_id: id, log, level: 'info', visible: true } }));

    const total = Math.max(1, Math.min(timing.progressSteps, job.steps || 1));
    const previews = Math.min(timing.previews, total);
    const every = previews > 0 ? Math.max(1, Math.floor(total / previews)) : Infinity;
    let sent = 0;
    let last: Record<string, unknown> | string | null = null;
    for (let s = 1; s <= total; s++) {
      steps.push(async () => ({
        data: {
          msg: 'progress',
          event_id: id,
          progress_data: [{ index: s, length: total, unit: 'steps', progress: null, desc: null }],
        },
      }));
      if (s % every === 0 && sent < previews) {
        const n = ++sent;
        steps.push(async () => {
          const file = await storeImage(await previewImage(n), `preview${n}`);
          const data = previewData(last, file, n, job);
          last = file;
          return {
            data: { msg: 'process_generating', event_id: id, output: { data, is_generating: true }, success: true },
          };
        });
      }
    }
    steps.push(async () => {
      const file = await storeImage(await finalImage(job), 'image');
      return {
        data: {
          msg: 'process_completed',
          event_id: id,
          output: {
            data: [file, job.seed],
            is_generating: false,
            duration: 1.2,
            average_duration: 1.5,
            render_config: null,
            changed_state_ids: [],
          },
          success: true,
        },
      };
    });

    let jobFault = fault;
    const token = String(job.headers['x-zerogpu-token'] ?? '');
    if (!jobFault && zero.quotaWithoutJwt && token !== zero.jwtToken)
      jobFault = { kind: 'quota', afterMessages: q + 1 };
    return runSteps(stream, job, steps, jobFault, () => failureMessage(jobFault!, job));
  }

  /** The first preview is a full value; later ones are sse_v3 diffs (field edits, then a root replace). */
  function previewData(
    prev: Record<string, unknown> | string | null,
    file: Record<string, unknown> | string,
    n: number,
    job: Job,
  ): unknown[] {
    if (options.diffPreviews === false || prev === null) return [file, job.seed];
    if (typeof file === 'object' && typeof prev === 'object' && n === 2) {
      const ops: unknown[] = [['replace', ['path'], file.path]];
      if ('url' in file) ops.push(['replace', ['url'], file.url]);
      ops.push(['replace', ['orig_name'], file.orig_name], ['replace', ['size'], file.size]);
      return [ops, []];
    }
    return [[['replace', [], file]], []];
  }

  // ---- lifecycle ----

  const sockets = new Set<import('node:net').Socket>();
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

  return {
    url: origin,
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
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await done;
    },
  };
}
