/**
 * Where the app keeps things by default, the same for the desktop app, the web preview and the CLI:
 * the library in the user's Pictures folder, settings in the OS's per-user app data folder (what
 * Electron's `app.getPath('userData')` is for a product named "Flux Gallery"). The CLI reads the
 * app's settings there, so it saves into the library folder chosen in Settings.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Flux Gallery';

/** `<Pictures>/Flux Gallery`, or `<home>/Flux Gallery` where there is no Pictures folder. */
export function defaultLibraryDir(dirs: { home: string; pictures?: string | null }): string {
  const pictures = dirs.pictures ?? path.join(dirs.home, 'Pictures');
  return path.join(existsSync(pictures) ? pictures : dirs.home, PRODUCT_NAME);
}

/** Electron's userData for this product, computed without Electron. */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'win32') return path.join(env.APPDATA || path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), PRODUCT_NAME);
}

/** The home folder as the environment names it (tests set HOME). */
export const homeOf = (env: NodeJS.ProcessEnv = process.env): string => env.HOME || env.USERPROFILE || homedir();
