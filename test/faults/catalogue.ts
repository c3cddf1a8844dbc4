/**
 * Every fault the fake Space can inject, on every route it applies to, with what the app must make
 * of it when the Space is pinned (no fallback), per protocol and per Gradio version (the call API's
 * error events differ by version): the code and the words of the error, or a saved image when the
 * fault is survivable (an unreadable /config, a broken ZeroGPU page or jwt).
 *
 * The lists below are checked against the fake Space's types at compile time: a new fault kind or
 * route there fails `npm run typecheck` until it is added here (and so tested).
 */
import type { ErrorCode } from '../../shared/errors';
import type { BuiltinProviderId as ProviderId } from '../../shared/params';
import {
  RULES,
  type FakeSpaceOptions,
  type Fault,
  type FaultRoute,
  type GenericFault,
  type GradioVersion,
  type JoinFault,
  type ProxyFault,
  type StreamFault,
} from '../fake-space';

export const ROUTES = ['config', 'join', 'stream', 'file', 'page', 'jwt', 'cancel'] as const satisfies FaultRoute[];
export const GENERIC_KINDS = [
  'http',
  'hang',
  'stall',
  'wrong-content-type',
  'malformed-json',
  'endless',
] as const satisfies GenericFault['kind'][];
export const STREAM_KINDS = [
  'error-event',
  'quota',
  'unexpected-error',
  'cut',
  'end-early',
  'heartbeats-only',
  'restarted',
] as const satisfies StreamFault['kind'][];
/** The queue's own refusals of a join (HTTP 503), and the Hugging Face proxy's rate limit (429). */
export const JOIN_KINDS = ['queue-full', 'queue-stopped'] as const satisfies JoinFault['kind'][];
export const PROXY_KINDS = ['rate-limit'] as const satisfies ProxyFault['kind'][];
/** The routes the proxy's rate limit can hit. */
export const RATE_LIMITED_ROUTES = ['config', 'join', 'stream'] as const satisfies (ProxyFault & Fault)['route'][];

// Compile-time completeness: `never` only when the lists name every route and kind.
type Left<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
export const EVERY_ROUTE_LISTED: Left<FaultRoute, (typeof ROUTES)[number]> = true;
export const EVERY_KIND_LISTED: Left<
  Fault['kind'],
  | (typeof GENERIC_KINDS)[number]
  | (typeof STREAM_KINDS)[number]
  | (typeof JOIN_KINDS)[number]
  | (typeof PROXY_KINDS)[number]
> = true;

/** The Hugging Face proxy's words for a paused Space (text/plain, from the protocol notes). */
export const PAUSED_TEXT = 'The space is paused, ask a maintainer to restart it';

/** The variants of each generic fault: error pages of each body type and the statuses with their own codes. */
export const genericVariants = (route: FaultRoute): Fault[] => [
  { route, kind: 'http', status: 500 },
  { route, kind: 'http', status: 503, body: 'json', message: 'Space is sleeping' },
  { route, kind: 'http', status: 503, body: 'text', message: PAUSED_TEXT },
  { route, kind: 'http', status: 429, body: 'text', message: 'Rate limit reached' },
  { route, kind: 'http', status: 404, body: 'json', message: 'Not Found' },
  { route, kind: 'http', status: 403, body: 'html', message: 'Forbidden' },
  { route, kind: 'hang' },
  { route, kind: 'stall' },
  { route, kind: 'wrong-content-type' },
  { route, kind: 'malformed-json' },
  { route, kind: 'endless' },
];

export const streamVariants = (): Fault[] => [
  { route: 'stream', kind: 'error-event', message: null },
  { route: 'stream', kind: 'error-event', message: 'CUDA out of memory <b>retry</b>', afterMessages: 2 },
  { route: 'stream', kind: 'quota' },
  { route: 'stream', kind: 'unexpected-error' },
  { route: 'stream', kind: 'cut' },
  { route: 'stream', kind: 'cut', afterMessages: 3 },
  { route: 'stream', kind: 'end-early' },
  { route: 'stream', kind: 'end-early', afterMessages: 2, closeStream: true },
  { route: 'stream', kind: 'heartbeats-only' },
  { route: 'stream', kind: 'restarted' },
];

/** The queue's refusals of a join and the proxy's rate limit on each route it can hit. */
export const refusalVariants = (): Fault[] => [
  { route: 'join', kind: 'queue-full' },
  { route: 'join', kind: 'queue-stopped' },
  ...RATE_LIMITED_ROUTES.map((route): Fault => ({ route, kind: 'rate-limit' })),
];

