/** The CLI's `boards` in process: its sub-syntax, refusals (exit 2) and a library that is not there. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../main/cli/run';
import { openLibrary } from '../../main/library/library';
import { createNodePlatform } from '../../main/platform';
import type { HistoryEntry } from '../../shared/library';
import { saveInput, tempDir } from '../library/helpers';

const run = async (...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    { stdout: (l) => void out.push(l), stderr: (l) => void err.push(l) },
    {},
    new AbortController().signal,
  );
  return { code, out, err };
};

describe('cli boards (in process)', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let lib: string;
  let entries: HistoryEntry[];
  beforeAll(async () => {
    ({ dir: root, cleanup } = await tempDir('fg-cli-boards-'));
    lib = path.join(root, 'library');
    const l = await openLibrary({ dir: lib, platform: createNodePlatform(path.join(root, 'trash')) });
    entries = [];
    for (const prompt of ['a fox', 'an owl', 'a fox cub']) entries.push(await l.saveImage(await saveInput({ prompt })));
    await l.dispose();
  });
  afterAll(() => cleanup());

  it('refuses what it cannot do, with exit code 2 and the help named', async () => {
    const cases: string[][] = [
      ['boards', 'frobnicate'],
      ['boards', 'create'],
      ['boards', 'create', 'a', 'b'],
      ['boards', 'rename', 'only-one'],
      ['boards', 'auto-add', 'x', 'maybe'],
      ['boards', 'add', 'x'],
      ['boards', 'add', 'x', 'not an id!'],
      ['boards', 'add', 'x', entries[0]!.id, '--search', 'fox'],
      ['boards', 'add', 'x', '--min-rating', 'lots'],
      ['boards', 'list', '--nope'],
    ];
    for (const argv of cases) {
      const r = await run(...argv, '--library', lib);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.join('\n')).toContain('flux-gallery boards --help');
    }
    const unknown = await run('boards', 'add', 'No such board', '--all', '--library', lib);
    expect(unknown.code).toBe(2);
    expect(unknown.err.join('\n')).toContain('There is no board called "No such board"');
    const help = await run('boards', '--help');
    expect(help.code).toBe(0);
    expect(help.out.join('\n')).toContain('boards add NAME ID…');
    expect((await run('help')).out.join('\n')).toMatch(/boards +List, make and fill boards/);
  });

  it('adds with --all or filters, lists as a table, and never makes a library to list', async () => {
    expect((await run('boards', 'create', 'Everything', '--library', lib)).code).toBe(0);
    const all = await run('boards', 'add', 'everything', '--all', '--library', lib, '--json');
    expect(JSON.parse(all.out[0]!)).toMatchObject({ board: { name: 'Everything' }, matched: 3, changed: 3 });
    const some = await run('boards', 'remove', 'everything', '--search', 'fox', '--library', lib, '--json');
    expect(JSON.parse(some.out[0]!)).toMatchObject({ matched: 2, changed: 2 });
    const list = await run('boards', 'list', '--library', lib);
    expect(list.code).toBe(0);
    expect(list.out.join('\n')).toMatch(/\s1\s+Everything$/m);
    expect(list.err.join('\n')).toContain('2 images on none');
    const nowhere = path.join(root, 'no-library');
    const empty = await run('boards', 'list', '--library', nowhere, '--json');
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.out[0]!)).toMatchObject({ boards: [], unboarded: 0 });
    expect(existsSync(nowhere)).toBe(false);
    const create = await run('boards', 'create', 'x', '--library', nowhere);
    expect(create.code).toBe(1);
    expect(existsSync(nowhere)).toBe(false);
  });
});
