/** User settings: what the renderer sees and what it may change. */
import { z } from 'zod';
import {
  LANGUAGES,
  MODEL_ALIASES,
  PROVIDER_IDS,
  REPO_ID_RE,
  THEMES,
  type Language,
  type ModelAlias,
  type ProviderId,
  type Theme,
} from './constants';
import { ProviderIdSchema } from './params';
import type { SavedSpace } from './spaces';
import { NotificationSettingsPatchSchema, type NotificationSettings } from './queue';

export { LANGUAGES, THEMES, type Language, type Theme } from './constants';

const isHttp = (s: string) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
};

const httpUrl = z.string().trim().refine(isHttp, 'must be an http(s) URL');

/** Loopback names and addresses (the same rule as main/providers/space-origin.ts `isLoopbackHost`). */
export function isLoopbackHostname(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The refusal of a plain-http HF or Space URL (the renderer words it in each language). */
export const HTTPS_REQUIRED = 'must be an https URL (plain http only for a server on this computer)';

/**
 * The HF site and the Spaces carry the user's token and the images: https, except a server on this
 * computer (development, tests, a local Gradio), which has no certificate to show.
 */
export function isSecureServiceUrl(s: string): boolean {
  try {
    const u = new URL(s.trim());
    return u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHostname(u.hostname));
  } catch {
    return false;
  }
}
const serviceUrl = z
  .string()
  .trim()
  .superRefine((s, ctx) => {
    if (!isHttp(s)) ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
    else if (!isSecureServiceUrl(s)) ctx.addIssue({ code: 'custom', message: HTTPS_REQUIRED });
  });

/** `https://host[:port]` of a URL, or null when it is not one. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/**
 * May the HF token go to `url`? The providers' rule (main/providers/space-origin.ts `tokenMayGoTo`),
 * here so the settings screen can say where it will not go: Hugging Face itself and the Spaces'
 * hosts over https, a server on this computer, or an origin the user confirmed.
 */
export function tokenGoesTo(url: string, confirmedOrigins: readonly string[] = []): boolean {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return false;
  }
  if (isLoopbackHostname(u.hostname)) return true;
  if (u.protocol !== 'https:' || u.username || u.password) return false;
  if (/(^|\.)huggingface\.co$/i.test(u.hostname) || /\.hf\.space$/i.test(u.hostname)) return true;
  return confirmedOrigins.includes(u.origin);
}

/**
 * What Hugging Face said of the saved token when it was saved (`/api/whoami-v2`): whose it is, or
 * that it could not be asked (offline, a mirror without that API). A refused token is not saved.
 */
export type HfTokenCheck =
  { state: 'valid'; name: string; checkedAt: number } | { state: 'unchecked'; reason: string; checkedAt: number };

/**
 * How a secret is kept on disk: encrypted with the OS keychain, "obfuscated" (encrypted with a key
 * every copy of the app knows: Linux without a keyring), or in plain text in the settings file.
 */
export const SECRET_PROTECTIONS = ['keychain', 'obfuscated', 'plain'] as const;
export type SecretProtection = (typeof SECRET_PROTECTIONS)[number];

/**
 * Where a secret the app holds comes from: on disk (with its protection), `session` (in memory
 * until the app quits: the user did not want it on disk without a keychain) or `environment`
 * (`HF_TOKEN`, never stored).
 */
export type SecretStorage = SecretProtection | 'session' | 'environment';

