/**
 * "Add any Gradio Space": what is at a URL, and which of its endpoints make an image from a prompt.
 *
 * The input is a Space id (`owner/name`), its Hugging Face page (`https://huggingface.co/spaces/
 * owner/name`), its `*.hf.space` host, or any other Gradio app's URL (https; http only on this
 * computer). A Space's host is asked of the Hub (`GET {hfUrl}/api/spaces/{id}` → `host`), as both
 * official clients do (client/js `helpers/api_info.ts` `process_endpoint` →
 * `/api/spaces/{id}/host`; gradio_client `Client._space_name_to_src` → `space_info(id).host`);
 * when the Hub cannot say, Hugging Face's subdomain rule gives it (`owner/name` lowercased, `/`,
 * `.` and `_` as `-`: `black-forest-labs/FLUX.1-dev` → `black-forest-labs-flux-1-dev.hf.space`).
 * The same Hub answer carries the Space's stage: a paused or broken Space is said so at once.
 *
 * Then `/config` (through the core's config cache) and `{api_prefix}/info` are read; the endpoints
 * are found in custom-space/endpoints.ts and their inputs mapped in custom-space/mapping.ts.
 */
import { AppError } from '../../../shared/errors';
import { REPO_ID_RE } from '../../../shared/params';
import { isSecureServiceUrl } from '../../../shared/settings';
import { spaceProviderId, type SpaceInspection } from '../../../shared/spaces';
import { readApiInfo } from '../gradio/api-info';
import { createSpaceConfigCache, type SpaceConfig, type SpaceConfigCache } from '../gradio/config';
import { requestJson, type HttpOptions } from '../gradio/http';
import { spacePath, tokenMayGoTo, trustedSpaceId } from '../space-origin';
import { healthOf } from '../space-states';
import { findTextToImageEndpoints } from './endpoints';

export const DEFAULT_HF_URL = 'https://huggingface.co';

export interface InspectOptions extends Omit<HttpOptions, 'signal' | 'providerId'> {
  signal?: AbortSignal;
  /** Hugging Face's URL (the Hub that knows Spaces' hosts and stages). Default https://huggingface.co. */
  hfUrl?: string | null;
  /** The user's token: to the Hub and the Space's host where `tokenMayGoTo` allows. */
  hfToken?: string | null;
  tokenOrigins?: readonly string[];
  /** The core's config cache (default: one of its own). */
  configs?: SpaceConfigCache;
}

/** Where an input points: the app's base URL and, for a Hugging Face Space, its id. */
export interface SpaceTarget {
  baseUrl: string;
  /** `owner/name` when the input names it. */
  spaceId: string | null;
  /** `owner/name`, or `by-subdomain/<sub>` for a `*.hf.space` host: what to ask the Hub about. */
  hubKey: string | null;
}

/** Hugging Face's subdomain for a Space id: lowercase, `/`, `.` and `_` as `-`. */
export const spaceSubdomain = (spaceId: string): string => spaceId.toLowerCase().replace(/[/._]/g, '-');
export const spaceHost = (spaceId: string): string => `https://${spaceSubdomain(spaceId)}.hf.space`;

const HF_PAGE_HOSTS = /^(www\.)?(huggingface\.co|hf\.co)$/i;

const refuse = (message: string) => new AppError('invalid-argument', message);

