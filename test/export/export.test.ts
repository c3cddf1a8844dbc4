/**
 * Export (issue 17): PNG as stored, JPEG/WebP with the A1111 text in EXIF UserComment, read back
 * with independent readers (yauzl, exifr, libwebp through sharp, `unzip -t`); sidecars and the CSV;
 * names; cancel and a full disk leave nothing behind; where an export may write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import sharp from 'sharp';
import { importPaths } from '../../main/import/importer';
import { checkDestination, nodeExportIo, runExport, type ExportIo, type ExportPlan } from '../../main/export/export';
import { openLibrary, type Library } from '../../main/library/library';
import { formatParameters } from '../../main/library/png-metadata';
import { readTextChunks } from '../../main/library/png-text-chunks';
import { createNodePlatform } from '../../main/platform';
import type { HistoryEntry } from '../../shared/library';
import { makeImage, params, resolvedFor, saveInput, tempDir } from '../library/helpers';
import { parseCsv, readZip, userCommentOf, webpExif } from './readers';

let root: string;
let cleanup: () => Promise<void>;
let lib: Library;
let entries: HistoryEntry[];
let out: string;
let n = 0;
/** A fresh destination folder path for each test (not created). */
const fresh = (name = 'out') => path.join(out, `${name}-${++n}`);

const PROMPTS = ['a red fox, in the "snowy" forest', 'café ☕ 東京 at night, neon', '=cmd|calc at dawn', 'CON'];

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir('fg-export-'));
  out = path.join(root, 'exports');
  await mkdir(out);
  lib = await openLibrary({ dir: path.join(root, 'library'), platform: createNodePlatform(path.join(root, 'trash')) });
  entries = [];
  for (const [i, prompt] of PROMPTS.entries()) {
    const request = params({ prompt });
    entries.push(
      await lib.saveImage(
        await saveInput({
          request,
          bytes: await makeImage('png', 64, 48, i + 1),
          resolved: resolvedFor(request, i === 1 ? { negativePrompt: 'blurry, low quality' } : {}),
          seed: 1000 + i,
          createdAt: new Date(2025, 5, 7, 8, 9, 10 + i),
        }),
      ),
    );
  }
  const board = lib.createBoard('Best, "really"');
  await lib.bulk({ target: { kind: 'ids', ids: [entries[0]!.id] }, action: { type: 'addToBoard', boardId: board.id } });
  lib.setRating(entries[0]!.id, 5);
  entries = entries.map((e) => lib.get(e.id));
});
afterAll(async () => {
  await lib.dispose();
  await cleanup();
});

const plan = (over: Partial<ExportPlan> = {}): ExportPlan => ({
  libraryDir: lib.dir,
  entries,
  destination: { kind: 'folder', dir: fresh() },
  format: 'png',
  quality: 90,
  sidecar: false,
  csv: false,
  pattern: '{date}_{time}_{prompt}_{seed}',
  boardNames: new Map(lib.boards().boards.map((b) => [b.id, b.name])),
  ...over,
});

