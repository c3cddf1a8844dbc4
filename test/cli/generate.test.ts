/**
 * The headless CLI end to end: the built bundle (out/main/cli.mjs) spawned against fake Spaces, a
 * Dev-layout one and a Schnell-layout one (a Space's layout is its `infer` inputs; the Schnell
 * providers' jobs fail on a Dev Space, as they would on the real one). Every run passes `--hf-url`,
 * so no Space state is asked of the real Hugging Face.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli as runCliInProcess } from '../../main/cli/run';
import { startFakeSpace, type FakeSpace } from '../fake-space';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = path.join(root, 'out/main/cli.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(
  args: string[],
  env: Record<string, string> = {},
  onStdout?: (chunk: string, kill: () => void) => void,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    // A clean environment: no proxy or token of the machine leaks into the run.
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      onStdout?.(c.toString(), () => child.kill('SIGINT'));
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Image files anywhere under a folder (none when it does not exist). */
const imagesIn = async (dir: string) =>
  existsSync(dir) ? (await readdir(dir, { recursive: true })).filter((f) => /\.(png|webp)$/.test(f)) : [];

/** `generate` on the Schnell fake Space for the `flux-schnell` model, with this prompt. */
const onSchnell = (prompt: string) => [
  'generate',
  '--prompt',
  prompt,
  '--model',
  'flux-schnell',
  '--base-url',
  schnell.url,
  '--hf-url',
  schnell.url,
];

let home: string;
let library: string;
/** The Dev layout (Flux-1-Dev, `flux`, `flux-dev`). */
let space: FakeSpace;
/** The Schnell layout (`flux-schnell`, the Schnell providers). */
let schnell: FakeSpace;
beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--only=cli'], { cwd: root, stdio: 'inherit' });
}, 60_000);
beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'flux-cli-'));
  library = path.join(home, 'lib');
  space = await startFakeSpace({ timing: { stepMs: 2, heartbeatMs: 20 } });
  schnell = await startFakeSpace({ layout: 'schnell', timing: { stepMs: 2, heartbeatMs: 20 } });
});
afterEach(async () => {
  await Promise.all([space.close(), schnell.close()]);
  await rm(home, { recursive: true, force: true });
});

