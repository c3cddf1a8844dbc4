import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importPaths } from '../../main/import/importer';
import { openLibrary, type Library } from '../../main/library/library';
import { readTextChunks } from '../../main/library/png-text-chunks';
import { createNodePlatform } from '../../main/platform';
import { saveInput, tempDir } from '../library/helpers';
import {
  A1111_TEXT,
  COMFY_FLUX_PROMPT,
  COMFY_WORKFLOW,
  FOOOCUS_JSON,
  jpegWithUserComment,
  pngWith,
  withRawChunk,
  zTxtBomb,
} from './fixtures';

describe('import into the library', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let lib: Library;
  const open = () =>
    openLibrary({ dir: path.join(root, 'lib'), platform: createNodePlatform(path.join(root, 'trash')) });

  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('fg-import-'));
    lib = await open();
  });
  afterEach(async () => {
    await lib.dispose();
    await cleanup();
  });

  /** Files under the library's images/ and thumbs/ folders (temp files included). */
  async function libraryFiles(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (d: string) => {
      for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) await walk(full);
        else out.push(path.relative(path.join(root, 'lib'), full));
      }
    };
    await walk(path.join(root, 'lib', 'images'));
    await walk(path.join(root, 'lib', 'thumbs'));
    return out.sort();
  }

  it('a folder of mixed files: imported, duplicates, a non-image, a truncated PNG, a bomb-like zTXt; the library consistent', async () => {
    const src = path.join(root, 'src');
    await mkdir(path.join(src, 'sub', 'deeper'), { recursive: true });
    const comfy = await pngWith(
      [
        ['prompt', COMFY_FLUX_PROMPT],
        ['workflow', COMFY_WORKFLOW],
      ],
      [64, 48],
      { r: 1, g: 2, b: 3 },
    );
    await writeFile(path.join(src, 'comfy.png'), comfy);
    await writeFile(path.join(src, 'sub', 'comfy-copy.png'), comfy);
    await writeFile(path.join(src, 'a1111.jpg'), await jpegWithUserComment(A1111_TEXT));
    await writeFile(
      path.join(src, 'sub', 'deeper', 'fooocus.png'),
      await pngWith(
        [
          ['parameters', FOOOCUS_JSON],
          ['fooocus_scheme', 'fooocus'],
        ],
        [40, 40],
        { r: 9, g: 9, b: 9 },
      ),
    );
    await writeFile(path.join(src, 'notes.png'), 'this is text, not a PNG');
    await writeFile(path.join(src, 'readme.txt'), 'ignored: not an image name');
    const whole = await pngWith([['parameters', 'cut\nSteps: 3, Seed: 1']], [64, 48], { r: 77, g: 0, b: 0 });
    await writeFile(path.join(src, 'truncated.png'), whole.subarray(0, whole.length - 40));
    const bomb = withRawChunk(
      await pngWith([], [32, 32], { r: 0, g: 77, b: 0 }),
      'zTXt',
      zTxtBomb('parameters', 200 * 1024 * 1024),
    );
    await writeFile(path.join(src, 'bomb.png'), bomb);

    const progress: number[] = [];
    const started = Date.now();
    const report = await importPaths(lib, [src], { onProgress: (p) => progress.push(p.done) });
    expect(Date.now() - started).toBeLessThan(10_000);
    const by = Object.fromEntries(report.files.map((f) => [path.relative(src, f.path), f]));
    // Two copies of one image: whichever the pool finished first is imported, the other is its duplicate.
    const [comfyFile, comfyCopy] =
      by['comfy.png']?.status === 'imported'
        ? ['comfy.png', 'sub/comfy-copy.png']
        : ['sub/comfy-copy.png', 'comfy.png'];
    expect(by[comfyFile]).toMatchObject({ status: 'imported', source: 'comfyui' });
    expect(by[comfyCopy]).toMatchObject({ status: 'duplicate' });
    expect(by['a1111.jpg']).toMatchObject({ status: 'imported', source: 'a1111' });
    expect(by['sub/deeper/fooocus.png']).toMatchObject({ status: 'imported', source: 'fooocus' });
    expect(by['notes.png']).toMatchObject({ status: 'not-image' });
    expect(by['truncated.png']).toMatchObject({ status: 'unreadable' });
    // The bomb's text is never inflated whole: the image imports, without parameters.
    expect(by['bomb.png']?.status).toBe('imported');
    expect(by['readme.txt']).toBeUndefined();
    expect(report.counts).toMatchObject({ imported: 4, duplicate: 1, 'not-image': 1, unreadable: 1, failed: 0 });
    expect(progress.at(-1)).toBe(7);

    // The library: one entry per imported file, its original bytes, a thumbnail each, nothing else.
    expect(lib.size).toBe(4);
    const entries = lib.query({ limit: 100 }).items;
    const comfyEntry = entries.find((e) => e.id === by[comfyFile]!.id)!;
    expect(comfyEntry).toMatchObject({
      prompt: 'a neon city in rain',
      seed: 55555,
      params: {
        source: 'comfyui',
        guidance: 3.5,
        steps: 24,
        width: 1024,
        height: 768,
        sampler: 'euler',
        modelName: 'flux1-dev.safetensors',
      },
    });
    const stored = await readFile(path.join(root, 'lib', comfyEntry.file));
    expect(stored.equals(comfy)).toBe(true);
    expect(readTextChunks(stored).get('workflow')).toBe(COMFY_WORKFLOW);
    const jpegEntry = entries.find((e) => e.id === by['a1111.jpg']!.id)!;
    expect(jpegEntry.file).toMatch(/\.jpg$/);
    expect(jpegEntry).toMatchObject({
      seed: 1234567,
      params: { negativePrompt: 'blurry, lowres,\nugly hands', sampler: 'DPM++ 2M Karras' },
    });
    const fooocus = entries.find((e) => e.id === by['sub/deeper/fooocus.png']!.id)!;
    expect(fooocus.prompt).toBe('a lighthouse at night');
    const files = await libraryFiles();
    expect(files).toHaveLength(8);
    expect(files.every((f) => !f.includes('.tmp'))).toBe(true);

    // Imported again (and from another process: a fresh library object): all duplicates.
    await lib.dispose();
    lib = await open();
    expect(lib.report.unreadable).toEqual([]);
    const again = await importPaths(lib, [src]);
    expect(again.counts).toMatchObject({ imported: 0, duplicate: 5 });
    expect(lib.size).toBe(4);
  });

  it('an image the app made is a duplicate (by content hash, and by its record id)', async () => {
    const saved = await lib.saveImage(await saveInput());
    const copy = path.join(root, 'copy.png');
    const bytes = await readFile(path.join(root, 'lib', saved.file));
    await writeFile(copy, bytes);
    expect((await importPaths(lib, [copy])).files[0]).toMatchObject({ status: 'duplicate' });
    // Same record, other bytes (a tool re-saved it): still the same image.
    await writeFile(copy, withRawChunk(bytes, 'tEXt', Buffer.from('Comment\0re-saved', 'latin1')));
    expect((await importPaths(lib, [copy])).files[0]).toMatchObject({ status: 'duplicate', id: saved.id });
    expect(lib.size).toBe(1);
  });

  it('cancel: nothing half-written, the rest reported cancelled, the library consistent', async () => {
    const src = path.join(root, 'many');
    await mkdir(src);
    for (let i = 0; i < 12; i++) {
      await writeFile(
        path.join(src, `img-${String(i).padStart(2, '0')}.png`),
        await pngWith([['parameters', `p${i}\nSteps: 4, Seed: ${i}`]], [48, 48], { r: i * 20, g: 5, b: 5 }),
      );
    }
    const ac = new AbortController();
    const report = await importPaths(lib, [src], {
      signal: ac.signal,
      concurrency: 2,
      onProgress: (p) => {
        if (p.done === 3) ac.abort();
      },
    });
    expect(report.cancelled).toBe(true);
    const imported = report.files.filter((f) => f.status === 'imported');
    expect(report.counts.cancelled).toBeGreaterThan(0);
    // The walk stops too: files it had not reached are neither imported nor listed.
    expect(imported.length + report.counts.cancelled).toBeLessThanOrEqual(12);
    // Every file in the library belongs to an entry, every entry has its files.
    expect(lib.size).toBe(imported.length);
    const files = await libraryFiles();
    expect(files).toHaveLength(imported.length * 2);
    for (const e of lib.query({ limit: 100 }).items) {
      expect(files).toContain(e.file);
      expect(files).toContain(e.thumb);
    }
    // The rest imports later.
    const rest = await importPaths(lib, [src]);
    expect(rest.counts.imported).toBe(12 - imported.length);
    expect(rest.counts.duplicate).toBe(imported.length);
  });

  it('the walk runs ahead: the total and the time left are known long before the end', async () => {
    const src = path.join(root, 'ahead');
    await mkdir(path.join(src, 'a', 'b'), { recursive: true });
    for (let i = 0; i < 10; i++) {
      const dir = i < 4 ? src : i < 7 ? path.join(src, 'a') : path.join(src, 'a', 'b');
      await writeFile(
        path.join(dir, `img-${i}.png`),
        await pngWith([['parameters', `ahead ${i}\nSteps: 4, Seed: ${i}`]], [40, 40], { r: i * 20, g: 9, b: 9 }),
      );
    }
    const seen: { done: number; total: number; scanning?: boolean; etaMs: number | null }[] = [];
    const report = await importPaths(lib, [src], { concurrency: 1, onProgress: (p) => seen.push({ ...p }) });
    expect(report.counts.imported).toBe(10);
    // One file at a time is imported while the walk has already found all ten.
    const early = seen.find((p) => p.done < 5 && !p.scanning);
    expect(early).toMatchObject({ total: 10 });
    expect(early!.etaMs).not.toBeNull();
    expect(seen.at(-1)).toMatchObject({ done: 10, total: 10, scanning: false, etaMs: 0 });
  });

  it('a missing path, and a file over the size limit, are reported', async () => {
    const big = path.join(root, 'big.png');
    await writeFile(big, await pngWith([]));
    const report = await importPaths(lib, [path.join(root, 'nope'), big], { maxImageBytes: 100 });
    expect(report.files.map((f) => f.status).sort()).toEqual(['too-large', 'unreadable']);
    await rm(big);
    expect(lib.size).toBe(0);
  });
});
