/**
 * The Hugging Face side of the fake: a registry of Spaces and their runtime stage (the "hub"),
 * answered at `GET /api/spaces/{owner}/{name}` by every fake Space server that shares it, and the
 * pages the `*.hf.space` proxy serves instead of the app while a Space is not running.
 *
 * Confirmed from source: the stage names and the fields the official JS client reads
 * (client/js/src/helpers/spaces.ts check_space_status: `runtime.stage`, `id`; get_space_hardware:
 * `hardware.current`) and how it treats each stage. NOT confirmable from Gradio source (shaped after
 * the public HF API / observed pages, marked so in the README): the other JSON fields, the 404 body
 * `{"error": "Repository not found"}`, the proxy's pages and status codes for a sleeping, building,
 * starting or broken Space, and its rate-limit answer.
 */
import type { ServerResponse } from 'node:http';
import { sendHtml, sendJson } from './http-util';

export const SPACE_STAGES = [
  'RUNNING',
  'SLEEPING',
  'STOPPED',
  'BUILDING',
  'APP_STARTING',
  'RUNNING_BUILDING',
  'PAUSED',
  'RUNTIME_ERROR',
  'BUILD_ERROR',
  'CONFIG_ERROR',
  'NO_APP_FILE',
] as const;
export type SpaceStage = (typeof SPACE_STAGES)[number];

/** Stages that wake up by themselves (or on a visit) and may be given a wake-up. */
const WAKING: readonly SpaceStage[] = ['SLEEPING', 'STOPPED', 'BUILDING', 'APP_STARTING'];
const SERVING: readonly SpaceStage[] = ['RUNNING', 'RUNNING_BUILDING'];

export interface WakeOptions {
  /** RUNNING this long after the wake timer starts (see wakeOnVisit). */
  wakeAfterMs?: number;
  /** RUNNING once this many `GET /api/spaces/{id}` polls have seen the stage. */
  wakeAfterPolls?: number;
  /**
   * SLEEPING/STOPPED only (default true): the wakeAfterMs timer starts at the first request to the
   * Space's own host, as a visit wakes a sleeping Space. Otherwise it starts at once.
   */
  wakeOnVisit?: boolean;
}

export interface HubSpace {
  id: string;
  stage: SpaceStage;
  hardware: string;
  /** Where the Space is served (the fake server's URL). */
  host: string;
  /** Polls of GET /api/spaces/{id} answered. */
  polls: number;
}

export interface FakeHub {
  /** Registers a Space (again: updates host/hardware, keeps the stage). */
  register(id: string, init?: { stage?: SpaceStage; hardware?: string; host?: string }): void;
  has(id: string): boolean;
  stage(id: string): SpaceStage | undefined;
  setStage(id: string, stage: SpaceStage, opts?: WakeOptions): void;
  /** Polls of `GET /api/spaces/{id}` so far. */
  polls(id: string): number;
  spaces(): HubSpace[];
  /** Internal: a request reached the Space's own host (starts a wake-on-visit timer). */
  visit(id: string): void;
  /** Internal: answers `GET /api/spaces/{owner}/{name}` (or `/by-subdomain/{sub}`), counting the poll. */
  answer(res: ServerResponse, idOrSubdomain: string, bySubdomain: boolean): void;
  /** Clears wake timers. */
  dispose(): void;
}

interface Entry extends HubSpace {
  wake: (WakeOptions & { pollsAtSet: number; timerStarted: boolean }) | null;
  timer: NodeJS.Timeout | null;
}

export const subdomainOf = (id: string) => id.toLowerCase().replace(/[/._]/g, '-');

