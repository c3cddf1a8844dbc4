/** Public types of the fake Space server. */
import type { IncomingHttpHeaders } from 'node:http';
import type { GradioVersion } from './gradio-rules';
import type { FakeHub, SpaceStage, WakeOptions } from './hub';
import type { Layout, SliderOverrides } from './layout';
import type { LogLine } from './messages';

export type { GradioVersion } from './gradio-rules';
export type { FakeHub, HubSpace, SpaceStage, WakeOptions } from './hub';
export type { Layout, SliderName, SliderOverrides, SliderProps } from './layout';
export type { LogLine } from './messages';

export type ImageFormat = 'png' | 'webp';

export interface FakeTiming {
  /** Delay between consecutive stream messages (ms). Default 10. */
  stepMs: number;
  /** `estimation` messages before the job starts (queue API). Default 2. */
  queueUpdates: number;
  /** Most `progress` messages per job (also capped by the requested steps). Default 4. */
  progressSteps: number;
  /** Preview images sent while generating (both APIs). Default 2. */
  previews: number;
  /** Heartbeat interval on open event streams (ms). Default 15000, upstream's 15 s: pass less to see them. */
  heartbeatMs: number;
  /** Delay before a join (call POST or queue/join) is answered (ms). Default 0. */
  joinDelayMs: number;
}

export interface FakeSpaceOptions {
  /** The Gradio release whose rules the Space follows (gradio-rules.ts). Default '5.49'. */
  gradioVersion?: GradioVersion;
  /**
   * The app: 'dev' (default) / 'schnell' (the FLUX `infer` dependency), 'sd', 'gallery',
   * 'two-endpoints', 'file-input' (apps.ts: their own components, endpoints and jobs, on every
   * version) or 'ws' (a Gradio 3.50.2 app whatever `gradioVersion` says: ws-app.ts).
   */
  layout?: Layout;
  /** Slider props in /config, enforced inside the job on Gradio >= 5.39 (so 5.49, 6.x). */
  sliders?: SliderOverrides;
  /**
   * API prefix; default follows the version: `''` for 4.44, `/gradio_api` for 5+. An explicit value
   * overrides it (and /config's `api_prefix` follows).
   */
  apiPrefix?: '/gradio_api' | '';
  /** Serve `GET /config` (default true). false: 404, so clients must probe the prefix. */
  serveConfig?: boolean;
  /**
   * The Space's id on the hub, announced as `space_id` in /config when given. Without it the
   * Space is still registered on its hub as `black-forest-labs/FLUX.1-dev` (layout 'dev') or
   * `black-forest-labs/FLUX.1-schnell` (layout 'schnell'), and /config says `space_id: null`.
   */
  spaceId?: string;
  /** The hub (registry of Space stages) this Space registers on; default: its own. */
  hub?: FakeHub;
  /** Queue.max_size: a join when this many jobs wait is refused with 503. Default: none. */
  maxQueueSize?: number;
  /** Jobs run at once (queueing.py default concurrency limit 1); null: no limit. */
  concurrencyLimit?: number | null;
  /** The FLUX layouts' `infer` fn_index and trigger id in /config (default 2 and 4; other layouts number from 0). */
  fnIndex?: number;
  triggerId?: number;
  /** How file outputs look: FileData with url (default), FileData without url, or a bare path. */
  fileOutput?: 'filedata' | 'path-only' | 'string';
  /** Queue previews after the first as sse_v3 diff ops (default true). */
  diffPreviews?: boolean;
  /**
   * Final image: PNG or WebP (default webp, like the real Spaces) of the requested size; with
   * `bytes`, a noise image of about that many bytes instead (benchmarks: 1 MB, 8 MB).
   */
  image?: { format?: ImageFormat; bytes?: number };
  timing?: Partial<FakeTiming>;
  /** `log` messages sent after process_starts (queue API only). Default one ZeroGPU-like line. */
  logs?: (string | LogLine)[];
  zeroGpu?: {
    /** Anonymous token in the Space page. Default `page-token`. */
    pageToken?: string;
    /** Session uuid in the Space page. Default `fake-session-uuid`. */
    sessionUuid?: string;
    /** Token the jwt endpoint returns. Default `jwt-token`. */
    jwtToken?: string;
    /** The only HF token the jwt endpoint accepts; default: any `Bearer` value. */
    acceptHfToken?: string;
    /** Queue jobs without the jwt token end with a quota error (anonymous quota used up). */
    quotaWithoutJwt?: boolean;
  };
  /** The queue stream also carries another session's job messages (clients must skip them). */
  crossTalk?: boolean;
  /** Default 127.0.0.1 and a random port. */
  host?: string;
  port?: number;
}

/** Which request a fault hits. `join` is the call POST or queue/join; `stream` the event stream. */
export type FaultRoute = 'config' | 'join' | 'stream' | 'file' | 'page' | 'jwt' | 'cancel';

