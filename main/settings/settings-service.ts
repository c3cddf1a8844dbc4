/** User settings: stored with a StoreFactory; the HF token goes through a SecretCodec and never leaves main. */
import { mkdir, access, constants, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import type { ProviderId } from '../../shared/params';
import type { HfTokenCheck, Language, PublicSettings, SettingsPatch, Theme } from '../../shared/settings';
import type { StoreFactory } from '../store';
import type { SecretCodec } from './secret-codec';

interface StoredSettings extends Record<string, unknown> {
  libraryDir: string;
  hfTokenStored: string | null;
  /** What Hugging Face said of the stored token when it was saved. */
  hfTokenCheck: HfTokenCheck | null;
  providerUrls: Partial<Record<ProviderId, string>>;
  hfUrl: string | null;
  proxy: string | null;
  theme: Theme;
  language: Language;
  concurrencyPerProvider: number;
}

export interface SettingsService {
  get(): PublicSettings;
  /** The token for providers; main process only. */
  hfToken(): string | null;
  /** `tokenCheck`: what Hugging Face said of `patch.hfToken` (the core asks before saving it). */
  update(patch: SettingsPatch, extra?: { tokenCheck?: HfTokenCheck }): Promise<PublicSettings>;
  onChange(listener: (s: PublicSettings) => void): () => void;
}

export function createSettingsService(opts: {
  storeFactory: StoreFactory;
  dataDir: string;
  defaultLibraryDir: string;
  secrets: SecretCodec;
  /** A library folder that does not answer in this long (a dead network share) is refused. */
  folderCheckTimeoutMs?: number;
}): SettingsService {
  const store = opts.storeFactory<StoredSettings>({
    name: 'settings',
    cwd: opts.dataDir,
    defaults: {
      libraryDir: opts.defaultLibraryDir,
      hfTokenStored: null,
      hfTokenCheck: null,
      providerUrls: {},
      hfUrl: null,
      proxy: null,
      theme: 'system',
      language: 'en',
      concurrencyPerProvider: 1,
    },
  });
  const listeners = new Set<(s: PublicSettings) => void>();

  const get = (): PublicSettings => {
    const s = store.store;
    return {
      libraryDir: s.libraryDir,
      hasHfToken: s.hfTokenStored !== null,
      hfTokenCheck: s.hfTokenStored !== null && s.hfTokenCheck ? { ...s.hfTokenCheck } : null,
      providerUrls: { ...s.providerUrls },
      hfUrl: s.hfUrl,
      proxy: s.proxy,
      theme: s.theme,
      language: s.language,
      concurrencyPerProvider: s.concurrencyPerProvider,
    };
  };

  return {
    get,
    hfToken() {
      const stored = store.get('hfTokenStored');
      if (stored === null) return null;
      try {
        return opts.secrets.decode(stored);
      } catch {
        // Keychain changed (new machine, new OS user): the token is unreadable; ask the user again.
        return null;
      }
    },
    async update(patch, extra = {}) {
      if (patch.libraryDir !== undefined)
        await checkWritableFolder(patch.libraryDir, opts.folderCheckTimeoutMs ?? 10_000);
      const next = { ...store.store };
      if (patch.libraryDir !== undefined) next.libraryDir = path.resolve(patch.libraryDir);
      if (patch.hfToken !== undefined) {
        next.hfTokenStored = patch.hfToken ? opts.secrets.encode(patch.hfToken) : null;
        next.hfTokenCheck = patch.hfToken && extra.tokenCheck ? { ...extra.tokenCheck } : null;
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
      if (patch.proxy !== undefined) next.proxy = patch.proxy;
      if (patch.theme !== undefined) next.theme = patch.theme;
      if (patch.language !== undefined) next.language = patch.language;
      if (patch.concurrencyPerProvider !== undefined) next.concurrencyPerProvider = patch.concurrencyPerProvider;
      store.store = next;
      const pub = get();
      for (const l of listeners) l(pub);
      return pub;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdir spins forever on some paths (under /proc,
 * where the parent exists but refuses children with ENOENT).
 */
async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = path.dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw err;
    await makeFolder(parent);
    await mkdir(dir).catch((again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST') throw again;
    });
  }
}

async function checkWritableFolder(dir: string, timeoutMs: number): Promise<void> {
  if (!path.isAbsolute(dir)) throw new AppError('invalid-argument', 'The library folder must be an absolute path.');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('io', `The folder "${dir}" does not answer.`)), timeoutMs);
  });
  try {
    await Promise.race([
      (async () => {
        await makeFolder(dir);
        if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
        await access(dir, constants.W_OK);
      })(),
      timeout,
    ]);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('io', `The folder "${dir}" cannot be used for the library: it is not writable.`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
