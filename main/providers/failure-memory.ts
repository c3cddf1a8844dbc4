/**
 * Remembers which providers failed recently so that routing tries them last (a Space that just
 * failed is likely asleep, over quota or down), for `ttlMs` after the failure or until it succeeds.
 */
import type { ProviderId } from '../../shared/params';

export interface FailureMemory {
  recordFailure(id: ProviderId): void;
  recordSuccess(id: ProviderId): void;
  /** The user asked to try this provider again: its past failures no longer count. */
  forget(id: ProviderId): void;
  /** Healthy providers first (given order kept), then recently failed ones, oldest failure first. */
  order<T extends { id: ProviderId }>(providers: readonly T[]): T[];
  clear(): void;
}

export function createFailureMemory(opts: { ttlMs?: number; now?: () => number } = {}): FailureMemory {
  const ttl = opts.ttlMs ?? 10 * 60_000;
  const now = opts.now ?? Date.now;
  const failedAt = new Map<ProviderId, number>();
  const recent = (id: ProviderId): number | null => {
    const at = failedAt.get(id);
    if (at === undefined) return null;
    if (now() - at >= ttl) {
      failedAt.delete(id);
      return null;
    }
    return at;
  };
  return {
    recordFailure: (id) => void failedAt.set(id, now()),
    recordSuccess: (id) => void failedAt.delete(id),
    forget: (id) => void failedAt.delete(id),
    order(providers) {
      const healthy = providers.filter((p) => recent(p.id) === null);
      const failed = providers
        .filter((p) => recent(p.id) !== null)
        .sort((a, b) => (recent(a.id) ?? 0) - (recent(b.id) ?? 0));
      return [...healthy, ...failed];
    },
    clear: () => failedAt.clear(),
  };
}
