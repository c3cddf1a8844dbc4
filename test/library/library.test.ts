import { describe, expect, it, beforeEach, afterEach, vi } from 'vitest';
import { readdir, readFile, rm, stat, writeFile, chmod, rename, utimes } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { HOST_TAG } from '../../main/library/atomic-write';
import { HistoryStore } from '../../main/library/history-store';
import { openLibrary, type Library, type LibraryOptions } from '../../main/library/library';
import { readImportedParams } from '../../main/library/png-metadata';
import { readTextChunks } from '../../main/library/png-text-chunks';
import { createNodePlatform, type NodePlatform } from '../../main/platform';
import { AppError } from '../../shared/errors';
import { deadPid, makeImage, params, resolvedFor, saveInput, tempDir, writeLegacyShard } from './helpers';

describe('library', () => {
  let root: string;
  let dir: string;
  let platform: NodePlatform;
  let cleanup: () => Promise<void>;
  let events: [string, unknown][];
  const libs: Library[] = [];

  const open = async (over: Partial<LibraryOptions> = {}) => {
    const lib = await openLibrary({
      dir,
      platform,
      emit: (channel, payload) => events.push([channel, payload]),
      ...over,
    });
    libs.push(lib);
    return lib;
  };

  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir());
    dir = path.join(root, 'library');
    platform = createNodePlatform(path.join(root, 'trash'));
    events = [];
  });
  afterEach(async () => {
    for (const l of libs.splice(0)) await l.dispose();
    await cleanup();
  });

  it('saves an image with metadata and a thumbnail, then indexes it', async () => {
    const lib = await open();
    const input = await saveInput({ bytes: await makeImage('png', 300, 200), seed: 987 });
    const entry = await lib.saveImage(input);
    expect(entry).toMatchObject({
      prompt: 'a red fox in the snow',
      model: 'flux-dev',
      providerId: 'bfl-flux1-dev',
      seed: 987,
      params: { seed: 987, steps: 28, width: 1024, height: 1024, guidance: 3.5, aspectRatio: '1:1' },
      width: 300,
      height: 200,
      favourite: false,
      durationMs: 4200,
    });
    expect(entry.file).toMatch(/^images\/\d{4}\/\d{2}\/[a-z0-9]+\.png$/);
    const png = await readFile(path.join(dir, entry.file));
    expect(png.length).toBe(entry.bytes);
    const chunks = readTextChunks(png);
    expect(chunks.get('parameters')).toContain('Seed: 987, Size: 1024x1024, Model: flux-dev, Guidance: 3.5');
    const json = JSON.parse(chunks.get('flux-gallery')!) as Record<string, unknown>;
    expect(json).toMatchObject({
      id: entry.id,
      seed: 987,
      request: { prompt: 'a red fox in the snow', model: 'flux-dev' },
    });
    const thumb = await sharp(path.join(dir, entry.thumb)).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['webp', 256, 171]);
    expect(events).toEqual([['history:added', entry]]);
    expect(lib.get(entry.id)).toEqual(entry);
    expect(lib.query({}).items).toEqual([entry]);
  });

  it('converts JPEG and WebP to PNG', async () => {
    const lib = await open();
    for (const fmt of ['jpeg', 'webp'] as const) {
      const e = await lib.saveImage(await saveInput({ bytes: await makeImage(fmt, 50, 40) }));
      const meta = await sharp(path.join(dir, e.file)).metadata();
      expect(meta.format).toBe('png');
      expect(readImportedParams(await readFile(path.join(dir, e.file))).source).toBe('flux-gallery');
    }
  });

  it('refuses non-images and oversized files without writing anything', async () => {
    const lib = await open({ maxImageBytes: 10_000 });
    await expect(
      lib.saveImage(await saveInput({ bytes: Buffer.from('<html>502 Bad Gateway</html>') })),
    ).rejects.toMatchObject({
      code: 'bad-image',
    });
    await expect(lib.saveImage(await saveInput({ bytes: await makeImage('png', 400, 400) }))).rejects.toMatchObject({
      code: 'too-large',
    });
    expect(await readdir(path.join(dir, 'images'))).toEqual([]);
    expect(lib.size).toBe(0);
  });

  it('uses the requested seed when the Space does not report one', async () => {
    const lib = await open();
    const request = params({ seed: 77, randomizeSeed: false });
    const e = await lib.saveImage(await saveInput({ request, resolved: resolvedFor(request), seed: null }));
    expect(e.seed).toBe(77);
  });

  it('queries, favourites (persisted) and reuse with the seed locked', async () => {
    const lib = await open();
    const a = await lib.saveImage(
      await saveInput({ prompt: 'a castle at dusk', createdAt: new Date('2025-01-01T10:00:00Z') }),
    );
    const b = await lib.saveImage(
      await saveInput({
        prompt: 'a neon city',
        providerId: 'voodoohop-flux1-schnell',
        request: params({ prompt: 'a neon city', model: 'flux-schnell' }),
        createdAt: new Date('2025-02-01T10:00:00Z'),
      }),
    );
    expect(lib.query({}).items.map((e) => e.id)).toEqual([b.id, a.id]);
    expect(lib.query({ text: 'CASTLE' }).items.map((e) => e.id)).toEqual([a.id]);
    expect(lib.query({ providerId: 'voodoohop-flux1-schnell' }).total).toBe(1);
    expect(lib.query({ from: '2025-01-15T00:00:00Z' }).items.map((e) => e.id)).toEqual([b.id]);
    const fav = lib.setFavourite(a.id, true);
    expect(fav.favourite).toBe(true);
    expect(events.at(-1)).toEqual(['history:updated', fav]);
    expect(lib.query({ favourite: true }).items.map((e) => e.id)).toEqual([a.id]);
    await lib.dispose();
    const again = await open();
    expect(again.get(a.id).favourite).toBe(true);
    expect(again.reuse(b.id)).toEqual({
      prompt: 'a neon city',
      model: 'flux-schnell',
      provider: 'voodoohop-flux1-schnell',
      aspectRatio: '1:1',
      width: 1024,
      height: 1024,
      steps: 28,
      guidance: 3.5,
      seed: 12345,
      randomizeSeed: false,
    });
  });

  it('rejects bad and unknown ids with clear codes', async () => {
    const lib = await open();
    expect(() => lib.get('../../etc/passwd')).toThrowError(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => lib.get('abcdefgh')).toThrowError(expect.objectContaining({ code: 'not-found' }));
    await expect(lib.resolveMedia('image', '/etc/passwd')).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('deletes with undo, then purges to the trash after the delay', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const lib = await open({ purgeDelayMs: 10_000 });
      const e = await lib.saveImage(await saveInput());
      expect(await lib.delete(e.id)).toEqual({ id: e.id });
      expect(events.at(-1)).toEqual(['history:removed', { id: e.id }]);
      expect(existsSync(path.join(dir, e.file))).toBe(false);
      expect((await readdir(path.join(dir, '.trash-pending'))).sort()).toEqual([`${e.id}.png`, `${e.id}.webp`]);
      expect(lib.query({}).total).toBe(0);
      expect(() => lib.get(e.id)).toThrowError(expect.objectContaining({ code: 'not-found' }));

      const back = await lib.undoDelete(e.id);
      expect(back).toEqual(e);
      expect(events.at(-1)).toEqual(['history:added', e]);
      expect(existsSync(path.join(dir, e.file))).toBe(true);
      expect(existsSync(path.join(dir, e.thumb))).toBe(true);
      expect(lib.query({}).total).toBe(1);

      await lib.delete(e.id);
      await vi.advanceTimersByTimeAsync(10_001);
      await lib.flushDeletes();
      expect(await readdir(path.join(dir, '.trash-pending'))).toEqual([]);
      expect((await readdir(platform.trashDir)).map((n) => n.replace(/^\d+-[0-9a-f]+-/, '')).sort()).toEqual([
        `${e.id}.png`,
        `${e.id}.webp`,
      ]);
      await expect(lib.undoDelete(e.id)).rejects.toMatchObject({ code: 'not-found' });
      // The delete survives a restart.
      await lib.dispose();
      expect((await open()).size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('purges pending deletes at dispose, and leftovers of a crashed session at open', async () => {
    const lib = await open({ purgeDelayMs: 60_000 });
    const a = await lib.saveImage(await saveInput());
    await lib.delete(a.id);
    await lib.dispose();
    expect(await readdir(platform.trashDir)).toHaveLength(2);
    // A session killed before its purge leaves parked files behind.
    await writeFile(path.join(dir, '.trash-pending', 'zzzzzzzz.png'), 'x');
    const again = await open();
    expect(again.report.purged).toBe(1);
    expect(await readdir(platform.trashDir)).toHaveLength(3);
  });

  it('imports parameters from a dropped file', async () => {
    const lib = await open();
    const e = await lib.saveImage(await saveInput({ prompt: 'a lighthouse' }));
    const bytes = await readFile(path.join(dir, e.file));
    await expect(lib.importImage({ fileName: 'x.png', dataBase64: bytes.toString('base64') })).resolves.toMatchObject({
      source: 'flux-gallery',
      prompt: 'a lighthouse',
      params: { seed: 12345, provider: 'bfl-flux1-dev' },
    });
    const plain = (await makeImage('png')).toString('base64');
    await expect(lib.importImage({ fileName: 'plain.png', dataBase64: plain })).rejects.toMatchObject({
      code: 'bad-image',
    });
  });

  it('resolves media by id, remakes a lost thumbnail and reports a missing image', async () => {
    const lib = await open();
    const e = await lib.saveImage(await saveInput());
    expect(await lib.resolveMedia('image', e.id)).toBe(path.join(dir, e.file));
    await rm(path.join(dir, e.thumb));
    expect(await lib.resolveMedia('thumb', e.id)).toBe(path.join(dir, e.thumb));
    expect((await sharp(path.join(dir, e.thumb)).metadata()).format).toBe('webp');

    await rm(path.join(dir, e.file));
    await expect(lib.resolveMedia('image', e.id)).rejects.toMatchObject({ code: 'file-missing' });
    await expect(lib.reveal(e.id)).rejects.toMatchObject({ code: 'file-missing' });
    await expect(lib.copyImage(e.id)).rejects.toMatchObject({ code: 'file-missing' });
    expect(() => lib.startDrag(e.id)).toThrowError(expect.objectContaining({ code: 'file-missing' }));
    expect(await lib.findMissing()).toEqual([e.id]);
    // Still listed and reusable: the data is in the index.
    expect(lib.query({}).total).toBe(1);
    expect(lib.reuse(e.id).seed).toBe(12345);
    // A missing file is no reason to refuse a delete.
    await lib.delete(e.id);
    expect(lib.size).toBe(0);
  });

  it('refuses an index entry whose path leads out of the library', async () => {
    const lib = await open();
    const e = await lib.saveImage(await saveInput());
    await lib.dispose();
    const store = HistoryStore.open({ dir: path.join(dir, '.flux-gallery/history') });
    store.update(e.id, (x) => ({ ...x, file: '../../../etc/passwd' }));
    store.close();
    const again = await open();
    await expect(again.resolveMedia('image', e.id)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(again.reveal(e.id)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('reveal, copy and drag go through the platform', async () => {
    const lib = await open();
    const e = await lib.saveImage(await saveInput());
    expect(await lib.reveal(e.id)).toEqual({ revealed: false });
    expect(await lib.copyImage(e.id)).toEqual({ copied: false });
    lib.startDrag(e.id);
    expect(platform.dragRequests).toEqual([{ filePath: path.join(dir, e.file), iconPath: path.join(dir, e.thumb) }]);
  });

  it('rebuilds a corrupt index from the images, keeping the damaged file as a backup', async () => {
    const lib = await open();
    const saved = [];
    for (let i = 0; i < 7; i++) saved.push(await lib.saveImage(await saveInput({ prompt: `picture ${i}` })));
    await lib.dispose();
    const indexFile = path.join(dir, '.flux-gallery/history/history.sqlite');
    await writeFile(indexFile, '\u0000\u0000garbage{'.repeat(1000));
    const again = await open();
    expect(again.report.corruptBackups).toHaveLength(1);
    expect(existsSync(again.report.corruptBackups[0]!)).toBe(true);
    expect(again.report.recovered).toBe(7);
    expect(again.size).toBe(7);
    const byId = new Map(again.query({}).items.map((e) => [e.id, e]));
    for (const e of saved) expect(byId.get(e.id)).toEqual(e);
  });

  it('rebuilds the entries of a corrupt shard of an earlier version from the images', async () => {
    const lib = await open();
    const saved = [];
    for (let i = 0; i < 7; i++) saved.push(await lib.saveImage(await saveInput({ prompt: `picture ${i}` })));
    await lib.dispose();
    const shardDir = path.join(dir, '.flux-gallery/history');
    await rm(path.join(shardDir, 'history.sqlite'));
    await writeLegacyShard(shardDir, 1, saved.slice(0, 3));
    await writeFile(path.join(shardDir, 'history-000002.json'), '\u0000\u0000garbage{');
    await writeLegacyShard(shardDir, 3, saved.slice(6));
    const again = await open();
    expect(again.report.corruptBackups).toHaveLength(1);
    expect(await readFile(again.report.corruptBackups[0]!, 'utf8')).toBe('\u0000\u0000garbage{');
    expect(again.report.recovered).toBe(3);
    expect(again.size).toBe(7);
    const byId = new Map(again.query({}).items.map((e) => [e.id, e]));
    for (const e of saved) expect(byId.get(e.id)).toEqual(e);
  });

  it('rebuilds everything when the index is lost', async () => {
    const lib = await open();
    const e = await lib.saveImage(await saveInput({ prompt: 'Лиса 🦊' }));
    await lib.dispose();
    await rm(path.join(dir, '.flux-gallery'), { recursive: true });
    const again = await open();
    expect(again.report.recovered).toBe(1);
    expect(again.get(e.id)).toEqual(e);
  });

  it('indexes an orphan image (crash between file and entry), skips files without metadata', async () => {
    const lib = await open();
    const e = await lib.saveImage(await saveInput());
    await lib.dispose();
    // Simulate the crash: the entry never made it to the index.
    await rm(path.join(dir, '.flux-gallery'), { recursive: true });
    await rm(path.join(dir, e.thumb));
    await writeFile(path.join(dir, 'images', 'abcdefgh.png'), await makeImage('png'));
    const again = await open();
    expect(again.get(e.id)).toEqual(e);
    expect(again.report.unreadable).toEqual(['images/abcdefgh.png']);
    // The thumbnail is made again on demand.
    expect(existsSync(await again.resolveMedia('thumb', e.id))).toBe(true);
  });

  it("removes temp files of interrupted writes at open, never a live writer's", async () => {
    const lib = await open();
    const e = await lib.saveImage(await saveInput());
    await lib.dispose();
    const monthDir = path.dirname(path.join(dir, e.file));
    const thumbDir = path.dirname(path.join(dir, e.thumb));
    // Abandoned: an hour old (an earlier version's name, no writer in it), or its writer has ended.
    const old = path.join(monthDir, '.abc.png.0123456789ab.tmp');
    await writeFile(old, 'half an image');
    await utimes(old, new Date(Date.now() - 2 * 3600_000), new Date(Date.now() - 2 * 3600_000));
    await writeFile(path.join(thumbDir, `.abc.webp.${deadPid()}-${HOST_TAG}-0123456789ab.tmp`), 'half');
    // Live: another process of this computer is writing it right now (this one stands in for it),
    // or a writer we cannot see (no pid in the name) wrote it a moment ago.
    const live = `.def.png.${process.pid}-${HOST_TAG}-0123456789ab.tmp`;
    await writeFile(path.join(monthDir, live), 'being written');
    await writeFile(path.join(monthDir, '.ghi.png.0123456789ab.tmp'), 'being written');
    const again = await open();
    expect(again.report.tempFilesRemoved).toBe(2);
    expect((await readdir(monthDir)).sort()).toEqual(['.ghi.png.0123456789ab.tmp', live, path.basename(e.file)].sort());
    expect(await readdir(thumbDir)).toEqual([path.basename(e.thumb)]);
    expect(again.size).toBe(1);
  });

  it('gives a clear io error for an unusable library folder', async () => {
    await writeFile(path.join(root, 'afile'), 'x');
    const err = await openLibrary({ dir: path.join(root, 'afile', 'lib'), platform }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('io');
    expect((err as AppError).message).toContain('afile');
  });

  it.runIf(process.getuid?.() !== 0)('gives a clear io error when the folder is not writable', async () => {
    const lib = await open();
    await chmod(path.join(dir, 'images'), 0o555);
    try {
      const err = await lib.saveImage(await saveInput()).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'io', message: expect.stringMatching(/not writable/) });
      expect(lib.size).toBe(0);
    } finally {
      await chmod(path.join(dir, 'images'), 0o755);
    }
  });

  it('never leaves an entry for a file that failed to write', async () => {
    const lib = await open();
    const first = await lib.saveImage(await saveInput());
    // Make the month folder unusable: a file where the folder should be.
    const month = path.dirname(path.join(dir, first.file));
    await rename(month, `${month}.bak`);
    await writeFile(month, 'not a folder');
    await expect(lib.saveImage(await saveInput())).rejects.toMatchObject({ code: 'io' });
    expect(lib.size).toBe(1);
    await rm(month);
    await rename(`${month}.bak`, month);
    expect((await stat(path.join(dir, first.file))).isFile()).toBe(true);
  });
});
