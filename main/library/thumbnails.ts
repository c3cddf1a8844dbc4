/** Gallery thumbnails: small WebP files, decoded from the full image (which also proves it is whole). */
import sharp from 'sharp';
import { AppError } from '../../shared/errors';
import { MAX_INPUT_PIXELS, isPixelLimitError } from './image-bytes';

export const THUMB_SIZE = 256;

export async function makeThumbnail(image: Buffer | string, size: number = THUMB_SIZE): Promise<Buffer> {
  try {
    // failOn 'error': a truncated image fails; harmless libpng warnings (odd ICC profiles) do not.
    // limitInputPixels: an image larger than the library accepts is refused before it is decoded.
    return await sharp(image, { failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS })
      .resize(size, size, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 78, effort: 3 })
      .toBuffer();
  } catch (err) {
    if (isPixelLimitError(err)) {
      throw new AppError('too-large', 'The image is too large to decode (over 4096×4096 pixels).', { cause: err });
    }
    throw new AppError('bad-image', 'The image is damaged and cannot be decoded.', { cause: err });
  }
}