describe('export', () => {
  it('PNG to a folder: the files as stored, sidecars, a CSV, dates as file times', async () => {
    const dir = fresh();
    const progress: { done: number; total: number }[] = [];
    const r = await runExport(
      plan({ destination: { kind: 'folder', dir }, sidecar: true, csv: true, pattern: '{index}_{prompt:3}' }),
      {
        onProgress: (p) => progress.push(p),
      },
    );
    expect(r).toMatchObject({ status: 'done', written: 4, total: 4, skipped: [], error: null, destination: dir });
    expect(progress.at(-1)).toMatchObject({ done: 4, total: 4 });
    const names = (await readdir(dir)).sort();
    expect(names).toEqual([
      '1_a-red-fox.png',
      '1_a-red-fox.txt',
      '2_café-東京-at.png',
      '2_café-東京-at.txt',
      '3_cmdcalc-at-dawn.png',
      '3_cmdcalc-at-dawn.txt',
      '4_CON.png',
      '4_CON.txt',
      'parameters.csv',
    ]);
    for (const [i, e] of entries.entries()) {
      const base = names.filter((x) => x.startsWith(`${i + 1}_`) && x.endsWith('.png'))[0]!;
      const bytes = await readFile(path.join(dir, base));
      // Byte for byte the library's file, with its embedded parameters.
      expect(bytes.equals(await readFile(path.join(lib.dir, e.file)))).toBe(true);
      expect(readTextChunks(bytes).get('parameters')).toBe(formatParameters(e));
      expect(await readFile(path.join(dir, base.replace(/\.png$/, '.txt')), 'utf8')).toBe(formatParameters(e));
      expect((await stat(path.join(dir, base))).mtimeMs).toBe(Date.parse(e.createdAt));
    }
    const csvText = await readFile(path.join(dir, 'parameters.csv'), 'utf8');
    expect(csvText.charCodeAt(0)).toBe(0xfeff);
    const [head, ...rows] = parseCsv(csvText.slice(1));
    expect(head).toContain('negative_prompt');
    expect(rows).toHaveLength(4);
    const col = (name: string) => head!.indexOf(name);
    expect(rows[0]![col('prompt')]).toBe(PROMPTS[0]);
    expect(rows[0]![col('file')]).toBe('1_a-red-fox.png');
    expect(rows[0]![col('rating')]).toBe('5');
    expect(rows[0]![col('boards')]).toBe('Best, "really"');
    expect(rows[0]![col('parameters')]).toBe(formatParameters(entries[0]!));
    expect(rows[1]![col('negative_prompt')]).toBe('blurry, low quality');
    expect(rows[1]![col('prompt')]).toBe(PROMPTS[1]);
    // A prompt that a spreadsheet would run as a formula is defused.
    expect(rows[2]![col('prompt')]).toBe(`'${PROMPTS[2]}`);
    expect(rows[1]![col('seed')]).toBe('1001');
  });

  it('JPEG into one ZIP: every entry readable by yauzl and unzip, the A1111 text in EXIF UserComment (exifr)', async () => {
    const file = path.join(fresh('zip'), 'export.zip');
    await mkdir(path.dirname(file));
    const r = await runExport(
      plan({ destination: { kind: 'zip', file, overwrite: false }, format: 'jpeg', sidecar: true, csv: true }),
    );
    expect(r).toMatchObject({ status: 'done', written: 4, destination: file });
    // Nothing else beside it: no temp file left.
    expect(await readdir(path.dirname(file))).toEqual(['export.zip']);
    const items = await readZip(file);
    expect(items.map((i) => i.name)).toHaveLength(9);
    expect(items.at(-1)!.name).toBe('parameters.csv');
    const jpgs = items.filter((i) => i.name.endsWith('.jpg'));
    expect(jpgs).toHaveLength(4);
    for (const item of jpgs) {
      // Images stored (already compressed), text deflated.
      expect(item.compressionMethod).toBe(0);
      const meta = await sharp(item.data).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: 64, height: 48 });
      const seed = Number(/_(\d+)\.jpg$/.exec(item.name)![1]);
      const e = entries.find((x) => x.seed === seed)!;
      expect(await userCommentOf(item.data)).toEqual({ charset: 'UNICODE', text: formatParameters(e) });
      const txt = items.find((i) => i.name === item.name.replace(/\.jpg$/, '.txt'))!;
      expect(txt.compressionMethod).toBe(8);
      expect(txt.data.toString('utf8')).toBe(formatParameters(e));
    }
    // The non-Latin prompt survived whole (libvips would have made it "cafe ? ??").
    const cafe = jpgs.find((i) => i.name.includes('café'))!;
    expect((await userCommentOf(cafe.data)).text).toContain('café ☕ 東京');
    expect((await userCommentOf(cafe.data)).text).toContain('Negative prompt: blurry, low quality');
    const unzip = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    if (!unzip.error) expect(unzip.status, unzip.stdout + unzip.stderr).toBe(0);
  });

  it('WebP to a folder: the EXIF chunk libwebp finds carries the same UserComment', async () => {
    const dir = fresh();
    const r = await runExport(plan({ destination: { kind: 'folder', dir }, format: 'webp', quality: 80 }));
    expect(r.status).toBe('done');
    const files = (await readdir(dir)).sort();
    expect(files.every((f) => f.endsWith('.webp'))).toBe(true);
    for (const f of files) {
      const data = await readFile(path.join(dir, f));
      const e = entries.find((x) => f.endsWith(`_${x.seed}.webp`))!;
      expect(await userCommentOf(await webpExif(data))).toEqual({ charset: 'UNICODE', text: formatParameters(e) });
      expect(await sharp(data).metadata()).toMatchObject({ width: 64, height: 48 });
    }
  });

  it('names: unsafe characters, reserved names, long names; duplicates numbered, files already there kept', async () => {
    const dir = fresh();
    await mkdir(dir);
    await writeFile(path.join(dir, 'fox.png'), 'mine');
    const foxes = [entries[0]!, entries[0]!, entries[0]!].map((e, i) => ({ ...e, id: `${e.id}${i}` }));
    const r = await runExport(
      plan({ destination: { kind: 'folder', dir }, entries: foxes, pattern: 'fox', sidecar: true }),
    );
    expect(r.status).toBe('done');
    expect((await readdir(dir)).sort()).toEqual(
      ['fox.png', 'fox_2.png', 'fox_2.txt', 'fox_3.png', 'fox_3.txt', 'fox_4.png', 'fox_4.txt'].sort(),
    );
    expect(await readFile(path.join(dir, 'fox.png'), 'utf8')).toBe('mine');
    // Case is ignored (Windows, macOS): FOX.png is taken by fox.png.
    const dir2 = fresh();
    await mkdir(dir2);
    await writeFile(path.join(dir2, 'fox.png'), 'mine');
    await runExport(plan({ destination: { kind: 'folder', dir: dir2 }, entries: [entries[0]!], pattern: 'FOX' }));
    expect((await readdir(dir2)).sort()).toEqual(['FOX_2.png', 'fox.png']);
    // Reserved (a Windows device name, also with an extension) and unsafe.
    const dir3 = fresh();
    await runExport(plan({ destination: { kind: 'folder', dir: dir3 }, entries: [entries[3]!], pattern: '{prompt}' }));
    await runExport(
      plan({ destination: { kind: 'folder', dir: dir3 }, entries: [entries[3]!], pattern: 'lpt1.{seed}' }),
    );
    await runExport(
      plan({
        destination: { kind: 'folder', dir: dir3 },
        entries: [entries[0]!],
        pattern: '..{prompt:2}<>:"/\\|?*\t. ',
      }),
    );
    expect((await readdir(dir3)).sort()).toEqual(['_CON.png', '_lpt1.1003.png', 'a-red__________.png'].sort());
    // Long prompts are cut (at a character, not inside one), with room for a number.
    const long = { ...entries[1]!, id: 'longname01', prompt: `${'東京'.repeat(200)} end` };
    const dir4 = fresh();
    await runExport(
      plan({ destination: { kind: 'folder', dir: dir4 }, entries: [long, long], pattern: '{prompt:30}' }),
    );
    const longNames = await readdir(dir4);
    expect(longNames).toHaveLength(2);
    for (const name of longNames) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(130);
    expect(longNames.some((x) => /_2\.png$/.test(x))).toBe(true);
  });

  it('skips an image whose file is missing and exports the rest', async () => {
    const ghost: HistoryEntry = { ...entries[0]!, id: 'ghost000001', file: 'images/2025/06/ghost000001.png' };
    const dir = fresh();
    const r = await runExport(plan({ destination: { kind: 'folder', dir }, entries: [ghost, entries[1]!] }));
    expect(r).toMatchObject({ status: 'done', written: 1, total: 2 });
    expect(r.skipped).toMatchObject([{ id: 'ghost000001', error: { code: 'file-missing' } }]);
    expect(await readdir(dir)).toHaveLength(1);
  });
});

