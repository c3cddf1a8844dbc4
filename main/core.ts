/**
 * The app core: every main-process service, wired to the IPC router. Plain Node — the Electron glue,
 * the web preview, tests and benchmarks all create the same core.
 */
import type { MediaKind } from '../shared/contract';
import { AppError } from '../shared/errors';
import { createEventBus, type EventBus } from './event-bus';
import { createRouter, type InvokeHandlers, type Router } from './ipc/router';
import { createSettingsService, type SettingsService } from './settings/settings-service';
import { plainSecretCodec, type SecretCodec } from './settings/secret-codec';
import { confStoreFactory, type StoreFactory } from './store';

export interface CoreOptions {
  /** Where settings and the history index live. */
  dataDir: string;
  /** Library folder used until the user picks another. */
  defaultLibraryDir: string;
  transport: 'electron' | 'web';
  appVersion: string;
  platformName?: string;
  storeFactory?: StoreFactory;
  secrets?: SecretCodec;
  log?: (message: string, err?: unknown) => void;
}

export interface Core {
  router: Router;
  events: EventBus;
  settings: SettingsService;
  /** Absolute path of an entry's image or thumbnail, confined to the library folder. */
  resolveMedia(kind: MediaKind, id: string): Promise<string>;
  dispose(): Promise<void>;
}

const notYet = (what: string) => () => {
  throw new AppError('internal', `${what} is not available yet.`);
};

export async function createCore(opts: CoreOptions): Promise<Core> {
  const log = opts.log ?? ((m: string, e?: unknown) => console.error(m, e ?? ''));
  const events = createEventBus((err) => log('event listener failed', err));
  const settings = createSettingsService({
    storeFactory: opts.storeFactory ?? confStoreFactory,
    dataDir: opts.dataDir,
    defaultLibraryDir: opts.defaultLibraryDir,
    secrets: opts.secrets ?? plainSecretCodec,
  });
  settings.onChange((s) => events.emit('settings:changed', s));

  const handlers: InvokeHandlers = {
    'app:info': () => ({
      name: 'Flux Gallery',
      version: opts.appVersion,
      transport: opts.transport,
      platform: opts.platformName ?? process.platform,
    }),
    'settings:get': () => settings.get(),
    'settings:update': (patch) => settings.update(patch),
    'models:list': notYet('Model list'),
    'jobs:start': notYet('Generation'),
    'jobs:cancel': notYet('Generation'),
    'jobs:cancelAll': notYet('Generation'),
    'jobs:list': () => ({ jobs: [] }),
    'history:query': () => ({ items: [], total: 0 }),
    'history:get': notYet('History'),
    'history:delete': notYet('History'),
    'history:undoDelete': notYet('History'),
    'history:setFavourite': notYet('History'),
    'history:reveal': notYet('History'),
    'history:copyImage': notYet('History'),
    'history:reuse': notYet('History'),
    'image:import': notYet('Import'),
  };
  const router = createRouter(handlers, { 'drag:start': () => {} }, (err, channel) =>
    log(`IPC ${channel} failed`, err),
  );

  return {
    router,
    events,
    settings,
    resolveMedia: async () => {
      throw new AppError('not-found', 'No such image.');
    },
    dispose: async () => {},
  };
}
