/**
 * Live jobs, outside React state so that frequent progress events re-render only the job strip.
 * Fed by `jobs:list` once, then every `jobs:updated` snapshot. Done cards stay (they open their
 * image) and failures too, until dismissed or cleared, the newest MAX_FINISHED of them; cancelled
 * cards linger a little so the user sees them end.
 *
 * The queue's order (what runs next) is the main side's: `jobs:list` gives it (queued jobs last, in
 * order), `jobs:move` answers with it, new jobs join its end, and it is read again whenever the
 * queue's state changes (a job sent back to the front to wait for its Space's quota). The queue's
 * state (paused, quota waits) comes from `jobs:queueState` and `jobs:queueChanged`.
 */
import { isActiveState, type JobState } from '../../../shared/events';
import type { QueueState } from '../../../shared/queue';
import { api } from '../bridge';
import { orderJobs } from './order';

const LINGER_MS = 6000;
/** Finished cards kept; older ones leave as newer ones finish. */
const MAX_FINISHED = 12;
export const isActive = (j: JobState): boolean => isActiveState(j.state);

export const EMPTY_QUEUE_STATE: QueueState = { paused: false, quotaWaits: [], active: 0 };

export class JobStore {
  private byId = new Map<string, JobState>();
  private snapshot: JobState[] = [];
  private listeners = new Set<() => void>();
  private timers = new Map<string, number>();
  /** Queued job ids in the order they will run. */
  private order: string[] = [];
  private queue: QueueState = EMPTY_QUEUE_STATE;
  private queueListeners = new Set<() => void>();
  /** Bumped by every read of `jobs:list`: an older answer never overwrites a newer one. */
  private listAsked = 0;

  /** Starts listening to the bridge; returns the way to stop (an effect's cleanup). */
  connect(): () => void {
    const offJobs = api.on('jobs:updated', (job) => this.update(job));
    const offQueue = api.on('jobs:queueChanged', (state) => {
      this.setQueueState(state);
      this.syncOrder();
    });
    this.syncOrder(true);
    api.invoke('jobs:queueState', undefined).then(
      (state) => this.setQueueState(state),
      () => {},
    );
    const off = () => {
      offJobs();
      offQueue();
    };
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

  subscribeQueue = (listener: () => void): (() => void) => {
    this.queueListeners.add(listener);
    return () => this.queueListeners.delete(listener);
  };

  getQueueState = (): QueueState => this.queue;

  setQueueState = (state: QueueState): void => {
    this.queue = state;
    for (const l of this.queueListeners) l();
  };

  /**
   * The queue's order as `jobs:list` says it (its queued jobs come last, in order); active jobs
   * missed are added (`first`: and jobs interrupted by the app's last run).
   */
  syncOrder = (first = false): void => {
    const asked = ++this.listAsked;
    api.invoke('jobs:list', undefined).then(
      ({ jobs }) => {
        if (asked !== this.listAsked) return;
        // At start, a job the app's last run left unfinished and gave up on says so, with its Retry.
        const shown = (j: JobState) =>
          isActive(j) || (first && j.state === 'failed' && j.error?.code === 'interrupted');
        const missing = jobs.filter((j) => shown(j) && !this.byId.has(j.id));
        for (const j of missing) this.byId.set(j.id, j);
        this.setOrder(jobs.filter((j) => j.state === 'queued').map((j) => j.id));
      },
      () => {},
    );
  };

  /** The queue's new order (`jobs:move`'s answer). */
  setOrder = (ids: string[]): void => {
    this.order = ids;
    this.publish();
  };

  /** Snapshots from a request may arrive after newer events: they never overwrite. */
  add = (jobs: JobState[]): void => {
    let changed = false;
    for (const j of jobs) {
      if (this.byId.has(j.id)) continue;
      this.byId.set(j.id, j);
      if (j.state === 'queued' && !this.order.includes(j.id)) this.order = [...this.order, j.id];
      changed = true;
    }
    if (changed) this.publish();
  };

  private update(job: JobState): void {
    const before = this.byId.get(job.id);
    this.byId.set(job.id, job);
    if (job.state !== 'queued') {
      if (this.order.includes(job.id)) this.order = this.order.filter((id) => id !== job.id);
    } else if (!this.order.includes(job.id)) {
      // Back from running (waiting for its Space's quota): the runner puts it first.
      this.order = before && before.state !== 'queued' ? [job.id, ...this.order] : [...this.order, job.id];
    }
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
    this.snapshot = orderJobs([...this.byId.values()], this.order);
    for (const l of this.listeners) l();
  }
}
