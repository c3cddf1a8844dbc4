/**
 * The app core: every main-process service, wired to the IPC router. Plain Node — the Electron glue,
 * the web preview, tests and benchmarks all create the same core.
 */
import path from 'node:path';
import type { LibraryStatus, MediaKind } from '../shared/contract';
import { AppError } from '../shared/errors';
import type { RoutedEvent } from '../shared/events';
import type { ProviderId } from '../shared/params';
import { createEventBus, type EventBus } from './event-bus';
import { createRouter, type InvokeHandlers, type Router } from './ipc/router';
import { createJobRunner, type JobRunner } from './jobs/job-runner';
import { claimQueue } from './jobs/queue-store';
import { openLibrary, type Library } from './library/library';
import { createOrganiseServices } from './library/organise-handlers';
import { createImportServices } from './import/import-handlers';
import { createNodePlatform, type Platform } from './platform';
import { createProxyDispatchers } from './providers/dispatcher';
import { downloadImage } from './providers/download';
import { createFailureMemory } from './providers/failure-memory';
import { createSpaceConfigCache } from './providers/gradio/config';
import {
  PROVIDERS,
  candidatesFor,
  checkSpaces,
  listModels,
  listProviders,
  resolveParams,
  routeGeneration,
  type ProviderUrls,
  type RoutingRules,
} from './providers/registry';
import { createProviderSet } from './providers/provider-set';
import { inspectSpace } from './providers/custom-space/inspect';
import { savedSpaceFrom, updatedSpace } from './providers/saved-space';
import type { SavedSpace, SpaceInspection } from '../shared/spaces';
import { createSpaceStates, type SpaceStatesOptions } from './providers/space-states';
import { createSettingsService, type SettingsService } from './settings/settings-service';
import { checkHfToken, tokenCheckForSave } from './settings/hf-token-check';
import { createLibraryHost } from './settings/library-host';
import { confirmTokenOrigins, type ConfirmTokenOrigin } from './settings/token-origins';
import { plainSecretCodec, type SecretCodec } from './settings/secret-codec';
import { confStoreFactory, type StoreFactory } from './store';
import { createPromptServices } from './prompts/handlers';
import { createNotifier } from './notify/notifier';

export interface CoreOptions {
  /** Where settings live. */
  dataDir: string;
  /** Library folder used until the user picks another. */
  defaultLibraryDir: string;
  transport: 'electron' | 'web' | 'cli';
  appVersion: string;
  /** For this run only, on top of Settings and never saved (the CLI's --library, --base-url, HF_TOKEN…). */
  overrides?: CoreOverrides;
  /** Sees every provider event of every job (the CLI reports them as they come). */
  observe?: (ev: RoutedEvent) => void;
  /** How the library opens: the CLI neither scans it nor sweeps what a running app left pending. */
  libraryOpen?: { scanOnOpen?: boolean | 'background'; purgeLeftoversOnOpen?: boolean };
  platformName?: string;
  /** Desktop integration (trash, reveal, clipboard, native drag); default: a Node platform with a trash folder. */
  platform?: Platform;
  storeFactory?: StoreFactory;
  secrets?: SecretCodec;
  /** Provider timeouts (tests and the fault suite shorten them). */
  idleTimeoutMs?: number;
  progressTimeoutMs?: number;
  /** Waiting for a Space to wake (tests shorten the polling). */
  spaceStates?: SpaceStatesOptions;
  /** Waits before retrying a busy Space (tests shorten them). */
  busyRetryDelaysMs?: readonly number[];
  /**
   * Keep the job queue in the data folder (`queue.json`) across restarts and crashes: the app and
   * the web preview. One process at a time runs it (a lock); the CLI's `generate` never does.
   */
  persistQueue?: boolean;
  /**
   * How often the queue file is looked at for the CLI's changes, besides fs.watch (default 1 s), and
   * how often a second process tries to take the queue over (default 5 s).
   */
  queuePollMs?: number;
  log?: (message: string, err?: unknown) => void;
  /**
   * The native "send the token to this origin?" dialog (the desktop app). Without it no origin can be
   * confirmed: the token goes only to Hugging Face's own hosts and local servers.
   */
  confirmTokenOrigin?: ConfirmTokenOrigin;
  /** Checking and opening a library folder takes at most this long (default 30 s). */
  libraryOpenTimeoutMs?: number;
}

