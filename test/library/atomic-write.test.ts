import { describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile, mkdir, utimes } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  HOST_TAG,
  isAbandonedTemp,
  isTempFileName,
  removeTempFiles,
  tempPathFor,
  writeFileAtomic,
} from '../../main/library/atomic-write';
import { toIoError } from '../../main/library/io-errors';
import { deadPid, tempDir } from './helpers';

describe('atomic write', () => {
  it('writes and replaces a file, leaving no temp file', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const f = path.join(dir, 'a.png');
      await writeFileAtomic(f, Buffer.from('one'));
      await writeFileAtomic(f, Buffer.from('two'));
      expect(await readFile(f, 'utf8')).toBe('two');
      expect(await readdir(dir)).toEqual(['a.png']);
    } finally {
      await cleanup();
    }
  });

  it('cleans its temp file when the write fails, and keeps the old file', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const f = path.join(dir, 'a.png');
      await writeFileAtomic(f, Buffer.from('old'));
      // The rename fails: the target is now a non-empty directory.
      const d = path.join(dir, 'd.png');
      await mkdir(path.join(d, 'x'), { recursive: true });
      await expect(writeFileAtomic(d, Buffer.from('new'))).rejects.toThrow();
      expect((await readdir(dir)).sort()).toEqual(['a.png', 'd.png']);
      expect(await readFile(f, 'utf8')).toBe('old');
    } finally {
      await cleanup();
    }
  });

  it('recognises its own temp files, named after their writer, and removes only abandoned ones', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const t = tempPathFor(path.join(dir, 'x.png'));
      expect(path.basename(t)).toMatch(new RegExp(`^\\.x\\.png\\.${process.pid}-${HOST_TAG}-[0-9a-f]{12}\\.tmp$`));
      expect(isTempFileName(path.basename(t))).toBe(true);
      expect(isTempFileName('.x.png.0123456789ab.tmp')).toBe(true); // earlier versions
      expect(isTempFileName('x.png')).toBe(false);
      expect(isTempFileName('.x.png.tmp')).toBe(false);
      // This process's own: a write may be under way.
      await writeFile(t, 'half');
      // A process that has ended: abandoned at once.
      await writeFile(path.join(dir, `.y.png.${deadPid()}-${HOST_TAG}-0123456789ab.tmp`), 'half');
      // Another computer's writer (same pid, other host), or no writer named: only its age tells.
      const foreign = `.z.png.${deadPid()}-${HOST_TAG === 'ffffff' ? 'eeeeee' : 'ffffff'}-0123456789ab.tmp`;
      await writeFile(path.join(dir, foreign), 'half');
      const old = path.join(dir, '.w.png.0123456789ab.tmp');
      await writeFile(old, 'half');
      const hourAgo = new Date(Date.now() - 2 * 3600_000);
      await utimes(old, hourAgo, hourAgo);
      await writeFile(path.join(dir, 'keep.png'), 'k');
      expect(await removeTempFiles(dir)).toBe(2);
      expect((await readdir(dir)).sort()).toEqual([path.basename(t), foreign, 'keep.png'].sort());
      expect(isAbandonedTemp(path.basename(t), Date.now())).toBe(false);
      expect(isAbandonedTemp(path.basename(t), hourAgo.getTime())).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it.runIf(existsSync('/dev/full'))('turns a real ENOSPC into a disk-full error', async () => {
    const err = await writeFile('/dev/full', Buffer.alloc(1024)).catch((e: unknown) => e);
    const app = toIoError(err, 'save the image', '/library');
    expect(app.code).toBe('disk-full');
    expect(app.message).toMatch(/disk .* is full/);
  });

  it('names unwritable folders in its io errors', () => {
    const err = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(toIoError(err, 'save the image', '/lib').toInfo()).toEqual({
      code: 'io',
      message: 'Could not save the image: "/lib" is not writable (EACCES). Check the folder\'s permissions.',
    });
  });
});
