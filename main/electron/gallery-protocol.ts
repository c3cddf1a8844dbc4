/**
 * `gallery://image/<id>` and `gallery://thumb/<id>`: library images for <img>, looked up by entry id
 * through the core. The URL never carries a path; whatever the core answers is checked again here
 * (real path under the library, regular file, image type) before a byte is read.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { MediaKind } from '../../shared/contract';
import { toErrorInfo } from '../../shared/errors';
import { EntryIdSchema } from '../../shared/library';
import { confineRealPath } from '../security/confine';
import { imageTypeOf } from '../security/media-types';
import { GALLERY_SCHEME } from './security-policy';

export interface GalleryProtocolDeps {
  resolveMedia(kind: MediaKind, id: string): Promise<string>;
  /** Folders media may live in (the library folder); checked after symlinks are followed. */
  roots(): readonly string[];
  log?: (message: string, err?: unknown) => void;
}

const MEDIA_KINDS: readonly MediaKind[] = ['image', 'thumb'];

/** The kind and id of a gallery URL, or null for anything that is not exactly `gallery://<kind>/<id>`. */
export function parseGalleryUrl(raw: string): { kind: MediaKind; id: string } | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${GALLERY_SCHEME}:` || url.username || url.password || url.port) return null;
  const kind = MEDIA_KINDS.find((k) => k === url.hostname);
  // One path segment only: an encoded "/" or "\" stays inside it and is rejected by the id check.
  const segment = /^\/([^/]+)$/.exec(url.pathname)?.[1];
  if (!kind || segment === undefined) return null;
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return null;
  }
  return EntryIdSchema.safeParse(id).success ? { kind, id } : null;
}

const plain = (status: number, text: string) =>
  new Response(text, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });

export function createGalleryProtocolHandler(deps: GalleryProtocolDeps): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const target = parseGalleryUrl(request.url);
    if (!target) return plain(400, 'Bad media URL');

    let resolved: string;
    try {
      resolved = await deps.resolveMedia(target.kind, target.id);
    } catch (err) {
      const { code } = toErrorInfo(err);
      if (code === 'internal') deps.log?.('gallery protocol: resolve failed', err);
      if (code === 'invalid-argument') return plain(400, 'Bad media id');
      return code === 'forbidden' ? plain(403, 'Forbidden') : plain(404, 'Not found');
    }

    const confined = await confineRealPath(resolved, deps.roots());
    if (!confined.ok && confined.reason === 'missing') return plain(404, 'Not found');
    // The type comes from the file really opened, not from the name the core answered with.
    const type = confined.ok ? imageTypeOf(confined.real) : undefined;
    if (!confined.ok || !type) {
      deps.log?.(`gallery protocol: refused a file outside the library or not an image (${target.kind} ${target.id})`);
      return plain(403, 'Forbidden');
    }
    const real = confined.real;

    // O_NOFOLLOW: a link swapped in after the check above is not followed (POSIX; 0 on Windows).
    let handle;
    try {
      handle = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch {
      return plain(404, 'Not found');
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) {
        await handle.close();
        return plain(404, 'Not found');
      }
      const headers = {
        'content-type': type,
        'content-length': String(info.size),
        'cache-control': 'private, max-age=3600',
        'x-content-type-options': 'nosniff',
      };
      if (request.method === 'HEAD') {
        await handle.close();
        return new Response(null, { status: 200, headers });
      }
      const body = Readable.toWeb(handle.createReadStream()) as ReadableStream<Uint8Array>;
      return new Response(body, { status: 200, headers });
    } catch (err) {
      await handle.close().catch(() => {});
      deps.log?.('gallery protocol: read failed', err);
      return plain(500, 'Read failed');
    }
  };
}
