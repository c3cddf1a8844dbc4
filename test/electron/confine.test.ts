import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confineRealPath, isInside } from '../../main/security/confine';

describe('isInside', () => {
  it('is lexical and exact about parent segments', () => {
    expect(isInside('/lib', '/lib/a.png')).toBe(true);
    expect(isInside('/lib', '/lib/..a/b.png')).toBe(true);
    expect(isInside('/lib', '/lib')).toBe(true);
    expect(isInside('/lib', '/lib2/a.png')).toBe(false);
    expect(isInside('/lib', '/a.png')).toBe(false);
  });
});

describe('confineRealPath', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'flux-confine-'));
    await mkdir(path.join(base, 'lib/sub'), { recursive: true });
    await writeFile(path.join(base, 'lib/sub/a.png'), 'a');
    await writeFile(path.join(base, 'out.png'), 'o');
    await symlink(path.join(base, 'out.png'), path.join(base, 'lib/link.png'));
    await symlink(path.join(base, 'lib/sub/a.png'), path.join(base, 'lib/inner.png'));
    // The library folder itself reached through a link (like macOS /tmp → /private/tmp).
    await symlink(path.join(base, 'lib'), path.join(base, 'liblink'));
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('accepts real files under a root, also through links that stay inside', async () => {
    const lib = path.join(base, 'lib');
    expect(await confineRealPath(path.join(lib, 'sub/a.png'), [lib])).toMatchObject({ ok: true });
    expect(await confineRealPath(path.join(lib, 'inner.png'), [lib])).toMatchObject({ ok: true });
    expect(await confineRealPath(path.join(base, 'liblink/sub/a.png'), [lib])).toMatchObject({ ok: true });
    expect(await confineRealPath(path.join(lib, 'sub/a.png'), [path.join(base, 'liblink')])).toMatchObject({
      ok: true,
    });
  });

  it('refuses links out, parent paths, relative paths, NUL and the root itself', async () => {
    const lib = path.join(base, 'lib');
    const outside = { ok: false, reason: 'outside' };
    expect(await confineRealPath(path.join(lib, 'link.png'), [lib])).toEqual(outside);
    expect(await confineRealPath(path.join(lib, '../out.png'), [lib])).toEqual(outside);
    expect(await confineRealPath('lib/sub/a.png', [lib])).toEqual(outside);
    expect(await confineRealPath(`${lib}/sub/a.png\0.txt`, [lib])).toEqual(outside);
    expect(await confineRealPath(lib, [lib])).toEqual(outside);
    expect(await confineRealPath(path.join(lib, 'sub/a.png'), ['relative/root'])).toEqual(outside);
    expect(await confineRealPath(path.join(lib, 'missing.png'), [lib])).toEqual({ ok: false, reason: 'missing' });
  });
});
