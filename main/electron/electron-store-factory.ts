/** The core's StoreFactory backed by electron-store (settings, history index, window state). */
import ElectronStore from 'electron-store';
import type { StoreFactory, StoreOptions } from '../store';

export const electronStoreFactory: StoreFactory = <T extends Record<string, unknown>>(opts: StoreOptions<T>) =>
  new ElectronStore<T>({
    name: opts.name,
    cwd: opts.cwd,
    defaults: opts.defaults,
    ...(opts.fileMode !== undefined ? { configFileMode: opts.fileMode } : {}),
    // A damaged file is kept for the user to recover rather than silently replaced with defaults.
    clearInvalidConfig: false,
  });
