/** Prompt history: record, dedupe, the cap with pinned ones kept, search, pin/delete/clear, the file. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GenerationParamsSchema, type GenerationParamsInput } from '../../shared/params';
import { MAX_PROMPT_HISTORY } from '../../shared/queue';
import { createPromptHistory, PROMPTS_FILE } from '../../main/prompts/prompt-history';

const params = (p: GenerationParamsInput) => GenerationParamsSchema.parse(p);

describe('prompt history', () => {
  let dir: string;
  let clock: number;
  const logs: string[] = [];
  const open = (max?: number) =>
    createPromptHistory({
      dataDir: dir,
      now: () => clock++,
      log: (m) => logs.push(m),
      ...(max !== undefined ? { max } : {}),
    });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fg-prompts-'));
    clock = 1_000;
    logs.length = 0;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('records a prompt with its parameters, newest first', () => {
    const h = open();
    h.record(params({ prompt: 'a red fox', steps: 4, seed: 7, randomizeSeed: false }));
    h.record(params({ prompt: 'a blue whale', model: 'flux-dev', style: 'Cinematic' }));
    const list = h.list();
    expect(list.map((r) => r.prompt)).toEqual(['a blue whale', 'a red fox']);
    expect(list[1]!.params).toMatchObject({ prompt: 'a red fox', steps: 4, seed: 7, randomizeSeed: false });
    expect(list[0]!.params.style).toBe('Cinematic');
    expect(list[0]).toMatchObject({ uses: 1, pinned: false });
    expect(list[0]!.id).toMatch(/^[A-Za-z0-9_-]{6,64}$/);
  });

  it('the same prompt again bumps its uses and time and keeps the newest parameters', () => {
    const h = open();
    const first = h.record(params({ prompt: 'a red fox', steps: 4 }));
    h.record(params({ prompt: 'something else' }));
    const again = h.record(params({ prompt: '  a red fox ', steps: 8 }));
    expect(again.id).toBe(first.id);
    expect(again.uses).toBe(2);
    expect(again.at).toBeGreaterThan(first.at);
    const list = h.list();
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ prompt: 'a red fox', uses: 2 });
    expect(list[0]!.params.steps).toBe(8);
  });

  it(`keeps the last ${MAX_PROMPT_HISTORY} prompts, and the pinned ones beyond them`, () => {
    const h = open();
    const oldest = h.record(params({ prompt: 'prompt 0' }));
    h.pin(oldest.id, true);
    for (let i = 1; i <= MAX_PROMPT_HISTORY + 5; i++) h.record(params({ prompt: `prompt ${i}` }));
    const all = h.list({ limit: MAX_PROMPT_HISTORY });
    expect(all[0]!.prompt).toBe('prompt 0');
    expect(all[0]!.pinned).toBe(true);
    const reopened = open();
    const everything = [...reopened.list({ limit: MAX_PROMPT_HISTORY }), ...reopened.list({ text: 'prompt 6' })];
    // 500 unpinned kept (6 … 505) plus the pinned one; 1 … 5 dropped.
    const texts = new Set(everything.map((r) => r.prompt));
    expect(texts.has('prompt 0')).toBe(true);
    expect(texts.has('prompt 5')).toBe(false);
    expect(texts.has('prompt 6')).toBe(true);
    expect(reopened.list({ text: 'prompt 1', limit: 500 }).some((r) => r.prompt === 'prompt 1')).toBe(false);
    expect(reopened.clear(true)).toBe(MAX_PROMPT_HISTORY);
    expect(reopened.list().map((r) => r.prompt)).toEqual(['prompt 0']);
  });

  it('searches for all words, in any case and order', () => {
    const h = open();
    h.record(params({ prompt: 'A Red fox in the snow' }));
    h.record(params({ prompt: 'a red car' }));
    h.record(params({ prompt: 'snowy mountains' }));
    expect(h.list({ text: 'red' }).map((r) => r.prompt)).toEqual(['a red car', 'A Red fox in the snow']);
    expect(h.list({ text: 'SNOW fox' }).map((r) => r.prompt)).toEqual(['A Red fox in the snow']);
    expect(h.list({ text: 'snow' })).toHaveLength(2);
    expect(h.list({ text: 'red whale' })).toEqual([]);
    expect(h.list({ text: '   ' })).toHaveLength(3);
    expect(h.list({ limit: 2 })).toHaveLength(2);
  });

  it('pins (listed first), unpins, deletes and clears', () => {
    const h = open();
    const a = h.record(params({ prompt: 'a' }));
    const b = h.record(params({ prompt: 'b' }));
    h.record(params({ prompt: 'c' }));
    expect(h.pin(a.id, true).pinned).toBe(true);
    expect(h.list().map((r) => r.prompt)).toEqual(['a', 'c', 'b']);
    // Submitting a pinned prompt again keeps it pinned.
    expect(h.record(params({ prompt: 'a' })).pinned).toBe(true);
    expect(h.delete(b.id)).toBe(true);
    expect(h.delete(b.id)).toBe(false);
    expect(() => h.pin(b.id, true)).toThrow(expect.objectContaining({ code: 'not-found' }));
    expect(h.list().map((r) => r.prompt)).toEqual(['a', 'c']);
    expect(h.clear(true)).toBe(1);
    expect(h.list().map((r) => r.prompt)).toEqual(['a']);
    h.pin(a.id, false);
    expect(h.list()[0]!.pinned).toBe(false);
    expect(h.clear(false)).toBe(1);
    expect(h.list()).toEqual([]);
  });

  it('persists in prompts.json, written whole (no temp file left)', async () => {
    const h = open();
    const rec = h.record(params({ prompt: 'kept', steps: 3 }));
    h.pin(rec.id, true);
    const names = await readdir(dir);
    expect(names).toEqual([PROMPTS_FILE]);
    const json = JSON.parse(await readFile(path.join(dir, PROMPTS_FILE), 'utf8'));
    expect(json).toMatchObject({ app: 'flux-gallery', kind: 'prompts', v: 1 });
    const again = open().list();
    expect(again).toEqual([{ ...rec, pinned: true }]);
  });

  it('sees what another process wrote before it changes the file (the app and the CLI)', () => {
    const app = open();
    const cli = open();
    app.record(params({ prompt: 'from the app' }));
    cli.record(params({ prompt: 'from the CLI' }));
    app.record(params({ prompt: 'from the app again' }));
    expect(
      open()
        .list()
        .map((r) => r.prompt)
        .sort(),
    ).toEqual(['from the CLI', 'from the app', 'from the app again']);
  });

  it('sets a corrupt file aside and starts anew', async () => {
    await writeFile(path.join(dir, PROMPTS_FILE), '{"app":"flux-gallery","kind":"prompts","items":[{"id":');
    const h = open();
    expect(h.list()).toEqual([]);
    const names = await readdir(dir);
    expect(names.some((n) => n.startsWith(`${PROMPTS_FILE}.corrupt-`))).toBe(true);
    expect(logs.join('\n')).toMatch(/set aside/);
    h.record(params({ prompt: 'fresh' }));
    expect(
      open()
        .list()
        .map((r) => r.prompt),
    ).toEqual(['fresh']);
  });

  it('leaves out records that cannot be read, keeps the rest', async () => {
    const good = { id: 'abcdef12', prompt: 'good', params: { prompt: 'good' }, at: 5, uses: 2, pinned: true };
    await writeFile(
      path.join(dir, PROMPTS_FILE),
      JSON.stringify({
        app: 'flux-gallery',
        kind: 'prompts',
        v: 1,
        items: [
          good,
          { id: 'x', prompt: 'bad id' },
          { ...good, id: 'zzzzzz99', params: { prompt: 'p', steps: -1 } },
          42,
        ],
      }),
    );
    const list = open().list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 'abcdef12', prompt: 'good', uses: 2, pinned: true });
    expect(list[0]!.params.model).toBe('flux');
    expect(logs.join('\n')).toMatch(/3 record/);
  });

  it('a file of another kind is set aside too', async () => {
    await writeFile(path.join(dir, PROMPTS_FILE), JSON.stringify([1, 2, 3]));
    expect(open().list()).toEqual([]);
    expect((await readdir(dir)).some((n) => n.includes('.corrupt-'))).toBe(true);
  });

  it('a lower cap (tests) drops the oldest unpinned', () => {
    const h = open(3);
    for (const p of ['1', '2', '3', '4']) h.record(params({ prompt: p }));
    expect(h.list().map((r) => r.prompt)).toEqual(['4', '3', '2']);
  });
});
