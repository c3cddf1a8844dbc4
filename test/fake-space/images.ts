/** Real image bytes for the fake Space, made with sharp and cached (benchmarks ask for many). */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import type { ImageFormat } from './types';

const cache = new Map<string, Promise<Buffer>>();

function cached(key: string, make: () => Promise<Buffer>): Promise<Buffer> {
  let p = cache.get(key);
  if (!p) {
    p = make();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

const encode = (img: sharp.Sharp, format: ImageFormat) =>
  (format === 'png' ? img.png({ compressionLevel: 1 }) : img.webp({ quality: 80 })).toBuffer();

/** A flat image of this size whose colour depends on `tint` (seed, preview number). */
export function plainImage(width: number, height: number, format: ImageFormat, tint: number): Promise<Buffer> {
  const t = Math.abs(Math.trunc(tint)) % 256;
  return cached(`plain:${width}x${height}:${format}:${t}`, () =>
    encode(
      sharp({ create: { width, height, channels: 3, background: { r: t, g: 255 - t, b: (t * 7) % 256 } } }),
      format,
    ),
  );
}

/** Incompressible noise of about `bytes` bytes (lossless either way, so the size is predictable). */
export function sizedImage(bytes: number, format: ImageFormat): Promise<Buffer> {
  return cached(`sized:${bytes}:${format}`, async () => {
    const side = Math.max(8, Math.round(Math.sqrt(bytes / 3)));
    const raw = randomBytes(side * side * 3);
    const img = sharp(raw, { raw: { width: side, height: side, channels: 3 } });
    return format === 'png'
      ? img.png({ compressionLevel: 1 }).toBuffer()
      : img.webp({ lossless: true, effort: 0 }).toBuffer();
  });
}

export const mimeOf = (format: ImageFormat) => (format === 'png' ? 'image/png' : 'image/webp');
