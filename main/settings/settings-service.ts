/**
 * User settings, stored with a StoreFactory in a file only the user can read (0600). Secrets — the
 * HF token and the proxy's password — go through a SecretCodec and never leave main: encrypted with
 * the OS keychain where there is one; otherwise kept in memory until the app quits, unless the user
 * agreed to keep them on disk anyway (`storeWithoutKeychain`). A secret kept in clear is encrypted
 * as soon as a keychain is there (at the next start).
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { MODEL_ALIASES, REPO_ID_RE, isProviderId, type ModelAlias, type ProviderId } from '../../shared/params';
import { MAX_SAVED_SPACES, SavedSpaceSchema, type SavedSpace } from '../../shared/spaces';
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings } from '../../shared/queue';
import {
  DEFAULT_INFERENCE_SETTINGS,
  INFERENCE_PROVIDER_RE,
  isSecureServiceUrl,
  type InferenceSettings,
  type HfTokenCheck,
  Language,
  PublicSettings,
  SecretStorage,
  SettingsPatch,
  Theme,
} from '../../shared/settings';
import type { StoreFactory } from '../store';
import { checkChosenFolder, FOLDER_CHECK_TIMEOUT_MS } from './library-folder';
import { weaker, type SecretCodec } from './secret-codec';

/** Settings files: readable and writable by the user only. */
export const SETTINGS_FILE_MODE = 0o600;

interface StoredSettings extends Record<string, unknown> {
  libraryDir: string;
  hfTokenStored: string | null;
  /** What Hugging Face said of the stored token when it was saved. */
  hfTokenCheck: HfTokenCheck | null;
  /** Origins the user confirmed for the token in the native dialog (besides Hugging Face's own). */
  tokenOrigins: string[];
  providerUrls: Partial<Record<ProviderId, string>>;
  hfUrl: string | null;
  /** The proxy URL without its password (versions before 0.2 kept `user:pass@` here: read as plain). */
  proxy: string | null;
  /** The proxy's password (as written in the URL, percent-encoded), through the codec. */
  proxyPasswordStored: string | null;
  theme: Theme;
  language: Language;
  concurrencyPerProvider: number;
  /** Checked when read (a hand-edited or newer file's bad entries are left out, not fatal). */
  customSpaces: unknown[];
  inference: InferenceSettings;
  aliasOrder: Partial<Record<ModelAlias, ProviderId[]>>;
  concurrencyByProvider: Partial<Record<ProviderId, number>>;
  quotaFallback: boolean;
  notifications: NotificationSettings;
}

export interface SettingsService {
  get(): PublicSettings;
  /** The token for providers; main process only. */
  hfToken(): string | null;
  /** The proxy URL with its password, for the network; main process only. */
  proxyUrl(): string | null;
  /** What a patch's `proxy` becomes once saved (the kept password added), for checks made before saving. */
  proxyUrlFor(proxy: string | null | undefined): string | null;
  /** Origins the user confirmed for the token (besides Hugging Face's own and local servers). */
  tokenOrigins(): string[];
  /**
   * `tokenCheck`: what Hugging Face said of `patch.hfToken` (the core asks before saving it).
   * `confirmedOrigins`: origins the user allowed the token to go to in the native dialog — the only
   * way to add one (a patch may only remove).
   */
  update(
    patch: SettingsPatch,
    extra?: { tokenCheck?: HfTokenCheck; confirmedOrigins?: readonly string[] },
  ): Promise<PublicSettings>;
  /** Replaces the saved Spaces with what `change` makes of them (one write; listeners told). */
  updateSpaces(change: (spaces: SavedSpace[]) => SavedSpace[]): PublicSettings;
  onChange(listener: (s: PublicSettings) => void): () => void;
}

/** Secrets kept for this run only (the user did not want them on disk without a keychain). */
interface SessionSecrets {
  token: string | null;
  tokenCheck: HfTokenCheck | null;
  proxyPassword: string | null;
}

