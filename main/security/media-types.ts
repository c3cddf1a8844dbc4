/** Content types of the files the app serves (renderer bundle, library images and thumbnails). */
import path from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

const IMAGE_EXTENSIONS = new Set(['.png', '.webp', '.jpg', '.jpeg']);

/** The content type for a file name, or undefined when the app does not serve that kind. */
export const contentTypeOf = (file: string): string | undefined => TYPES[path.extname(file).toLowerCase()];

/** Library media: images only (a library file of any other kind is never served). */
export const imageTypeOf = (file: string): string | undefined => {
  const ext = path.extname(file).toLowerCase();
  return IMAGE_EXTENSIONS.has(ext) ? TYPES[ext] : undefined;
};