export function createFakeHub(): FakeHub {
  const entries = new Map<string, Entry>();
  const get = (id: string) => entries.get(id);

  const wakeUp = (e: Entry) => {
    if (e.timer) clearTimeout(e.timer);
    e.timer = null;
    e.wake = null;
    e.stage = 'RUNNING';
  };
  const startTimer = (e: Entry) => {
    if (!e.wake || e.wake.timerStarted || e.wake.wakeAfterMs === undefined) return;
    e.wake.timerStarted = true;
    e.timer = setTimeout(() => wakeUp(e), e.wake.wakeAfterMs);
    e.timer.unref();
  };

  const hub: FakeHub = {
    register(id, init = {}) {
      const e = entries.get(id);
      if (e) {
        if (init.host) e.host = init.host;
        if (init.hardware) e.hardware = init.hardware;
        return;
      }
      entries.set(id, {
        id,
        stage: init.stage ?? 'RUNNING',
        hardware: init.hardware ?? 'zero-a10g',
        host: init.host ?? `https://${subdomainOf(id)}.hf.space`,
        polls: 0,
        wake: null,
        timer: null,
      });
    },
    has: (id) => entries.has(id),
    stage: (id) => get(id)?.stage,
    polls: (id) => get(id)?.polls ?? 0,
    spaces: () =>
      [...entries.values()].map(({ id, stage, hardware, host, polls }) => ({ id, stage, hardware, host, polls })),
    setStage(id, stage, opts) {
      const e = get(id);
      if (!e) throw new Error(`fake hub: unknown Space ${id}`);
      if (e.timer) clearTimeout(e.timer);
      e.timer = null;
      e.wake = null;
      e.stage = stage;
      const wants = opts && (opts.wakeAfterMs !== undefined || opts.wakeAfterPolls !== undefined);
      if (!wants) return;
      if (!WAKING.includes(stage)) throw new Error(`fake hub: a ${stage} Space does not wake up by itself`);
      const onVisit = (stage === 'SLEEPING' || stage === 'STOPPED') && (opts.wakeOnVisit ?? true);
      e.wake = { ...opts, pollsAtSet: e.polls, timerStarted: false };
      if (opts.wakeAfterPolls === 0) return wakeUp(e);
      if (!onVisit) startTimer(e);
    },
    visit(id) {
      const e = get(id);
      if (e && (e.stage === 'SLEEPING' || e.stage === 'STOPPED')) startTimer(e);
    },
    answer(res, key, bySubdomain) {
      const e = bySubdomain ? [...entries.values()].find((x) => subdomainOf(x.id) === key) : get(key);
      // Not from Gradio source: the Hub's answer for an unknown repository.
      if (!e) return sendJson(res, 404, { error: 'Repository not found' });
      e.polls++;
      sendJson(res, 200, spaceInfo(e));
      if (e.wake?.wakeAfterPolls !== undefined && e.polls - e.wake.pollsAtSet >= e.wake.wakeAfterPolls) wakeUp(e);
    },
    dispose() {
      for (const e of entries.values()) if (e.timer) clearTimeout(e.timer);
    },
  };
  return hub;
}

/** Shaped after the public `GET https://huggingface.co/api/spaces/{id}` (fields beyond `runtime.stage`, `id` unconfirmed). */
function spaceInfo(e: Entry): Record<string, unknown> {
  const [author = ''] = e.id.split('/');
  const serving = SERVING.includes(e.stage);
  const runtime: Record<string, unknown> = {
    stage: e.stage,
    hardware: { current: serving ? e.hardware : null, requested: e.hardware },
    storage: null,
    gcTimeout: 172800,
    replicas: { current: serving ? 1 : 0, requested: 1 },
    devMode: false,
    domains: [{ domain: `${subdomainOf(e.id)}.hf.space`, stage: 'READY' }],
  };
  if (e.stage.endsWith('_ERROR') || e.stage === 'NO_APP_FILE') runtime.errorMessage = errorText(e.stage);
  return {
    _id: `fake${Buffer.from(e.id).toString('hex').slice(0, 20)}`,
    id: e.id,
    author,
    sha: '0'.repeat(40),
    lastModified: '2025-01-01T00:00:00.000Z',
    private: false,
    gated: false,
    disabled: false,
    host: e.host,
    subdomain: subdomainOf(e.id),
    likes: 0,
    sdk: 'gradio',
    tags: ['gradio', 'region:us'],
    runtime,
  };
}

const errorText = (stage: SpaceStage) =>
  stage === 'NO_APP_FILE'
    ? 'No application file'
    : stage === 'CONFIG_ERROR'
      ? 'Invalid Space configuration'
      : stage === 'BUILD_ERROR'
        ? 'Build failed with exit code: 1'
        : 'Exit code: 1. Reason: RuntimeError: CUDA error';

/** Whether the Space's own host serves the app in this stage. */
export const isServing = (stage: SpaceStage | undefined) => stage === undefined || SERVING.includes(stage);

/**
 * What the `*.hf.space` proxy answers instead of the app. PAUSED's text is from the protocol notes
 * (observed); the other pages are NOT confirmable from Gradio source: plausible 503 HTML pages.
 */
export function sendProxyPage(res: ServerResponse, stage: SpaceStage): void {
  if (stage === 'PAUSED') {
    const text = 'The space is paused, ask a maintainer to restart it';
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    return void res.end(text);
  }
  const title =
    stage === 'SLEEPING' || stage === 'STOPPED'
      ? 'This Space is sleeping'
      : stage === 'BUILDING'
        ? 'This Space is building'
        : stage === 'APP_STARTING'
          ? 'This Space is starting'
          : `This Space has an error: ${errorText(stage)}`;
  sendHtml(
    res,
    503,
    `<!DOCTYPE html><html><head><title>${title}</title></head><body><main><h1>${title}</h1>` +
      `<p>Stage: ${stage}</p><script>setTimeout(() => location.reload(), 5000)</script></main></body></html>`,
  );
}

/** The HF proxy's rate limit (unconfirmed from source): 429 with an HTML page. */
export function sendRateLimit(res: ServerResponse): void {
  sendHtml(
    res,
    429,
    '<!DOCTYPE html><html><head><title>429 Too Many Requests</title></head>' +
      '<body><h1>429 Too Many Requests</h1><p>You have been rate limited. Please retry later.</p></body></html>',
  );
}
