/** The CLI's `history` command, and `generate` storing into the library (against a fake Space). */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { runCli } from '../../main/cli/run';
import { openLibrary } from '../../main/library/library';
import { readImportedParams } from '../../main/library/png-metadata';
import { createNodePlatform } from '../../main/platform';
import type { HistoryEntry } from '../../shared/library';
import { readFile, writeFile } from 'node:fs/promises';
import { startFakeSpace } from '../fake-space';
import { params, saveInput, tempDir } from '../library/helpers';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (l: string) => void out.push(l), stderr: (l: string) => void err.push(l) } };
}
const run = async (...argv: string[]) => {
  const o = io();
  const code = await runCli(argv, o.io, {}, new AbortController().signal);
  return { code, ...o };
};

describe('CLI', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let lib: string;
  beforeAll(async () => {
    ({ dir: root, cleanup } = await tempDir('fg-cli-'));
    lib = path.join(root, 'library');
    const l = await openLibrary({ dir: lib, platform: createNodePlatform(path.join(root, 'trash')) });
    await l.saveImage(await saveInput({ prompt: 'an old castle', createdAt: new Date('2025-03-01T12:00:00Z') }));
    const fav = await l.saveImage(
      await saveInput({
        prompt: 'a neon city at night',
        request: params({ prompt: 'a neon city at night', model: 'flux-schnell' }),
        providerId: 'voodoohop-flux1-schnell',
        createdAt: new Date('2025-03-02T12:00:00Z'),
      }),
    );
    l.setFavourite(fav.id, true);
    await l.dispose();
  });
  afterAll(() => cleanup());

  it('lists the history newest first', async () => {
    const r = await run('history', '--library', lib);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(2);
    expect(r.out[0]).toMatch(
      /^2025-03-02 12:00 {2}\* \w+ +flux-schnell +voodoohop-flux1-schnell +seed 12345 +64x48 +a neon city at night$/,
    );
    expect(r.out[1]).toContain('an old castle');
    expect(r.err.at(-1)).toContain('1–2 of 2');
  });

  it('searches and filters, as JSON', async () => {
    const r = await run('history', '--library', lib, '--search', 'CITY', '--json');
    expect(r.code).toBe(0);
    const page = JSON.parse(r.out[0]!) as { libraryDir: string; total: number; items: HistoryEntry[] };
    expect(page.libraryDir).toBe(lib);
    expect(page.total).toBe(1);
    expect(existsSync(path.join(page.libraryDir, page.items[0]!.file))).toBe(true);
    const f = async (...a: string[]) =>
      (JSON.parse((await run('history', '--library', lib, '--json', ...a)).out[0]!) as { total: number }).total;
    expect(await f('--favourites')).toBe(1);
    expect(await f('--model', 'flux-dev')).toBe(1);
    expect(await f('--provider', 'voodoohop-flux1-schnell')).toBe(1);
    expect(await f('--from', '2025-03-02T00:00:00Z')).toBe(1);
    expect(await f('--limit', '1')).toBe(2);
    expect(await f('--search', 'dragon')).toBe(0);
  });

  it('rejects bad options with exit code 2', async () => {
    expect((await run('history', '--model', 'sdxl')).code).toBe(2);
    expect((await run('history', '--limit', 'many')).code).toBe(2);
    expect((await run('history', '--bogus')).code).toBe(2);
    const help = await run('history', '--help');
    expect(help.code).toBe(0);
    expect(help.out.join('\n')).toContain('--search TEXT');
    expect((await run('help')).out.join('\n')).toContain('history');
  });

  it('says so when the library is empty or unusable', async () => {
    const empty = await run('history', '--library', path.join(root, 'empty'));
    expect(empty.code).toBe(0);
    expect(empty.err.join('\n')).toContain('No images found');
    expect(existsSync(path.join(root, 'empty'))).toBe(false);
    // A file where the folder should be.
    const file = path.join(root, 'not-a-folder.txt');
    await writeFile(file, 'just a file');
    const bad = await run('history', '--library', file);
    expect(bad.code).toBe(1);
    expect(bad.err.join('\n')).toMatch(/^Error: (Could not open the library|There is no library folder)/);
  });

  it('generate stores into the library, visible to history', async () => {
    // A Schnell provider needs a Space with the Schnell layout (no guidance input).
    const space = await startFakeSpace({ layout: 'schnell', timing: { stepMs: 2 } });
    try {
      const dir = path.join(root, 'gen');
      const g = await run(
        'generate',
        '--prompt',
        'a lighthouse',
        '--model',
        'flux-schnell',
        '--provider',
        'bfl-flux1-schnell',
        '--base-url',
        space.url,
        // The Space's state from the fake's hub, not from huggingface.co.
        '--hf-url',
        space.url,
        '--seed',
        '99',
        '--library',
        dir,
      );
      expect(g.code, g.err.join('\n')).toBe(0);
      const file = g.out.at(-1)!;
      expect(file.startsWith(path.join(dir, 'images'))).toBe(true);
      expect(readImportedParams(await readFile(file))).toMatchObject({
        source: 'flux-gallery',
        prompt: 'a lighthouse',
        params: { seed: 99, provider: 'bfl-flux1-schnell' },
      });
      const h = await run('history', '--library', dir, '--json');
      const page = JSON.parse(h.out[0]!) as { items: HistoryEntry[] };
      expect(page.items).toHaveLength(1);
      expect(page.items[0]).toMatchObject({ prompt: 'a lighthouse', seed: 99, providerId: 'bfl-flux1-schnell' });
      // What went on the wire: the Schnell layout at the provider's default size, seed kept.
      expect((space.requestsTo('join')[0]!.body as { data: unknown[] }).data).toEqual([
        'a lighthouse',
        99,
        false,
        768,
        768,
        2,
      ]);
      expect(page.items[0]!.durationMs).toBeGreaterThan(0);
    } finally {
      await space.close();
    }
  });
});

describe('terminal safety', () => {
  it('strips control characters (C0 but tab and newline, DEL, C1) from every line', async () => {
    const { stripControls } = await import('../../main/cli/output');
    expect(stripControls('fox\u001b]0;pwned\u0007 \u009b31m red\u007f\tok')).toBe('fox]0;pwned 31m red\tok');
    const lines: string[] = [];
    const code = await runCli(
      // An unknown command is echoed back in the error: with its escapes stripped.
      ['\u001b[2Jbogus\u009b31m'],
      { stdout: (l) => lines.push(l), stderr: (l) => lines.push(l) },
      { HOME: '/nonexistent' },
      new AbortController().signal,
    );
    expect(code).toBe(2);
    expect(lines.join('\n')).toContain('[2Jbogus');
    // eslint-disable-next-line no-control-regex -- looking for control characters
    expect(lines.join('\n')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
