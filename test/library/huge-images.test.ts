/**
 * Images larger than the app can ask for: a 16383² image (sharp's own default limit, so accepted
 * before) is a few kilobytes of PNG and seconds and gigabytes to decode. Results and thumbnails
 * refuse anything over 4096² from the header; drag icons are always the thumbnail.
 */
import { describe, expect, it, afterEach } from 'vitest';
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { MAX_INPUT_PIXELS, toPng } from '../../main/library/image-bytes';
import { openLibrary, type Library } from '../../main/library/library';
import { PNG_SIGNATURE } from '../../main/library/png-text-chunks';
import { makeThumbnail } from '../../main/library/thumbnails';
import { createNodePlatform } from '../../main/platform';
import { saveInput, tempDir } from './helpers';

function chunk(name: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(name, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A whole, valid black PNG of any size in a few kilobytes: 1-bit greyscale, every row zeros. */
function blackPng(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const rows = Buffer.alloc(height * (1 + Math.ceil(width / 8))); // filter byte 0 + pixels, all zero
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('huge images', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('refuses a 16383² result from its header, with words, and stores nothing', async () => {
    const huge = blackPng(16383, 16383);
    expect(huge.length).toBeLessThan(100_000);
    await expect(toPng(huge)).rejects.toMatchObject({
      code: 'too-large',
      message: 'The image is 16383×16383 pixels; the library accepts at most 4096×4096 (16,777,216 pixels).',
    });
    await expect(makeThumbnail(huge)).rejects.toMatchObject({ code: 'too-large' });

    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    const lib = await openLibrary({ dir, platform: createNodePlatform(path.join(dir, 'trash')) });
    await expect(lib.saveImage(await saveInput({ bytes: huge }))).rejects.toMatchObject({ code: 'too-large' });
    expect(await readdir(path.join(dir, 'images'))).toEqual([]);
    expect(lib.size).toBe(0);
    await lib.dispose();
  });

  it('accepts exactly the limit and refuses one row more', async () => {
    expect(MAX_INPUT_PIXELS).toBe(4096 * 4096);
    expect((await toPng(blackPng(4096, 4096))).width).toBe(4096);
    await expect(toPng(blackPng(4096, 4097))).rejects.toMatchObject({ code: 'too-large' });
    // A thumbnail of an image already in a library is bounded the same way.
    await expect(makeThumbnail(blackPng(8192, 8192))).rejects.toMatchObject({ code: 'too-large' });
  });

  it('drags with the thumbnail as icon, never the full image; a missing one is made again', async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    const platform = createNodePlatform(path.join(dir, 'trash'));
    const lib: Library = await openLibrary({ dir, platform });
    const e = await lib.saveImage(await saveInput());
    await rm(path.join(dir, e.thumb));
    lib.startDrag(e.id);
    expect(platform.dragRequests).toEqual([{ filePath: path.join(dir, e.file), iconPath: path.join(dir, e.thumb) }]);
    // Remade in the background for the next drag and the gallery.
    await expect.poll(() => existsSync(path.join(dir, e.thumb))).toBe(true);
    await lib.dispose();
  });
});