export function createSettingsService(opts: {
  storeFactory: StoreFactory;
  dataDir: string;
  defaultLibraryDir: string;
  secrets: SecretCodec;
  /** A library folder that does not answer in this long (a dead network share) is refused. */
  folderCheckTimeoutMs?: number;
  /** `HF_TOKEN` from the environment: used before any saved token, never stored. */
  environmentToken?: string | null;
  log?: (message: string, err?: unknown) => void;
}): SettingsService {
  const { secrets } = opts;
  const log = opts.log ?? (() => {});
  const environmentToken = opts.environmentToken?.trim() || null;
  try {
    // A new settings folder is the user's alone (an existing one is left as the user made it).
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  } catch {
    // The store reports a folder it cannot use.
  }
  const store = opts.storeFactory<StoredSettings>({
    name: 'settings',
    cwd: opts.dataDir,
    fileMode: SETTINGS_FILE_MODE,
    defaults: {
      libraryDir: opts.defaultLibraryDir,
      hfTokenStored: null,
      hfTokenCheck: null,
      tokenOrigins: [],
      providerUrls: {},
      hfUrl: null,
      proxy: null,
      proxyPasswordStored: null,
      theme: 'system',
      language: 'en',
      concurrencyPerProvider: 1,
      customSpaces: [],
      inference: { ...DEFAULT_INFERENCE_SETTINGS },
      aliasOrder: {},
      concurrencyByProvider: {},
      quotaFallback: false,
      notifications: { ...DEFAULT_NOTIFICATION_SETTINGS },
    },
  });
  restrictMode(store.path, log);
  upgradeSecrets();

  const listeners = new Set<(s: PublicSettings) => void>();
  let session: SessionSecrets = { token: null, tokenCheck: null, proxyPassword: null };

  /** Encrypts secrets kept weaker than the codec can now (a plain token once a keychain is there). */
  function upgradeSecrets(): void {
    if (secrets.protection === 'plain') return;
    const s = store.store;
    const next = { ...s };
    let changed = false;
    const better = (stored: string) => weaker(secrets.protectionOf(stored), secrets.protection);
    try {
      if (s.hfTokenStored && better(s.hfTokenStored)) {
        next.hfTokenStored = secrets.encode(secrets.decode(s.hfTokenStored));
        changed = true;
      }
      const inline = s.proxy ? splitProxy(s.proxy) : null;
      if (inline?.password) {
        next.proxy = inline.url;
        next.proxyPasswordStored = secrets.encode(inline.password);
        changed = true;
      } else if (s.proxyPasswordStored && better(s.proxyPasswordStored)) {
        next.proxyPasswordStored = secrets.encode(secrets.decode(s.proxyPasswordStored));
        changed = true;
      }
    } catch (err) {
      // Unreadable (another machine's keychain): left as it is; the user is asked for it again.
      log('settings: a stored secret could not be re-encrypted', err instanceof Error ? err.message : undefined);
      return;
    }
    if (changed) store.store = next;
  }

  const decoded = (stored: string | null): string | null => {
    if (stored === null) return null;
    try {
      return secrets.decode(stored);
    } catch {
      // Keychain changed (new machine, new OS user): unreadable; the user is asked again.
      return null;
    }
  };

  /** The stored proxy's password: its own field, or inside the URL as older versions kept it. */
  const storedProxyPassword = (s: StoredSettings): string | null =>
    s.proxyPasswordStored !== null ? decoded(s.proxyPasswordStored) : s.proxy ? splitProxy(s.proxy).password : null;

  const get = (): PublicSettings => {
    const s = store.store;
    const tokenStorage: SecretStorage | null = environmentToken
      ? 'environment'
      : session.token
        ? 'session'
        : s.hfTokenStored !== null
          ? secrets.protectionOf(s.hfTokenStored)
          : null;
    const shownProxy = s.proxy ? splitProxy(s.proxy) : null;
    const proxyPasswordStorage: SecretStorage | null = session.proxyPassword
      ? 'session'
      : s.proxyPasswordStored !== null
        ? secrets.protectionOf(s.proxyPasswordStored)
        : shownProxy?.password
          ? 'plain'
          : null;
    const check = environmentToken ? null : session.token ? session.tokenCheck : s.hfTokenCheck;
    return {
      libraryDir: s.libraryDir,
      hasHfToken: tokenStorage !== null,
      hfTokenCheck: tokenStorage !== null && check ? { ...check } : null,
      hfTokenStorage: tokenStorage,
      secretProtection: secrets.protection,
      tokenOrigins: [...(s.tokenOrigins ?? [])],
      providerUrls: { ...s.providerUrls },
      hfUrl: s.hfUrl,
      proxy: shownProxy ? shownProxy.url : null,
      proxyPasswordStorage,
      theme: s.theme,
      language: s.language,
      concurrencyPerProvider: s.concurrencyPerProvider,
      customSpaces: savedSpaces(s.customSpaces),
      inference: inferenceOf(s.inference),
      aliasOrder: aliasOrderOf(s.aliasOrder),
      concurrencyByProvider: concurrencyOf(s.concurrencyByProvider),
      quotaFallback: s.quotaFallback === true,
      notifications: notificationsOf(s.notifications),
    };
  };

  const savedSpaces = (raw: unknown): SavedSpace[] => {
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((x) => {
      const r = SavedSpaceSchema.safeParse(x);
      if (!r.success) log('settings: a saved Space could not be read and is left out', r.error.message);
      return r.success ? [r.data] : [];
    });
  };

  const notify = (): PublicSettings => {
    const pub = get();
    for (const l of listeners) l(pub);
    return pub;
  };

  const currentProxyPassword = () => session.proxyPassword ?? storedProxyPassword(store.store);

  const proxyUrlFor = (proxy: string | null | undefined): string | null => {
    if (proxy === undefined) {
      const s = store.store;
      return s.proxy ? withPassword(splitProxy(s.proxy).url, currentProxyPassword()) : null;
    }
    if (!proxy) return null;
    const given = splitProxy(proxy);
    if (given.password) return proxy;
    const saved = store.store.proxy;
    return saved && sameAccount(saved, proxy) ? withPassword(given.url, currentProxyPassword()) : proxy;
  };

  return {
    get,
    hfToken() {
      return environmentToken ?? session.token ?? decoded(store.get('hfTokenStored'));
    },
    proxyUrl: () => proxyUrlFor(undefined),
    proxyUrlFor,
    tokenOrigins: () => [...(store.get('tokenOrigins') ?? [])],
    async update(patch, extra = {}) {
      if (patch.libraryDir !== undefined)
        await checkChosenFolder(patch.libraryDir, opts.folderCheckTimeoutMs ?? FOLDER_CHECK_TIMEOUT_MS);
      if (patch.hfToken !== undefined && environmentToken) {
        throw new AppError(
          'forbidden',
          'The token comes from the HF_TOKEN environment variable: change it there (it is never stored).',
        );
      }
      const s = store.store;
      const current = s.tokenOrigins ?? [];
      const added = (patch.tokenOrigins ?? []).filter((o) => !current.includes(o));
      if (added.length > 0) {
        throw new AppError(
          'forbidden',
          `Only the desktop app's own dialog can let the token go to ${added[0]}: save that URL there to be asked.`,
        );
      }
      const next: StoredSettings = { ...s };
      const nextSession: SessionSecrets = { ...session };
      // On disk with the OS keychain; without one, only when the user agreed (else until the app quits).
      const onDisk = secrets.protection === 'keychain' || patch.storeWithoutKeychain === true;

      if (patch.libraryDir !== undefined) next.libraryDir = path.resolve(patch.libraryDir);
      if (patch.hfToken !== undefined) {
        const token = patch.hfToken || null;
        const check = token && extra.tokenCheck ? { ...extra.tokenCheck } : null;
        next.hfTokenStored = token && onDisk ? secrets.encode(token) : null;
        next.hfTokenCheck = token && onDisk ? check : null;
        nextSession.token = token && !onDisk ? token : null;
        nextSession.tokenCheck = token && !onDisk ? check : null;
      }
      if (patch.providerUrls !== undefined) {
        const urls = { ...next.providerUrls };
        for (const [id, url] of Object.entries(patch.providerUrls) as [ProviderId, string | null][]) {
          if (url) urls[id] = url.replace(/\/+$/, '');
          else delete urls[id];
        }
        next.providerUrls = urls;
      }
      if (patch.hfUrl !== undefined) next.hfUrl = patch.hfUrl ? patch.hfUrl.replace(/\/+$/, '') : null;
      if (patch.proxy !== undefined) {
        const given = patch.proxy ? splitProxy(patch.proxy) : null;
        next.proxy = given ? given.url : null;
        if (!given) {
          next.proxyPasswordStored = null;
          nextSession.proxyPassword = null;
        } else if (given.password) {
          next.proxyPasswordStored = onDisk ? secrets.encode(given.password) : null;
          nextSession.proxyPassword = onDisk ? null : given.password;
        } else if (!(s.proxy && sameAccount(s.proxy, given.url))) {
          // Another proxy or user: the old password does not go with it.
          next.proxyPasswordStored = null;
          nextSession.proxyPassword = null;
        } else if (s.proxy && s.proxyPasswordStored === null && splitProxy(s.proxy).password) {
          // The same account, its password kept (moved out of the URL, as older versions kept it).
          next.proxyPasswordStored = secrets.encode(splitProxy(s.proxy).password!);
        }
      }
      const origins = patch.tokenOrigins ?? current;
      next.tokenOrigins = [...new Set([...origins, ...(extra.confirmedOrigins ?? [])])];
      if (patch.theme !== undefined) next.theme = patch.theme;
      if (patch.language !== undefined) next.language = patch.language;
      if (patch.concurrencyPerProvider !== undefined) next.concurrencyPerProvider = patch.concurrencyPerProvider;
      if (patch.inference !== undefined) {
        const was = inferenceOf(s.inference);
        const i = patch.inference;
        next.inference = {
          models: i.models !== undefined ? [...new Set(i.models)] : was.models,
          provider: i.provider ?? was.provider,
          fallbackAliases: i.fallbackAliases !== undefined ? [...new Set(i.fallbackAliases)] : was.fallbackAliases,
          url: i.url !== undefined ? (i.url ? i.url.replace(/\/+$/, '') : null) : was.url,
        };
      }
      if (patch.aliasOrder !== undefined) {
        const order = aliasOrderOf(s.aliasOrder);
        for (const [alias, ids] of Object.entries(patch.aliasOrder) as [ModelAlias, ProviderId[]][]) {
          if (ids.length > 0) order[alias] = [...new Set(ids)];
          else delete order[alias];
        }
        next.aliasOrder = order;
      }
      if (patch.concurrencyByProvider !== undefined) {
        const by = concurrencyOf(s.concurrencyByProvider);
        for (const [id, n] of Object.entries(patch.concurrencyByProvider)) {
          if (!isProviderId(id)) throw new AppError('invalid-argument', `"${id}" is not a provider.`);
          if (n === null) delete by[id];
          else by[id] = n;
        }
        next.concurrencyByProvider = by;
      }
      if (patch.quotaFallback !== undefined) next.quotaFallback = patch.quotaFallback;
      if (patch.notifications !== undefined) {
        next.notifications = { ...notificationsOf(s.notifications), ...patch.notifications };
      }
      store.store = next;
      session = nextSession;
      return notify();
    },
    updateSpaces(change) {
      const list = change(savedSpaces(store.get('customSpaces')));
      if (list.length > MAX_SAVED_SPACES) {
        throw new AppError('invalid-argument', `At most ${MAX_SAVED_SPACES} Spaces can be saved: remove one first.`);
      }
      store.set('customSpaces', list);
      return notify();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The provider settings of a settings file's JSON, checked as the service reads them (the CLI's `models`). */
export function providerSettingsOf(
  raw: Record<string, unknown>,
): Pick<PublicSettings, 'customSpaces' | 'inference' | 'aliasOrder'> {
  const list = Array.isArray(raw.customSpaces) ? raw.customSpaces : [];
  return {
    customSpaces: list.flatMap((x) => {
      const r = SavedSpaceSchema.safeParse(x);
      return r.success ? [r.data] : [];
    }),
    inference: inferenceOf(raw.inference),
    aliasOrder: aliasOrderOf(raw.aliasOrder),
  };
}

function concurrencyOf(raw: unknown): Partial<Record<ProviderId, number>> {
  const out: Partial<Record<ProviderId, number>> = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [id, n] of Object.entries(raw)) {
    if (isProviderId(id) && Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 4) out[id] = n as number;
  }
  return out;
}

function notificationsOf(raw: unknown): NotificationSettings {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out = { ...DEFAULT_NOTIFICATION_SETTINGS };
  for (const key of Object.keys(out) as (keyof NotificationSettings)[]) {
    if (typeof o[key] === 'boolean') out[key] = o[key];
  }
  return out;
}

/** The stored inference settings, each field checked (an older file has none). */
function inferenceOf(raw: unknown): InferenceSettings {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof InferenceSettings, unknown>>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    models: strings(o.models).filter((m) => REPO_ID_RE.test(m)),
    provider: typeof o.provider === 'string' && INFERENCE_PROVIDER_RE.test(o.provider) ? o.provider : 'auto',
    fallbackAliases: strings(o.fallbackAliases).filter((a): a is ModelAlias =>
      (MODEL_ALIASES as readonly string[]).includes(a),
    ),
    url: typeof o.url === 'string' && isSecureServiceUrl(o.url) ? o.url : null,
  };
}

