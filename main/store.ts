/**
 * Key-value stores: `conf` in plain Node (CLI, tests, web preview), `electron-store` in the app.
 * electron-store's class extends Conf, so the Electron glue passes its own factory.
 */
import Conf from 'conf';

export interface StoreOptions<T extends Record<string, unknown>> {
  /** File name without extension. */
  name: string;
  /** Folder that holds the file. */
  cwd: string;
  defaults: T;
  /** The file's mode where the OS has modes (settings: 0o600, readable by the user only). */
  fileMode?: number;
}
export type StoreFactory = <T extends Record<string, unknown>>(opts: StoreOptions<T>) => Conf<T>;

export const confStoreFactory: StoreFactory = <T extends Record<string, unknown>>(opts: StoreOptions<T>) =>
  new Conf<T>({
    projectName: 'flux-gallery',
    configName: opts.name,
    cwd: opts.cwd,
    defaults: opts.defaults,
    ...(opts.fileMode !== undefined ? { configFileMode: opts.fileMode } : {}),
    // Secrets are encrypted by SecretCodec where the OS allows, and in clear only when the user agreed.
    clearInvalidConfig: false,
  });
