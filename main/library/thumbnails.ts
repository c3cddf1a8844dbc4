/** Gallery thumbnails: small WebP files, decoded from the full image (which also proves it is whole). */
import sharp from 'sharp';
import { AppError } from '../../shared/errors';

export const THUMB_SIZE = 256;

export async function makeThumbnail(image: Buffer | string, size: number = THUMB_SIZE): Promise<Buffer> {
  try {
    // failOn 'error': a truncated image fails; harmless libpng warnings (odd ICC profiles) do not.
    return await sharp(image, { failOn: 'error' })
      .resize(size, size, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 78, effort: 3 })
      .toBuffer();
  } catch (err) {
    throw new AppError('bad-image', 'The image is damaged and cannot be decoded.', { cause: err });
  }
}