/** Read at every use, not once: the CLI may add a Space it inspected for this run after the core started. */
export interface CoreOverrides {
  libraryDir?: string;
  providerUrls?: ProviderUrls;
  /** The Inference Providers router for this run (the CLI's --inference-url). */
  inferenceUrl?: string | null;
  /** Spaces to route to for this run beside the saved ones (the CLI's --provider space:… --base-url, unsaved). */
  spaces?: readonly SavedSpace[];
  /** Inference models for this run beside the saved ones (the CLI's --provider hf-inference:MODEL). */
  inferenceModels?: readonly string[];
  hfUrl?: string | null;
  proxy?: string | null;
  hfToken?: string | null;
}

export interface Core {
  router: Router;
  events: EventBus;
  settings: SettingsService;
  platform: Platform;
  jobs: JobRunner;
  /** The library in use (it changes when the user picks another folder); throws while it is unavailable. */
  library(): Library;
  /** Whether the library folder is open, and why not. */
  libraryStatus(): LibraryStatus;
  /** Reads a Gradio Space at a URL (its endpoints and the proposed mapping), as `spaces:inspect` does. */
  inspectSpace(url: string): Promise<SpaceInspection>;
  /** Absolute path of an entry's image or thumbnail, confined to the library folder. */
  resolveMedia(kind: MediaKind, id: string): Promise<string>;
  dispose(): Promise<void>;
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  const log = opts.log ?? ((m: string, e?: unknown) => console.error(m, e ?? ''));
  const storeFactory = opts.storeFactory ?? confStoreFactory;
  const platform = opts.platform ?? createNodePlatform(path.join(opts.dataDir, 'trash'));
  const events = createEventBus((err) => log('event listener failed', err));
  const settings = createSettingsService({
    storeFactory,
    dataDir: opts.dataDir,
    defaultLibraryDir: opts.defaultLibraryDir,
    secrets: opts.secrets ?? plainSecretCodec,
    environmentToken: opts.overrides?.hfToken ?? null,
    log,
  });

  // Prompt history, presets and styles (main/prompts/): their own files in the data folder.
  const prompts = createPromptServices({ dataDir: opts.dataDir, storeFactory, log });
  const overrides = opts.overrides ?? {};
  /** Settings as this core uses them: the saved ones, with this run's overrides on top. */
  const providerSet = createProviderSet();
  const effective = () => {
    const s = settings.get();
    const spacesForRun = overrides.spaces ?? [];
    const providers = providerSet({
      customSpaces: [...s.customSpaces.filter((x) => !spacesForRun.some((o) => o.id === x.id)), ...spacesForRun],
      inference: { models: [...s.inference.models, ...(overrides.inferenceModels ?? [])] },
    });
    // Every inference model goes to the router Settings (or this run) name; the rest keep their own URLs.
    const inferenceUrl = overrides.inferenceUrl !== undefined ? overrides.inferenceUrl : s.inference.url;
    const inferenceUrls: ProviderUrls = inferenceUrl
      ? Object.fromEntries(providers.filter((p) => p.kind === 'inference').map((p) => [p.id, inferenceUrl]))
      : {};
    return {
      libraryDir: overrides.libraryDir ?? s.libraryDir,
      providers,
      routing: { aliasOrder: s.aliasOrder, inferenceAliases: s.inference.fallbackAliases } satisfies RoutingRules,
      inferenceProvider: s.inference.provider,
      providerUrls: { ...s.providerUrls, ...inferenceUrls, ...overrides.providerUrls },
      hfUrl: overrides.hfUrl !== undefined ? overrides.hfUrl : s.hfUrl,
      proxy: overrides.proxy !== undefined ? overrides.proxy : settings.proxyUrl(),
      tokenOrigins: settings.tokenOrigins(),
    };
  };
  const hfToken = () => (overrides.hfToken !== undefined ? overrides.hfToken : settings.hfToken());
  const open = (dir: string) =>
    // The scan for images without entries runs after the first tiles (a million files take seconds).
    openLibrary({ dir, platform, storeFactory, emit: events.emit, log, scanOnOpen: 'background', ...opts.libraryOpen });
  // A library that cannot be opened leaves the app running with the library "unavailable" (the
  // window says so); switches run one after another and are bounded in time (settings/library-host.ts).
  const libraries = createLibraryHost({
    open,
    mayCreate: (dir) => overrides.libraryDir !== undefined || dir === path.resolve(opts.defaultLibraryDir),
    defaultDir: opts.defaultLibraryDir,
    ...(opts.libraryOpenTimeoutMs !== undefined ? { timeoutMs: opts.libraryOpenTimeoutMs } : {}),
    onSwitched: (dir) => events.emit('library:switched', { libraryDir: dir }),
    onStatus: (status) => events.emit('library:statusChanged', status),
    log,
  });
  await libraries.switchTo(effective().libraryDir);
  // A one-shot command has no window to say it in: it fails at once, as it always did.
  if (opts.transport === 'cli') libraries.current();
  const library = () => libraries.current();
  const switchLibrary = (dir: string) => libraries.switchTo(dir);