/** An ExportIo whose streams fail (ENOSPC) or cancel once `limit` bytes went through them in all. */
function limitedIo(limit: number, onLimit: 'enospc' | (() => void)): ExportIo & { opened: string[] } {
  let written = 0;
  const opened: string[] = [];
  return {
    opened,
    createWriteStream(file, opts) {
      opened.push(file);
      const real = nodeExportIo.createWriteStream(file, opts);
      // Its failures reach the export through the wrapper (write callbacks); once destroyed, nobody listens.
      real.on('error', () => {});
      return new Writable({
        write(chunk: Buffer, _enc, cb) {
          written += chunk.length;
          if (written > limit) {
            if (onLimit === 'enospc') {
              const err = Object.assign(new Error('ENOSPC: no space left on device, write'), {
                code: 'ENOSPC',
                errno: -28,
                syscall: 'write',
              });
              return cb(err);
            }
            onLimit();
          }
          if (real.destroyed) return cb();
          real.write(chunk, cb);
        },
        final(cb) {
          real.end(cb);
        },
        destroy(err, cb) {
          real.destroy();
          real.once('close', () => cb(err));
          if ((real as unknown as { closed?: boolean }).closed) cb(err);
        },
      });
    },
  };
}

describe('export: nothing left behind', () => {
  let many: HistoryEntry[];
  beforeAll(() => {
    // 40 images (the four, again and again): an export long enough to stop part-way.
    many = Array.from({ length: 40 }, (_, i) => ({ ...entries[i % 4]!, id: `many${String(i).padStart(6, '0')}` }));
  });

  for (const kind of ['zip', 'folder'] as const) {
    it(`${kind}: a full disk (ENOSPC part-way) fails with disk-full and leaves nothing`, async () => {
      const parent = fresh(`full-${kind}`);
      await mkdir(parent);
      await writeFile(path.join(parent, 'keep.txt'), 'already here');
      const dest =
        kind === 'zip'
          ? ({ kind: 'zip', file: path.join(parent, 'all.zip'), overwrite: false } as const)
          : ({ kind: 'folder', dir: parent } as const);
      const io = limitedIo(20_000, 'enospc');
      const r = await runExport(plan({ entries: many, destination: dest, sidecar: true, csv: true }), { io });
      expect(r).toMatchObject({ status: 'failed', written: 0, error: { code: 'disk-full' } });
      expect(r.error!.message).toMatch(/full/);
      expect(io.opened.length).toBeGreaterThan(0);
      expect(await readdir(parent)).toEqual(['keep.txt']);
    });

    it(`${kind}: cancelled part-way, leaves nothing`, async () => {
      const parent = fresh(`cancel-${kind}`);
      const controller = new AbortController();
      const dest =
        kind === 'zip'
          ? ({ kind: 'zip', file: path.join(parent, 'all.zip'), overwrite: false } as const)
          : ({ kind: 'folder', dir: path.join(parent, 'made', 'by', 'export') } as const);
      await mkdir(parent);
      const io = limitedIo(30_000, () => controller.abort());
      const r = await runExport(plan({ entries: many, destination: dest, csv: true }), {
        io,
        signal: controller.signal,
      });
      expect(r).toMatchObject({ status: 'cancelled', written: 0, error: null });
      // Folders the export made are gone too.
      expect(await readdir(parent)).toEqual([]);
    });
  }

  it('a ZIP that exists is refused unless overwrite, then replaced whole', async () => {
    const parent = fresh('over');
    await mkdir(parent);
    const file = path.join(parent, 'x.zip');
    await writeFile(file, 'old');
    await expect(checkDestination({ kind: 'zip', file, overwrite: false }, lib.dir)).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    const r = await runExport(plan({ destination: { kind: 'zip', file, overwrite: true }, entries: [entries[0]!] }));
    expect(r.status).toBe('done');
    expect((await readZip(file)).map((i) => i.name)).toHaveLength(1);
  });
});