function aliasOrderOf(raw: unknown): Partial<Record<ModelAlias, ProviderId[]>> {
  const out: Partial<Record<ModelAlias, ProviderId[]>> = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const alias of MODEL_ALIASES) {
    const ids = (raw as Record<string, unknown>)[alias];
    if (Array.isArray(ids)) out[alias] = ids.filter(isProviderId);
  }
  return out;
}

/** Files written before modes were set (0644) become the user's alone. */
function restrictMode(file: string, log: (message: string, err?: unknown) => void): void {
  if (process.platform === 'win32' || !existsSync(file)) return;
  try {
    chmodSync(file, SETTINGS_FILE_MODE);
  } catch (err) {
    log(`settings: could not restrict ${file} to its owner`, err);
  }
}

/** A proxy URL without its password, the password (percent-encoded as in the URL) and the user. */
export function splitProxy(url: string): { url: string; user: string; password: string | null } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, user: '', password: null };
  }
  const password = u.password || null;
  if (!password) return { url, user: u.username, password: null };
  u.password = '';
  let bare = u.href;
  // URL adds a "/" to a bare origin: keep the URL as the user wrote it.
  if (u.pathname === '/' && !u.search && !u.hash && !url.endsWith('/') && bare.endsWith('/')) bare = bare.slice(0, -1);
  return { url: bare, user: u.username, password };
}

function withPassword(url: string, password: string | null): string {
  if (!password) return url;
  try {
    const u = new URL(url);
    if (!u.username) return url;
    u.password = password;
    const full = u.href;
    return u.pathname === '/' && !url.endsWith('/') && full.endsWith('/') ? full.slice(0, -1) : full;
  } catch {
    return url;
  }
}

/** The same proxy (origin) and the same user name: a password kept for one goes on with the other. */
function sameAccount(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.username !== '' && x.username === y.username;
  } catch {
    return false;
  }
}
