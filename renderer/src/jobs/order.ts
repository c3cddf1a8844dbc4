/** The job strip's order (pure, tested in Node). */
import { isActiveState, type JobState } from '../../../shared/events';

const isActive = (j: JobState): boolean => isActiveState(j.state);

/**
 * The strip's order, left to right: what runs now (oldest start first), then the queue in the order
 * it will run, then what has finished (newest first).
 */
export function orderJobs(jobs: readonly JobState[], queueOrder: readonly string[]): JobState[] {
  const at = new Map(queueOrder.map((id, i) => [id, i]));
  const group = (j: JobState) => (j.state === 'queued' ? 1 : isActive(j) ? 0 : 2);
  return [...jobs].sort((a, b) => {
    const g = group(a) - group(b);
    if (g !== 0) return g;
    if (group(a) === 0) return (a.startedAt ?? a.createdAt) - (b.startedAt ?? b.createdAt);
    if (group(a) === 1) {
      const ia = at.get(a.id) ?? Number.MAX_SAFE_INTEGER;
      const ib = at.get(b.id) ?? Number.MAX_SAFE_INTEGER;
      return ia - ib || a.createdAt - b.createdAt;
    }
    return (b.endedAt ?? b.createdAt) - (a.endedAt ?? a.createdAt);
  });
}
