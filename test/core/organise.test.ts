/**
 * Organising through the core as the app wires it (issue 17): every new channel through the router
 * (arguments validated, answers as envelopes), the events a window hears, export started, finished
 * and cancelled as an operation.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core';
import type { EventChannel, EventPayloads, InvokeChannel, InvokeResult } from '../../shared/contract';
import type { HistoryEntry } from '../../shared/library';
import { makeImage, saveInput } from '../library/helpers';
import { readZip } from '../export/readers';

describe('organise through the core', () => {
  let root: string;
  let core: Core;
  let entries: HistoryEntry[];
  const seen: { channel: EventChannel; payload: unknown }[] = [];

  const invoke = (channel: InvokeChannel, args?: unknown) => core.router.invoke(channel, args, { transport: 'web' });
  const call = async <C extends InvokeChannel>(channel: C, args?: unknown): Promise<InvokeResult<C>> => {
    const r = await invoke(channel, args);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.value as InvokeResult<C>;
  };
  const refusal = async (channel: InvokeChannel, args?: unknown) => {
    const r = await invoke(channel, args);
    if (r.ok) throw new Error(`${channel} was not refused`);
    return r.error;
  };
  const eventsOf = <E extends EventChannel>(channel: E) =>
    seen.filter((e) => e.channel === channel).map((e) => e.payload as EventPayloads[E]);
  const finishedExport = async (operationId: string) => {
    for (let i = 0; i < 500; i++) {
      const f = eventsOf('export:finished').find((e) => e.operationId === operationId);
      if (f) return f;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('export:finished never came');
  };

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'fg-core-organise-'));
    core = await createCore({
      dataDir: path.join(root, 'data'),
      defaultLibraryDir: path.join(root, 'lib'),
      transport: 'web',
      appVersion: 'test',
      log: () => {},
    });
    core.events.subscribe((channel, payload) => seen.push({ channel, payload }));
    entries = [];
    for (const [i, prompt] of ['a fox', 'an owl', 'a cat', 'a dog', 'a bee'].entries()) {
      entries.push(
        await core.library().saveImage(
          await saveInput({
            prompt,
            bytes: await makeImage('png', 32, 32, i),
            createdAt: new Date(Date.UTC(2025, 0, 1, i)),
          }),
        ),
      );
    }
  });
  afterAll(async () => {
    await core.dispose();
    await rm(root, { recursive: true, force: true });
  });

  it('rates, sorts and filters through the router', async () => {
    const rated = await call('history:setRating', { id: entries[1]!.id, rating: 5 });
    expect(rated.rating).toBe(5);
    expect(eventsOf('history:updated').at(-1)).toMatchObject({ id: entries[1]!.id, rating: 5 });
    expect(await refusal('history:setRating', { id: entries[1]!.id, rating: 7 })).toMatchObject({
      code: 'invalid-argument',
    });
    const page = await call('history:query', { sort: 'rating', minRating: 0, limit: 2 });
    expect(page.items[0]!.id).toBe(entries[1]!.id);
    expect(page.total).toBe(5);
    expect((await call('history:query', { minRating: 5 })).total).toBe(1);
    expect(await call('history:listIds', { sort: 'oldest' })).toEqual({ ids: entries.map((e) => e.id), total: 5 });
    expect(await refusal('history:query', { sort: 'random' })).toMatchObject({ code: 'invalid-argument' });
  });

  it('boards and bulk actions: one answer, progress and one update event, counts for the sidebar', async () => {
    const board = await call('boards:create', { name: 'Animals' });
    expect(board).toMatchObject({ name: 'Animals', count: 0, autoAdd: false });
    expect(await refusal('boards:create', { name: 'ANIMALS' })).toMatchObject({ code: 'invalid-argument' });
    expect(await refusal('boards:create', { name: '   ' })).toMatchObject({ code: 'invalid-argument' });
    const before = seen.length;
    const r = await call('history:bulk', {
      operationId: 'ui-op-000001',
      target: { kind: 'query', query: { text: 'a' }, except: [entries[4]!.id] },
      action: { type: 'addToBoard', boardId: board.id },
    });
    expect(r).toMatchObject({ operationId: 'ui-op-000001', action: 'addToBoard', matched: 4, changed: 4, missing: 0 });
    const after = seen.slice(before);
    expect(after.filter((e) => e.channel === 'history:bulkProgressed').length).toBeGreaterThan(0);
    expect(after.filter((e) => e.channel === 'history:bulkUpdated')).toHaveLength(1);
    expect(after.filter((e) => e.channel === 'history:updated')).toHaveLength(0);
    expect(eventsOf('boards:changed').at(-1)!.boards).toMatchObject([{ id: board.id, count: 4 }]);
    expect(await call('boards:list')).toMatchObject({ boards: [{ name: 'Animals', count: 4 }], unboarded: 1 });
    expect((await call('boards:rename', { id: board.id, name: 'Beasts' })).name).toBe('Beasts');
    expect((await call('boards:setAutoAdd', { id: board.id, autoAdd: true })).autoAdd).toBe(true);
    expect((await call('history:query', { board: board.id })).total).toBe(4);
    const copied = await call('history:bulk', {
      target: { kind: 'ids', ids: [entries[0]!.id, entries[1]!.id] },
      action: { type: 'copyPrompts' },
    });
    expect(copied.text).toBe('a fox\nan owl');
    expect(
      await refusal('history:bulk', { target: { kind: 'ids', ids: [] }, action: { type: 'delete' } }),
    ).toMatchObject({
      code: 'invalid-argument',
    });
    expect(
      await refusal('history:bulk', {
        target: { kind: 'query', query: {} },
        action: { type: 'addToBoard', boardId: 'bnosuchboard' },
      }),
    ).toMatchObject({ code: 'not-found' });
    expect(await call('boards:delete', { id: board.id })).toEqual({ deleted: true });
    expect((await call('boards:list')).boards).toEqual([]);
    expect(core.library().size).toBe(5);
  });

  it('bulk delete and its undo', async () => {
    const r = await call('history:bulk', { target: { kind: 'query', query: {} }, action: { type: 'delete' } });
    expect(r.changed).toBe(5);
    expect((await call('history:query', {})).total).toBe(0);
    expect(eventsOf('history:bulkUpdated').at(-1)).toMatchObject({ operationId: r.operationId, removed: true });
    const undo = await call('history:undoBulkDelete', { operationId: r.operationId });
    expect(undo.restored).toBe(5);
    expect((await call('history:query', {})).total).toBe(5);
    expect(await refusal('history:undoBulkDelete', { operationId: r.operationId })).toMatchObject({
      code: 'not-found',
    });
  });

  it('export: started, progress, finished with the file in place; refusals in words', async () => {
    const dir = path.join(root, 'exports');
    await mkdir(dir);
    const file = path.join(dir, 'five.zip');
    const started = await call('export:start', {
      operationId: 'ui-export-1',
      target: { kind: 'query', query: { sort: 'oldest' } },
      destination: { kind: 'zip', file },
      format: 'jpeg',
      sidecar: true,
    });
    expect(started).toEqual({ operationId: 'ui-export-1', total: 5, destination: file });
    const done = await finishedExport('ui-export-1');
    expect(done).toMatchObject({ status: 'done', written: 5, total: 5, error: null, destination: file });
    expect(
      eventsOf('export:progressed')
        .filter((p) => p.operationId === 'ui-export-1')
        .at(-1),
    ).toMatchObject({
      done: 5,
      total: 5,
    });
    expect((await readZip(file)).map((i) => i.name)).toHaveLength(10);
    expect(await call('export:cancel', { operationId: 'ui-export-1' })).toEqual({ cancelled: false });

    expect(
      await refusal('export:start', {
        target: { kind: 'query', query: {} },
        destination: { kind: 'folder', dir: path.join(core.library().dir, 'images') },
      }),
    ).toMatchObject({ code: 'forbidden' });
    expect(
      await refusal('export:start', {
        target: { kind: 'query', query: {} },
        destination: { kind: 'folder', dir: 'rel' },
      }),
    ).toMatchObject({ code: 'invalid-argument' });
    expect(
      await refusal('export:start', {
        target: { kind: 'query', query: { text: 'no such prompt' } },
        destination: { kind: 'folder', dir: path.join(dir, 'none') },
      }),
    ).toMatchObject({ code: 'invalid-argument' });
    expect(
      await refusal('export:start', {
        target: { kind: 'query', query: {} },
        destination: { kind: 'folder', dir: path.join(dir, 'bad') },
        pattern: '{prompt}{bogus}',
      }),
    ).toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('{bogus}') });
    expect(await refusal('export:chooseDestination', { kind: 'zip' })).toMatchObject({ code: 'forbidden' });
  });

  it('export: cancelled at once leaves nothing, and says so once', async () => {
    const dir = path.join(root, 'cancelled');
    await mkdir(dir);
    const started = await call('export:start', {
      target: { kind: 'query', query: {} },
      destination: { kind: 'zip', file: path.join(dir, 'x.zip') },
      format: 'webp',
      csv: true,
    });
    expect(await call('export:cancel', { operationId: started.operationId })).toEqual({ cancelled: true });
    const done = await finishedExport(started.operationId);
    expect(done).toMatchObject({ status: 'cancelled', written: 0 });
    expect(eventsOf('export:finished').filter((e) => e.operationId === started.operationId)).toHaveLength(1);
    expect(await readdir(dir)).toEqual([]);
    expect(existsSync(path.join(dir, 'x.zip'))).toBe(false);
  });
});