  // Per core, not process-wide: what failed for one app (or test) says nothing about another.
  const failures = createFailureMemory();
  const proxies = createProxyDispatchers();
  const configs = createSpaceConfigCache();
  const spaces = createSpaceStates(opts.spaceStates);
  const providerInfos = () => {
    const s = effective();
    return listProviders(s.providerUrls, spaces, s.providers);
  };
  spaces.onChange(() => events.emit('providers:changed', { providers: providerInfos() }));
  const jobs = createJobRunner({
    generate: (params, { signal }) => {
      const s = effective();
      const dispatcher = proxies.forProxy(s.proxy);
      const events = routeGeneration(params, {
        signal,
        providers: s.providers,
        routing: s.routing,
        inferenceProvider: s.inferenceProvider,
        providerUrls: s.providerUrls,
        hfUrl: s.hfUrl,
        hfToken: hfToken(),
        tokenOrigins: s.tokenOrigins,
        ...(dispatcher ? { dispatcher } : {}),
        failures,
        configs,
        spaces,
        ...(opts.busyRetryDelaysMs ? { busyRetryDelaysMs: opts.busyRetryDelaysMs } : {}),
        ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
        ...(opts.progressTimeoutMs !== undefined ? { progressTimeoutMs: opts.progressTimeoutMs } : {}),
        // Settings → quota fallback off: a quota refusal with a time makes the job wait for it.
        waitOnQuota: !settings.get().quotaFallback,
      });
      return opts.observe ? observed(events, opts.observe) : events;
    },
    // The idle timeout covers the image download too: a file server that stalls must fail the job
    // as soon as a stalled Space would, not after the download's own 30 s default.
    // Through the same proxy as the Space's API: behind a proxy, a direct download would fail.
    download: (url, signal, o) => {
      const dispatcher = proxies.forProxy(effective().proxy);
      return downloadImage(url, {
        signal,
        ...(dispatcher ? { dispatcher } : {}),
        ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
        ...o,
      });
    },
    save: (input) => library().saveImage(input),
    resolveParams: (id, params) => resolveParams(id, params, spaces, effective().providers),
    onUpdate: (job) => events.emit('jobs:updated', job),
    onQueueChange: (state) => events.emit('jobs:queueChanged', state),
    // A pinned provider's own limit (Settings), else the global one; an alias's route key keeps the global.
    concurrency: (key) => {
      const s = settings.get();
      return s.concurrencyByProvider[key as ProviderId] ?? s.concurrencyPerProvider;
    },
    // Without quota fallback, an alias job waits for the Space routing would send it to first.
    providerFor: (params) => {
      if (params.provider) return params.provider;
      if (settings.get().quotaFallback) return null;
      const s = effective();
      return candidatesFor(params, failures, s.providers, spaces, s.routing)[0]?.id ?? null;
    },
    log,
  });

  settings.onChange((s) => {
    events.emit('settings:changed', s);
    // Saved Spaces, inference models or routing may have changed: every view lists providers anew.
    events.emit('providers:changed', { providers: providerInfos() });
    jobs.reschedule();
    // A library given for this run stays, whatever Settings say.
    if (overrides.libraryDir === undefined) void switchLibrary(s.libraryDir);
  });

  // Notifications and the taskbar follow the jobs as they are announced (main/notify/).
  const notifier = createNotifier({ events, settings: settings.get().notifications, platform, log });