describe('cli generate', () => {
  it('saves a real image and prints its path (exit 0)', async () => {
    const r = await runCli([
      'generate',
      '--prompt',
      'a red fox',
      '--base-url',
      space.url,
      '--hf-url',
      space.url,
      '--library',
      library,
    ]);
    expect(r.stderr).toContain('[bfl-flux1-dev] Step 4/4');
    expect(r.code).toBe(0);
    const file = r.stdout.trim();
    expect(file.startsWith(library + path.sep)).toBe(true);
    // The library may convert (it stores PNG with metadata); the image must be real and complete.
    const meta = await sharp(file).metadata();
    expect(meta).toMatchObject({ width: 1024, height: 1024 });
    expect(['png', 'webp']).toContain(meta.format);
  });

  it('--json: one object per line per event, ending with "saved"', async () => {
    const r = await runCli([
      ...onSchnell('a red fox'),
      '--library',
      library,
      '--width',
      '517',
      '--aspect',
      '9:16',
      '--seed',
      '1234',
      '--steps',
      '3',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // Schnell on the queue API (its /config names infer): queue, start, log, three steps and their
    // previews (the last one is the result), the image, then what was saved.
    expect(lines.map((l) => l.type)).toEqual([
      'status',
      'queue',
      'queue',
      'status',
      'status',
      'progress',
      'preview',
      'progress',
      'preview',
      'progress',
      'preview',
      'image',
      'saved',
    ]);
    expect(lines.slice(0, -1).every((l) => l.providerId === 'bfl-flux1-schnell')).toBe(true);
    expect(lines[0]).toMatchObject({ type: 'status', status: { code: 'sent' } });
    const saved = lines.at(-1)!;
    // 517 snaps down to 512 on the sliders' grid; 9:16 keeps the 768 long side.
    expect(saved).toMatchObject({
      type: 'saved',
      provider: 'bfl-flux1-schnell',
      seed: 1234,
      model: 'flux-schnell',
      width: 512,
      height: 768,
      steps: 3,
    });
    expect(typeof saved.id).toBe('string');
    expect(await sharp(saved.file as string).metadata()).toMatchObject({ width: 512, height: 768 });
    const join = schnell.requestsTo('join')[0]!;
    expect(join.path).toBe('/gradio_api/queue/join');
    expect((join.body as { data: unknown[] }).data).toEqual(['a red fox', 1234, false, 512, 768, 3]);
  });

  it("a size outside the Space's sliders is refused before anything is sent", async () => {
    const r = await runCli([...onSchnell('fox'), '--library', library, '--height', '100']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Height 100 is outside what BlackForestLabs Flux-1-Schnell accepts (256–2048)');
    expect(schnell.requestsTo('join')).toHaveLength(0);
    // The library may be opened, but no image is saved.
    expect(await imagesIn(library)).toEqual([]);
  });

  it('--provider pins one provider; --base-url then applies to it only', async () => {
    const r = await runCli([
      'generate',
      '--prompt',
      'fox',
      '--provider',
      'voodoohop-flux1-schnell',
      '--base-url',
      schnell.url,
      '--hf-url',
      schnell.url,
      '--library',
      library,
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      type: 'saved',
      provider: 'voodoohop-flux1-schnell',
    });
    expect(schnell.requestsTo('join')).toHaveLength(1);
    expect(space.requests).toHaveLength(0);
  });

  it('saves under ~/Pictures/Flux Gallery by default', async () => {
    const r = await runCli([...onSchnell('fox')]);
    expect(r.code).toBe(0);
    // No Pictures folder in this HOME: the library goes in HOME itself.
    expect(r.stdout.trim().startsWith(path.join(home, 'Flux Gallery') + path.sep)).toBe(true);
    expect(existsSync(r.stdout.trim())).toBe(true);
  });

  it("saves into the library folder chosen in the app's Settings (--data), and leaves the settings alone", async () => {
    const data = path.join(home, 'app-data');
    const chosen = path.join(home, 'chosen-library');
    await mkdir(data, { recursive: true });
    // A folder chosen in Settings exists (the app made it); a missing one is never created silently.
    await mkdir(chosen, { recursive: true });
    const settings = JSON.stringify({ libraryDir: chosen, theme: 'dark' });
    await writeFile(path.join(data, 'settings.json'), settings);
    const args = ['--model', 'flux-schnell', '--base-url', schnell.url, '--hf-url', schnell.url, '--data', data];
    const r = await runCli(['generate', '--prompt', 'fox', ...args]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().startsWith(chosen + path.sep)).toBe(true);
    expect(JSON.parse(await readFile(path.join(data, 'settings.json'), 'utf8'))).toMatchObject({
      libraryDir: chosen,
      theme: 'dark',
    });
    // history reads the same folder, and `--library` still wins for one run.
    const listed = await runCli(['history', '--data', data, '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject({ libraryDir: chosen, total: 1 });
    const other = await runCli(['generate', '--prompt', 'fox', ...args, '--library', library]);
    expect(other.stdout.trim().startsWith(library + path.sep)).toBe(true);
  });

  it('falls back to the next provider when the image download fails (the job runner does it)', async () => {
    // Both Schnell providers use this Space (--base-url); its files cannot be fetched.
    schnell.setFault({ route: 'file', kind: 'http', status: 404 });
    const r = await runCli([...onSchnell('fox'), '--library', library, '--json']);
    expect(r.code).toBe(1);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; providerId?: string; error?: { code: string } });
    // The first provider's failed download made the router try the second one.
    expect(events.filter((e) => e.type === 'error').map((e) => e.providerId)).toEqual([
      'bfl-flux1-schnell',
      'voodoohop-flux1-schnell',
    ]);
    expect(schnell.requestsTo('join')).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'failed', error: { code: 'all-providers-failed' } });
  });

  it('a failed generation exits 1 with the error in words', async () => {
    schnell.setFault({ route: 'join', kind: 'http', status: 503 });
    const r = await runCli([...onSchnell('fox'), '--library', library]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error: No provider could make the image. BlackForestLabs Flux-1-Schnell: The Space answered HTTP 503 Service Unavailable: an HTML page; Voodoohop Flux-1-Schnell: The Space answered HTTP 503 Service Unavailable: an HTML page.\n',
    );
    expect(r.stderr).toContain(
      '[bfl-flux1-schnell] Failed: The Space answered HTTP 503 Service Unavailable: an HTML page. Trying the next provider if any.',
    );
    expect(r.stderr).not.toMatch(/<html|DOCTYPE|\.\./i);
    // Each provider tried twice (a join failure reads the config again once).
    expect(schnell.requestsTo('join')).toHaveLength(4);
    // The library may be opened, but no image is saved.
    expect(await imagesIn(library)).toEqual([]);
  });

  it('a Space on the wrong layout fails its job; the CLI says so without details', async () => {
    // The Dev Space (7 inputs) given to a Schnell provider (6): Gradio fails the job (error: null).
    const r = await runCli([
      'generate',
      '--prompt',
      'fox',
      '--provider',
      'bfl-flux1-schnell',
      '--base-url',
      space.url,
      '--hf-url',
      space.url,
      '--library',
      library,
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^Error: The Space reported an error without details \(it may be overloaded or restarting\)\.$/m,
    );
    expect(space.jobs[0]!.state).toBe('failed');
  });

  it('--timeout also bounds a file server that stalls', async () => {
    schnell.setFault({ route: 'file', kind: 'stall' });
    const r = await runCli([
      'generate',
      '--prompt',
      'fox',
      '--provider',
      'voodoohop-flux1-schnell',
      '--base-url',
      schnell.url,
      '--hf-url',
      schnell.url,
      '--timeout',
      '1',
      '--library',
      library,
    ]);
    expect(r.code).toBe(1);
    // The download's own idle limit is 30 s; --timeout 1 replaced it (the run would not end otherwise
    // within the test's time limit), and the error is the file server's silence.
    expect(r.stderr).toMatch(/\[voodoohop-flux1-schnell\] Image ready .*, downloading\n/);
    expect(r.stderr).toMatch(/^Error: The image server stopped answering \(timed out\)\.$/m);
    expect(schnell.requestsTo('file').length).toBeGreaterThan(0);
    expect(existsSync(library) ? await readdir(library, { recursive: true }) : []).not.toContainEqual(
      expect.stringMatching(/\.(webp|png)$/),
    );
  });

  it('--json failure ends with a "failed" object', async () => {
    space.setFault({ route: 'stream', kind: 'quota' });
    const r = await runCli([
      'generate',
      '--prompt',
      'fox',
      '--model',
      'flux-dev',
      '--base-url',
      space.url,
      '--hf-url',
      space.url,
      '--json',
    ]);
    expect(r.code).toBe(1);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
      type: string;
      error: { code: string; message: string };
    };
    expect(last).toMatchObject({ type: 'failed', error: { code: 'quota' } });
    expect(r.stderr).toMatch(/^Error: You have exceeded your GPU quota/m);
  });

  it('Ctrl+C cancels: the Space is told to stop, exit 130', async () => {
    space.setTiming({ stepMs: 100 });
    let sent = false;
    const r = await runCli(
      [
        'generate',
        '--prompt',
        'fox',
        '--model',
        'flux-dev',
        '--base-url',
        space.url,
        '--hf-url',
        space.url,
        '--json',
        '--library',
        library,
      ],
      {},
      (chunk, kill) => {
        // Once: a second Ctrl+C quits without waiting.
        if (!sent && chunk.includes('"type":"queue"')) {
          sent = true;
          kill();
        }
      },
    );
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 130, stderr: 'Error: Cancelled.\n' });
    expect(space.requestsTo('cancel')).toHaveLength(1);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      type: 'failed',
      error: { code: 'cancelled' },
    });
    expect(existsSync(library) ? await readdir(library, { recursive: true }) : []).not.toContainEqual(
      expect.stringMatching(/\.(webp|png)$/),
    );
  });
});

