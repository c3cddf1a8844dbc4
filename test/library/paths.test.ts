import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { relPathsFor } from '../../main/library/paths';
import { resolveInside } from '../../main/security/confine';
import { tempDir } from './helpers';

describe('paths', () => {
  let root: string;
  let outside: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    root = path.join(t.dir, 'lib');
    outside = path.join(t.dir, 'secret.txt');
    await mkdir(path.join(root, 'images/2025/01'), { recursive: true });
    await writeFile(path.join(root, 'images/2025/01/abcdef.png'), 'x');
    await writeFile(outside, 'secret');
  });
  afterEach(() => cleanup());

  it('lays files out by UTC month', () => {
    expect(relPathsFor('abcdef', new Date('2025-01-31T23:30:00Z'))).toEqual({
      file: 'images/2025/01/abcdef.png',
      thumb: 'thumbs/2025/01/abcdef.webp',
    });
  });

  it('resolves paths inside the library', () => {
    expect(resolveInside(root, 'images/2025/01/abcdef.png')).toEqual({
      abs: path.join(root, 'images/2025/01/abcdef.png'),
      exists: true,
    });
    expect(resolveInside(root, 'images/2025/01/nothere.png').exists).toBe(false);
  });

  it('refuses .., absolute paths and the root itself', () => {
    for (const bad of [
      '../secret.txt',
      'images/../../secret.txt',
      '..\\secret.txt',
      outside,
      'C:\\x',
      '',
      '.',
      'a\0b',
    ]) {
      expect(() => resolveInside(root, bad), bad).toThrowError(expect.objectContaining({ code: 'forbidden' }));
    }
  });

  it('refuses symlinks that lead out, allows those that stay in', async () => {
    await symlink(outside, path.join(root, 'images/2025/01/evil.png'));
    await symlink(path.dirname(outside), path.join(root, 'images/escape'));
    expect(() => resolveInside(root, 'images/2025/01/evil.png')).toThrowError(
      expect.objectContaining({ code: 'forbidden' }),
    );
    expect(() => resolveInside(root, 'images/escape/secret.txt')).toThrowError(
      expect.objectContaining({ code: 'forbidden' }),
    );
    await symlink(path.join(root, 'images/2025/01/abcdef.png'), path.join(root, 'images/alias.png'));
    expect(resolveInside(root, 'images/alias.png').exists).toBe(true);
  });

  it('works when the library folder itself is reached through a symlink', async () => {
    const link = `${root}-link`;
    await symlink(root, link);
    expect(resolveInside(link, 'images/2025/01/abcdef.png').exists).toBe(true);
  });
});
