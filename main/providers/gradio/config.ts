/**
 * `GET {base}/config`: the API prefix (`/gradio_api` on Gradio 5, none before) and the
 * dependencies' ids. Cached per base URL; a Space without /config (404) leaves the prefix unknown,
 * and callers then try both prefixes.
 */
import { AppError } from '../../../shared/errors';
import { requestJson, type HttpOptions } from './http';

export interface SpaceDependency {
  /** fn_index. */
  id: number;
  apiName: string | null;
  /** The first target's component id (the queue API's trigger_id). */
  triggerId: number | null;
}

export interface SpaceConfig {
  /** null when /config is missing: the prefix is then unknown. */
  apiPrefix: string | null;
  protocol: string | null;
  /** `owner/name` when the app runs on Hugging Face Spaces (duplicates have their own). */
  spaceId: string | null;
  dependencies: SpaceDependency[];
}

export const GRADIO5_PREFIX = '/gradio_api';
const TTL_MS = 10 * 60_000;
const cache = new Map<string, { at: number; config: SpaceConfig }>();

export function forgetSpaceConfig(base: string): void {
  cache.delete(base);
}

export async function getSpaceConfig(base: string, http: HttpOptions): Promise<SpaceConfig> {
  const hit = cache.get(base);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.config;
  let config: SpaceConfig;
  try {
    const res = await requestJson(
      `${base}/config`,
      { expected: 'the app config', maxBytes: 16 * 1024 * 1024 },
      http,
      'The Space',
    );
    config = parseConfig(res.data);
  } catch (err) {
    // Only a missing /config (or one that is not JSON) is survivable; a down Space is not.
    if (!(err instanceof AppError) || !(err.status === 404 || err.code === 'protocol')) throw err;
    config = { apiPrefix: null, protocol: null, spaceId: null, dependencies: [] };
  }
  cache.set(base, { at: Date.now(), config });
  return config;
}

export function parseConfig(raw: unknown): SpaceConfig {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const prefix = typeof o.api_prefix === 'string' ? o.api_prefix.replace(/\/+$/, '') : '';
  const deps = Array.isArray(o.dependencies) ? o.dependencies : [];
  return {
    apiPrefix: prefix,
    protocol: typeof o.protocol === 'string' ? o.protocol : null,
    spaceId: typeof o.space_id === 'string' && /^[\w.-]+\/[\w.-]+$/.test(o.space_id) ? o.space_id : null,
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

/** Records the prefix that worked, so the next job does not probe again. */
export function rememberPrefix(base: string, apiPrefix: string): void {
  const hit = cache.get(base);
  const config = hit?.config ?? { apiPrefix: null, protocol: null, spaceId: null, dependencies: [] };
  cache.set(base, { at: hit?.at ?? Date.now(), config: { ...config, apiPrefix } });
}
