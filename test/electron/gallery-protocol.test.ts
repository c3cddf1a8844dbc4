import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MediaKind } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { createGalleryProtocolHandler, parseGalleryUrl } from '../../main/electron/gallery-protocol';
import { resolveInside } from '../../main/security/confine';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

let base: string;
let library: string;
let outside: string;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'flux-gallery-proto-'));
  library = path.join(base, 'library');
  outside = path.join(base, 'outside');
  await mkdir(path.join(library, 'images/2025/01'), { recursive: true });
  await mkdir(path.join(library, 'thumbs/2025/01'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(library, 'images/2025/01/good000.png'), PNG);
  await writeFile(path.join(library, 'thumbs/2025/01/good000.webp'), 'RIFFwebp');
  await writeFile(path.join(outside, 'secret.png'), 'SECRET');
  await writeFile(path.join(library, 'images/2025/01/notes00.txt'), 'not an image');
  // Hostile library content: links that lead out of the folder.
  await symlink(path.join(outside, 'secret.png'), path.join(library, 'images/2025/01/linkout.png'));
  await symlink(outside, path.join(library, 'images/escape'));
  await symlink('/etc/passwd', path.join(library, 'images/2025/01/passwd0.png'));
});
afterAll(() => rm(base, { recursive: true, force: true }));

/** A deliberately naive resolver (no confinement): the protocol layer alone must keep files in. */
const naiveResolve = async (kind: MediaKind, id: string) => {
  const special: Record<string, string> = {
    linkout: 'images/2025/01/linkout.png',
    escape0: 'images/escape/secret.png',
    passwd0: 'images/2025/01/passwd0.png',
    absolut: path.join(outside, 'secret.png'),
    relativ: '../outside/secret.png',
    notes00: 'images/2025/01/notes00.txt',
    folder0: 'images/2025/01',
  };
  const rel = special[id] ?? (kind === 'image' ? `images/2025/01/${id}.png` : `thumbs/2025/01/${id}.webp`);
  return path.isAbsolute(rel) ? rel : path.join(library, rel);
};

/** The library's own confinement (main/library/paths.ts), as the real core uses it. */
const libraryResolve = async (kind: MediaKind, id: string) => {
  const rel = kind === 'image' ? `images/2025/01/${id}.png` : `thumbs/2025/01/${id}.webp`;
  const { abs, exists } = resolveInside(library, rel);
  if (!exists) throw new AppError('not-found', 'No such image.');
  return abs;
};

const get = (handler: (r: Request) => Promise<Response>, url: string, method = 'GET') =>
  handler(new Request(url, { method }));

describe('parseGalleryUrl', () => {
  it('accepts exactly gallery://<image|thumb>/<entry id>', () => {
    expect(parseGalleryUrl('gallery://image/good000')).toEqual({ kind: 'image', id: 'good000' });
    expect(parseGalleryUrl('gallery://thumb/abc_DEF-123')).toEqual({ kind: 'thumb', id: 'abc_DEF-123' });
  });

  it.each([
    'gallery://image/..%2F..%2Fetc%2Fpasswd',
    'gallery://image/..%2f..%2fetc%2fpasswd',
    'gallery://image/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'gallery://image/..%5C..%5Cwindows%5Cwin.ini',
    'gallery://image/%2Fetc%2Fpasswd',
    'gallery://image//etc/passwd',
    'gallery://image/C:%5CWindows%5Cwin.ini',
    'gallery://image/good000%00.png',
    'gallery://image/good000/extra',
    'gallery://image/',
    'gallery://image',
    'gallery:///etc/passwd',
    'gallery://file/good000',
    'gallery://user:pw@image/good000',
    'gallery://image:8080/good000',
    'gallery://image/%E0%A4%A',
    'gallery://image/short',
    `gallery://image/${'a'.repeat(65)}`,
    'app://image/good000',
    'file:///etc/passwd',
    'not a url',
  ])('rejects %s', (url) => {
    expect(parseGalleryUrl(url)).toBeNull();
  });
});