describe('cli arguments', () => {
  const inProcess = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (l: string) => void out.push(l), stderr: (l: string) => void err.push(l) };
    const code = await runCliInProcess(args, io, { HOME: home }, new AbortController().signal);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  };

  it.each([
    [['generate'], '--prompt is required.'],
    [['generate', '--prompt', 'x', '--width', 'wide'], '--width must be a number, got "wide".'],
    [['generate', '--prompt', 'x', '--width', '16'], 'Width must be at least 32.'],
    [['generate', '--prompt', 'x', '--steps', '2.5'], 'Steps must be a whole number.'],
    [['generate', '--prompt', 'x', '--guidance', '99'], 'Guidance must be at most 15.'],
    [['generate', '--prompt', '  '], 'Prompt must not be empty.'],
    [['generate', '--prompt', 'x', '--model', 'sdxl'], '--model: Invalid option'],
    [['generate', '--prompt', 'x', '--aspect', '5:7'], '--aspect: Invalid option'],
    [['generate', '--prompt', 'x', '--provider', 'dalle'], '--provider: not a provider: bfl-flux1-dev,'],
    [
      ['generate', '--prompt', 'x', '--base-url', 'ftp://space'],
      '--base-url must be an http(s) URL, got "ftp://space".',
    ],
    [['generate', '--prompt', 'x', '--timeout', '0'], '--timeout must be between 0 and 3600 seconds.'],
    [['generate', '--prompt', 'x', '--nope'], "Unknown option '--nope'."],
    [['generate', '--prompt', 'x', 'extra'], 'Unexpected argument "extra".'],
    [['paint'], 'Unknown command "paint".'],
    [
      ['generate', '--prompt', 'x', '--model', 'flux-dev', '--provider', 'voodoohop-flux1-schnell'],
      '--provider voodoohop-flux1-schnell does not serve the model "flux-dev".',
    ],
    [
      ['generate', '--prompt', 'x', '--seed', '-1'],
      "Option '--seed' argument is ambiguous. Did you forget to specify the option argument for '--seed'?",
    ],
  ])('%j → exit 2 with a clear message', async (args, message) => {
    const r = await inProcess(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Error: ${message}`);
    expect(space.requests).toHaveLength(0);
  });

  it('the built CLI exits 2 on bad arguments, 0 for help and models', async () => {
    const bad = await runCli(['generate', '--prompt', 'x', '--seed=-1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Error: Seed must be at least 0.');
    const help = await runCli(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--base-url URL');
    const models = await runCli(['models', '--json']);
    expect(models.code).toBe(0);
    expect(JSON.parse(models.stdout).models).toHaveLength(3);
  });
});
