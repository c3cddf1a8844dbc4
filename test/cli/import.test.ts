/** `import` spawned from the built CLI bundle, as a user runs it (and in process for the refusals). */
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli as runCliInProcess } from '../../main/cli/run';
import { openLibrary } from '../../main/library/library';
import { createNodePlatform } from '../../main/platform';
import { A1111_TEXT, COMFY_KSAMPLER_PROMPT, NOVELAI_COMMENT, jpegWithUserComment, pngWith } from '../import/fixtures';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = path.join(root, 'out/main/cli.mjs');
let home: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { PATH: process.env.PATH ?? '', HOME: home } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--only=cli'], { cwd: root, stdio: 'inherit' });
  home = await mkdtemp(path.join(tmpdir(), 'flux-cli-import-'));
}, 120_000);
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('cli import', () => {
  it('imports a folder with --json: progress lines, a report, exit 0 when all imported or duplicate', async () => {
    const src = path.join(home, 'good');
    await mkdir(path.join(src, 'nested'), { recursive: true });
    await writeFile(path.join(src, 'comfy.png'), await pngWith([['prompt', COMFY_KSAMPLER_PROMPT]]));
    await writeFile(path.join(src, 'nested', 'a1111.jpg'), await jpegWithUserComment(A1111_TEXT));
    await writeFile(
      path.join(src, 'nested', 'nai.png'),
      await pngWith(
        [
          ['Software', 'NovelAI'],
          ['Comment', NOVELAI_COMMENT],
        ],
        [32, 32],
        { r: 3, g: 3, b: 3 },
      ),
    );
    const library = path.join(home, 'lib');
    const run = await runCli(['import', src, '--library', library, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const progress = lines.filter((l) => l.type === 'progress');
    expect(progress).toHaveLength(3);
    expect(progress.at(-1)).toMatchObject({ done: 3, total: 3, imported: 3, etaMs: 0 });
    const finished = lines.at(-1)!;
    expect(finished).toMatchObject({
      type: 'finished',
      status: 'done',
      counts: { imported: 3, duplicate: 0, failed: 0 },
    });
    const sources = (finished.files as { source?: string }[]).map((f) => f.source).sort();
    expect(sources).toEqual(['a1111', 'comfyui', 'novelai']);

    // The library has them, with their parameters; a second import: all duplicates, exit 0, words.
    const lib = await openLibrary({
      dir: library,
      platform: createNodePlatform(path.join(home, 'trash')),
      readOnly: true,
    });
    const items = lib.query({ text: 'bottle' }).items;
    expect(items[0]).toMatchObject({ seed: 8566257, params: { source: 'comfyui', negativePrompt: 'text, watermark' } });
    await lib.dispose();
    const again = await runCli(['import', src, '--library', library]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('0 imported, 3 duplicate');
    // `history` lists an imported image under the model its tool recorded, found by a word of its prompt.
    const listed = await runCli(['history', '--library', library, '--search', 'cast']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/ juggernautX…\s+space:imported\/a1111 .*a castle on a hill/);
  }, 60_000);

  it('exit 1 when some files could not be imported, each named with its reason', async () => {
    const src = path.join(home, 'bad');
    await mkdir(src, { recursive: true });
    await writeFile(path.join(src, 'fake.png'), 'not an image');
    const ok = await pngWith([], [20, 20], { r: 250, g: 250, b: 0 });
    await writeFile(path.join(src, 'ok.png'), ok);
    await writeFile(path.join(src, 'cut.png'), ok.subarray(0, ok.length - 30));
    const run = await runCli(['import', src, path.join(home, 'missing'), '--library', path.join(home, 'lib2')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`not an image: ${path.join(src, 'fake.png')}`);
    expect(run.stderr).toContain(`unreadable: ${path.join(src, 'cut.png')}`);
    expect(run.stderr).toContain(`unreadable: ${path.join(home, 'missing')}`);
    expect(run.stderr).toMatch(/1 imported, 0 duplicate, 2 unreadable, 1 not an image/);
    expect(run.stdout).toMatch(/\tok\.png|ok\.png$/m);
  });

  it('refuses bad arguments (in process)', async () => {
    const err: string[] = [];
    const io = { stdout: () => {}, stderr: (s: string) => err.push(s) };
    expect(await runCliInProcess(['import'], io, { HOME: home }, new AbortController().signal)).toBe(2);
    expect(err.join('\n')).toContain('Name at least one file or folder');
    expect(await runCliInProcess(['import', '--bogus', 'x'], io, { HOME: home }, new AbortController().signal)).toBe(2);
  });
});
