/**
 * The history as a sparse, paged list: the gallery and the lightbox read entries by index and ask
 * for ranges; pages of `history:query` are fetched lazily and dropped when far away, so 50 000
 * entries cost only the pages near the viewport. Changes in the library mark pages stale; the
 * stale page stays on screen until its fresh copy arrives (no flashing).
 */
import type { ErrorInfo } from '../../../shared/errors';
import type { HistoryEntry, HistoryPage, HistoryQueryInput } from '../../../shared/library';
import { toInfo } from '../i18n/errors';
import { HISTORY_PAGE_SIZE } from './page-size';

/** The longest a stream of `history:added` waits before the grid is listed anew. */
const INVALIDATE_MAX_WAIT_MS = 400;

export type HistoryFilter = Omit<HistoryQueryInput, 'offset' | 'limit'>;
export type QueryFn = (args: HistoryQueryInput) => Promise<HistoryPage>;

export interface PagerSnapshot {
  /** null until the first page answers. */
  total: number | null;
  error: ErrorInfo | null;
  /** Bumps on every change; components re-read entries through `get`. */
  version: number;
}

interface Page {
  items: HistoryEntry[];
  generation: number;
}

export class HistoryPager {
  readonly pageSize: number;
  private filter: HistoryFilter = {};
  private pages = new Map<number, Page>();
  private inFlight = new Set<number>();
  private failed = new Set<number>();
  /** Bumped by every filter change and invalidation; answers from older generations are ignored or stale. */
  private generation = 0;
  private lastRange: [number, number] = [0, 0];
  private snapshot: PagerSnapshot = { total: null, error: null, version: 0 };
  private listeners = new Set<() => void>();
  private invalidateTimer: ReturnType<typeof setTimeout> | undefined;
  private invalidateSince = 0;
  private readonly query: QueryFn;

  /** `query` is `history:query` on the bridge (injected: the pager is plain logic, testable without it). */
  constructor(query: QueryFn, opts: { pageSize?: number } = {}) {
    this.pageSize = opts.pageSize ?? HISTORY_PAGE_SIZE;
    this.query = query;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): PagerSnapshot => this.snapshot;

  get(index: number): HistoryEntry | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.items[index % this.pageSize];
  }

  /** Index of an entry among the loaded pages, or -1. */
  indexOf(id: string): number {
    for (const [n, page] of this.pages) {
      const i = page.items.findIndex((e) => e.id === id);
      if (i >= 0) return n * this.pageSize + i;
    }
    return -1;
  }

  /** The entries loaded now (a few pages near the viewport), in no particular order. */
  *loaded(): Generator<HistoryEntry> {
    for (const page of this.pages.values()) yield* page.items;
  }

  setFilter(filter: HistoryFilter): void {
    this.filter = filter;
    this.generation++;
    this.pages.clear();
    this.inFlight.clear();
    this.failed.clear();
    this.publish({ total: null, error: null });
    this.ensureRange(0, this.pageSize);
  }

  /** Something changed in the library: refetch what is on screen, keep showing it meanwhile. */
  invalidate(): void {
    // Bursts (a batch of images saved at once) become one refetch. A steady stream (an import adding
    // images for minutes) still refetches every INVALIDATE_MAX_WAIT_MS: the gallery fills as it runs.
    const now = Date.now();
    if (this.invalidateTimer !== undefined && now - this.invalidateSince >= INVALIDATE_MAX_WAIT_MS) return;
    if (this.invalidateTimer === undefined) this.invalidateSince = now;
    clearTimeout(this.invalidateTimer);
    this.invalidateTimer = setTimeout(() => {
      this.invalidateTimer = undefined;
      this.generation++;
      this.inFlight.clear();
      this.failed.clear();
      const [start, end] = this.lastRange;
      this.ensureRange(start, Math.max(end, 1));
    }, 60);
  }

  /** Replaces an entry in place (favourite toggled): no refetch needed. */
  patch(entry: HistoryEntry): void {
    for (const page of this.pages.values()) {
      const i = page.items.findIndex((e) => e.id === entry.id);
      if (i >= 0) {
        page.items = page.items.with(i, entry);
        this.publish({});
        return;
      }
    }
  }

  /** Refetches what is on screen now (no debounce); resolves once it has arrived. */
  refresh(): Promise<void> {
    clearTimeout(this.invalidateTimer);
    this.invalidateTimer = undefined;
    this.generation++;
    this.inFlight.clear();
    this.failed.clear();
    const [start, end] = this.lastRange;
    return Promise.all(this.ensureRange(start, Math.max(end, 1))).then(() => {});
  }

  /** Makes sure entries [start, end) are loaded or loading; returns the fetches it started. */
  ensureRange(start: number, end: number): Promise<void>[] {
    const started: Promise<void>[] = [];
    this.lastRange = [start, end];
    const total = this.snapshot.total;
    const last = total === null ? start : Math.min(end, total) - 1;
    const first = Math.floor(Math.max(0, start) / this.pageSize);
    const lastPage = Math.max(first, Math.floor(Math.max(0, last) / this.pageSize));
    for (let n = first; n <= lastPage; n++) {
      const page = this.pages.get(n);
      const fresh = page && page.generation === this.generation;
      if (!fresh && !this.inFlight.has(n) && !this.failed.has(n)) started.push(this.fetchPage(n));
    }
    this.evictFarPages(first, lastPage);
    return started;
  }

  private async fetchPage(n: number): Promise<void> {
    const generation = this.generation;
    this.inFlight.add(n);
    try {
      const page = await this.query({
        ...this.filter,
        offset: n * this.pageSize,
        limit: this.pageSize,
      });
      if (generation !== this.generation) return;
      this.inFlight.delete(n);
      this.pages.set(n, { items: page.items, generation });
      // A total that shrank leaves pages past the end: drop them.
      const pagesNeeded = Math.ceil(page.total / this.pageSize);
      for (const key of this.pages.keys()) if (key >= pagesNeeded) this.pages.delete(key);
      this.publish({ total: page.total, error: null });
    } catch (err) {
      if (generation !== this.generation) return;
      this.inFlight.delete(n);
      this.failed.add(n);
      this.publish({ error: toInfo(err), total: this.snapshot.total ?? 0 });
    }
  }

  /** Keeps memory flat while scrolling through tens of thousands of entries. */
  private evictFarPages(first: number, last: number): void {
    const keep = 8;
    for (const n of this.pages.keys()) {
      if (n < first - keep || n > last + keep) this.pages.delete(n);
    }
  }

  private publish(change: Partial<PagerSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change, version: this.snapshot.version + 1 };
    for (const l of this.listeners) l();
  }
}
