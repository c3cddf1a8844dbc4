/**
 * Incoming image bytes: size limit, real type by magic bytes (a server's Content-Type is not
 * trusted), decode check and conversion to PNG.
 */
import sharp from 'sharp';
import { AppError } from '../../shared/errors';
import { MAX_IMAGE_BYTES } from '../../shared/library';
import { PNG_SIGNATURE } from './png-text-chunks';

export type ImageType = 'png' | 'jpeg' | 'webp';

/**
 * Largest image (in pixels) the library decodes: the app asks the Spaces for at most 2048² (LIMITS
 * in shared/constants.ts), so 4096² leaves room for a Space that upscales and still refuses a
 * 16383² image (sharp's own default limit) that would take seconds and gigabytes to decode.
 */
export const MAX_INPUT_PIXELS = 4096 * 4096;

/** sharp's refusal of an image over `limitInputPixels`. */
export function isPixelLimitError(err: unknown): boolean {
  return err instanceof Error && /pixel limit/i.test(err.message);
}

/** Refuses, from the header alone, an image larger than MAX_INPUT_PIXELS. */
export function checkPixels(width: number, height: number, maxPixels: number = MAX_INPUT_PIXELS): void {
  if (width * height > maxPixels) {
    const side = Math.floor(Math.sqrt(maxPixels));
    throw new AppError(
      'too-large',
      `The image is ${width}×${height} pixels; the library accepts at most ${side}×${side} (${maxPixels.toLocaleString('en-US')} pixels).`,
    );
  }
}

export function detectImageType(bytes: Uint8Array): ImageType | null {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  return null;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

export function mimeOf(type: ImageType): string {
  return type === 'jpeg' ? 'image/jpeg' : `image/${type}`;
}

/** Throws `too-large` or `bad-image`; returns the type. */
export function checkImageBytes(bytes: Uint8Array, maxBytes: number = MAX_IMAGE_BYTES): ImageType {
  if (bytes.length > maxBytes) {
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    throw new AppError('too-large', `The image is ${mb(bytes.length)} MB; the limit is ${mb(maxBytes)} MB.`);
  }
  const type = detectImageType(bytes);
  if (!type) throw new AppError('bad-image', 'The file is not a PNG, WebP or JPEG image.');
  return type;
}

export interface DecodedPng {
  /** PNG bytes: the input itself when it already was a PNG. */
  png: Buffer;
  width: number;
  height: number;
  sourceType: ImageType;
}

/**
 * Checks the bytes decode as the type their magic says and returns them as PNG. The pixels of a
 * PNG are not re-encoded (no quality change, and fast); the thumbnail step decodes them fully.
 */
export async function toPng(bytes: Uint8Array, maxBytes?: number): Promise<DecodedPng> {
  const sourceType = checkImageBytes(bytes, maxBytes);
  const input = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    // The header only (metadata decodes no pixel): the size is checked before anything is decoded.
    const meta = await sharp(input, { limitInputPixels: false }).metadata();
    if (meta.format !== sourceType || !meta.width || !meta.height) {
      throw new AppError('bad-image', `The ${sourceType.toUpperCase()} image cannot be read.`);
    }
    checkPixels(meta.width, meta.height);
    if (sourceType === 'png') return { png: input, width: meta.width, height: meta.height, sourceType };
    // rotate(): bake the EXIF orientation in, since the PNG will not carry it.
    const { data, info } = await sharp(input, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .png()
      .toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height, sourceType };
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (isPixelLimitError(err)) {
      throw new AppError('too-large', 'The image has more pixels than the library accepts (4096×4096).', {
        cause: err,
      });
    }
    throw new AppError('bad-image', `The ${sourceType.toUpperCase()} image is damaged and cannot be decoded.`, {
      cause: err,
    });
  }
}
