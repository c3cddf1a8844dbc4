/**
 * Reads the library folder from the app's settings file without opening (and so without writing)
 * the store: read-only commands such as `history` must leave the app's files alone.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** `settings.json` as electron-store and conf name it (`name: 'settings'`, `cwd: dataDir`). */
export const SETTINGS_FILE = 'settings.json';

/** The settings file's JSON, or an empty object when there is none (or it is not one). */
export async function readSavedSettings(dataDir: string): Promise<Record<string, unknown>> {
  try {
    const json: unknown = JSON.parse(await readFile(path.join(dataDir, SETTINGS_FILE), 'utf8'));
    return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export async function readSavedLibraryDir(dataDir: string): Promise<string | null> {
  try {
    const json: unknown = JSON.parse(await readFile(path.join(dataDir, SETTINGS_FILE), 'utf8'));
    const dir = json && typeof json === 'object' ? (json as { libraryDir?: unknown }).libraryDir : undefined;
    return typeof dir === 'string' && path.isAbsolute(dir) ? dir : null;
  } catch {
    // No settings yet, or a file the app itself would not read: the default applies.
    return null;
  }
}