export type Outcome = { state: 'done' } | { state: 'failed'; code: ErrorCode; message: RegExp };

/**
 * How each protocol is reached: Flux-1-Dev with its /config (which names `infer`: the queue API,
 * with ZeroGPU credentials) and a Schnell Space without /config (the call API, the only way in).
 */
export type Protocol = 'queue' | 'call';
export const PROTOCOLS: readonly Protocol[] = ['queue', 'call'];
export const PROTOCOL_SPACES: Record<Protocol, { provider: ProviderId; options: FakeSpaceOptions }> = {
  queue: { provider: 'bfl-flux1-dev', options: {} },
  call: { provider: 'voodoohop-flux1-schnell', options: { serveConfig: false } },
};

export interface FaultCase {
  name: string;
  protocol: Protocol;
  provider: ProviderId;
  /** The fault under test (kept for the whole job: retries and previews meet it too). */
  fault: Fault;
  /** Set with it to reach its route: the cancel request only follows a broken stream. */
  trigger?: Fault;
  /** The jwt endpoint is only asked with an HF token. */
  hfToken?: boolean;
  /** One outcome, or several when the fault races a timeout by nature. */
  expect: Outcome | Outcome[];
  /** A status the job must have shown on the way (a survivable fault is told, not hidden). */
  statusCode?: string;
}

const failed = (code: ErrorCode, message: RegExp): Outcome => ({ state: 'failed', code, message });
const done: Outcome = { state: 'done' };

const TIMEOUT = failed(
  'timeout',
  /^The (Space|image server) (did not answer within 1 s|stopped answering \(timed out\))\.$/,
);
/**
 * A stream that goes silent trips the idle timeout (1 s) or, on a loaded machine where that timer
 * fires late, the no-progress watchdog (1.5 s): either is the right, clear answer.
 */
const SILENT_STREAM = [TIMEOUT, failed('timeout', /^The Space made no progress for 1\.5 s\.$/)];
const TOKEN_ADVICE = / Add a Hugging Face token in Settings for a larger quota, or wait and try again\.$/.source;

/** What a generic fault on a fatal route (config, join, stream, file) must turn into. */
function genericOutcome(f: Fault): Outcome | Outcome[] {
  const who = f.route === 'file' ? 'The image server' : 'The Space';
  if (f.kind === 'http') {
    // The JSON/text message; an HTML page is reduced to its meaning (these pages have none).
    const detail = f.body === 'json' || f.body === 'text' ? f.message! : 'an HTML page';
    const http = (code: ErrorCode) =>
      failed(code, new RegExp(`^${who} answered HTTP ${f.status} [A-Z][A-Za-z ]+: ${detail}\\.$`));
    // A missing /config is how Gradio 4 Spaces look: the client probes the API prefix instead.
    if (f.route === 'config' && f.status === 404) return done;
    // Hugging Face's proxy limits the request rate: not the GPU quota.
    if (f.status === 429) return http('rate-limited');
    if (f.status === 403) return http('forbidden');
    // A page or plain text in place of the app stands for the Space's state (whatever the hub
    // says); a JSON body is the Space's own error, whatever its words.
    if (f.status === 503 && f.body === 'text') return http('space-paused');
    return http('http');
  }
  if (f.route === 'stream' && (f.kind === 'hang' || f.kind === 'stall')) return SILENT_STREAM;
  if (f.kind === 'hang' || f.kind === 'stall') return TIMEOUT;
  if (f.route === 'config') {
    // An unreadable /config is survivable (the prefix is probed); 16 MB of garbage may also
    // outlast the 1 s idle timeout on a busy machine, which is a clear failure too.
    return f.kind === 'endless' ? [done, TIMEOUT] : done;
  }
  if (f.route === 'file') {
    if (f.kind === 'endless') return failed('too-large', /^The image is larger than 40 MB\.$/);
    return failed('bad-image', /^The Space sent (a web page|application\/json) instead of an image\.$/);
  }
  if (f.kind === 'wrong-content-type')
    return failed('protocol', /^The Space sent an HTML page where an? .+ was expected\.$/);
  if (f.kind === 'malformed-json') return failed('protocol', /^The Space sent malformed JSON (where|in)/);
  return failed('protocol', /^The Space sent (an answer larger than|an event that never ends)/);
}

/**
 * A stream fault's outcome. The call API's `event: error` carries `data: null` up to Gradio 6.12
 * (the reason, even a quota refusal, is dropped: `space-refused`) and the output dict from 6.13.
 */
