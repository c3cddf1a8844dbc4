import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import fc from 'fast-check';
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HOST_TAG } from '../../main/library/atomic-write';
import { HistoryStore } from '../../main/library/history-store';
import { confStoreFactory } from '../../main/store';
import { HistoryQuerySchema, type HistoryEntry, type HistoryQueryInput } from '../../shared/library';
import { MODEL_ALIASES, PROVIDER_IDS } from '../../shared/params';
import { makeEntry } from './entries';
import { deadPid, tempDir } from './helpers';

const open = (dir: string, shardSize = 10) => HistoryStore.open({ dir, storeFactory: confStoreFactory, shardSize });
const shardFiles = async (dir: string) => (await readdir(dir)).filter((f) => /^history-\d{6}\.json$/.test(f)).sort();

describe('history store', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());

  it('persists adds, updates and removes across reopen', () => {
    const s = open(dir);
    for (let i = 0; i < 25; i++) s.add(makeEntry(i));
    s.update('e00000003', (e) => ({ ...e, favourite: true, prompt: 'changed' }));
    s.remove('e00000004');
    const again = open(dir);
    expect(again.size).toBe(24);
    expect(again.get('e00000003')).toMatchObject({ favourite: true, prompt: 'changed' });
    expect(again.has('e00000004')).toBe(false);
    expect(again.get('e00000010')).toEqual(makeEntry(10));
  });

  it('shards the index: an append rewrites only the newest shard', async () => {
    const s = open(dir, 10);
    s.addMany(Array.from({ length: 35 }, (_, i) => makeEntry(i)));
    expect(await shardFiles(dir)).toEqual([
      'history-000001.json',
      'history-000002.json',
      'history-000003.json',
      'history-000004.json',
    ]);
    const before = await Promise.all((await shardFiles(dir)).map(async (f) => (await stat(path.join(dir, f))).mtimeMs));
    await new Promise((r) => setTimeout(r, 20));
    s.add(makeEntry(35));
    const after = await Promise.all((await shardFiles(dir)).map(async (f) => (await stat(path.join(dir, f))).mtimeMs));
    expect(after.slice(0, 3)).toEqual(before.slice(0, 3));
    expect(after[3]).toBeGreaterThan(before[3]!);
    const last = JSON.parse(await readFile(path.join(dir, 'history-000004.json'), 'utf8')) as { entries: unknown[] };
    expect(last.entries).toHaveLength(6);
    // Full shards stay full; the next shard starts when the newest is full.
    for (let i = 36; i < 41; i++) s.add(makeEntry(i));
    expect(await shardFiles(dir)).toHaveLength(5);
  });

  it('moves a corrupt shard aside (never empties it) and keeps the others', async () => {
    const s = open(dir, 10);
    s.addMany(Array.from({ length: 30 }, (_, i) => makeEntry(i)));
    const broken = path.join(dir, 'history-000002.json');
    const garbage = '{"format":1,"entries":[{"id":"e0000001';
    await writeFile(broken, garbage);
    const again = open(dir, 10);
    expect(again.size).toBe(20);
    expect(again.problems.corruptBackups).toHaveLength(1);
    const backup = again.problems.corruptBackups[0]!;
    expect(path.basename(backup)).toMatch(/^history-000002\.json\.corrupt-\d{4}-\d\d-\d\dT/);
    expect(await readFile(backup, 'utf8')).toBe(garbage);
    // New entries go to a new shard, not over the backup's name.
    again.add(makeEntry(100));
    expect(open(dir, 10).size).toBe(21);
  });

  it('drops malformed entries, keeping a backup of the original', async () => {
    const s = open(dir, 10);
    s.addMany(Array.from({ length: 5 }, (_, i) => makeEntry(i)));
    const file = path.join(dir, 'history-000001.json');
    const data = JSON.parse(await readFile(file, 'utf8')) as { entries: unknown[] };
    data.entries.push({ id: 'bad' }, makeEntry(1));
    await writeFile(file, JSON.stringify(data));
    const again = open(dir, 10);
    expect(again.size).toBe(5);
    expect(again.problems.droppedEntries).toBe(2);
    expect(again.problems.corruptBackups).toHaveLength(1);
    expect(open(dir, 10).problems.droppedEntries).toBe(0);
  });

  it('treats a valid JSON file of the wrong shape as corrupt', async () => {
    await writeFile(path.join(dir, 'history-000001.json'), '[1,2,3]');
    const s = open(dir);
    expect(s.size).toBe(0);
    expect(s.problems.corruptBackups).toHaveLength(1);
  });

  it("removes abandoned temp files of interrupted store writes, never a live writer's", async () => {
    open(dir).add(makeEntry(1));
    const hourAgo = new Date(Date.now() - 2 * 3600_000);
    // conf's temp file (earlier versions): removed once it is an hour old.
    const confOld = path.join(dir, 'history-000001.json.tmp-1732300000abcdef');
    await writeFile(confOld, '{"half');
    await utimes(confOld, hourAgo, hourAgo);
    await writeFile(path.join(dir, 'history-000001.json.tmp-1732300001abcdef'), '{"half');
    // Ours: removed when its writer has ended; kept while it runs (this process stands in for it).
    await writeFile(path.join(dir, `.history-000001.json.${deadPid()}-${HOST_TAG}-0123456789ab.tmp`), '{"half');
    const live = `.history-000001.json.${process.pid}-${HOST_TAG}-0123456789ab.tmp`;
    await writeFile(path.join(dir, live), '{"half');
    const s = open(dir);
    expect(s.problems.tempFilesRemoved).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(
      [live, 'history-000001.json', 'history-000001.json.tmp-1732300001abcdef'].sort(),
    );
  });

  it('reports an unusable index folder as an io error', async () => {
    const file = path.join(dir, 'file');
    await writeFile(file, 'x');
    expect(() => open(path.join(file, 'history'))).toThrowError(expect.objectContaining({ code: 'io' }));
  });

  it('answers queries like a plain filter over all entries, newest first (property)', () => {
    const s = open(dir, 50);
    const all: HistoryEntry[] = Array.from({ length: 300 }, (_, i) =>
      // Shuffle creation times so insertion order differs from time order.
      makeEntry(i, { createdAt: new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % 300) * 3_600_000).toISOString() }),
    );
    s.addMany(all);
    const day = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString();
    const query = fc.record(
      {
        text: fc.constantFrom('fox', 'FOX number', 'castle 1', 'nothing', ''),
        model: fc.constantFrom(...MODEL_ALIASES),
        providerId: fc.constantFrom(...PROVIDER_IDS),
        from: fc.integer({ min: 0, max: 13 }).map(day),
        to: fc.integer({ min: 0, max: 13 }).map(day),
        favourite: fc.boolean(),
        offset: fc.integer({ min: 0, max: 50 }),
        limit: fc.integer({ min: 1, max: 40 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(query, (q: HistoryQueryInput) => {
        const parsed = HistoryQuerySchema.parse(q);
        const words = (parsed.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
        const expected = all
          .filter(
            (e) =>
              (!parsed.model || e.model === parsed.model) &&
              (!parsed.providerId || e.providerId === parsed.providerId) &&
              (parsed.favourite === undefined || e.favourite === parsed.favourite) &&
              (!parsed.from || e.createdAt >= parsed.from) &&
              (!parsed.to || e.createdAt <= parsed.to) &&
              words.every((w) => e.prompt.toLowerCase().includes(w)),
          )
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
        const page = s.query(parsed);
        expect(page.total).toBe(expected.length);
        expect(page.items.map((e) => e.id)).toEqual(
          expected.slice(parsed.offset, parsed.offset + parsed.limit).map((e) => e.id),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('treats a bare date as a whole local day', () => {
    const s = open(dir);
    const local = (h: number) => new Date(2024, 4, 10, h).toISOString();
    s.add(makeEntry(1, { createdAt: new Date(2024, 4, 9, 23, 59).toISOString() }));
    s.add(makeEntry(2, { createdAt: local(0) }));
    s.add(makeEntry(3, { createdAt: local(23) }));
    s.add(makeEntry(4, { createdAt: new Date(2024, 4, 11, 0, 0).toISOString() }));
    const page = s.query(HistoryQuerySchema.parse({ from: '2024-05-10', to: '2024-05-10' }));
    expect(page.items.map((e) => e.id)).toEqual(['e00000003', 'e00000002']);
  });
});
