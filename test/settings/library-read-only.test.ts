/**
 * Issue 13: a library on a read-only volume stopped the app before any window. Now the core starts
 * with the library unavailable and says why. A read-only mount cannot be made without privileges
 * (and root may write anywhere), so the volume's answer, EROFS, is played by `access`.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../main/core';

const readOnly = vi.hoisted(() => ({ roots: [] as string[] }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const access: typeof real.access = async (p, mode) => {
    const file = String(p);
    if (mode !== undefined && mode & real.constants.W_OK && readOnly.roots.some((r) => file.startsWith(r))) {
      throw Object.assign(new Error(`EROFS: read-only file system, access '${file}'`), { code: 'EROFS' });
    }
    return real.access(p, mode);
  };
  return { ...real, access, default: { ...real, access } };
});

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'fg-ro-'));
});
afterEach(async () => {
  readOnly.roots = [];
  await rm(root, { recursive: true, force: true });
});

describe('a library folder on a read-only volume', () => {
  it('leaves the core running, the library unavailable with an io error in words', async () => {
    const ro = path.join(root, 'cdrom', 'Flux Gallery');
    await mkdir(ro, { recursive: true });
    readOnly.roots = [path.join(root, 'cdrom')];
    const dataDir = path.join(root, 'data');
    await mkdir(dataDir);
    await writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ libraryDir: ro }));
    const core = await createCore({
      dataDir,
      defaultLibraryDir: path.join(root, 'default'),
      transport: 'web',
      appVersion: 'test',
      log: () => {},
    });
    try {
      expect(core.libraryStatus()).toMatchObject({
        state: 'unavailable',
        error: { code: 'io', message: expect.stringContaining('read-only volume') },
      });
      const r = await core.router.invoke('history:query', {}, { transport: 'web' });
      expect(r).toMatchObject({ ok: false, error: { code: 'io', message: expect.stringContaining(ro) } });
      // The volume is writable again (remounted): retry opens it.
      readOnly.roots = [];
      expect(await core.router.invoke('library:retry', undefined, { transport: 'web' })).toMatchObject({
        ok: true,
        value: { state: 'ready' },
      });
    } finally {
      await core.dispose();
    }
  });
});