describe('export destination', () => {
  it('must be a full path outside the library folder', async () => {
    await expect(checkDestination({ kind: 'folder', dir: 'relative/out' }, lib.dir)).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    for (const inside of [lib.dir, path.join(lib.dir, 'images'), path.join(lib.dir, 'new', 'folder')]) {
      await expect(checkDestination({ kind: 'folder', dir: inside }, lib.dir)).rejects.toMatchObject({
        code: 'forbidden',
      });
    }
    await expect(
      checkDestination({ kind: 'zip', file: path.join(lib.dir, 'x.zip'), overwrite: true }, lib.dir),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      checkDestination({ kind: 'zip', file: path.join(out, 'no-such-folder', 'x.zip'), overwrite: false }, lib.dir),
    ).rejects.toMatchObject({ code: 'file-missing' });
    await expect(
      checkDestination({ kind: 'zip', file: path.join(out, 'x.tar'), overwrite: false }, lib.dir),
    ).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    // A symlink into the library is caught.
    const link = path.join(out, 'link-to-lib');
    const { symlink } = await import('node:fs/promises');
    await symlink(lib.dir, link);
    await expect(checkDestination({ kind: 'folder', dir: path.join(link, 'sub') }, lib.dir)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await rm(link);
    expect(await checkDestination({ kind: 'folder', dir: path.join(out, 'fine') }, lib.dir)).toBe(
      path.join(out, 'fine'),
    );
    expect(existsSync(path.join(out, 'fine'))).toBe(false);
  });

  it('keeps unknown-token patterns out', async () => {
    const r = await runExport(plan({ pattern: '{prompt}_{nope}' })).catch((e: unknown) => e);
    expect(r).toMatchObject({ code: 'invalid-argument' });
    expect(String((r as Error).message)).toContain('{nope}');
  });

  it('an imported JPEG exported as PNG becomes a PNG, with its parameters', async () => {
    const src = path.join(root, 'import-src');
    await mkdir(src, { recursive: true });
    await writeFile(
      path.join(src, 'from-another-tool.jpg'),
      await sharp(await makeImage('png', 40, 30))
        .jpeg()
        .toBuffer(),
    );
    const report = await importPaths(lib, [src]);
    expect(report.counts.imported).toBe(1);
    const imported = lib.query({ limit: 5000, offset: 0 }).items.find((e) => /\.jpe?g$/i.test(e.file))!;
    const dir = fresh();
    const r = await runExport(plan({ entries: [imported], destination: { kind: 'folder', dir }, pattern: '{id}' }));
    expect(r.status).toBe('done');
    const [name] = await readdir(dir);
    expect(name).toBe(`${imported.id}.png`);
    const bytes = await readFile(path.join(dir, name!));
    expect((await sharp(bytes).metadata()).format).toBe('png');
    expect(readTextChunks(bytes).get('parameters')).toBe(formatParameters(imported));
  });
});
