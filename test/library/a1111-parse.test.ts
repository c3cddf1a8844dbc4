/**
 * The A1111 `parameters` text of a dropped file: parsed in one pass (A1111's own regex took 11 s on
 * a 112 KB line), capped, and off the main thread in a worker that is stopped at its time limit.
 * Structure only, never timings: the adversarial lines must give bounded results, and the worker
 * must be gone after its limit.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { MAX_KEY_LENGTH, MAX_PARAMS_LINE, MAX_PARAMS_PAIRS, splitA1111 } from '../../main/library/a1111-split';
import { openLibrary } from '../../main/library/library';
import { runOffThread } from '../../main/library/off-thread';
import { parseParameters, parseParametersOffThread } from '../../main/library/png-metadata';
import { setTextChunks } from '../../main/library/png-text-chunks';
import { createNodePlatform } from '../../main/platform';
import { makeImage, tempDir } from './helpers';

const split = (text: string) => splitA1111(text, MAX_PARAMS_LINE, MAX_PARAMS_PAIRS, MAX_KEY_LENGTH);

/** Lines that made A1111's pattern backtrack: long runs of key characters with no colon, open quotes. */
const ADVERSARIAL = {
  words: `a fox\nSteps: 20, Seed: 7, ${'ab '.repeat(38_000)}`,
  dashes: `a fox\nSteps: 20, ${'a-'.repeat(56_000)}:`,
  quotes: `a fox\nSteps: 20, ${'k: "x\\, '.repeat(14_000)}`,
  pairs: `a fox\nSteps: 20, ${'k: v, '.repeat(19_000)}`,
};

describe('A1111 parameters', () => {
  it.each(Object.entries(ADVERSARIAL))('parses a 112 KB adversarial line (%s) to a bounded result', (_name, text) => {
    expect(text.length).toBeGreaterThanOrEqual(112_000);
    const s = split(text);
    expect(s.prompt).toBe('a fox');
    expect(s.cut).toBe(true);
    expect(s.pairs.length).toBeLessThanOrEqual(MAX_PARAMS_PAIRS);
    expect(s.pairs[0]).toEqual(['steps', '20']);
    for (const [k, v] of s.pairs) {
      expect(k.length).toBeLessThanOrEqual(MAX_KEY_LENGTH);
      expect(v.length).toBeLessThanOrEqual(MAX_PARAMS_LINE);
    }
    expect(parseParameters(text)?.params.steps).toBe(20);
  });

  it('splits on commas outside quoted values, as A1111 writes them', () => {
    expect(split('a cat\nSteps: 4, Lora hashes: "a: 1, b: 2", Size: 512x512, Note: say "hi", Seed: 3').pairs).toEqual([
      ['steps', '4'],
      ['lora hashes', '"a: 1, b: 2"'],
      ['size', '512x512'],
      ['note', 'say "hi"'],
      ['seed', '3'],
    ]);
    // An unclosed quote ends at the next comma, like A1111's fallback.
    expect(split('Steps: 4, A: "open, Seed: 9').pairs).toEqual([
      ['steps', '4'],
      ['a', '"open'],
      ['seed', '9'],
    ]);
    expect(parseParameters('x\nSteps: 4, Lora hashes: "a: 1, b: 2", Seed: 5')?.params).toEqual({ steps: 4, seed: 5 });
  });

  it('reads any well-formed pairs back (property)', () => {
    const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _/-]{0,20}[A-Za-z0-9]$/).filter((k) => !/ {2}/.test(k));
    const plain = fc.stringMatching(/^[^,"\n\r]{0,30}$/).map((v) => v.trim());
    const quoted = fc.string({ maxLength: 30 }).map((v) => JSON.stringify(v));
    const pairs = fc.array(fc.tuple(key, fc.oneof(plain, quoted)), { maxLength: 12 });
    fc.assert(
      fc.property(pairs, (kv) => {
        const line = ['Steps: 1', ...kv.map(([k, v]) => `${k}: ${v}`)].join(', ');
        const got = split(`prompt\n${line}`).pairs;
        expect(got).toEqual([['steps', '1'], ...kv.map(([k, v]) => [k.trim().toLowerCase(), v.trim()])]);
      }),
      { numRuns: 300 },
    );
  });

  it('parses in a worker thread with the same result', async () => {
    const text = 'a red fox\nNegative prompt: blur\nSteps: 20, Seed: 7, Size: 1024x576, Distilled CFG Scale: 3.5';
    let worker: Worker | undefined;
    const got = await parseParametersOffThread(text, { onWorker: (w) => (worker = w) });
    expect(got).toEqual(parseParameters(text));
    expect(got).toMatchObject({ prompt: 'a red fox', params: { steps: 20, seed: 7, width: 1024, guidance: 3.5 } });
    expect(worker).toBeDefined();
    // Done: the worker is gone.
    if (worker!.threadId !== -1) await once(worker!, 'exit');
  });

  it('stops a worker that runs past its limit, with a clear error', async () => {
    let worker: Worker | undefined;
    const endless = (): number => {
      // A parser stuck on a pathological input.
      for (;;);
    };
    const run = runOffThread(endless, [], {
      timeLimitMs: 300,
      what: 'read the test input',
      onWorker: (w) => (worker = w),
    });
    const exited = once(worker!, 'exit');
    await expect(run).rejects.toMatchObject({
      code: 'bad-image',
      message: expect.stringMatching(/^Could not read the test input: it took longer than 300 ms and was stopped/),
    });
    const [code] = (await exited) as [number];
    expect(code).toBe(1); // terminated, not finished
  });

  it('a dropped file past the import time limit gives bad-image and leaves no worker behind', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const workers: Worker[] = [];
      const lib = await openLibrary({
        dir,
        platform: createNodePlatform(path.join(dir, 'trash')),
        // A limit no worker can meet (starting one takes longer): stands in for a hostile file.
        importOptions: { timeLimitMs: 1, onWorker: (w) => workers.push(w) },
      });
      const png = setTextChunks(await makeImage('png'), [['parameters', ADVERSARIAL.words]]);
      const exited = lib.importImage({ fileName: 'x.png', dataBase64: png.toString('base64') });
      await expect(exited).rejects.toMatchObject({ code: 'bad-image', message: expect.stringContaining('stopped') });
      expect(workers).toHaveLength(1);
      if (workers[0]!.threadId !== -1) await once(workers[0]!, 'exit');
      await lib.dispose();
    } finally {
      await cleanup();
    }
  });

  it('the worker runs from the esbuild bundle too (the shipped app)', async () => {
    const repo = fileURLToPath(new URL('../../', import.meta.url));
    const out = path.join(repo, 'node_modules/.cache/flux-gallery-tests/a1111-offthread.mjs');
    await build({
      stdin: {
        contents:
          "import { parseParametersOffThread } from './main/library/png-metadata';\n" +
          "const r = await parseParametersOffThread('a fox\\nSteps: 9, Seed: 4');\n" +
          'process.stdout.write(JSON.stringify(r));\n',
        resolveDir: repo,
        loader: 'ts',
      },
      outfile: out,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      logLevel: 'error',
    });
    const stdout = execFileSync(process.execPath, [out], { encoding: 'utf8' });
    expect(JSON.parse(stdout)).toEqual({ source: 'a1111', prompt: 'a fox', params: { steps: 9, seed: 4 } });
  }, 60_000);
});