describe.each([
  ['naive resolver', naiveResolve],
  ['library resolver', libraryResolve],
])('gallery:// protocol with a %s', (_name, resolve) => {
  const resolveMedia = vi.fn(resolve);
  const handler = createGalleryProtocolHandler({ resolveMedia, roots: () => [library] });

  it('serves a library image and thumbnail by id with an image type', async () => {
    const res = await get(handler, 'gallery://image/good000');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
    const thumb = await get(handler, 'gallery://thumb/good000');
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
  });

  it('answers HEAD without a body', async () => {
    const res = await get(handler, 'gallery://image/good000', 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(PNG.length));
    expect(await res.text()).toBe('');
  });

  it.each([
    'gallery://image/..%2F..%2Fetc%2Fpasswd',
    'gallery://image/..%2F..%2Foutside%2Fsecret.png',
    'gallery://image/%2Fetc%2Fpasswd',
    'gallery://image/../../outside/secret.png',
    'gallery://image/%2e%2e%2f%2e%2e%2foutside%2fsecret',
  ])('never reaches a file outside the library for %s', async (url) => {
    resolveMedia.mockClear();
    const res = await get(handler, url);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await res.text()).not.toContain('SECRET');
    // Either refused before the core is asked, or asked with a harmless entry id only.
    for (const [, id] of resolveMedia.mock.calls) expect(id).toMatch(/^[A-Za-z0-9_-]{6,64}$/);
  });

  it.each(['linkout', 'escape0', 'passwd0', 'absolut', 'relativ'])(
    'refuses an id whose file is a link or path out of the library (%s)',
    async (id) => {
      const res = await get(handler, `gallery://image/${id}`);
      expect([403, 404]).toContain(res.status);
      const body = await res.text();
      expect(body).not.toContain('SECRET');
      expect(body).not.toContain('root:');
    },
  );

  it('refuses non-images, folders, unknown ids and other methods', async () => {
    expect((await get(handler, 'gallery://image/notes00')).status).toBeGreaterThanOrEqual(400);
    expect((await get(handler, 'gallery://image/folder0')).status).toBeGreaterThanOrEqual(400);
    expect((await get(handler, 'gallery://image/missing0')).status).toBe(404);
    expect((await get(handler, 'gallery://image/good000', 'POST')).status).toBe(405);
  });
});

describe('gallery:// protocol and core errors', () => {
  it('maps core errors to statuses without leaking messages', async () => {
    const codes = { nf: 'not-found', fb: 'forbidden', ia: 'invalid-argument', io: 'internal' } as const;
    const log = vi.fn();
    const handler = createGalleryProtocolHandler({
      resolveMedia: async (_k, id) => {
        const code = codes[id.slice(0, 2) as keyof typeof codes];
        if (code === 'internal') throw new Error('/home/user/secret/path exploded');
        throw new AppError(code, 'detail');
      },
      roots: () => [library],
      log,
    });
    expect((await get(handler, 'gallery://image/nf0000')).status).toBe(404);
    expect((await get(handler, 'gallery://image/fb0000')).status).toBe(403);
    expect((await get(handler, 'gallery://image/ia0000')).status).toBe(400);
    const internal = await get(handler, 'gallery://image/io0000');
    expect(internal.status).toBe(404);
    expect(await internal.text()).not.toContain('/home/user');
    expect(log).toHaveBeenCalled();
  });

  it('follows the current library folder (roots are read per request)', async () => {
    let roots = [outside];
    const handler = createGalleryProtocolHandler({ resolveMedia: naiveResolve, roots: () => roots });
    expect((await get(handler, 'gallery://image/good000')).status).toBe(403);
    roots = [library];
    expect((await get(handler, 'gallery://image/good000')).status).toBe(200);
  });
});