  // The persistent queue (the app, the web preview): its jobs join once this process owns it.
  const stopQueueClaim = opts.persistQueue
    ? claimQueue(opts.dataDir, (store) => jobs.attachStore(store), {
        log,
        ...(opts.queuePollMs !== undefined ? { pollMs: opts.queuePollMs, retryMs: opts.queuePollMs } : {}),
      })
    : () => {};

  const spaceCheck = () => {
    const s = effective();
    const dispatcher = proxies.forProxy(s.proxy);
    return {
      spaces,
      configs,
      providers: s.providers,
      providerUrls: s.providerUrls,
      hfUrl: s.hfUrl,
      hfToken: hfToken(),
      tokenOrigins: s.tokenOrigins,
      ...(dispatcher ? { dispatcher } : {}),
      ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
    };
  };

  /** Reads a Space's /config and /info with the token where it may go, through the proxy. */
  const inspect = (url: string) => {
    const s = effective();
    const dispatcher = proxies.forProxy(s.proxy);
    return inspectSpace(url, {
      ...(s.hfUrl ? { hfUrl: s.hfUrl } : {}),
      hfToken: hfToken(),
      tokenOrigins: s.tokenOrigins,
      ...(dispatcher ? { dispatcher } : {}),
      idleTimeoutMs: Math.min(opts.idleTimeoutMs ?? 30_000, 30_000),
    });
  };

  const organise = createOrganiseServices({ library, events, platform, log });
  // Import of files and folders (issue 18).
  const imports = createImportServices({ library, events, platform, log });
  const handlers: InvokeHandlers = {
    'app:info': () => ({
      name: 'Flux Gallery',
      version: opts.appVersion,
      transport: opts.transport,
      platform: opts.platformName ?? process.platform,
      features: {
        chooseFolder: typeof platform.chooseFolder === 'function',
        confirmTokenOrigin: typeof opts.confirmTokenOrigin === 'function',
      },
    }),
    'settings:get': () => settings.get(),
    'settings:update': async (patch) => {
      // An HF or Space URL on another origin gets the token only if the user says so, natively.
      const confirmedOrigins = await confirmTokenOrigins(patch, settings.get(), opts.confirmTokenOrigin);
      const tokenOrigins = [...(patch.tokenOrigins ?? settings.tokenOrigins()), ...confirmedOrigins];
      // A new token is checked with Hugging Face first (through the proxy); a refused one is not saved.
      const token = patch.hfToken;
      const tokenCheck = token
        ? await tokenCheckForSave(() => {
            const proxy = overrides.proxy !== undefined ? overrides.proxy : settings.proxyUrlFor(patch.proxy);
            const dispatcher = proxies.forProxy(proxy);
            const hfUrl = patch.hfUrl !== undefined ? patch.hfUrl : effective().hfUrl;
            return checkHfToken({ token, hfUrl, tokenOrigins, ...(dispatcher ? { dispatcher } : {}) });
          })
        : undefined;
      const next = await settings.update(patch, { ...(tokenCheck ? { tokenCheck } : {}), confirmedOrigins });
      // The answer comes once the new folder is open (or found unavailable), so the next query lists its images.
      await libraries.settled();
      return next;
    },
    'settings:chooseLibraryDir': async (args) => {
      if (!platform.chooseFolder) {
        throw new AppError('forbidden', 'Choosing a folder needs the desktop app: type the folder path instead.');
      }
      const dir = await platform.chooseFolder({ defaultPath: effective().libraryDir, ...args });
      return { dir };
    },
    'models:list': () => {
      const s = effective();
      return { models: listModels(s.providers, s.routing), providers: providerInfos() };
    },
    'providers:check': async () => {
      await checkSpaces(spaceCheck());
      return { providers: providerInfos() };
    },
    'library:status': () => libraries.status(),
    'library:retry': () => libraries.retry(),
    'providers:retry': async ({ id }) => {
      spaces.retry(id);
      // Tried again means tried in its place, not last for its old failure.
      failures.forget(id);
      await checkSpaces({ ...spaceCheck(), only: id });
      const info = providerInfos().find((p) => p.id === id);
      if (!info) throw new AppError('not-found', `There is no provider "${id}".`);
      return info;
    },
    'spaces:inspect': ({ url }) => inspect(url),
    'spaces:add': async (add) => {
      const saved = savedSpaceFrom(await inspect(add.url), add, Date.now());
      if (PROVIDERS.some((p) => p.id === saved.id)) {
        throw new AppError('invalid-argument', `${saved.label} is already one of the app's own providers.`);
      }
      settings.updateSpaces((list) => [...list.filter((x) => x.id !== saved.id), saved]);
      return saved;
    },
    'spaces:update': (update) => {
      let changed: SavedSpace | null = null;
      settings.updateSpaces((list) => list.map((x) => (x.id === update.id ? (changed = updatedSpace(x, update)) : x)));
      if (!changed) throw new AppError('not-found', `No saved Space is called "${update.id}".`);
      return changed;
    },
    'spaces:remove': ({ id }) => {
      const had = settings.get().customSpaces.some((x) => x.id === id);
      if (had) settings.updateSpaces((list) => list.filter((x) => x.id !== id));
      return { removed: had };
    },
    'jobs:start': (req) => {
      // A pinned provider that does not serve the model (or is paused) is refused here, in words.
      const s = effective();
      candidatesFor(req.params, failures, s.providers, spaces, s.routing);
      return { jobs: jobs.start(req) };
    },
    'jobs:cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    'jobs:cancelAll': () => ({ cancelled: jobs.cancelAll() }),
    'jobs:list': () => ({ jobs: jobs.list() }),
    'jobs:pause': () => jobs.pause(),
    'jobs:resume': () => jobs.resume(),
    'jobs:queueState': () => jobs.queueState(),
    'jobs:move': ({ jobId, to }) => ({ jobs: jobs.move(jobId, to) }),
    'jobs:retry': ({ jobId }) => ({ jobs: jobs.retry(jobId) }),
    'jobs:retryFailed': () => ({ jobs: jobs.retryFailed() }),
    'history:query': (q) => library().query(q),
    'history:get': ({ id }) => library().get(id),
    'history:delete': ({ id }) => library().delete(id),
    'history:undoDelete': ({ id }) => library().undoDelete(id),
    'history:setFavourite': ({ id, favourite }) => library().setFavourite(id, favourite),
    'history:reveal': ({ id }) => library().reveal(id),
    'history:copyImage': ({ id }) => library().copyImage(id),
    'history:reuse': ({ id }) => library().reuse(id),
    'image:import': (args) => library().importImage(args),
    ...prompts.handlers,
    // Ratings, boards, bulk actions, export (issue 17).
    ...organise.handlers,
    ...imports.handlers,
  };
  // The one place a style is applied and prompts are recorded: the app, the web preview and the CLI.
  handlers['jobs:start'] = prompts.wrapStart(handlers['jobs:start']);
  const router = createRouter(handlers, { 'drag:start': ({ id }) => library().startDrag(id) }, (err, channel) =>
    log(`IPC ${channel} failed`, err),
  );

