/**
 * The CLI's `export` and `boards`, end to end: the built bundle (out/main/cli.mjs) spawned on a real
 * library; what it wrote read back with independent readers; Ctrl+C leaves nothing behind.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLibrary } from '../../main/library/library';
import { formatParameters } from '../../main/library/png-metadata';
import { createNodePlatform } from '../../main/platform';
import type { HistoryEntry } from '../../shared/library';
import { makeImage, saveInput } from '../library/helpers';
import { makeSyntheticLibrary } from '../library/synthetic-library';
import { parseCsv, readZip, userCommentOf } from '../export/readers';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = path.join(root, 'out/main/cli.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: Record<string, unknown>[];
}

function runCli(args: string[], onStdout?: (chunk: string, interrupt: () => void) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '', HOME: home } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      onStdout?.(c.toString(), () => child.kill('SIGINT'));
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, stdout, stderr, lines });
    });
  });
}

let home: string;
let library: string;
let entries: HistoryEntry[];

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--only=cli'], { cwd: root, stdio: 'inherit' });
  home = await mkdtemp(path.join(tmpdir(), 'flux-cli-export-'));
  library = path.join(home, 'lib');
  const lib = await openLibrary({ dir: library, platform: createNodePlatform(path.join(home, 'trash')) });
  entries = [];
  for (const [i, prompt] of ['a red fox', 'café ☕ at dawn', 'an owl, "wise"'].entries()) {
    entries.push(
      await lib.saveImage(
        await saveInput({
          prompt,
          bytes: await makeImage('png', 40, 30, i),
          seed: 500 + i,
          createdAt: new Date(Date.UTC(2025, 2, i + 1)),
        }),
      ),
    );
  }
  lib.setRating(entries[1]!.id, 4);
  lib.setFavourite(entries[2]!.id, true);
  await lib.dispose();
}, 120_000);
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('cli export', () => {
  it('exports every image to a folder as stored, with JSON progress and a finished line', async () => {
    const to = path.join(home, 'all');
    const r = await runCli(['export', '--library', library, '--to', to, '--json', '--pattern', '{seed}']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines[0]).toMatchObject({ type: 'progress', done: 0, total: 3 });
    expect(r.lines.at(-1)).toMatchObject({ type: 'finished', status: 'done', written: 3, total: 3, destination: to });
    expect((await readdir(to)).sort()).toEqual(['500.png', '501.png', '502.png']);
    const first = await readFile(path.join(to, '500.png'));
    expect(first.equals(await readFile(path.join(library, entries[0]!.file)))).toBe(true);
  });

  it('a board, stars and a search to one ZIP as JPEG, with sidecars and a CSV', async () => {
    const made = await runCli(['boards', 'create', 'Keepers', '--library', library, '--json']);
    expect(made.code, made.stderr).toBe(0);
    const add = await runCli([
      'boards',
      'add',
      'keepers',
      entries[1]!.id,
      entries[2]!.id,
      '--library',
      library,
      '--json',
    ]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.lines[0]).toMatchObject({ action: 'addToBoard', matched: 2, changed: 2 });
    const zip = path.join(home, 'keepers.zip');
    const r = await runCli([
      'export',
      '--library',
      library,
      '--board',
      'KEEPERS',
      '--min-rating',
      '4',
      '--to',
      zip,
      '--format',
      'jpeg',
      '--sidecar',
      '--csv',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines.at(-1)).toMatchObject({ status: 'done', written: 1 });
    const items = await readZip(zip);
    expect(items.map((i) => i.name.replace(/^.*_/, ''))).toEqual(['501.jpg', '501.txt', 'parameters.csv']);
    expect((await userCommentOf(items[0]!.data)).text).toBe(formatParameters(entries[1]!));
    const csv = parseCsv(items[2]!.data.toString('utf8').slice(1));
    expect(csv[1]![csv[0]!.indexOf('prompt')]).toBe('café ☕ at dawn');
    expect(csv[1]![csv[0]!.indexOf('boards')]).toBe('Keepers');
    // The same with --favourites and a search, plain output: the path on stdout.
    const zip2 = path.join(home, 'owl.zip');
    const r2 = await runCli(['export', '--library', library, '--favourites', '--search', 'OWL', '--to', zip2]);
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stdout.trim()).toBe(zip2);
    expect(await readZip(zip2)).toHaveLength(1);
    // A ZIP that exists is not overwritten without --overwrite.
    const again = await runCli(['export', '--library', library, '--to', zip2]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists already/);
    expect((await runCli(['export', '--library', library, '--to', zip2, '--overwrite'])).code).toBe(0);
    expect(await readZip(zip2)).toHaveLength(3);
  });

  it('refuses bad arguments (exit 2) and a destination inside the library (exit 1)', async () => {
    for (const args of [
      ['--to', path.join(home, 'x'), '--format', 'gif'],
      ['--format', 'png'],
      ['--to', path.join(home, 'x'), '--min-rating', '9'],
      ['--to', path.join(home, 'x'), '--board', 'no such board'],
      ['--to', path.join(home, 'x'), '--pattern', '{nope}'],
      ['--to', path.join(home, 'x'), '--bogus'],
    ]) {
      const r = await runCli(['export', '--library', library, ...args]);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/^Error: /);
    }
    const inside = await runCli(['export', '--library', library, '--to', path.join(library, 'out')]);
    expect(inside.code).toBe(1);
    expect(inside.stderr).toMatch(/outside the library folder/);
    expect(existsSync(path.join(library, 'out'))).toBe(false);
    const help = await runCli(['export', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--to DIR|FILE.zip');
  });

  it('Ctrl+C part-way: exit 130, and neither the ZIP nor a temp file is left', async () => {
    // A library of 300 images, big enough that converting them takes a while.
    const big = path.join(home, 'big');
    await makeSyntheticLibrary(big, 300, { fileBytes: await makeImage('png', 512, 512, 3) });
    const out = path.join(home, 'cancel');
    await mkdir(out);
    let interrupted = false;
    const r = await runCli(
      ['export', '--library', big, '--to', path.join(out, 'big.zip'), '--format', 'webp', '--csv', '--json'],
      (chunk, interrupt) => {
        if (!interrupted && chunk.includes('"type":"progress"')) {
          interrupted = true;
          interrupt();
        }
      },
    );
    expect(r.code, r.stderr).toBe(130);
    expect(r.lines.at(-1)).toMatchObject({ type: 'finished', status: 'cancelled' });
    expect(await readdir(out)).toEqual([]);
  });
});

describe('cli boards', () => {
  it('create, list, add by search, remove by id, rename, auto-add, delete', async () => {
    const lib = ['--library', library];
    const created = await runCli(['boards', 'create', 'Foxes', '--auto-add', ...lib, '--json']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.lines[0]).toMatchObject({ name: 'Foxes', autoAdd: true, count: 0 });
    expect((await runCli(['boards', 'create', 'foxes', ...lib])).code).toBe(1);
    const add = await runCli(['boards', 'add', 'Foxes', '--search', 'fox', ...lib]);
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toContain('Added 1 of 1 images to "Foxes"');
    const list = await runCli(['boards', 'list', ...lib, '--json']);
    const state = list.lines[0] as { boards: { name: string; count: number; autoAdd: boolean }[]; unboarded: number };
    expect(state.boards.find((b) => b.name === 'Foxes')).toMatchObject({ count: 1, autoAdd: true });
    const remove = await runCli(['boards', 'remove', 'Foxes', entries[0]!.id, ...lib, '--json']);
    expect(remove.lines[0]).toMatchObject({ changed: 1 });
    expect((await runCli(['boards', 'rename', 'Foxes', 'Vulpes', ...lib])).code).toBe(0);
    expect((await runCli(['boards', 'auto-add', 'vulpes', 'off', ...lib, '--json'])).lines[0]).toMatchObject({
      name: 'Vulpes',
      autoAdd: false,
    });
    const del = await runCli(['boards', 'delete', 'Vulpes', ...lib]);
    expect(del.code).toBe(0);
    expect(del.stdout).toContain('its images stay');
    const after = (await runCli(['boards', 'list', ...lib, '--json'])).lines[0] as { boards: { name: string }[] };
    expect(after.boards.map((b) => b.name)).not.toContain('Vulpes');
  });
});
