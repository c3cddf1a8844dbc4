/**
 * Every fault the fake Space can inject, on every route it applies to, with what the app must make
 * of it when the Space is pinned (no fallback): the code and the words of the error, or a saved
 * image when the fault is survivable (an unreadable /config, a broken ZeroGPU page or jwt).
 *
 * The lists below are checked against the fake Space's types at compile time: a new fault kind or
 * route there fails `npm run typecheck` until it is added here (and so tested).
 */
import type { ErrorCode } from '../../shared/errors';
import type { ProviderId } from '../../shared/params';
import type { Fault, FaultRoute, GenericFault, StreamFault } from '../fake-space';

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
] as const satisfies StreamFault['kind'][];

// Compile-time completeness: `never` only when the lists name every route and kind.
type Left<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
export const EVERY_ROUTE_LISTED: Left<FaultRoute, (typeof ROUTES)[number]> = true;
export const EVERY_KIND_LISTED: Left<Fault['kind'], (typeof GENERIC_KINDS)[number] | (typeof STREAM_KINDS)[number]> =
  true;

/** The variants of each generic fault: error pages of each body type and the statuses with their own codes. */
export const genericVariants = (route: FaultRoute): Fault[] => [
  { route, kind: 'http', status: 500 },
  { route, kind: 'http', status: 503, body: 'json', message: 'Space is sleeping' },
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
];

export type Outcome = { state: 'done' } | { state: 'failed'; code: ErrorCode; message: RegExp };

export interface FaultCase {
  name: string;
  provider: ProviderId;
  /** The fault under test (kept for the whole job: retries and previews meet it too). */
  fault: Fault;
  /** Set with it to reach its route: the cancel request only follows a broken stream. */
  trigger?: Fault;
  /** The jwt endpoint is only asked with an HF token. */
  hfToken?: boolean;
  /** One outcome, or several when the fault races a timeout by nature. */
  expect: Outcome | Outcome[];
  /** A status line the job must have shown on the way (a survivable fault is told, not hidden). */
  status?: RegExp;
}

const failed = (code: ErrorCode, message: RegExp): Outcome => ({ state: 'failed', code, message });
const done: Outcome = { state: 'done' };

const TIMEOUT = failed(
  'timeout',
  /^The (Space|image server) (did not answer within 1 s|stopped answering \(timed out\))\.$/,
);

/** What a generic fault on a fatal route (config, join, stream, file) must turn into. */
function genericOutcome(f: Fault): Outcome | Outcome[] {
  const who = f.route === 'file' ? 'The image server' : 'The Space';
  if (f.kind === 'http') {
    // The page's title or the JSON/text message, never the HTML itself.
    const detail = f.body === 'json' || f.body === 'text' ? f.message! : `an HTML page \\("${f.status} [^"]+"\\)`;
    const http = (code: ErrorCode) =>
      failed(code, new RegExp(`^${who} answered HTTP ${f.status} [A-Z][A-Za-z ]+: ${detail}\\.$`));
    // A missing /config is how Gradio 4 Spaces look: the client probes the API prefix instead.
    if (f.route === 'config' && f.status === 404) return done;
    if (f.status === 429) return http('quota');
    if (f.status === 403) return http('forbidden');
    if (f.status === 503) return http('space-asleep');
    return http('http');
  }
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

function streamOutcome(f: Fault): Outcome {
  switch (f.kind) {
    case 'error-event':
      return f.message === null
        ? failed(
            'space-error',
            /^The Space reported an error without details \(it may be overloaded or restarting\)\.$/,
          )
        : failed('space-error', /^The Space reported an error: CUDA out of memory retry\.$/);
    case 'quota':
      return failed(
        'quota',
        /^You have exceeded your GPU quota \(60s requested vs\. 23s left\)\. Add a Hugging Face token in Settings/,
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
    default:
      throw new Error(`not a stream fault: ${f.kind}`);
  }
}

const label = (f: Fault) =>
  [
    f.route,
    f.kind,
    ...Object.entries(f).flatMap(([k, v]) => (k === 'route' || k === 'kind' ? [] : [`${k}=${v}`])),
  ].join(' ');

/** The call API (Schnell Spaces) and the queue API (Dev) fail differently: every fault meets both. */
const PROTOCOLS: ProviderId[] = ['voodoohop-flux1-schnell', 'bfl-flux1-dev'];

export function faultCases(): FaultCase[] {
  const cases: FaultCase[] = [];
  for (const provider of PROTOCOLS) {
    for (const route of ['config', 'join', 'stream', 'file'] as const) {
      for (const fault of genericVariants(route)) {
        cases.push({ name: `${provider}: ${label(fault)}`, provider, fault, expect: genericOutcome(fault) });
      }
    }
    for (const fault of streamVariants()) {
      cases.push({ name: `${provider}: ${label(fault)}`, provider, fault, expect: streamOutcome(fault) });
    }
    // The cancel request is best effort: whatever it meets, the job ends with the stream's error.
    const cut: Fault = { route: 'stream', kind: 'cut', afterMessages: 2 };
    for (const fault of genericVariants('cancel')) {
      cases.push({ name: `${provider}: ${label(fault)}`, provider, fault, trigger: cut, expect: streamOutcome(cut) });
    }
  }
  // ZeroGPU credentials (Dev only) are not worth failing a job for: it runs anonymously instead.
  for (const route of ['page', 'jwt'] as const) {
    for (const fault of genericVariants(route)) {
      cases.push({
        name: `bfl-flux1-dev: ${label(fault)}`,
        provider: 'bfl-flux1-dev',
        fault,
        hfToken: route === 'jwt',
        expect: done,
        status:
          route === 'page'
            ? /^(Could not read the ZeroGPU token from the Space page \(.+\)|The Space page carried no ZeroGPU token)\.$/
            : /^(Your Hugging Face token could not be used for ZeroGPU \(.+\); using the anonymous quota|Hugging Face sent no ZeroGPU token for your account)\.$/,
      });
    }
  }
  return cases;
}

/** Every fault variant, for random sequences. */
export function allFaults(): Fault[] {
  return [...ROUTES.flatMap(genericVariants), ...streamVariants()];
}
