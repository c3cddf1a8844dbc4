/**
 * `GET {base}/config`: the API prefix (`/gradio_api` on Gradio 5+, none before), the dependencies'
 * ids, inputs, outputs and API visibility, and the components behind them (type, label, value,
 * limits, choices). A cache instance belongs to the core that made it. Only a config that was read
 * is cached: a failed or missing `/config` is asked for again on the next job (a Space that was
 * asleep has one a minute later).
 *
 * Shapes: blocks.py `get_config_file` / `BlocksConfig.config_for_block` (`{id, type, props,
 * skip_api, api_info…}`), block_function.py `get_config` (`show_api` up to 5.x, `api_visibility`
 * from 6.0), gradio@4.44.1 … 6.x.
 */
import { AppError } from '../../../shared/errors';
import { requestJson, type HttpOptions } from './http';

/**
 * Who may call an endpoint: 6.x `api_visibility` as is ("private": not callable by the clients);
 * before, `show_api: true` is public and `show_api: false` undocumented, `api_name: false`
 * included (no name, left out of `/info`, but the queue takes it by fn_index as the app's own page
 * does: routes.py `queue_join` checks no name).
 */
export type ApiVisibility = 'public' | 'undocumented' | 'private';

export interface SpaceDependency {
  /** fn_index. */
  id: number;
  apiName: string | null;
  /** The first target's component id (the queue API's trigger_id). */
  triggerId: number | null;
  /** Input component ids, in the endpoint's argument order. */
  inputs: number[];
  /** Output component ids, in the order of the result's `data`. */
  outputs: number[];
  apiVisibility: ApiVisibility;
  /** false for a JavaScript-only event (`backend_fn: false`): nothing to call. */
  backendFn: boolean;
}

/** A component as /config describes it (the props the app reads). */
export interface SpaceComponent {
  id: number;
  /** Gradio's block name, lowercase (`textbox`, `slider`, `image`, `gallery`, `state`, …). */
  type: string;
  label: string | null;
  /** `props.value`: the initial value (what the UI would send untouched). */
  value: unknown;
  minimum: number | null;
  maximum: number | null;
  step: number | null;
  /** Dropdown/Radio choices as `[label, value]` (Gradio 4+; plain values before, label = value). */
  choices: { label: string; value: unknown }[] | null;
  multiselect: boolean;
  /** `skip_api`: not an API parameter (State, buttons): absent from `/info`, sent as null. */
  skipApi: boolean;
}

/** A slider's declared range (`gr.Slider(minimum, maximum, step=…, value=…)` as /config carries it). */
export interface SliderProps {
  minimum: number;
  maximum: number;
  step: number | null;
  value: number | null;
}

export interface SpaceConfig {
  /** null when /config is missing: the prefix is then unknown. */
  apiPrefix: string | null;
  protocol: string | null;
  /** Gradio's version, e.g. `5.49.1`, when announced. */
  version: string | null;
  /** `owner/name` when the app runs on Hugging Face Spaces (duplicates have their own). */
  spaceId: string | null;
  /** The app's title (`gr.Blocks(title=…)`; `Gradio` when not set). */
  title: string | null;
  dependencies: SpaceDependency[];
  /** Slider components by id. */
  sliders: Map<number, SliderProps>;
  /** Every component by id. */
  components: Map<number, SpaceComponent>;
  /** false when /config could not be read (then the call API is the only way in). */
  known: boolean;
  /** The JSON has Gradio's shape (`components` and `dependencies` lists); false for any other JSON. */
  gradio: boolean;
}

export const GRADIO5_PREFIX = '/gradio_api';
const TTL_MS = 10 * 60_000;

const unknownConfig = (): SpaceConfig => ({
  apiPrefix: null,
  protocol: null,
  version: null,
  spaceId: null,
  title: null,
  dependencies: [],
  sliders: new Map(),
  components: new Map(),
  known: false,
  gradio: false,
});

export interface SpaceConfigCache {
  /**
   * The cached config, or a fresh read; a missing /config (404, not JSON) gives an unknown one,
   * uncached. `headers`: sent with the read (the user's token for a private Space).
   */
  get(base: string, http: HttpOptions, headers?: Record<string, string>): Promise<SpaceConfig>;
  /** The cached config without asking the Space. */
  peek(base: string): SpaceConfig | null;
  /** Drops a config that led to a failure, so the next job reads it anew. */
  forget(base: string): void;
  /** Records the prefix that worked, so the next job does not probe again. */
  rememberPrefix(base: string, apiPrefix: string): void;
}

