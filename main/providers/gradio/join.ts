/**
 * Submitting a job (call API or queue join) under the right API prefix, probing on 404. The caller
 * remembers the prefix that worked (the `joined` event carries it).
 */
import { AppError } from '../../../shared/errors';
import { prefixCandidates, type SpaceConfig } from './config';
import { protocolError, requestJson, type HttpOptions } from './http';

export interface Joined {
  eventId: string;
  apiPrefix: string;
}

export async function joinWithPrefixes(
  base: string,
  config: SpaceConfig,
  path: (prefix: string) => string,
  body: unknown,
  http: HttpOptions & { headers?: Record<string, string> },
): Promise<Joined> {
  const candidates = prefixCandidates(config);
  for (let i = 0; i < candidates.length; i++) {
    const apiPrefix = candidates[i]!;
    try {
      const res = await requestJson<unknown>(
        `${base}${path(apiPrefix)}`,
        { method: 'POST', json: body, expected: 'an event id', ...(http.headers ? { headers: http.headers } : {}) },
        http,
        'The Space',
      );
      const eventId = (res.data as { event_id?: unknown } | null)?.event_id;
      if (typeof eventId !== 'string' || !eventId) {
        throw protocolError('The Space accepted the job but sent no event id.', http);
      }
      return { eventId, apiPrefix };
    } catch (err) {
      const last = i === candidates.length - 1;
      if (last || !(err instanceof AppError) || err.status !== 404) throw err;
    }
  }
  // Unreachable: the loop returns or throws.
  throw protocolError('The Space has no API endpoint.', http);
}
