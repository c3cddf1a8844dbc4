/**
 * `generate --style NAME --preset NAME` (in process, against a Schnell-layout fake Space over HTTP):
 * presets and styles read from the app's data folder (`--data`), the preset's parameters under the
 * options given, the style applied by the core as in the app (styled prompt on the wire, its name in
 * the PNG metadata), the prompt recorded in the data folder's prompt history.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommand, type GenerateCommand } from '../../main/cli/args';
import { paramsForRun } from '../../main/cli/generate';
import { runCli } from '../../main/cli/run';
import { A1111_KEYWORD, EMBED_KEYWORD, recordFromChunks } from '../../main/library/png-metadata';
import { readTextChunks } from '../../main/library/png-text-chunks';
import { createPresetStore } from '../../main/prompts/presets';
import { createPromptHistory } from '../../main/prompts/prompt-history';
import { confStoreFactory } from '../../main/store';
import { startFakeSpace, type FakeSpace } from '../fake-space';

let home: string;
let data: string;
let library: string;
let schnell: FakeSpace;

beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'fg-cli-presets-'));
  data = path.join(home, 'data');
  library = path.join(home, 'lib');
  schnell = await startFakeSpace({ layout: 'schnell', timing: { stepMs: 2, heartbeatMs: 20 } });
  // As the app saves them.
  const store = createPresetStore({ storeFactory: confStoreFactory, dataDir: data });
  store.saveStyle({ name: 'Cinematic', template: 'cinematic photo of {prompt}, 35mm', negativePrompt: 'blurry' });
  store.saveStyle({ name: 'Ink', template: 'ink drawing of {prompt}' });
  store.savePreset({
    name: 'Wide fixed',
    model: 'flux-schnell',
    aspectRatio: '16:9',
    steps: 3,
    randomizeSeed: false,
    seed: 4242,
    style: 'Cinematic',
  });
});
afterEach(async () => {
  await schnell.close();
  await rm(home, { recursive: true, force: true });
});

const run = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (l: string) => void out.push(l), stderr: (l: string) => void err.push(l) };
  const code = await runCli(args, io, { HOME: home }, new AbortController().signal);
  return { code, stdout: out, stderr: err.join('\n') };
};
const base = () => ['--base-url', schnell.url, '--hf-url', schnell.url, '--data', data, '--library', library, '--json'];
const savedOf = (stdout: string[]) =>
  stdout.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.type === 'saved') as
    { file: string; prompt: string; seed: number; steps: number; width: number; height: number } | undefined;

describe('generate --style / --preset', () => {
  it('--style applies a saved style: the Space gets the styled prompt, the PNG names the style', async () => {
    const r = await run([
      'generate',
      '--prompt',
      'a red fox',
      '--model',
      'flux-schnell',
      '--style',
      'cinematic',
      ...base(),
    ]);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const saved = savedOf(r.stdout)!;
    expect(saved.prompt).toBe('cinematic photo of a red fox, 35mm');
    expect(schnell.jobs.at(-1)!.data[0]).toBe('cinematic photo of a red fox, 35mm');
    const chunks = readTextChunks(await readFile(saved.file), [A1111_KEYWORD, EMBED_KEYWORD]);
    expect(chunks.get(A1111_KEYWORD)).toMatch(/Style: Cinematic/);
    expect(recordFromChunks(chunks)!.params.style).toBe('Cinematic');
    // Recorded in the data folder's prompt history as typed, as the app would.
    const [rec] = createPromptHistory({ dataDir: data }).list();
    expect(rec).toMatchObject({ prompt: 'a red fox', params: { style: 'Cinematic' } });
  });

  it('--preset gives its parameters and style; the options given win, the seed mode too', async () => {
    const r = await run(['generate', '--prompt', 'a lighthouse', '--preset', 'wide FIXED', '--steps', '2', ...base()]);
    expect(r.code).toBe(0);
    const saved = savedOf(r.stdout)!;
    expect(saved.prompt).toBe('cinematic photo of a lighthouse, 35mm');
    expect(saved.steps).toBe(2);
    expect(saved.seed).toBe(4242);
    expect(saved.width).toBeGreaterThan(saved.height);

    const again = await run([
      'generate',
      '--prompt',
      'a lighthouse',
      '--preset',
      'Wide fixed',
      '--style',
      'Ink',
      '--seed',
      '7',
      ...base(),
    ]);
    expect(again.code).toBe(0);
    const second = savedOf(again.stdout)!;
    expect(second.prompt).toBe('ink drawing of a lighthouse');
    expect(second.seed).toBe(7);
    expect(second.steps).toBe(3);
  });

  it('an unknown preset or style is refused in words (exit 2), nothing sent', async () => {
    const preset = await run(['generate', '--prompt', 'x', '--preset', 'Nope', ...base()]);
    expect(preset.code).toBe(2);
    expect(preset.stderr).toMatch(/--preset: there is no preset "Nope" in .* \(saved: "Wide fixed"\)/);
    const style = await run(['generate', '--prompt', 'x', '--style', 'Gone', ...base()]);
    expect(style.code).toBe(2);
    expect(style.stderr).toMatch(/--style: there is no style "Gone" in .* \(saved: "Cinematic", "Ink"\)/);
    expect(schnell.jobs).toHaveLength(0);
  });
});

describe('generate arguments: preset under the options', () => {
  const cmd = (args: string[]) =>
    parseCommand(['generate', '--prompt', 'p', ...args], { HOME: '/home/u' }) as GenerateCommand;
  const saved = {
    presets: [
      { name: 'Dev', model: 'flux-dev' as const, steps: 20, guidance: 4, randomizeSeed: true, negativePrompt: 'text' },
    ],
    styles: [],
  };

  it('keeps only the options given (the seed mode with --seed or --randomize)', () => {
    expect(cmd(['--steps', '4']).given).toEqual({ prompt: 'p', steps: 4 });
    expect(cmd(['--seed', '5']).given).toEqual({ prompt: 'p', seed: 5, randomizeSeed: false });
    expect(cmd(['--randomize']).given).toEqual({ prompt: 'p', randomizeSeed: true });
    expect(cmd(['--preset', ' Dev ']).preset).toBe('Dev');
    expect(cmd([]).preset).toBeNull();
  });

  it("the preset's parameters fill what is not given", () => {
    const p = paramsForRun(cmd(['--preset', 'dev', '--guidance', '2']), saved);
    expect(p).toMatchObject({ prompt: 'p', model: 'flux-dev', steps: 20, guidance: 2, negativePrompt: 'text' });
    expect(p.randomizeSeed).toBe(true);
    // Without a preset the options are used as they are.
    expect(paramsForRun(cmd(['--steps', '4']), saved).steps).toBe(4);
  });

  it('a preset and options that do not fit together are refused as options are', () => {
    expect(() => paramsForRun(cmd(['--preset', 'Dev', '--provider', 'voodoohop-flux1-schnell']), saved)).toThrow(
      /does not serve the model "flux-dev"/,
    );
  });
});
