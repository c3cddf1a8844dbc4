/**
 * The window's import (issue 18) without a browser: the store against a fake bridge (operation id,
 * progress, the end, cancel, a refused start), typed paths, and the gallery refetching while a
 * steady stream of `history:added` goes on.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventChannel, EventPayloads, FluxGalleryApi } from '../../shared/contract';
import type { HistoryEntry, HistoryPage } from '../../shared/library';
import { HistoryPager } from '../../renderer/src/gallery/history-pager';
import { ImportStore, parsePaths } from '../../renderer/src/import/import-store';

function fakeBridge(answer: (channel: string, args: unknown) => Promise<unknown>) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: { channel: string; args: unknown }[] = [];
  const bridge = {
    invoke: vi.fn((channel: string, args: unknown) => {
      calls.push({ channel, args });
      return answer(channel, args);
    }),
    on: (event: string, l: (p: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(l);
      listeners.set(event, set);
      return () => set.delete(l);
    },
  } as unknown as Pick<FluxGalleryApi, 'invoke' | 'on'>;
  const emit = <E extends EventChannel>(event: E, payload: EventPayloads[E]) =>
    listeners.get(event)?.forEach((l) => l(payload));
  return { bridge, calls, emit, listeners };
}

const counts = { imported: 2, duplicate: 1, unreadable: 0, 'not-image': 0, 'too-large': 0, failed: 0, cancelled: 0 };

describe('import store', () => {
  it('starts with its own operation id, follows only its progress, ends with the report', async () => {
    const f = fakeBridge(async (channel, args) =>
      channel === 'library:importPaths' ? { operationId: (args as { operationId: string }).operationId } : {},
    );
    const store = new ImportStore(f.bridge);
    const off = store.connect();
    const ended = vi.fn();
    store.onFinished(ended);
    expect(store.start(['/pics'])).toBe(true);
    // One at a time.
    expect(store.start(['/other'])).toBe(false);
    const s = store.get();
    if (s.kind !== 'running') throw new Error('not running');
    expect(f.calls[0]).toEqual({
      channel: 'library:importPaths',
      args: { paths: ['/pics'], operationId: s.operationId },
    });
    expect(s.operationId).toMatch(/^[A-Za-z0-9_-]{6,64}$/);

    const p = { done: 1, total: 3, imported: 1, duplicates: 0, failed: 0, rate: 2, etaMs: 1000 };
    f.emit('library:importProgressed', { ...p, operationId: 'someone-else' });
    expect((store.get() as { progress: unknown }).progress).toBeNull();
    f.emit('library:importProgressed', { ...p, operationId: s.operationId });
    expect((store.get() as { progress: unknown }).progress).toEqual(p);

    store.cancel();
    store.cancel();
    expect(f.calls.filter((c) => c.channel === 'library:importCancel')).toEqual([
      { channel: 'library:importCancel', args: { operationId: s.operationId } },
    ]);
    const report = {
      operationId: s.operationId,
      status: 'cancelled' as const,
      files: [],
      counts,
      omitted: 0,
      cancelled: true,
      elapsedMs: 10,
      notScanned: 0,
    };
    f.emit('library:importFinished', report);
    expect(store.get()).toEqual({ kind: 'finished', paths: ['/pics'], result: report });
    expect(ended).toHaveBeenCalledWith(report);
    store.reset();
    expect(store.get()).toEqual({ kind: 'idle' });
    off();
    expect([...f.listeners.values()].every((set) => set.size === 0)).toBe(true);
  });

  it('ends as failed, with the code and words of the refusal, when the start is refused', async () => {
    const f = fakeBridge(async () => {
      throw { name: 'BridgeError', code: 'invalid-argument', message: 'paths: too many' };
    });
    const store = new ImportStore(f.bridge);
    store.start(['/x']);
    await vi.waitFor(() => expect(store.get().kind).toBe('finished'));
    const s = store.get();
    expect(s.kind === 'finished' && s.result).toMatchObject({
      status: 'failed',
      error: { code: 'invalid-argument', message: 'paths: too many' },
    });
  });

  it('reads typed paths one a line, trimmed, quotes removed, blanks and repeats dropped', () => {
    expect(parsePaths(' /a/b \n\n"C:\\Pictures\\sd"\r\n/a/b\n')).toEqual(['/a/b', 'C:\\Pictures\\sd']);
  });
});

describe('the gallery while images stream in', () => {
  afterEach(() => vi.useRealTimers());

  it('refetches at least every 400 ms during a steady stream, once after a burst', async () => {
    vi.useFakeTimers();
    let n = 10;
    const query = vi.fn(async (): Promise<HistoryPage> => ({
      items: Array.from({ length: n }, (_, i) => ({ id: `e${i}` }) as HistoryEntry),
      total: n,
    }));
    const pager = new HistoryPager(query, { pageSize: 100 });
    pager.setFilter({});
    pager.ensureRange(0, 20);
    await vi.advanceTimersByTimeAsync(100);
    const before = query.mock.calls.length;
    // An image every 30 ms for 2 s: a plain debounce would wait for the end.
    for (let t = 0; t < 2000; t += 30) {
      n++;
      pager.invalidate();
      await vi.advanceTimersByTimeAsync(30);
    }
    const during = query.mock.calls.length - before;
    expect(during).toBeGreaterThanOrEqual(4);
    expect(during).toBeLessThanOrEqual(6);
    await vi.advanceTimersByTimeAsync(100);
    expect(pager.getSnapshot().total).toBe(n);

    // A burst (a batch saved at once) is still one refetch.
    const mark = query.mock.calls.length;
    for (let i = 0; i < 5; i++) pager.invalidate();
    await vi.advanceTimersByTimeAsync(100);
    expect(query.mock.calls.length - mark).toBe(1);
  });
});
