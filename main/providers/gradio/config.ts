/**
 * `GET {base}/config`: the API prefix (`/gradio_api` on Gradio 5+, none before), the dependencies'
 * ids and inputs, and the input components' slider limits. A cache instance belongs to the core
 * that made it. Only a config that was read is cached: a failed or missing `/config` is asked for
 * again on the next job (a Space that was asleep has one a minute later).
 */
import { AppError } from '../../../shared/errors';
import { requestJson, type HttpOptions } from './http';

export interface SpaceDependency {
  /** fn_index. */
  id: number;
  apiName: string | null;
  /** The first target's component id (the queue API's trigger_id). */
  triggerId: number | null;
  /** Input component ids, in the endpoint's argument order. */
  inputs: number[];
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
  dependencies: SpaceDependency[];
  /** Slider components by id. */
  sliders: Map<number, SliderProps>;
  /** false when /config could not be read (then the call API is the only way in). */
  known: boolean;
}

export const GRADIO5_PREFIX = '/gradio_api';
const TTL_MS = 10 * 60_000;

const unknownConfig = (): SpaceConfig => ({
  apiPrefix: null,
  protocol: null,
  version: null,
  spaceId: null,
  dependencies: [],
  sliders: new Map(),
  known: false,
});

export interface SpaceConfigCache {
  /** The cached config, or a fresh read; a missing /config (404, not JSON) gives an unknown one, uncached. */
  get(base: string, http: HttpOptions): Promise<SpaceConfig>;
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
    async get(base, http) {
      const hit = cache.get(base);
      // A config that was never read (only its prefix is remembered) is asked for again.
      if (hit && hit.config.known && now() - hit.at < ttl) return hit.config;
      try {
        const res = await requestJson(
          `${base}/config`,
          { expected: 'the app config', maxBytes: 16 * 1024 * 1024 },
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

export function parseConfig(raw: unknown): SpaceConfig {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const prefix = typeof o.api_prefix === 'string' ? o.api_prefix.replace(/\/+$/, '') : '';
  const deps = Array.isArray(o.dependencies) ? o.dependencies : [];
  const sliders = new Map<number, SliderProps>();
  for (const c of Array.isArray(o.components) ? o.components : []) {
    if (!c || typeof c !== 'object') continue;
    const comp = c as Record<string, unknown>;
    const props = (comp.props && typeof comp.props === 'object' ? comp.props : {}) as Record<string, unknown>;
    const id = num(comp.id);
    const minimum = num(props.minimum);
    const maximum = num(props.maximum);
    if (id === null || comp.type !== 'slider' || minimum === null || maximum === null || minimum > maximum) continue;
    sliders.set(id, { minimum, maximum, step: num(props.step), value: num(props.value) });
  }
  return {
    apiPrefix: prefix,
    protocol: typeof o.protocol === 'string' ? o.protocol : null,
    version: typeof o.version === 'string' ? o.version : null,
    spaceId: typeof o.space_id === 'string' && /^[\w.-]+\/[\w.-]+$/.test(o.space_id) ? o.space_id : null,
    sliders,
    known: true,
    dependencies: deps.flatMap((d, i): SpaceDependency[] => {
      if (!d || typeof d !== 'object') return [];
      const dep = d as Record<string, unknown>;
      const target = Array.isArray(dep.targets) ? (dep.targets[0] as unknown) : undefined;
      const triggerId = Array.isArray(target) && typeof target[0] === 'number' ? target[0] : null;
      return [
        {
          // Older configs have no id: the index is the fn_index.
          id: typeof dep.id === 'number' ? dep.id : i,
          apiName: typeof dep.api_name === 'string' ? dep.api_name.replace(/^\//, '') : null,
          triggerId,
          inputs: Array.isArray(dep.inputs) ? dep.inputs.filter((x): x is number => typeof x === 'number') : [],
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

export function findDependency(config: SpaceConfig, apiName: string): SpaceDependency | null {
  return config.dependencies.find((d) => d.apiName === apiName) ?? null;
}

/** The slider behind argument `index` of an endpoint, when /config describes one. */
export function inputSlider(config: SpaceConfig, apiName: string, index: number): SliderProps | null {
  const id = findDependency(config, apiName)?.inputs[index];
  return id === undefined ? null : (config.sliders.get(id) ?? null);
}