export function createSpaceConfigCache(opts: { ttlMs?: number; now?: () => number } = {}): SpaceConfigCache {
  const ttl = opts.ttlMs ?? TTL_MS;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { at: number; config: SpaceConfig }>();
  return {
    async get(base, http, headers) {
      const hit = cache.get(base);
      // A config that was never read (only its prefix is remembered) is asked for again.
      if (hit && hit.config.known && now() - hit.at < ttl) return hit.config;
      try {
        const res = await requestJson(
          `${base}/config`,
          { expected: 'the app config', maxBytes: 16 * 1024 * 1024, ...(headers ? { headers } : {}) },
          http,
          'The Space',
        );
        const config = parseConfig(res.data);
        cache.set(base, { at: now(), config });
        return config;
      } catch (err) {
        // Only a missing /config (or one that is not JSON) is survivable; a down Space is not.
        if (!(err instanceof AppError) || !(err.status === 404 || err.code === 'protocol')) throw err;
        return cache.get(base)?.config ?? unknownConfig();
      }
    },
    peek: (base) => cache.get(base)?.config ?? null,
    forget: (base) => void cache.delete(base),
    rememberPrefix(base, apiPrefix) {
      const hit = cache.get(base);
      // An unknown config is not cached as such; only the prefix is worth keeping.
      const config = hit?.config ?? unknownConfig();
      cache.set(base, { at: hit?.at ?? now(), config: { ...config, apiPrefix } });
    },
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const record = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const ids = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);

/** Dropdown/Radio choices: `[label, value]` pairs (dropdown.py, 4.0+) or bare values (3.x). */
function choicesOf(v: unknown): SpaceComponent['choices'] {
  if (!Array.isArray(v)) return null;
  return v.map((c: unknown) =>
    Array.isArray(c) && c.length >= 2
      ? { label: String(c[0] as string), value: c[1] as unknown }
      : { label: String(c as string), value: c },
  );
}

function componentOf(c: unknown): SpaceComponent | null {
  const comp = record(c);
  const props = record(comp.props);
  const id = num(comp.id);
  if (id === null || typeof comp.type !== 'string') return null;
  return {
    id,
    type: comp.type.toLowerCase(),
    label: typeof props.label === 'string' ? props.label : null,
    value: props.value,
    minimum: num(props.minimum),
    maximum: num(props.maximum),
    step: num(props.step),
    choices: choicesOf(props.choices),
    multiselect: props.multiselect === true,
    skipApi: comp.skip_api === true,
  };
}

function visibilityOf(dep: Record<string, unknown>): ApiVisibility {
  const v = dep.api_visibility;
  if (v === 'public' || v === 'undocumented' || v === 'private') return v;
  return dep.show_api === false || dep.api_name === false ? 'undocumented' : 'public';
}

export function parseConfig(raw: unknown): SpaceConfig {
  const o = record(raw);
  const prefix = typeof o.api_prefix === 'string' ? o.api_prefix.replace(/\/+$/, '') : '';
  const deps = Array.isArray(o.dependencies) ? o.dependencies : [];
  const sliders = new Map<number, SliderProps>();
  const components = new Map<number, SpaceComponent>();
  for (const c of Array.isArray(o.components) ? o.components : []) {
    const comp = componentOf(c);
    if (!comp) continue;
    components.set(comp.id, comp);
    const { id, minimum, maximum } = comp;
    if (comp.type !== 'slider' || minimum === null || maximum === null || minimum > maximum) continue;
    sliders.set(id, { minimum, maximum, step: comp.step, value: num(comp.value) });
  }
  return {
    apiPrefix: prefix,
    protocol: typeof o.protocol === 'string' ? o.protocol : null,
    version: typeof o.version === 'string' ? o.version : null,
    spaceId: typeof o.space_id === 'string' && /^[\w.-]+\/[\w.-]+$/.test(o.space_id) ? o.space_id : null,
    title: typeof o.title === 'string' ? o.title : null,
    sliders,
    components,
    known: true,
    gradio: Array.isArray(o.components) && Array.isArray(o.dependencies),
    dependencies: deps.flatMap((d, i): SpaceDependency[] => {
      if (!d || typeof d !== 'object') return [];
      const dep = d as Record<string, unknown>;
      const target = Array.isArray(dep.targets) ? (dep.targets[0] as unknown) : undefined;
      // 4.0+: `[id, "click"]`; 3.x: a bare id.
      const triggerId =
        Array.isArray(target) && typeof target[0] === 'number' ? target[0] : typeof target === 'number' ? target : null;
      return [
        {
          // Older configs have no id: the index is the fn_index.
          id: typeof dep.id === 'number' ? dep.id : i,
          apiName: typeof dep.api_name === 'string' ? dep.api_name.replace(/^\//, '') : null,
          triggerId,
          inputs: ids(dep.inputs),
          outputs: ids(dep.outputs),
          apiVisibility: visibilityOf(dep),
          backendFn: dep.backend_fn !== false,
        },
      ];
    }),
  };
}

/** Prefixes to try, best first: the announced one, then the others (a 404 moves to the next). */
export function prefixCandidates(config: SpaceConfig): string[] {
  const list = config.apiPrefix === null ? [GRADIO5_PREFIX, ''] : [config.apiPrefix, GRADIO5_PREFIX, ''];
  return [...new Set(list)];
}

/**
 * The dependency an endpoint reference names: its api name (`infer`), or `#<fn_index>` for an
 * endpoint without one (called by fn_index through the queue API; the form `spaces:add` takes).
 */
export function findDependency(config: SpaceConfig, apiName: string): SpaceDependency | null {
  const byIndex = /^#(\d+)$/.exec(apiName);
  if (byIndex) return config.dependencies.find((d) => d.id === Number(byIndex[1])) ?? null;
  return config.dependencies.find((d) => d.apiName === apiName) ?? null;
}

/** The reference `findDependency` takes for an endpoint: its api name, or `#<fn_index>`. */
export const endpointRef = (apiName: string | null, fnIndex: number): string => apiName ?? `#${fnIndex}`;

/** The slider behind argument `index` of an endpoint, when /config describes one. */
export function inputSlider(config: SpaceConfig, apiName: string, index: number): SliderProps | null {
  const id = findDependency(config, apiName)?.inputs[index];
  return id === undefined ? null : (config.sliders.get(id) ?? null);
}

/**
 * The numeric range of argument `index`: a slider's, or a Number's declared `minimum`/`maximum`
 * (both needed); null when /config gives none.
 */
export function inputRange(config: SpaceConfig, apiName: string, index: number): SliderProps | null {
  const slider = inputSlider(config, apiName, index);
  if (slider) return slider;
  const id = findDependency(config, apiName)?.inputs[index];
  const c = id === undefined ? undefined : config.components.get(id);
  if (!c || c.type !== 'number' || c.minimum === null || c.maximum === null || c.minimum > c.maximum) return null;
  return { minimum: c.minimum, maximum: c.maximum, step: c.step, value: num(c.value) };
}