/** Faults any route can suffer. */
export type GenericFault =
  /** An error status with an HTML page (default), a JSON `{error}` body or plain text. */
  | { kind: 'http'; status: number; body?: 'html' | 'json' | 'text'; message?: string }
  /** Accepts the connection and never answers (slow-loris). */
  | { kind: 'hang' }
  /** Sends 200 headers, then nothing. */
  | { kind: 'stall' }
  /** 200 with an HTML page where JSON / an event stream / an image belongs. */
  | { kind: 'wrong-content-type' }
  /** JSON (or event data) cut off in the middle. */
  | { kind: 'malformed-json' }
  /** A body that never ends (bytes until the client gives up). */
  | { kind: 'endless' };

/** Refusals of a join, as the queue gives them (HTTP 503). */
export type JoinFault =
  /** `{"detail": "Queue is full. Max size is N and size is M."}` (default N: maxQueueSize or 1). */
  | { kind: 'queue-full'; maxSize?: number; size?: number }
  /** `{"detail": "Queue is stopped."}`. */
  | { kind: 'queue-stopped' };

/** The Hugging Face proxy in front of the Space (unconfirmed from source): 429 with an HTML page. */
export type ProxyFault = { kind: 'rate-limit' };

/** Faults of the event stream (the Space's answer to the job). */
export type StreamFault =
  /**
   * The job fails: `process_completed` with `success: false` (queue API) / the version's call
   * error event. A message is a gr.Error's text; null is any other exception (`error: null`).
   */
  | { kind: 'error-event'; message: string | null; afterMessages?: number }
  /** A ZeroGPU quota refusal, with upstream's ` <a href…>` tail. */
  | { kind: 'quota'; afterMessages?: number }
  /** `unexpected_error` (queue API; an error event on the call API), then the connection drops. */
  | { kind: 'unexpected-error'; message?: string; afterMessages?: number }
  /** The connection is destroyed after some messages. */
  | { kind: 'cut'; afterMessages?: number }
  /** The stream ends cleanly without a result (Space restarted); `closeStream` sends close_stream first. */
  | { kind: 'end-early'; afterMessages?: number; closeStream?: boolean }
  /** Only heartbeats, forever (a Space that never makes progress). */
  | { kind: 'heartbeats-only' }
  /**
   * The Space restarted between the join and the stream: the session is unknown, answered as
   * routes.py queue_data_helper answers one (HTTP 200, `unexpected_error`, per version).
   */
  | { kind: 'restarted' };

export type Fault =
  | (GenericFault & { route: FaultRoute })
  | (StreamFault & { route: 'stream' })
  | (JoinFault & { route: 'join' })
  | (ProxyFault & { route: 'join' | 'config' | 'stream' });

export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the body was JSON, else its text ('' for none). */
  body: unknown;
  /** `hub`: `GET /api/spaces/{owner}/{name}` (or by-subdomain). */
  route: FaultRoute | 'reset' | 'hub' | 'other';
  at: number;
}

export interface FakeJob {
  eventId: string;
  api: 'call' | 'queue';
  /** The session its messages go to: the given hash, or the event id when none was given. */
  sessionHash: string;
  data: unknown[];
  headers: IncomingHttpHeaders;
  state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  /** The seed the job reported (randomized or the one asked for). */
  seed: number;
}

export interface FakeSpace {
  /** e.g. http://127.0.0.1:41234 (no trailing slash); use as the provider's base URL and hfUrl. */
  readonly url: string;
  readonly version: GradioVersion;
  /** Its id on the hub (see FakeSpaceOptions.spaceId). */
  readonly spaceId: string;
  readonly hub: FakeHub;
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Every job joined, in order. */
  readonly jobs: FakeJob[];
  /**
   * Injects a fault on the next `times` requests to its route (default: every request until
   * `clearFaults`). Faults queue: the first matching one is used.
   */
  setFault(fault: Fault, opts?: { times?: number }): void;
  clearFaults(): void;
  setTiming(timing: Partial<FakeTiming>): void;
  /**
   * Sets this Space's stage on its hub. While not RUNNING/RUNNING_BUILDING its own routes answer
   * like the `*.hf.space` proxy (503 pages). SLEEPING/STOPPED/BUILDING/APP_STARTING may wake up.
   */
  setStage(stage: SpaceStage, opts?: WakeOptions): void;
  /** Queue.close(): joins get 503 "Queue is stopped.", running jobs stop, streams say so. */
  setQueueStopped(stopped: boolean): void;
  /** Resolves with the first request (already logged or future) that matches. */
  waitForRequest(match: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Event streams currently open (a client that cancelled or finished must have closed its own). */
  openStreams(): number;
  /** Requests whose route is `route`. */
  requestsTo(route: RecordedRequest['route']): RecordedRequest[];
  close(): Promise<void>;
}
