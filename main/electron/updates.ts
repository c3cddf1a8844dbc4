/**
 * The update path for installed copies: electron-updater against a generic feed (a folder of
 * electron-builder's `latest*.yml` and installers on any https server). Off until a feed is
 * configured, by `FLUX_GALLERY_UPDATE_FEED` or `update-feed.txt` in the app's data folder. It only
 * checks and tells the user ("update available"); downloading and installing stay the user's call.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The part of electron-updater's AppUpdater this module uses (mocked in tests). */
export interface Updater {
  autoDownload: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  on(event: 'update-available', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export async function updateFeed(env: NodeJS.ProcessEnv, dataDir: string): Promise<string | null> {
  let raw = env.FLUX_GALLERY_UPDATE_FEED?.trim() ?? '';
  if (!raw) {
    try {
      raw = (await readFile(path.join(dataDir, 'update-feed.txt'), 'utf8')).trim();
    } catch {
      return null; // No feed configured: updates stay off.
    }
  }
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && !url.username && !url.password ? url.href : null;
  } catch {
    return null;
  }
}

/** Checks the feed once; `notify` tells the user of a newer version. Never throws. */
export async function checkForUpdates(opts: {
  updater: Updater;
  feed: string | null;
  notify: (version: string) => void;
  log: (message: string) => void;
}): Promise<boolean> {
  if (!opts.feed) return false;
  const { updater } = opts;
  updater.autoDownload = false;
  updater.setFeedURL({ provider: 'generic', url: opts.feed });
  updater.on('update-available', (info) => opts.notify(info.version));
  updater.on('error', (err) => opts.log(`update check failed: ${err.message}`));
  try {
    await updater.checkForUpdates();
    return true;
  } catch (err) {
    opts.log(`update check failed: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
}
