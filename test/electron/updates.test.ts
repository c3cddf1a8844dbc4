/** The update path: off until a feed is configured; then a check that only tells the user. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { checkForUpdates, updateFeed, type Updater } from '../../main/electron/updates';

function fakeUpdater(version: string | null) {
  const events = new EventEmitter();
  const updater = {
    autoDownload: true,
    setFeedURL: vi.fn(),
    checkForUpdates: vi.fn(async () => {
      if (version) events.emit('update-available', { version });
      return null;
    }),
    on: (e: string, l: (...a: unknown[]) => void) => events.on(e, l),
  };
  return updater as typeof updater & Updater;
}

describe('updates', () => {
  it('is off without a feed: nothing is checked', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fg-upd-'));
    try {
      expect(await updateFeed({}, dir)).toBeNull();
      const updater = fakeUpdater('9.9.9');
      expect(await checkForUpdates({ updater, feed: null, notify: vi.fn(), log: vi.fn() })).toBe(false);
      expect(updater.checkForUpdates).not.toHaveBeenCalled();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads the feed from the environment or the data folder; https only', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fg-upd-'));
    try {
      expect(await updateFeed({ FLUX_GALLERY_UPDATE_FEED: 'https://updates.example/flux/' }, dir)).toBe(
        'https://updates.example/flux/',
      );
      expect(await updateFeed({ FLUX_GALLERY_UPDATE_FEED: 'http://updates.example/' }, dir)).toBeNull();
      await writeFile(path.join(dir, 'update-feed.txt'), ' https://u.example/f \n');
      expect(await updateFeed({}, dir)).toBe('https://u.example/f');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('with a feed: checks it without downloading, and tells of a newer version', async () => {
    const updater = fakeUpdater('1.2.3');
    const notify = vi.fn();
    expect(await checkForUpdates({ updater, feed: 'https://u.example/f', notify, log: vi.fn() })).toBe(true);
    expect(updater.autoDownload).toBe(false);
    expect(updater.setFeedURL).toHaveBeenCalledWith({ provider: 'generic', url: 'https://u.example/f' });
    expect(notify).toHaveBeenCalledWith('1.2.3');
  });

  it('a failed check is logged, never thrown', async () => {
    const updater = fakeUpdater(null);
    updater.checkForUpdates.mockRejectedValueOnce(new Error('offline'));
    const log = vi.fn();
    expect(await checkForUpdates({ updater, feed: 'https://u.example/f', notify: vi.fn(), log })).toBe(false);
    expect(log).toHaveBeenCalledWith('update check failed: offline');
  });
});
