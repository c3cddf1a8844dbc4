import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import fc from 'fast-check';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { HOST_TAG } from '../../main/library/atomic-write';
import { HistoryStore, INDEX_FILE } from '../../main/library/history-store';
import { INDEX_VERSION } from '../../main/library/history-sql';
import { MIGRATED_DIR } from '../../main/library/legacy-shards';
import { HistoryQuerySchema, type HistoryEntry, type HistoryQueryInput } from '../../shared/library';
import { MODEL_ALIASES, PROVIDER_IDS } from '../../shared/params';
import { makeEntry } from './entries';
import { changeCounter, deadPid, tempDir, writeLegacyShard } from './helpers';

describe('history store', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const stores: HistoryStore[] = [];
  const open = (at: string) => {
    const s = HistoryStore.open({ dir: at });
    stores.push(s);
    return s;
  };
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) s.close();
    await cleanup();
  });

  it('pages past the middle are read from the other end and match the order exactly', () => {
    const s = open(dir);
    // Equal times (ties kept in the order added), ratings and prompts that tie, and a search.
    s.addMany(
      Array.from({ length: 57 }, (_, i) =>
        makeEntry(i, {
          createdAt: new Date(Date.UTC(2024, 0, 1) + Math.floor(i / 3) * 1000).toISOString(),
          prompt: `${['castle', 'fox', 'Éclair'][i % 3]} at night ${i % 4}`,
          ...(i % 4 ? { rating: i % 6 } : {}),
        }),
      ),
    );
    for (const sort of ['newest', 'oldest', 'rating', 'prompt'] as const) {
      for (const text of [undefined, 'castle', 'at']) {
        const filter = { sort, ...(text ? { text } : {}) };
        const all = s.matchingIds(filter);
        for (let offset = 0; offset <= all.length + 3; offset += 4) {
          const page = s.query(HistoryQuerySchema.parse({ ...filter, offset, limit: 10 }));
          expect(page.total).toBe(all.length);
          expect(
            page.items.map((e) => e.id),
            `${sort} ${text} @${offset}`,
          ).toEqual(all.slice(offset, offset + 10));
        }
      }
    }
  });

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

  it('keeps the index in one SQLite file, each write one committed transaction', async () => {
    const s = open(dir);
    const file = path.join(dir, INDEX_FILE);
    s.addMany(Array.from({ length: 35 }, (_, i) => makeEntry(i)));
    expect(await readdir(dir)).toEqual([INDEX_FILE]);
    const before = await changeCounter(file);
    s.add(makeEntry(35));
    s.update('e00000001', (e) => ({ ...e, rating: 3 }));
    s.addMany(Array.from({ length: 100 }, (_, i) => makeEntry(100 + i)));
    expect(await changeCounter(file)).toBe(before + 3);
    // Committed: another connection (another process) sees every entry at once.
    const other = new Database(file, { readonly: true });
    try {
      expect(other.pragma('user_version', { simple: true })).toBe(INDEX_VERSION);
      expect(other.prepare('SELECT count(*) FROM entries').pluck().get()).toBe(136);
    } finally {
      other.close();
    }
    // Nothing to change: no write.
    expect(s.updateMany(['e00000001', 'nosuchid'], (e) => e)).toEqual([]);
    expect(await changeCounter(file)).toBe(before + 3);
    // No journal or lock is left beside it.
    expect(await readdir(dir)).toEqual([INDEX_FILE]);
  });

  it('moves the shards of an earlier version in once, keeping them in shards-before-sqlite/', async () => {
    const texts: string[] = [];
    for (let n = 1; n <= 3; n++) {
      const file = await writeLegacyShard(
        dir,
        n,
        Array.from({ length: 10 }, (_, i) => makeEntry((n - 1) * 10 + i)),
      );
      texts.push(await readFile(file, 'utf8'));
    }
    const s = open(dir);
    expect(s.size).toBe(30);
    for (let i = 0; i < 30; i++) expect(s.get(makeEntry(i).id)).toEqual(makeEntry(i));
    expect(s.problems).toMatchObject({ corruptBackups: [], droppedEntries: 0 });
    expect((await readdir(dir)).sort()).toEqual([INDEX_FILE, MIGRATED_DIR]);
    const kept = path.join(dir, MIGRATED_DIR);
    expect((await readdir(kept)).sort()).toEqual(['history-000001.json', 'history-000002.json', 'history-000003.json']);
    for (let n = 1; n <= 3; n++)
      expect(await readFile(path.join(kept, `history-00000${n}.json`), 'utf8')).toBe(texts[n - 1]);
    s.close();
    // Once: the next open reads the database only.
    const again = open(dir);
    expect(again.size).toBe(30);
    expect(again.query(HistoryQuerySchema.parse({ text: 'number 2' })).total).toBe(11);
  });

  it('moves a corrupt shard aside (never empties it) and moves the others in', async () => {
    await writeLegacyShard(
      dir,
      1,
      Array.from({ length: 10 }, (_, i) => makeEntry(i)),
    );
    const broken = path.join(dir, 'history-000002.json');
    const garbage = '{"format":1,"entries":[{"id":"e0000001';
    await writeFile(broken, garbage);
    await writeLegacyShard(
      dir,
      3,
      Array.from({ length: 10 }, (_, i) => makeEntry(20 + i)),
    );
    const again = open(dir);
    expect(again.size).toBe(20);
    expect(again.problems.corruptBackups).toHaveLength(1);
    const backup = again.problems.corruptBackups[0]!;
    expect(path.basename(backup)).toMatch(/^history-000002\.json\.corrupt-\d{4}-\d\d-\d\dT/);
    expect(await readFile(backup, 'utf8')).toBe(garbage);
    expect((await readdir(path.join(dir, MIGRATED_DIR))).sort()).toEqual([
      'history-000001.json',
      'history-000003.json',
    ]);
    expect(existsSync(broken)).toBe(false);
    again.add(makeEntry(100));
    again.close();
    const third = open(dir);
    expect(third.size).toBe(21);
    expect(third.problems.corruptBackups).toEqual([]);
  });

  it('drops malformed and duplicate entries of a shard, keeping the original aside', async () => {
    const entries: unknown[] = Array.from({ length: 5 }, (_, i) => makeEntry(i));
    entries.push({ id: 'bad' }, makeEntry(1));
    const file = await writeLegacyShard(dir, 1, entries);
    const text = await readFile(file, 'utf8');
    const again = open(dir);
    expect(again.size).toBe(5);
    expect(again.problems.droppedEntries).toBe(2);
    expect(again.problems.corruptBackups).toHaveLength(1);
    expect(await readFile(again.problems.corruptBackups[0]!, 'utf8')).toBe(text);
    again.close();
    expect(open(dir).problems.droppedEntries).toBe(0);
  });

  it('keeps a database it cannot read aside and starts again', async () => {
    const s = open(dir);
    s.addMany(Array.from({ length: 5 }, (_, i) => makeEntry(i)));
    s.close();
    const file = path.join(dir, INDEX_FILE);
    const garbage = Buffer.from('\u0000\u0000garbage, not a database at all'.repeat(200));
    await writeFile(file, garbage);
    const again = open(dir);
    expect(again.size).toBe(0);
    expect(again.problems.corruptBackups).toHaveLength(1);
    const backup = again.problems.corruptBackups[0]!;
    expect(path.basename(backup)).toMatch(/^history\.sqlite\.corrupt-\d{4}-\d\d-\d\dT/);
    expect(await readFile(backup)).toEqual(garbage);
    again.add(makeEntry(7));
    again.close();
    const third = open(dir);
    expect(third.size).toBe(1);
    expect(third.problems.corruptBackups).toEqual([]);
  });

  it('refuses an index of a newer version in words, and changes nothing', async () => {
    const s = open(dir);
    s.add(makeEntry(1));
    s.close();
    const file = path.join(dir, INDEX_FILE);
    const db = new Database(file);
    db.pragma(`user_version = ${INDEX_VERSION + 1}`);
    db.close();
    const bytes = await readFile(file);
    const listing = (await readdir(dir)).sort();
    for (const readOnly of [false, true]) {
      expect(() => HistoryStore.open({ dir, readOnly })).toThrowError(
        expect.objectContaining({
          code: 'io',
          message: expect.stringContaining('was written by a newer version of Flux Gallery'),
        }),
      );
    }
    expect(await readFile(file)).toEqual(bytes);
    expect((await readdir(dir)).sort()).toEqual(listing);
  });

  it('read-only: reads an unmigrated library from its shards, and writes nothing', async () => {
    await writeLegacyShard(
      dir,
      1,
      Array.from({ length: 4 }, (_, i) => makeEntry(i)),
    );
    await writeFile(path.join(dir, 'history-000002.json'), '{"broken');
    const listing = (await readdir(dir)).sort();
    const ro = HistoryStore.open({ dir, readOnly: true });
    stores.push(ro);
    expect(ro.size).toBe(4);
    expect(ro.problems.unreadableShards).toEqual([path.join(dir, 'history-000002.json')]);
    expect(() => ro.add(makeEntry(9))).toThrowError(expect.objectContaining({ code: 'io' }));
    expect((await readdir(dir)).sort()).toEqual(listing);
    // A database it cannot read is left as it is.
    await rm(path.join(dir, 'history-000001.json'));
    await rm(path.join(dir, 'history-000002.json'));
    await writeFile(path.join(dir, INDEX_FILE), 'not a database'.repeat(100));
    const ro2 = HistoryStore.open({ dir, readOnly: true });
    stores.push(ro2);
    expect(ro2.size).toBe(0);
    expect(ro2.problems.unreadableShards).toEqual([path.join(dir, INDEX_FILE)]);
    expect(await readdir(dir)).toEqual([INDEX_FILE]);
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
    expect((await readdir(dir)).sort()).toEqual([live, INDEX_FILE, 'history-000001.json.tmp-1732300001abcdef'].sort());
  });

  it('reports an unusable index folder as an io error', async () => {
    const file = path.join(dir, 'file');
    await writeFile(file, 'x');
    expect(() => open(path.join(file, 'history'))).toThrowError(expect.objectContaining({ code: 'io' }));
  });

  it('answers queries like a plain filter over all entries, newest first (property)', () => {
    const s = open(dir);
    const all: HistoryEntry[] = Array.from({ length: 300 }, (_, i) =>
      // Shuffle creation times so insertion order differs from time order.
      makeEntry(i, { createdAt: new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % 300) * 3_600_000).toISOString() }),
    );
    s.addMany(all);
    const day = (n: number) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString();
    const query = fc.record(
      {
        text: fc.constantFrom('fox', 'FOX number', 'castle 1', 'cast numb', 'umber', 'nothing', ''),
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
              // Every word typed begins a word of the prompt (a word-prefix search, not substrings).
              words.every((w) =>
                e.prompt
                  .toLowerCase()
                  .split(/[^\p{L}\p{N}]+/u)
                  .some((pw) => pw.startsWith(w)),
              ),
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
