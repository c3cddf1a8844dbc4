/** Space previews → small data: URLs for the renderer (remote URLs never reach it). */
import { detectImageType, mimeOf } from '../library/image-bytes';

export const MAX_PREVIEW_BYTES = 2 * 1024 * 1024;

/** null when the bytes are not a PNG/WebP/JPEG or are too big to send on every update. */
export function previewDataUrl(bytes: Uint8Array, maxBytes: number = MAX_PREVIEW_BYTES): string | null {
  if (bytes.length === 0 || bytes.length > maxBytes) return null;
  const type = detectImageType(bytes);
  if (!type) return null;
  return `data:${mimeOf(type)};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`;
}