  let disposed: Promise<void> | null = null;
  return {
    router,
    events,
    settings,
    platform,
    jobs,
    library,
    libraryStatus: () => libraries.status(),
    resolveMedia: async (kind, id) => library().resolveMedia(kind, id),
    inspectSpace: inspect,
    dispose: () =>
      (disposed ??= (async () => {
        notifier.dispose();
        stopQueueClaim();
        await jobs.dispose();
        await organise.dispose();
        await imports.dispose();
        await libraries.dispose();
        await proxies.close();
      })()),
  };
}

/**
 * Passes a generation's events on, showing each to `observe` first. Hand-written rather than a
 * `for await` generator so that `throw()` still reaches the router: the job runner throws a failed
 * download into the generation, and the router answers by falling back to the next provider.
 */
function observed(
  events: AsyncGenerator<RoutedEvent, void, void>,
  observe: (ev: RoutedEvent) => void,
): AsyncGenerator<RoutedEvent, void, void> {
  const seen = (r: IteratorResult<RoutedEvent, void>) => {
    if (!r.done) observe(r.value);
    return r;
  };
  const wrapper: AsyncGenerator<RoutedEvent, void, void> = {
    next: async () => seen(await events.next()),
    throw: async (err: unknown) => seen(await events.throw(err)),
    return: (value: void) => events.return(value),
    [Symbol.asyncIterator]: () => wrapper,
  };
  return wrapper;
}