/** Reads the user's input: a Space id, its page, its host or an app's URL (throws invalid-argument). */
export function parseSpaceInput(input: string, hfUrl: string = DEFAULT_HF_URL): SpaceTarget {
  const s = input.trim();
  if (!s) throw refuse('Give a Space (owner/name) or the URL of a Gradio app.');
  if (REPO_ID_RE.test(s)) return { baseUrl: spaceHost(s), spaceId: s, hubKey: s };
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `https://${s}`);
  } catch {
    throw refuse(`"${s.slice(0, 100)}" is neither a Space (owner/name) nor a URL.`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw refuse(`${u.protocol} URLs are not Gradio apps.`);
  if (u.username || u.password) throw refuse('A Space URL must not carry a user name or password.');
  if (!isSecureServiceUrl(u.href)) {
    throw refuse(`${u.origin} must be https (http only for an app on this computer).`);
  }
  let hfOrigin: string | null = null;
  try {
    hfOrigin = new URL(hfUrl).origin;
  } catch {
    // A malformed Hugging Face URL only means its pages are not recognised.
  }
  const page = /^\/spaces\/([^/]+)\/([^/]+)/.exec(u.pathname);
  const onHf = HF_PAGE_HOSTS.test(u.hostname);
  if (page && (onHf || u.origin === hfOrigin)) {
    const id = `${decodeURIComponent(page[1]!)}/${decodeURIComponent(page[2]!)}`;
    if (REPO_ID_RE.test(id)) return { baseUrl: spaceHost(id), spaceId: id, hubKey: id };
  }
  if (onHf) throw refuse(`${u.href} is not a Space's page (https://huggingface.co/spaces/owner/name).`);
  const host = u.hostname.toLowerCase();
  if (host.endsWith('.hf.space')) {
    // The app is at the root of its host: a page's path or query (`/?__theme=light`) is not part of it.
    return { baseUrl: u.origin, spaceId: null, hubKey: `by-subdomain/${host.slice(0, -'.hf.space'.length)}` };
  }
  // Any other app may be mounted under a path (`gr.mount_gradio_app(app, blocks, path="/gradio")`).
  const path = u.pathname.replace(/\/+$/, '').replace(/\/config$/, '');
  return { baseUrl: `${u.origin}${path}`, spaceId: null, hubKey: null };
}

interface HubSpace {
  id: string | null;
  host: string | null;
  stage: string | null;
  /** `gradio`, `streamlit`, `docker`, `static`, … */
  sdk: string | null;
}

/** The Hub's word on a Space (id, host, stage); null when it cannot be had (then the rule's host is used). */
async function readHub(key: string, hfUrl: string, token: string | null, http: HttpOptions): Promise<HubSpace | null> {
  try {
    const path = key.startsWith('by-subdomain/') ? `by-subdomain/${encodeURIComponent(key.slice(13))}` : spacePath(key);
    const res = await requestJson<Record<string, unknown>>(
      `${hfUrl}/api/spaces/${path}`,
      { expected: "the Space's details", ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) },
      { ...http, idleTimeoutMs: Math.min(http.idleTimeoutMs, 15_000) },
      'Hugging Face',
    );
    const d = res.data ?? {};
    const runtime = (d.runtime && typeof d.runtime === 'object' ? d.runtime : {}) as Record<string, unknown>;
    const host = typeof d.host === 'string' ? d.host.replace(/\/+$/, '') : null;
    return {
      id: typeof d.id === 'string' && REPO_ID_RE.test(d.id) ? d.id : null,
      // Only a bare origin the app may talk to (https, or this computer).
      host: host && isSecureServiceUrl(host) && new URL(host).origin === host ? host : null,
      stage: typeof runtime.stage === 'string' && /^[A-Z_]{1,40}$/.test(runtime.stage) ? runtime.stage : null,
      sdk: typeof d.sdk === 'string' && /^[a-z0-9_-]{1,40}$/i.test(d.sdk) ? d.sdk.toLowerCase() : null,
    };
  } catch (err) {
    if (http.signal.aborted) throw err;
    if (err instanceof AppError && err.status === 404 && !key.startsWith('by-subdomain/')) {
      throw new AppError(
        'not-found',
        `Hugging Face has no Space called ${key} (or it is private and the token may not see it).`,
        {
          status: 404,
        },
      );
    }
    return null;
  }
}

/** A paused or broken Space cannot be inspected: said in words, with the stage. */
function stageError(name: string, stage: string | null): AppError | null {
  switch (healthOf(stage)) {
    case 'paused':
      return new AppError('space-paused', `${name} is paused by its author; only they can restart it.`);
    case 'broken':
      return new AppError(
        'space-broken',
        `${name} is broken (${stage}); it cannot be added until its author fixes it.`,
      );
    default:
      return null;
  }
}

/** The Space's own failure, said with its URL. */
function unreachable(err: unknown, url: string, stage: string | null): AppError {
  if (!(err instanceof AppError)) return new AppError('network', `Could not reach ${url}.`, { cause: err });
  if (err.code === 'cancelled') return err;
  const health = healthOf(stage);
  if (health === 'sleeping' || health === 'starting' || err.code === 'space-asleep') {
    return new AppError(
      'space-asleep',
      `${url} is ${health === 'starting' ? 'starting' : 'asleep'}; it is waking up now. Try again in a minute or two.`,
      { cause: err, ...(err.status !== undefined ? { status: err.status } : {}) },
    );
  }
  const what = err.message.replace(/^The Space /, 'it ').replace(/^Could not talk to the Space: /, '');
  const hint = err.code === 'forbidden' ? ' A private Space needs your Hugging Face token.' : '';
  return new AppError(err.code, `Could not read ${url}/config: ${what}${hint}`, {
    cause: err,
    ...(err.status !== undefined ? { status: err.status } : {}),
  });
}

/** `3.50.2` → 3; null when not a version. */
const major = (v: string | null): number | null => {
  const m = v ? /^(\d+)\./.exec(v) : null;
  return m ? Number(m[1]) : null;
};

