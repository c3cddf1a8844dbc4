/** Ratings, boards, the four orders and the new filters (issue 17), on a real library folder. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cp, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openLibrary, type Library, type LibraryOptions } from '../../main/library/library';
import { LAYOUT } from '../../main/library/paths';
import { createNodePlatform, type NodePlatform } from '../../main/platform';
import type { HistoryEntry } from '../../shared/library';
import type { BoardsState } from '../../shared/organise';
import { saveInput, tempDir } from './helpers';

describe('organise: ratings, boards, sort, filters', () => {
  let root: string;
  let dir: string;
  let platform: NodePlatform;
  let cleanup: () => Promise<void>;
  let events: [string, unknown][];
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
  const saveAll = async (lib: Library, prompts: string[]) => {
    const out: HistoryEntry[] = [];
    for (const [i, p] of prompts.entries())
      out.push(await lib.saveImage(await saveInput({ prompt: p, createdAt: new Date(Date.UTC(2025, 4, 1, 12, i)) })));
    return out;
  };
  const countOf = (state: BoardsState, name: string) => state.boards.find((b) => b.name === name)?.count;

  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('fg-organise-'));
    dir = path.join(root, 'library');
    platform = createNodePlatform(path.join(root, 'trash'));
    events = [];
  });
  afterEach(async () => {
    for (const l of libs.splice(0)) await l.dispose();
    await cleanup();
  });

  it('rates 0–5 (absent is 0), filters by stars and keeps ratings across a restart', async () => {
    const lib = await open();
    const [a, b, c] = await saveAll(lib, ['an apple', 'a banana', 'a cherry']);
    expect(a!.rating).toBeUndefined();
    expect(lib.setRating(a!.id, 4).rating).toBe(4);
    lib.setRating(b!.id, 2);
    expect(events.filter(([ch]) => ch === 'history:updated')).toHaveLength(2);
    expect(lib.query({ minRating: 3 }).items.map((e) => e.id)).toEqual([a!.id]);
    expect(lib.query({ minRating: 1 }).total).toBe(2);
    expect(lib.query({ minRating: 0 }).total).toBe(3);
    // 0 removes the rating from the entry (the shard stays small).
    expect('rating' in lib.setRating(b!.id, 0)).toBe(false);
    expect(() => lib.setRating(c!.id, 6)).toThrow(/0 to 5/);
    await lib.dispose();
    const again = await open();
    expect(again.get(a!.id).rating).toBe(4);
    expect(again.get(b!.id).rating).toBeUndefined();
  });

  it('sorts newest, oldest, by rating (ties newest first) and by prompt (case and accents ignored)', async () => {
    const lib = await open();
    const [zebra, eclair, apple, banana] = await saveAll(lib, [
      'Zebra crossing',
      'éclair au chocolat',
      'apple pie',
      '"banana" split',
    ]);
    lib.setRating(apple!.id, 5);
    lib.setRating(banana!.id, 5);
    lib.setRating(zebra!.id, 1);
    const ids = (sort: 'newest' | 'oldest' | 'rating' | 'prompt') => lib.query({ sort }).items.map((e) => e.id);
    expect(ids('newest')).toEqual([banana, apple, eclair, zebra].map((e) => e!.id));
    expect(ids('oldest')).toEqual([zebra, eclair, apple, banana].map((e) => e!.id));
    expect(ids('rating')).toEqual([banana, apple, zebra, eclair].map((e) => e!.id));
    expect(ids('prompt')).toEqual([apple, banana, eclair, zebra].map((e) => e!.id));
    // Orders are made again after a change, and paging follows them.
    lib.setRating(eclair!.id, 3);
    expect(ids('rating')).toEqual([banana, apple, eclair, zebra].map((e) => e!.id));
    expect(lib.query({ sort: 'oldest', offset: 1, limit: 2 }).items.map((e) => e.id)).toEqual([eclair!.id, apple!.id]);
    // A search word begins a word of the prompt ("au", "apple"; not the "a" inside "banana").
    expect(lib.listIds({ sort: 'prompt', text: 'a' })).toEqual({
      ids: [apple, eclair].map((e) => e!.id),
      total: 2,
    });
    // Accents and case ignored.
    expect(lib.listIds({ text: 'ECL' }).ids).toEqual([eclair!.id]);
  });

  it('boards: create, rename, auto-add, an image on several boards, counts, filters, delete keeps the images', async () => {
    const lib = await open();
    const [a, b, c] = await saveAll(lib, ['one', 'two', 'three']);
    const cats = lib.createBoard('Cats');
    const dogs = lib.createBoard('Dogs');
    expect(() => lib.createBoard('  cats ')).toThrow(/already a board called "Cats"/);
    expect(events.some(([ch]) => ch === 'boards:changed')).toBe(true);
    await lib.bulk({ target: { kind: 'ids', ids: [a!.id, b!.id] }, action: { type: 'addToBoard', boardId: cats.id } });
    await lib.bulk({ target: { kind: 'ids', ids: [b!.id] }, action: { type: 'addToBoard', boardId: dogs.id } });
    expect(lib.get(b!.id).boards).toEqual([cats.id, dogs.id]);
    let state = lib.boards();
    expect(state.boards.map((x) => [x.name, x.count])).toEqual([
      ['Cats', 2],
      ['Dogs', 1],
    ]);
    expect(state.unboarded).toBe(1);
    expect(lib.query({ board: cats.id }).items.map((e) => e.id)).toEqual([b!.id, a!.id]);
    expect(lib.query({ board: 'none' }).items.map((e) => e.id)).toEqual([c!.id]);
    // Adding again changes nothing; removing takes it off one board only.
    const again = await lib.bulk({
      target: { kind: 'ids', ids: [a!.id] },
      action: { type: 'addToBoard', boardId: cats.id },
    });
    expect(again).toMatchObject({ matched: 1, changed: 0 });
    await lib.bulk({ target: { kind: 'ids', ids: [b!.id] }, action: { type: 'removeFromBoard', boardId: cats.id } });
    expect(lib.get(b!.id).boards).toEqual([dogs.id]);

    expect(lib.renameBoard(cats.id, 'Felines')).toMatchObject({ id: cats.id, name: 'Felines', count: 1 });
    expect(() => lib.renameBoard(cats.id, 'DOGS')).toThrow(/already a board/);
    lib.setBoardAutoAdd(dogs.id, true);
    const d = await lib.saveImage(await saveInput({ prompt: 'four' }));
    expect(d.boards).toEqual([dogs.id]);
    expect(countOf(lib.boards(), 'Dogs')).toBe(2);

    // Deleting a board: the images stay, the board's id leaves them.
    expect(await lib.deleteBoard(dogs.id)).toEqual({ deleted: true });
    expect(await lib.deleteBoard(dogs.id)).toEqual({ deleted: false });
    expect(lib.size).toBe(4);
    expect(lib.get(b!.id).boards).toBeUndefined();
    expect(lib.get(d.id).boards).toBeUndefined();
    state = lib.boards();
    expect(state.boards.map((x) => x.name)).toEqual(['Felines']);
    expect(state.unboarded).toBe(3);
    await expect(
      lib.bulk({ target: { kind: 'ids', ids: [a!.id] }, action: { type: 'addToBoard', boardId: dogs.id } }),
    ).rejects.toMatchObject({ code: 'not-found' });
  });

  it('deleted images leave their boards (and come back to them with undo)', async () => {
    const lib = await open();
    const [a, b] = await saveAll(lib, ['one', 'two']);
    const board = lib.createBoard('Keep');
    await lib.bulk({ target: { kind: 'query', query: {} }, action: { type: 'addToBoard', boardId: board.id } });
    expect(countOf(lib.boards(), 'Keep')).toBe(2);
    await lib.delete(a!.id);
    expect(countOf(lib.boards(), 'Keep')).toBe(1);
    expect(lib.query({ board: board.id }).items.map((e) => e.id)).toEqual([b!.id]);
    await lib.undoDelete(a!.id);
    expect(countOf(lib.boards(), 'Keep')).toBe(2);
    const bulk = await lib.bulk({ target: { kind: 'query', query: { board: board.id } }, action: { type: 'delete' } });
    expect(bulk.changed).toBe(2);
    expect(countOf(lib.boards(), 'Keep')).toBe(0);
    await lib.undoBulkDelete(bulk.operationId);
    expect(countOf(lib.boards(), 'Keep')).toBe(2);
  });

  it('boards live in the library folder: they move with it, and survive a restart', async () => {
    const lib = await open();
    const [a] = await saveAll(lib, ['one', 'two']);
    const board = lib.createBoard('Travel', true);
    await lib.bulk({ target: { kind: 'ids', ids: [a!.id] }, action: { type: 'addToBoard', boardId: board.id } });
    lib.setRating(a!.id, 5);
    await lib.dispose();
    expect(existsSync(path.join(dir, LAYOUT.boards))).toBe(true);
    const moved = path.join(root, 'elsewhere', 'my library');
    await cp(dir, moved, { recursive: true });
    await rename(dir, path.join(root, 'old'));
    const there = await openLibrary({ dir: moved, platform });
    libs.push(there);
    expect(there.boards().boards).toMatchObject([{ id: board.id, name: 'Travel', autoAdd: true, count: 1 }]);
    expect(there.query({ board: board.id, minRating: 5 }).items.map((e) => e.id)).toEqual([a!.id]);
  });

  it('sees the boards another process changed (same file, re-read before each write)', async () => {
    const one = await open();
    const two = await open({ scanOnOpen: false });
    one.createBoard('From one');
    expect(two.boards().boards.map((b) => b.name)).toEqual(['From one']);
    two.createBoard('From two');
    expect(one.boards().boards.map((b) => b.name)).toEqual(['From one', 'From two']);
    // Neither lost the other's board when writing.
    one.createBoard('Again from one');
    const onDisk = JSON.parse(await readFile(path.join(dir, LAYOUT.boards), 'utf8')) as { boards: { name: string }[] };
    expect(onDisk.boards.map((b) => b.name)).toEqual(['From one', 'From two', 'Again from one']);
  });

  it('a damaged boards.json is kept aside; the library opens and boards start again', async () => {
    const lib = await open();
    const [a] = await saveAll(lib, ['one']);
    const board = lib.createBoard('Gone');
    await lib.bulk({ target: { kind: 'ids', ids: [a!.id] }, action: { type: 'addToBoard', boardId: board.id } });
    await lib.dispose();
    await writeFile(path.join(dir, LAYOUT.boards), '{ "format": 1, "boards": [ {');
    const again = await open();
    expect(again.boards()).toEqual({ boards: [], unboarded: 1 });
    // The dangling id counts for nothing: the image is on no board.
    expect(again.query({ board: 'none' }).total).toBe(1);
    again.createBoard('New');
    const names = await readdir(path.join(dir, '.flux-gallery'));
    expect(names.some((n) => n.startsWith('boards.json.corrupt-'))).toBe(true);
    expect(again.boards().boards.map((b) => b.name)).toEqual(['New']);
  });

  it('a boards.json of a newer version is left alone and changes are refused in words', async () => {
    const lib = await open();
    await writeFile(path.join(dir, LAYOUT.boards), JSON.stringify({ format: 2, boards: [], more: true }));
    expect(lib.boards().boards).toEqual([]);
    expect(() => lib.createBoard('x')).toThrow(/newer version/);
    expect(JSON.parse(await readFile(path.join(dir, LAYOUT.boards), 'utf8'))).toMatchObject({ format: 2, more: true });
  });

  it('copies prompts as text (each once, in the order shown) and changes nothing', async () => {
    const lib = await open();
    await saveAll(lib, ['a fox', 'an owl\nat night', 'a fox']);
    const r = await lib.bulk({ target: { kind: 'query', query: { sort: 'oldest' } }, action: { type: 'copyPrompts' } });
    expect(r).toMatchObject({ action: 'copyPrompts', matched: 3, changed: 0 });
    expect(r.text).toBe('a fox\nan owl at night');
  });

  it('a read-only library lists boards and refuses every change', async () => {
    const lib = await open();
    lib.createBoard('Shown');
    const ro = await open({ readOnly: true });
    expect(ro.boards().boards.map((b) => b.name)).toEqual(['Shown']);
    expect(() => ro.createBoard('no')).toThrow(/read-only/);
    await expect(
      ro.bulk({ target: { kind: 'query', query: {} }, action: { type: 'rate', rating: 3 } }),
    ).rejects.toThrow(/read-only/);
    // Copying prompts only reads.
    await expect(
      ro.bulk({ target: { kind: 'query', query: {} }, action: { type: 'copyPrompts' } }),
    ).resolves.toMatchObject({
      changed: 0,
    });
  });
});