/** The settings as the renderer sees them: the HF token itself never leaves the main process. */
export interface PublicSettings {
  libraryDir: string;
  hasHfToken: boolean;
  /** null when no token is set, or it was set before tokens were checked. */
  hfTokenCheck: HfTokenCheck | null;
  /** How the token is kept (null without a token). */
  hfTokenStorage: SecretStorage | null;
  /** How a new token or proxy password would be kept on disk: anything but `keychain` is asked first. */
  secretProtection: SecretProtection;
  /**
   * Origins besides Hugging Face's own (and servers on this computer) that the user confirmed in the
   * desktop app's native dialog: the token goes there too. The renderer may remove, never add.
   */
  tokenOrigins: string[];
  /** Per-provider base URL overrides (users duplicate Spaces to their own accounts). */
  providerUrls: Partial<Record<ProviderId, string>>;
  /** Hugging Face site URL used for ZeroGPU tokens (override for mirrors and tests). */
  hfUrl: string | null;
  /** The proxy URL without its password (`http://user@host:port`): the password never leaves main. */
  proxy: string | null;
  /** How the proxy's password is kept (null without one). */
  proxyPasswordStorage: SecretStorage | null;
  theme: Theme;
  language: Language;
  /** Jobs at once per Space. */
  concurrencyPerProvider: number;
  /** Gradio Spaces the user added (`space:owner/name` providers); changed through the `spaces:*` channels. */
  customSpaces: SavedSpace[];
  /** FLUX (or any text-to-image model) through Hugging Face Inference Providers. */
  inference: InferenceSettings;
  /**
   * Per model alias, the providers to try first, in this order; providers serving the alias that are
   * not listed follow in the default order (built-in Spaces, then the user's).
   */
  aliasOrder: Partial<Record<ModelAlias, ProviderId[]>>;
  /** Jobs at once for one provider, overriding `concurrencyPerProvider`. */
  concurrencyByProvider: Partial<Record<ProviderId, number>>;
  /**
   * When a Space's GPU quota runs out: false (default) the jobs that need it wait for the time it
   * names; true they fall back to the next provider of their alias.
   */
  quotaFallback: boolean;
  notifications: NotificationSettings;
}

/** `auto` (Hugging Face picks by the user's preference order) or one provider's name (`fal-ai`, `hf-inference`, …). */
export const INFERENCE_PROVIDER_RE = /^(auto|[a-z0-9][a-z0-9-]{0,39})$/;
export const INFERENCE_ROUTER_URL = 'https://router.huggingface.co';

export interface InferenceSettings {
  /** Models the user added beyond the two FLUX ones (text-to-image model ids). */
  models: string[];
  /** Which Inference Provider serves the jobs. */
  provider: string;
  /**
   * Aliases for which routing falls back to Inference Providers once every free Space failed. Empty
   * by default: they can cost money. A pinned `hf-inference:` provider always runs.
   */
  fallbackAliases: ModelAlias[];
  /** The router's URL (a test server, a proxy of the user's); null: Hugging Face's. */
  url: string | null;
}

export const DEFAULT_INFERENCE_SETTINGS: InferenceSettings = {
  models: [],
  provider: 'auto',
  fallbackAliases: [],
  url: null,
};

export const SettingsPatchSchema = z.strictObject({
  /** Absolute path; the main process checks it is a writable folder. */
  libraryDir: z.string().trim().min(1).max(4096).optional(),
  /** null clears it. */
  hfToken: z.string().trim().max(512).regex(/^\S*$/, 'token must not contain spaces').nullable().optional(),
  /**
   * The user agreed to keep this patch's new token or proxy password on disk although the OS offers
   * no keychain (`secretProtection` is not `keychain`). Without it they are kept until the app quits.
   */
  storeWithoutKeychain: z.boolean().optional(),
  /** The confirmed origins to keep: a subset of the current ones (only the native dialog adds). */
  tokenOrigins: z.array(z.string().max(2048)).max(64).optional(),
  providerUrls: z.partialRecord(z.enum(PROVIDER_IDS), serviceUrl.nullable()).optional(),
  hfUrl: serviceUrl.nullable().optional(),
  /** May carry `user:password@`; the password is kept like the token and never sent back. */
  proxy: httpUrl.nullable().optional(),
  theme: z.enum(THEMES).optional(),
  language: z.enum(LANGUAGES).optional(),
  concurrencyPerProvider: z.number().int().min(1).max(4).optional(),
  inference: z
    .strictObject({
      models: z.array(z.string().trim().regex(REPO_ID_RE, 'a model id is owner/name')).max(16).optional(),
      provider: z.string().trim().regex(INFERENCE_PROVIDER_RE, 'auto or a provider name').optional(),
      fallbackAliases: z.array(z.enum(MODEL_ALIASES)).max(MODEL_ALIASES.length).optional(),
      url: serviceUrl.nullable().optional(),
    })
    .optional(),
  /** Per provider; null removes the override. */
  concurrencyByProvider: z.record(z.string().max(200), z.number().int().min(1).max(4).nullable()).optional(),
  quotaFallback: z.boolean().optional(),
  notifications: NotificationSettingsPatchSchema.optional(),
  /** Replaces the order of each alias given; an empty list restores the default order. */
  aliasOrder: z.partialRecord(z.enum(MODEL_ALIASES), z.array(ProviderIdSchema).max(64)).optional(),
});
export type SettingsPatch = z.output<typeof SettingsPatchSchema>;