/** The API the app's client speaks: Gradio 4+'s SSE protocols, not Gradio 3's websocket (`protocol` absent or `ws`). */
function checkProtocol(config: SpaceConfig, url: string): void {
  // client/js submit.ts: `let protocol = config.protocol ?? "ws"`.
  const protocol = config.protocol ?? 'ws';
  if (protocol === 'ws' || (major(config.version) ?? 4) < 4) {
    const version = config.version ? `Gradio ${config.version}` : 'an old Gradio';
    throw new AppError(
      'gradio-too-old',
      `${url} runs ${version}, whose websocket API the app does not speak; it needs Gradio 4 or newer.`,
    );
  }
}

/** A label to start from: the app's title unless it is Gradio's default, else the Space's name or host. */
function labelFor(config: SpaceConfig, spaceId: string | null, baseUrl: string): string {
  const title = config.title?.trim();
  if (title && title !== 'Gradio') return title.slice(0, 100);
  if (spaceId) return spaceId.slice(spaceId.indexOf('/') + 1).slice(0, 100);
  return new URL(baseUrl).host.slice(0, 100);
}

/** Inspects a Space or Gradio app: its base URL, id, and text-to-image endpoints (best first). */
export async function inspectSpace(
  input: string,
  opts: InspectOptions = { idleTimeoutMs: 30_000 },
): Promise<SpaceInspection> {
  const hfUrl = (opts.hfUrl ?? DEFAULT_HF_URL).trim().replace(/\/+$/, '');
  const target = parseSpaceInput(input, hfUrl);
  const http: HttpOptions = {
    signal: opts.signal ?? new AbortController().signal,
    idleTimeoutMs: opts.idleTimeoutMs,
    ...(opts.dispatcher ? { dispatcher: opts.dispatcher } : {}),
  };
  const tokenFor = (url: string) => (opts.hfToken && tokenMayGoTo(url, opts.tokenOrigins) ? opts.hfToken : null);

  let { baseUrl, spaceId } = target;
  let stage: string | null = null;
  let onHub = false;
  if (target.hubKey) {
    const hub = await readHub(target.hubKey, hfUrl, tokenFor(hfUrl), http);
    if (hub) {
      onHub = true;
      stage = hub.stage;
      if (hub.sdk && hub.sdk !== 'gradio') {
        throw new AppError(
          'not-gradio',
          `${hub.id ?? target.spaceId ?? baseUrl} is a ${hub.sdk} Space, not a Gradio one.`,
        );
      }
      if (target.spaceId && hub.host) baseUrl = hub.host;
      // A host's id is the Hub's when its subdomain is that id's.
      if (!spaceId && hub.id && target.hubKey === `by-subdomain/${spaceSubdomain(hub.id)}`) spaceId = hub.id;
    }
    const blocked = stageError(spaceId ?? baseUrl, stage);
    if (blocked) throw blocked;
  }

  const spaceToken = tokenFor(baseUrl);
  const headers: Record<string, string> = spaceToken ? { 'x-hf-authorization': `Bearer ${spaceToken}` } : {};
  const configs = opts.configs ?? createSpaceConfigCache();
  let config: SpaceConfig;
  try {
    config = await configs.get(baseUrl, http, headers);
  } catch (err) {
    throw unreachable(err, baseUrl, stage);
  }
  if (!config.known || !config.gradio) {
    // A Space the Hub knows as Gradio's whose /config is missing is most likely private.
    const why = onHub ? ' (a private Space needs your Hugging Face token)' : '';
    throw new AppError('not-gradio', `${baseUrl} is not a Gradio app: it has no Gradio /config${why}.`);
  }
  checkProtocol(config, baseUrl);
  spaceId ??= trustedSpaceId(config.spaceId, baseUrl);

  const info = await readApiInfo(baseUrl, config.apiPrefix ?? '', http, headers);
  const { endpoints, fileInputEndpoints } = findTextToImageEndpoints(config, info);
  const name = spaceId ?? baseUrl;
  if (endpoints.length === 0 && fileInputEndpoints.length > 0) {
    throw new AppError(
      'needs-file-input',
      `${name} makes images only from an input file (${fileInputEndpoints.map(shown).join(', ')}); the app sends a prompt, not files.`,
    );
  }
  if (endpoints.length === 0) {
    throw new AppError('no-text-to-image', `${name} has no endpoint that takes a text prompt and gives an image.`);
  }
  return {
    baseUrl,
    spaceId,
    providerId: spaceProviderId(spaceId, baseUrl),
    label: labelFor(config, spaceId, baseUrl),
    gradioVersion: config.version,
    endpoints,
    fileInputEndpoints,
  };
}

/** An endpoint as people read it: `/name`, or `#3` for one without a name. */
const shown = (ref: string) => (ref.startsWith('#') ? ref : `/${ref}`);
