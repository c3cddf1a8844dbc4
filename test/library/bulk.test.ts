/**
 * Bulk actions on thousands of images (issue 17): one library operation, progress as it goes, one
 * history write per shard (counted on the writer itself), bulk delete with the batch's undo, and a
 * bulk delete cut short by a crash finished at the next start.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { readdir, utimes, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as atomic from '../../main/library/atomic-write';
import { HistoryStore } from '../../main/library/history-store';
import { openLibrary, type Library, type LibraryOptions } from '../../main/library/library';
import { LAYOUT } from '../../main/library/paths';
import { createNodePlatform, type NodePlatform } from '../../main/platform';
import type { HistoryEntry } from '../../shared/library';
import type { BulkProgress, BulkUpdated } from '../../shared/organise';
import { tempDir } from './helpers';
import { makeSyntheticLibrary } from './synthetic-library';

vi.mock(import('../../main/library/atomic-write'), async (importOriginal) => {
  const mod = await importOriginal();
  return { ...mod, writeFileAtomicSync: vi.fn(mod.writeFileAtomicSync) };
});

const N = 2400; // five shards of 500
const SHARD_RE = /history-\d{6}\.json$/;

/** Shard files written since the spy was cleared, with how many times each. */
function shardWrites(): Map<string, number> {
  const out = new Map<string, number>();
  for (const [target] of vi.mocked(atomic.writeFileAtomicSync).mock.calls) {
    if (SHARD_RE.test(target)) out.set(path.basename(target), (out.get(path.basename(target)) ?? 0) + 1);
  }
  return out;
}