function streamOutcome(f: Fault, protocol: Protocol, version: GradioVersion): Outcome {
  const reasonDropped = protocol === 'call' && RULES[version].callErrorData === 'null';
  const refused = failed(
    'space-refused',
    new RegExp(`^The Space refused the job without details \\(often the GPU quota\\)\\.${TOKEN_ADVICE}`),
  );
  switch (f.kind) {
    case 'error-event':
      if (f.message === null)
        return protocol === 'call'
          ? refused
          : failed(
              'space-error',
              /^The Space reported an error without details \(it may be overloaded or restarting\)\.$/,
            );
      return reasonDropped
        ? refused
        : failed('space-error', /^The Space reported an error: CUDA out of memory retry\.$/);
    case 'quota':
      return reasonDropped
        ? refused
        : failed(
            'quota',
            new RegExp(`^You have exceeded your GPU quota \\(60s requested vs\\. 23s left\\)\\.${TOKEN_ADVICE}`),
          );
    case 'unexpected-error':
      return failed('space-error', /^The Space reported an error: Session not found\.$/);
    case 'cut':
      return failed('network', /^The Space closed the connection unexpectedly\.$/);
    case 'end-early':
      return failed(
        'space-error',
        /^The Space closed the stream before the image was ready \(it may have restarted\)\.$/,
      );
    case 'heartbeats-only':
      return failed('timeout', /^The Space made no progress for 1\.5 s\.$/);
    case 'restarted':
      // The session is gone: with the 5.38+ flag on the queue API, or by its words everywhere.
      return failed('session-lost', /^The Space restarted or lost the job\. Try again\.$/);
    default:
      throw new Error(`not a stream fault: ${f.kind}`);
  }
}

/** The queue's refusals are retried with backoff, then the job fails `busy`; the rate limit fails at once. */
function refusalOutcome(f: Fault): Outcome {
  if (f.kind === 'queue-full')
    return failed(
      'busy',
      /^The Space answered HTTP 503 Service Unavailable: Queue is full\. Max size is 1 and size is 1\.$/,
    );
  if (f.kind === 'queue-stopped')
    return failed('busy', /^The Space answered HTTP 503 Service Unavailable: Queue is stopped\.$/);
  return failed('rate-limited', /^The Space answered HTTP 429 Too Many Requests: an HTML page\.$/);
}

const label = (f: Fault) =>
  [
    f.route,
    f.kind,
    ...Object.entries(f).flatMap(([k, v]) => (k === 'route' || k === 'kind' ? [] : [`${k}=${v}`])),
  ].join(' ');

/** Every case of one protocol, as a Space of that Gradio version answers it. */
export function faultCases(protocol: Protocol, version: GradioVersion): FaultCase[] {
  const { provider } = PROTOCOL_SPACES[protocol];
  const cases: FaultCase[] = [];
  const add = (c: Omit<FaultCase, 'name' | 'protocol' | 'provider'>) =>
    cases.push({ name: `${protocol} API: ${label(c.fault)}`, protocol, provider, ...c });
  for (const route of ['config', 'join', 'stream', 'file'] as const) {
    for (const fault of genericVariants(route)) add({ fault, expect: genericOutcome(fault) });
  }
  for (const fault of streamVariants()) add({ fault, expect: streamOutcome(fault, protocol, version) });
  for (const fault of refusalVariants()) {
    const busy = fault.kind === 'queue-full' || fault.kind === 'queue-stopped';
    add({ fault, expect: refusalOutcome(fault), ...(busy ? { statusCode: 'busy-retry' } : {}) });
  }
  // The cancel request is best effort: whatever it meets, the job ends with the stream's error.
  const cut: Fault = { route: 'stream', kind: 'cut', afterMessages: 2 };
  for (const fault of genericVariants('cancel')) {
    add({ fault, trigger: cut, expect: streamOutcome(cut, protocol, version) });
  }
  // ZeroGPU credentials (Dev only) are not worth failing a job for: it runs anonymously instead.
  if (provider === 'bfl-flux1-dev') {
    for (const route of ['page', 'jwt'] as const) {
      for (const fault of genericVariants(route)) {
        add({
          fault,
          hfToken: route === 'jwt',
          expect: done,
          statusCode: route === 'page' ? 'zerogpu-no-page-token' : 'zerogpu-token-refused',
        });
      }
    }
  }
  return cases;
}

/** Every fault variant, for random sequences. */
export function allFaults(): Fault[] {
  return [...ROUTES.flatMap(genericVariants), ...streamVariants(), ...refusalVariants()];
}
