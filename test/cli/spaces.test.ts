/**
 * The CLI beyond the three Spaces, as a user runs it: the built bundle (out/main/cli.mjs) spawned
 * against fake Spaces and the fake Inference router. `spaces inspect`, `spaces add` (with
 * --endpoint and --map), `spaces list/remove`, `generate --provider space:… --base-url` (saved or
 * not) and `generate --provider hf-inference:… --inference-url`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SavedSpace, SpaceInspection } from '../../shared/spaces';
import { FAKE_TOKEN, startFakeInference, type FakeInference } from '../fake-inference';
import { startFakeSpace, type FakeSpace } from '../fake-space';

const root = fileURLToPath(new URL('../../', import.meta.url));
const cli = path.join(root, 'out/main/cli.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let home: string;
let sd: FakeSpace;
let two: FakeSpace;
let inference: FakeInference;

function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    // A clean environment: no proxy or token of the machine leaks into the run.
    const child = spawn(process.execPath, [cli, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: home, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const data = () => path.join(home, 'data');
const common = () => ['--data', data(), '--hf-url', sd.url];
const lastJson = (out: string) => JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, unknown>;

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build.mjs', '--only=cli'], { cwd: root, stdio: 'inherit' });
  home = await mkdtemp(path.join(tmpdir(), 'flux-cli-spaces-'));
  sd = await startFakeSpace({ layout: 'sd', timing: { stepMs: 2, heartbeatMs: 50 } });
  two = await startFakeSpace({ layout: 'two-endpoints', hub: sd.hub, timing: { stepMs: 2, heartbeatMs: 50 } });
  inference = await startFakeInference({ falPolls: 1 });
}, 120_000);
afterAll(async () => {
  await Promise.all([sd?.close(), two?.close(), inference?.close()]);
  await rm(home, { recursive: true, force: true });
});

describe('cli spaces', () => {
  it('inspect --json prints the endpoints and the mapping; in words without --json; saves nothing', async () => {
    const r = await runCli(['spaces', 'inspect', sd.url, '--json', ...common()]);
    expect(r.code, r.stderr).toBe(0);
    const found = JSON.parse(r.stdout) as SpaceInspection;
    expect(found.endpoints[0]!.apiName).toBe('generate');
    expect(found.endpoints[0]!.mapping.map((m) => m.param)).toEqual(
      expect.arrayContaining(['prompt', 'negativePrompt', 'guidance', 'steps', 'width', 'height', 'seed']),
    );
    const words = await runCli(['spaces', 'inspect', two.url, ...common()]);
    expect(words.code, words.stderr).toBe(0);
    expect(words.stdout).toContain('Endpoint /infer');
    expect(words.stdout).toContain('Endpoint /infer_hd');
    expect(words.stdout).toMatch(/negative_prompt\s+text\s+→ negativePrompt/);
    const list = await runCli(['spaces', 'list', '--json', ...common()]);
    expect(JSON.parse(list.stdout)).toEqual({ spaces: [] });
  });

  it('add with --endpoint and --map, then generate through it; list and remove', async () => {
    const add = await runCli([
      'spaces',
      'add',
      two.url,
      '--endpoint',
      'infer_hd',
      '--map',
      'negative_prompt=none',
      '--label',
      'Two HD',
      '--alias',
      'flux-schnell',
      '--json',
      ...common(),
    ]);
    expect(add.code, add.stderr).toBe(0);
    const saved = JSON.parse(add.stdout) as SavedSpace;
    expect(saved).toMatchObject({ label: 'Two HD', aliases: ['flux-schnell'] });
    expect(saved.endpoint.apiName).toBe('infer_hd');
    expect(saved.endpoint.mapping.some((m) => m.param === 'negativePrompt')).toBe(false);
    // The app's settings file now holds it.
    const file = JSON.parse(await readFile(path.join(data(), 'settings.json'), 'utf8')) as { customSpaces: unknown[] };
    expect(file.customSpaces).toHaveLength(1);

    const lib = path.join(home, 'lib-a');
    const gen = await runCli([
      'generate',
      '--prompt',
      'a lighthouse',
      '--provider',
      saved.id,
      '--extra',
      'negative_prompt=fog',
      '--library',
      lib,
      '--json',
      ...common(),
    ]);
    expect(gen.code, gen.stderr + gen.stdout).toBe(0);
    expect(lastJson(gen.stdout)).toMatchObject({ type: 'saved', provider: saved.id });
    // Unmapped, the negative prompt input took the --extra value.
    expect((two.requestsTo('join').at(-1)!.body as { data: unknown[] }).data.slice(0, 2)).toEqual([
      'a lighthouse',
      'fog',
    ]);

    const models = await runCli(['models', '--json', '--data', data()]);
    const listed = JSON.parse(models.stdout) as { models: { alias: string; providers: string[] }[] };
    expect(listed.models.find((m) => m.alias === 'flux-schnell')!.providers).toContain(saved.id);

    expect((await runCli(['spaces', 'remove', saved.id, ...common()])).code).toBe(0);
    const again = await runCli(['spaces', 'remove', saved.id, ...common()]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('No Space');
  });

  it('generate with a Space not added: read from --base-url for this run, nothing saved', async () => {
    const lib = path.join(home, 'lib-b');
    const r = await runCli([
      'generate',
      '--prompt',
      'a harbour',
      '--provider',
      'space:me/sd-style',
      '--base-url',
      sd.url,
      '--negative',
      'people',
      '--extra',
      'scheduler=DDIM',
      '--width',
      '640',
      '--height',
      '512',
      '--library',
      lib,
      '--json',
      ...common(),
    ]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ type: 'saved', provider: 'space:me/sd-style', width: 640 });
    const sent = (sd.requestsTo('join').at(-1)!.body as { data: unknown[] }).data;
    expect(sent[1]).toBe('people');
    expect(sent[7]).toBe('DDIM');
    const list = await runCli(['spaces', 'list', '--json', ...common()]);
    expect(JSON.parse(list.stdout)).toEqual({ spaces: [] });
    // Without --base-url, an unknown Space is refused in words.
    const none = await runCli(['generate', '--prompt', 'x', '--provider', 'space:me/unknown', ...common()]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/spaces add/);
  });

  it('bad input: exit 1 with the reason, nothing saved', async () => {
    const file = await startFakeSpace({ layout: 'file-input', timing: { stepMs: 2 } });
    const html: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Hello</body></html>');
    });
    await new Promise<void>((r) => html.listen(0, '127.0.0.1', r));
    try {
      const fileOnly = await runCli(['spaces', 'add', file.url, ...common()]);
      expect(fileOnly.code).toBe(1);
      expect(fileOnly.stderr).toMatch(/file/i);
      const page = await runCli([
        'spaces',
        'inspect',
        `http://127.0.0.1:${(html.address() as AddressInfo).port}`,
        ...common(),
      ]);
      expect(page.code).toBe(1);
      expect(page.stderr).toMatch(/Gradio/);
      const map = await runCli(['spaces', 'add', sd.url, '--map', 'nothing=seed', ...common()]);
      expect(map.code).toBe(2);
      expect(map.stderr).toMatch(/no input "nothing"/);
      const list = await runCli(['spaces', 'list', '--json', ...common()]);
      expect(JSON.parse(list.stdout)).toEqual({ spaces: [] });
    } finally {
      await file.close();
      await new Promise((r) => html.close(r));
    }
  });
});

describe('cli generate through Inference Providers', () => {
  it('--provider hf-inference:MODEL --inference-url: the image, with the provider that served it', async () => {
    const lib = path.join(home, 'lib-c');
    const args = [
      'generate',
      '--prompt',
      'a comet',
      '--provider',
      'hf-inference:black-forest-labs/FLUX.1-schnell',
      '--model',
      'flux-schnell',
      '--inference-url',
      inference.routerUrl,
      '--hf-url',
      inference.hubUrl,
      '--library',
      lib,
      '--data',
      data(),
      '--json',
    ];
    const r = await runCli(args, { HF_TOKEN: FAKE_TOKEN });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({
      type: 'saved',
      provider: 'hf-inference:black-forest-labs/FLUX.1-schnell',
    });
    expect(r.stdout).not.toContain(FAKE_TOKEN);
    // Without a token: refused in words.
    const none = await runCli(args);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/token/i);
  });
});