describe('bulk actions on 2 400 images', () => {
  let root: string;
  let dir: string;
  let platform: NodePlatform;
  let cleanup: () => Promise<void>;
  let events: [string, unknown][];
  let entries: HistoryEntry[];
  const libs: Library[] = [];

  const open = async (over: Partial<LibraryOptions> = {}) => {
    const lib = await openLibrary({
      dir,
      platform,
      purgeDelayMs: 60_000,
      emit: (channel, payload) => events.push([channel, payload]),
      ...over,
    });
    libs.push(lib);
    return lib;
  };
  const progress = () => events.filter(([c]) => c === 'history:bulkProgressed').map(([, p]) => p as BulkProgress);
  const updated = () => events.filter(([c]) => c === 'history:bulkUpdated').map(([, p]) => p as BulkUpdated);

  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('fg-bulk-'));
    dir = path.join(root, 'library');
    platform = createNodePlatform(path.join(root, 'trash'));
    events = [];
    entries = await makeSyntheticLibrary(dir, N);
    vi.mocked(atomic.writeFileAtomicSync).mockClear();
  });
  afterEach(async () => {
    for (const l of libs.splice(0)) await l.dispose();
    await cleanup();
  });

  it('rates every image a filter shows as one operation: one write per shard, progress, one event', async () => {
    const lib = await open({ scanOnOpen: false });
    // Ctrl+A: every id the filter shows, not only a page.
    const all = lib.listIds({});
    expect(all.total).toBe(N);
    expect(all.ids).toHaveLength(N);
    vi.mocked(atomic.writeFileAtomicSync).mockClear();
    const r = await lib.bulk({
      operationId: 'op-rate-all',
      target: { kind: 'query', query: {} },
      action: { type: 'rate', rating: 4 },
    });
    expect(r).toEqual({ operationId: 'op-rate-all', action: 'rate', matched: N, changed: N, missing: 0 });
    const writes = shardWrites();
    expect([...writes.keys()].sort()).toEqual([1, 2, 3, 4, 5].map((n) => `history-00000${n}.json`));
    expect([...writes.values()].every((n) => n === 1)).toBe(true);
    // Progress after each shard, ending at the total; one event for the view, with every id.
    const p = progress();
    expect(p.length).toBeGreaterThanOrEqual(5);
    expect(p.every((x) => x.operationId === 'op-rate-all' && x.total === N)).toBe(true);
    expect(p.map((x) => x.done)).toEqual([...p.map((x) => x.done)].sort((a, b) => a - b));
    expect(p.at(-1)!.done).toBe(N);
    expect(updated()).toHaveLength(1);
    expect(updated()[0]!.ids).toHaveLength(N);
    expect(events.filter(([c]) => c === 'history:updated')).toHaveLength(0);
    expect(lib.query({ minRating: 4 }).total).toBe(N);
    // On disk, for the next process.
    const store = HistoryStore.open({ dir: path.join(dir, LAYOUT.index), readOnly: true });
    expect([...store.all()].every((e) => e.rating === 4)).toBe(true);
  });

  it('writes only the shards whose entries change, and a target minus the deselected ids', async () => {
    const lib = await open({ scanOnOpen: false });
    // Entries 0–499 are shard 1 (the first written). Favourites: every 7th already is one.
    const ids = entries.slice(0, 500).map((e) => e.id);
    vi.mocked(atomic.writeFileAtomicSync).mockClear();
    const r = await lib.bulk({
      target: { kind: 'ids', ids: [...ids, 'nosuchid01'] },
      action: { type: 'setFavourite', favourite: true },
    });
    expect(r).toMatchObject({ matched: 500, changed: 500 - Math.ceil(500 / 7), missing: 1 });
    expect([...shardWrites()]).toEqual([['history-000001.json', 1]]);
    // Nothing left to change: no write at all.
    vi.mocked(atomic.writeFileAtomicSync).mockClear();
    expect(
      (await lib.bulk({ target: { kind: 'ids', ids }, action: { type: 'setFavourite', favourite: true } })).changed,
    ).toBe(0);
    expect(shardWrites().size).toBe(0);
    // Ctrl+A, then two deselected.
    const board = lib.createBoard('Most');
    const except = [entries[10]!.id, entries[2000]!.id];
    const add = await lib.bulk({
      target: { kind: 'query', query: {}, except },
      action: { type: 'addToBoard', boardId: board.id },
    });
    expect(add.changed).toBe(N - 2);
    expect(lib.boards().boards[0]!.count).toBe(N - 2);
    expect(lib.get(entries[10]!.id).boards).toBeUndefined();
  });

  it('deletes 2 400 images as one batch, one write per shard, and undo brings the whole batch back', async () => {
    const lib = await open({ scanOnOpen: false });
    vi.mocked(atomic.writeFileAtomicSync).mockClear();
    const r = await lib.bulk({
      operationId: 'op-del-all',
      target: { kind: 'query', query: {} },
      action: { type: 'delete' },
    });
    expect(r).toMatchObject({ operationId: 'op-del-all', action: 'delete', matched: N, changed: N });
    expect(r.undoUntil).toBeGreaterThan(Date.now());
    expect([...shardWrites().values()]).toEqual([1, 1, 1, 1, 1]);
    expect(lib.size).toBe(0);
    expect(await readdir(path.join(dir, LAYOUT.pendingDelete))).toHaveLength(2 * N);
    expect(existsSync(path.join(dir, entries[0]!.file))).toBe(false);
    // One marker for the batch, not one per image.
    expect(await readdir(path.join(dir, LAYOUT.deleting))).toEqual(['batch-op-del-all.json']);
    expect(updated()).toMatchObject([{ action: 'delete', removed: true }]);
    expect(progress().at(-1)).toMatchObject({ done: N, total: N });
    // A rebuild meanwhile (the app's scan, another process) does not bring them back.
    expect((await lib.rebuild()).recovered).toBe(0);

    const undo = await lib.undoBulkDelete('op-del-all');
    expect(undo.restored).toBe(N);
    expect(lib.size).toBe(N);
    expect(existsSync(path.join(dir, entries[0]!.file))).toBe(true);
    expect(await readdir(path.join(dir, LAYOUT.pendingDelete))).toHaveLength(0);
    expect(await readdir(path.join(dir, LAYOUT.deleting))).toHaveLength(0);
    expect(updated().at(-1)).toMatchObject({ action: 'undoDelete', restored: true });
    expect(updated().at(-1)!.ids).toHaveLength(N);
    await expect(lib.undoBulkDelete('op-del-all')).rejects.toMatchObject({ code: 'not-found' });
  });

  it('after the purge a bulk delete is in the trash and can no longer be undone', async () => {
    const lib = await open({ scanOnOpen: false });
    const some = entries.slice(100, 400).map((e) => e.id);
    const r = await lib.bulk({ target: { kind: 'ids', ids: some }, action: { type: 'delete' } });
    expect(r.changed).toBe(300);
    await lib.flushDeletes();
    expect(await readdir(platform.trashDir)).toHaveLength(600);
    expect(await readdir(path.join(dir, LAYOUT.deleting))).toHaveLength(0);
    await expect(lib.undoBulkDelete(r.operationId)).rejects.toMatchObject({ code: 'not-found' });
    // And the next start does not bring them back.
    await lib.dispose();
    const again = await open();
    expect(again.size).toBe(N - 300);
  });

  it('a bulk delete cut short by a crash is finished at the next start, never undone by recovery', async () => {
    // The crash came after the entries left the index and before the files moved.
    const victims = entries.slice(0, 3);
    const store = HistoryStore.open({ dir: path.join(dir, LAYOUT.index) });
    for (const v of victims) store.remove(v.id);
    const marker = path.join(dir, LAYOUT.deleting, 'batch-op-crashed.json');
    await mkdir(path.dirname(marker), { recursive: true });
    await writeFile(
      marker,
      JSON.stringify({ items: victims.map((v) => ({ id: v.id, file: v.file, thumb: v.thumb })) }),
    );
    const old = new Date(Date.now() - 5 * 60_000);
    await utimes(marker, old, old);
    const lib = await open();
    expect(lib.size).toBe(N - 3);
    expect(lib.report.recovered).toBe(0);
    expect(existsSync(path.join(dir, victims[0]!.file))).toBe(false);
    expect(await readdir(platform.trashDir)).toHaveLength(6);
    expect(existsSync(marker)).toBe(false);
  });

  it('a bulk delete that fails half-way puts everything back', async () => {
    const lib = await open({ scanOnOpen: false });
    // The parking folder is a file: moving the files fails.
    const pending = path.join(dir, LAYOUT.pendingDelete);
    const { rm } = await import('node:fs/promises');
    await rm(pending, { recursive: true });
    await writeFile(pending, 'in the way');
    await expect(lib.bulk({ target: { kind: 'query', query: {} }, action: { type: 'delete' } })).rejects.toMatchObject({
      code: 'io',
    });
    expect(lib.size).toBe(N);
    expect(existsSync(path.join(dir, entries[5]!.file))).toBe(true);
    expect(await readdir(path.join(dir, LAYOUT.deleting))).toHaveLength(0);
  });
});
