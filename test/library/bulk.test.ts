/**
 * Bulk actions on thousands of images (issue 17): one library operation, progress as it goes, the
 * history written in transactions of WRITE_CHUNK entries (counted on the database file itself: its
 * change counter moves once per committed transaction), bulk delete with the batch's undo, and a
 * bulk delete cut short by a crash finished at the next start.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, utimes, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { HistoryStore, INDEX_FILE, WRITE_CHUNK } from '../../main/library/history-store';
import { openLibrary, type Library, type LibraryOptions } from '../../main/library/library';
import { LAYOUT } from '../../main/library/paths';
import { createNodePlatform, type NodePlatform } from '../../main/platform';
import type { HistoryEntry } from '../../shared/library';
import type { BulkProgress, BulkUpdated } from '../../shared/organise';
import { tempDir } from './helpers';
import { makeSyntheticLibrary } from './synthetic-library';

const N = 2400; // five chunks: four of WRITE_CHUNK (500) and one of 400

/**
 * The SQLite file change counter (header bytes 24–27): in the rollback-journal mode the index uses,
 * it goes up by one at every committed write transaction, whichever connection made it.
 */
const commitsSoFar = (dbFile: string) => readFileSync(dbFile).readUInt32BE(24);

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
      emit: (channel, payload) => {
        events.push([channel, payload]);
        countersAtEvents.push(commitsSoFar(dbFile));
      },
      ...over,
    });
    libs.push(lib);
    return lib;
  };
  /** The change counter when each event was sent (each progress event follows a committed chunk). */
  let countersAtEvents: number[];
  let dbFile: string;
  const commits = { start: 0, since: () => commitsSoFar(dbFile) - commits.start, reset: () => {} };
  commits.reset = () => void (commits.start = commitsSoFar(dbFile));
  const progress = () => events.filter(([c]) => c === 'history:bulkProgressed').map(([, p]) => p as BulkProgress);
  const updated = () => events.filter(([c]) => c === 'history:bulkUpdated').map(([, p]) => p as BulkUpdated);

  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('fg-bulk-'));
    dir = path.join(root, 'library');
    platform = createNodePlatform(path.join(root, 'trash'));
    events = [];
    countersAtEvents = [];
    entries = await makeSyntheticLibrary(dir, N);
    dbFile = path.join(dir, LAYOUT.index, INDEX_FILE);
    commits.reset();
  });
  afterEach(async () => {
    for (const l of libs.splice(0)) await l.dispose();
    await cleanup();
  });

  it('rates every image a filter shows as one operation: a transaction per chunk, progress, one event', async () => {
    const lib = await open({ scanOnOpen: false });
    // Ctrl+A: every id the filter shows, not only a page.
    const all = lib.listIds({});
    expect(all.total).toBe(N);
    expect(all.ids).toHaveLength(N);
    commits.reset();
    events = [];
    countersAtEvents = [];
    const r = await lib.bulk({
      operationId: 'op-rate-all',
      target: { kind: 'query', query: {} },
      action: { type: 'rate', rating: 4 },
    });
    expect(r).toEqual({ operationId: 'op-rate-all', action: 'rate', matched: N, changed: N, missing: 0 });
    // One transaction per chunk of WRITE_CHUNK entries, not one for all 2 400 (the write lock is let
    // go in between, for the other process) nor one per entry.
    expect(commits.since()).toBe(Math.ceil(N / WRITE_CHUNK));
    // Progress after each chunk, each sent once that chunk was committed, ending at the total; one
    // event for the view, with every id.
    const p = progress();
    expect(p.length).toBeGreaterThanOrEqual(5);
    const committedAtProgress = events.flatMap(([c], i) =>
      c === 'history:bulkProgressed' ? [countersAtEvents[i]! - commits.start] : [],
    );
    expect([...new Set(committedAtProgress)]).toEqual([0, 1, 2, 3, 4, 5]);
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

  it('writes only when entries change, and a target minus the deselected ids', async () => {
    const lib = await open({ scanOnOpen: false });
    // One chunk of ids (and one more that is not there). Favourites: every 7th already is one.
    const ids = entries.slice(0, WRITE_CHUNK).map((e) => e.id);
    commits.reset();
    const r = await lib.bulk({
      target: { kind: 'ids', ids: [...ids, 'nosuchid01'] },
      action: { type: 'setFavourite', favourite: true },
    });
    expect(r).toMatchObject({ matched: 500, changed: 500 - Math.ceil(500 / 7), missing: 1 });
    expect(commits.since()).toBe(1);
    expect(lib.query({ favourite: true }).total).toBe(
      WRITE_CHUNK + entries.slice(WRITE_CHUNK).filter((e) => e.favourite).length,
    );
    // Nothing left to change: nothing written.
    commits.reset();
    expect(
      (await lib.bulk({ target: { kind: 'ids', ids }, action: { type: 'setFavourite', favourite: true } })).changed,
    ).toBe(0);
    expect(commits.since()).toBe(0);
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

  it('deletes 2 400 images as one batch, a transaction per chunk, and undo brings the whole batch back', async () => {
    const lib = await open({ scanOnOpen: false });
    commits.reset();
    const r = await lib.bulk({
      operationId: 'op-del-all',
      target: { kind: 'query', query: {} },
      action: { type: 'delete' },
    });
    expect(r).toMatchObject({ operationId: 'op-del-all', action: 'delete', matched: N, changed: N });
    expect(r.undoUntil).toBeGreaterThan(Date.now());
    expect(commits.since()).toBe(Math.ceil(N / WRITE_CHUNK));
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
