/** Public types of the fake Space server. */
import type { IncomingHttpHeaders } from 'node:http';

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
  /** Heartbeat interval on open event streams (ms). Default 250. */
  heartbeatMs: number;
  /** Delay before a join (call POST or queue/join) is answered (ms). Default 0. */
  joinDelayMs: number;
}

export interface FakeSpaceOptions {
  /** `/gradio_api` (Gradio 5, default): API routes live under it. `''` (Gradio 4): bare routes. */
  apiPrefix?: '/gradio_api' | '';
  /** Serve `GET /config` (default true). false: 404, so clients must probe the prefix. */
  serveConfig?: boolean;
  /** `space_id` announced in /config (duplicated Spaces); omitted by default. */
  spaceId?: string;
  /** The queue API dependency's fn_index and trigger id in /config (default 2 and 4). */
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
  /** `log` messages sent after process_starts (queue API). Default one ZeroGPU-like line. */
  logs?: string[];
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

/** Faults of the event stream (the Space's answer to the job). */
export type StreamFault =
  /** `event: error` (call API) / `process_completed` with `success: false` (queue API). */
  | { kind: 'error-event'; message: string | null; afterMessages?: number }
  /** A ZeroGPU quota refusal, with upstream's ` <a href…>` tail. */
  | { kind: 'quota'; afterMessages?: number }
  /** `unexpected_error` (queue API; an error event on the call API). */
  | { kind: 'unexpected-error'; message?: string; afterMessages?: number }
  /** The connection is destroyed after some messages. */
  | { kind: 'cut'; afterMessages?: number }
  /** The stream ends cleanly without a result (Space restarted); `closeStream` sends close_stream first. */
  | { kind: 'end-early'; afterMessages?: number; closeStream?: boolean }
  /** Only heartbeats, forever (a Space that never makes progress). */
  | { kind: 'heartbeats-only' };

export type Fault = (GenericFault & { route: FaultRoute }) | (StreamFault & { route: 'stream' });

export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the body was JSON, else its text ('' for none). */
  body: unknown;
  route: FaultRoute | 'reset' | 'other';
  at: number;
}

export interface FakeJob {
  eventId: string;
  api: 'call' | 'queue';
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
  /** Resolves with the first request (already logged or future) that matches. */
  waitForRequest(match: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Event streams currently open (a client that cancelled or finished must have closed its own). */
  openStreams(): number;
  /** Requests whose route is `route`. */
  requestsTo(route: RecordedRequest['route']): RecordedRequest[];
  close(): Promise<void>;
}
