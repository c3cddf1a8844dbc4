import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { checkImageBytes, detectImageType, toPng } from '../../main/library/image-bytes';
import { makeThumbnail } from '../../main/library/thumbnails';
import { AppError } from '../../shared/errors';
import { makeImage } from './helpers';

describe('image bytes', () => {
  it('detects PNG, JPEG and WebP by magic bytes only', async () => {
    expect(detectImageType(await makeImage('png'))).toBe('png');
    expect(detectImageType(await makeImage('jpeg'))).toBe('jpeg');
    expect(detectImageType(await makeImage('webp'))).toBe('webp');
    expect(detectImageType(Buffer.from('<html>not an image</html>'))).toBeNull();
    expect(detectImageType(Buffer.from('GIF89a......'))).toBeNull();
    expect(detectImageType(new Uint8Array(0))).toBeNull();
  });

  it('refuses too large files and non-images with clear codes', async () => {
    const png = await makeImage('png');
    expect(() => checkImageBytes(png, png.length - 1)).toThrowError(expect.objectContaining({ code: 'too-large' }));
    expect(() => checkImageBytes(Buffer.from('{"error":"quota"}'))).toThrowError(
      expect.objectContaining({ code: 'bad-image' }),
    );
  });

  it('keeps a PNG as is and converts JPEG and WebP to PNG', async () => {
    const png = await makeImage('png', 40, 30);
    const same = await toPng(png);
    expect(same.png).toBe(png);
    expect([same.width, same.height, same.sourceType]).toEqual([40, 30, 'png']);
    for (const fmt of ['jpeg', 'webp'] as const) {
      const out = await toPng(await makeImage(fmt, 40, 30));
      expect(detectImageType(out.png)).toBe('png');
      expect(out.sourceType).toBe(fmt);
      expect((await sharp(out.png).metadata()).width).toBe(40);
    }
  });

  it('reports damaged images as bad-image, not a crash', async () => {
    const jpeg = await makeImage('jpeg', 64, 64);
    const err = await toPng(jpeg.subarray(0, 40)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('bad-image');
    // A PNG cut in half passes the header check but fails the full decode of the thumbnail.
    const png = await makeImage('png', 128, 128);
    const cut = png.subarray(0, Math.floor(png.length / 2));
    await expect(makeThumbnail(cut)).rejects.toMatchObject({ code: 'bad-image' });
  });

  it('makes WebP thumbnails that fit 256 px', async () => {
    const thumb = await makeThumbnail(await makeImage('png', 1024, 576));
    const meta = await sharp(thumb).metadata();
    expect(meta.format).toBe('webp');
    expect([meta.width, meta.height]).toEqual([256, 144]);
  });
});
