/**
 * Live jobs, outside React state so that frequent progress events re-render only the job strip.
 * Fed by `jobs:list` once, then every `jobs:updated` snapshot. Done cards stay (they open their
 * image) and failures too, until dismissed or cleared, the newest MAX_FINISHED of them; cancelled
 * cards linger a little so the user sees them end.
 */
import { isActiveState, type JobState } from '../../../shared/events';
import { api } from '../bridge';

const LINGER_MS = 6000;
/** Finished cards kept; older ones leave as newer ones finish. */
const MAX_FINISHED = 12;
export const isActive = (j: JobState): boolean => isActiveState(j.state);

export class JobStore {
  private byId = new Map<string, JobState>();
  private snapshot: JobState[] = [];
  private listeners = new Set<() => void>();
  private timers = new Map<string, number>();

  /** Starts listening to the bridge; returns the way to stop (an effect's cleanup). */
  connect(): () => void {
    const off = api.on('jobs:updated', (job) => this.update(job));
    api.invoke('jobs:list', undefined).then(
      ({ jobs }) => this.add(jobs.filter(isActive)),
      () => {},
    );
    return () => {
      off();
      for (const t of this.timers.values()) window.clearTimeout(t);
      this.timers.clear();
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): JobState[] => this.snapshot;

  /** Snapshots from a request may arrive after newer events: they never overwrite. */
  add = (jobs: JobState[]): void => {
    let changed = false;
    for (const j of jobs) {
      if (this.byId.has(j.id)) continue;
      this.byId.set(j.id, j);
      changed = true;
    }
    if (changed) this.publish();
  };

  private update(job: JobState): void {
    this.byId.set(job.id, job);
    if (job.state === 'cancelled' && !this.timers.has(job.id)) {
      this.timers.set(
        job.id,
        window.setTimeout(() => this.dismiss(job.id), LINGER_MS),
      );
    }
    const finished = [...this.byId.values()]
      .filter((j) => !isActive(j))
      .sort((a, b) => (b.endedAt ?? b.createdAt) - (a.endedAt ?? a.createdAt));
    for (const old of finished.slice(MAX_FINISHED)) this.byId.delete(old.id);
    this.publish();
  }

  /** The library changed: done cards point at images of the old one. */
  dropDone = (): void => {
    for (const j of [...this.byId.values()]) if (j.state === 'done') this.dismiss(j.id);
  };

  dismiss = (id: string): void => {
    window.clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    if (this.byId.delete(id)) this.publish();
  };

  clearFinished = (): void => {
    for (const j of [...this.byId.values()]) if (!isActive(j)) this.dismiss(j.id);
  };

  private publish(): void {
    this.snapshot = [...this.byId.values()].sort((a, b) => b.createdAt - a.createdAt);
    for (const l of this.listeners) l();
  }
}
