/** The settings form: a draft of the public settings, and the minimal patch it becomes. */
import type { InvokeArgs } from '../../../shared/contract';
import { MODEL_ALIASES, PROVIDER_IDS, type ModelAlias, type ProviderId } from '../../../shared/params';
import {
  DEFAULT_INFERENCE_SETTINGS,
  HTTPS_REQUIRED,
  SettingsPatchSchema,
  type InferenceSettings,
  type Language,
  type PublicSettings,
  type Theme,
} from '../../../shared/settings';
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings } from '../../../shared/queue';
import type { I18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/types';
import { orderPatch, type AliasOrder } from './provider-order';
import { settingsWords } from './settings-words';

/** Inference Providers offered by name (any other name may be typed). */
export const KNOWN_INFERENCE_PROVIDERS = ['auto', 'fal-ai', 'hf-inference', 'nebius', 'replicate', 'together'] as const;
export type InferenceProviderChoice = (typeof KNOWN_INFERENCE_PROVIDERS)[number] | 'other';

export interface InferenceDraft {
  /** The user's models (owner/name), beyond the two FLUX ones. */
  models: string[];
  /** A provider offered by name, or 'other' (then `providerName` is used). */
  providerChoice: InferenceProviderChoice;
  providerName: string;
  fallbackAliases: ModelAlias[];
  /** The router URL; '' = Hugging Face's. */
  url: string;
}

export interface SettingsDraft {
  libraryDir: string;
  /** Write-only: empty means "keep the current token". */
  hfToken: string;
  removeToken: boolean;
  providerUrls: Record<ProviderId, string>;
  hfUrl: string;
  proxy: string;
  /** Keep a new token or proxy password on disk although there is no OS keychain (asked first). */
  storeWithoutKeychain: boolean;
  /** Origins the token also goes to (the user may forget some; only the desktop app's dialog adds). */
  tokenOrigins: string[];
  theme: Theme;
  language: Language;
  concurrency: string;
  inference: InferenceDraft;
  /** Per alias, the order the user set (full id list), or [] for the default order. */
  aliasOrder: AliasOrder;
  /** Jobs at once per provider id: '1'…'4', or '' for the default (`concurrency`). */
  concurrencyBy: Record<string, string>;
  /** A Space's GPU quota ran out: false waits for it, true tries the alias's next provider. */
  quotaFallback: boolean;
  notifications: NotificationSettings;
}

export type SettingsField =
  | 'libraryDir'
  | 'hfToken'
  | 'hfUrl'
  | 'proxy'
  | 'concurrency'
  | 'inferenceModels'
  | 'inferenceProvider'
  | 'inferenceUrl'
  | `url:${ProviderId}`;
export type SettingsErrors = Partial<Record<SettingsField, string>>;
type Patch = InvokeArgs<'settings:update'>;

export function draftFrom(s: PublicSettings): SettingsDraft {
  return {
    libraryDir: s.libraryDir,
    hfToken: '',
    removeToken: false,
    providerUrls: Object.fromEntries(PROVIDER_IDS.map((id) => [id, s.providerUrls[id] ?? ''])) as Record<
      ProviderId,
      string
    >,
    hfUrl: s.hfUrl ?? '',
    proxy: s.proxy ?? '',
    storeWithoutKeychain: false,
    tokenOrigins: [...(s.tokenOrigins ?? [])],
    theme: s.theme,
    language: s.language,
    concurrency: String(s.concurrencyPerProvider),
    inference: inferenceDraftFrom(s.inference ?? DEFAULT_INFERENCE_SETTINGS),
    aliasOrder: Object.fromEntries(
      MODEL_ALIASES.filter((a) => s.aliasOrder?.[a]).map((a) => [a, [...s.aliasOrder[a]!]]),
    ) as AliasOrder,
    concurrencyBy: Object.fromEntries(
      Object.entries(s.concurrencyByProvider ?? {}).map(([id, n]) => [id, n === undefined ? '' : String(n)]),
    ),
    quotaFallback: s.quotaFallback ?? false,
    // A core from before issue 16 has none: its defaults.
    notifications: { ...DEFAULT_NOTIFICATION_SETTINGS, ...(s.notifications ?? {}) },
  };
}

/** The per-provider concurrency patch: each provider whose value changed (null: back to the default). */
export function concurrencyPatch(
  draft: Record<string, string>,
  saved: Partial<Record<string, number>>,
): Record<string, number | null> | null {
  const out: Record<string, number | null> = {};
  for (const id of new Set([...Object.keys(draft), ...Object.keys(saved)])) {
    const v = (draft[id] ?? '').trim();
    const next = v === '' ? null : Number(v);
    const prev = saved[id] ?? null;
    if (next !== prev) out[id] = next;
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** The notification settings that changed, or null. */
export function notificationsPatch(
  draft: NotificationSettings,
  saved: NotificationSettings,
): Partial<NotificationSettings> | null {
  const out: Partial<NotificationSettings> = {};
  for (const k of Object.keys(draft) as (keyof NotificationSettings)[]) if (draft[k] !== saved[k]) out[k] = draft[k];
  return Object.keys(out).length > 0 ? out : null;
}

export function inferenceDraftFrom(i: InferenceSettings): InferenceDraft {
  const known = (KNOWN_INFERENCE_PROVIDERS as readonly string[]).includes(i.provider);
  return {
    models: [...i.models],
    providerChoice: known ? (i.provider as InferenceProviderChoice) : 'other',
    providerName: known ? '' : i.provider,
    fallbackAliases: [...i.fallbackAliases],
    url: i.url ?? '',
  };
}

/** The provider name the draft stands for. */
export function inferenceProvider(d: InferenceDraft): string {
  return d.providerChoice === 'other' ? d.providerName.trim() : d.providerChoice;
}

/** The `inference` part of the patch: what changed, or null. */
export function inferencePatch(d: InferenceDraft, s: InferenceSettings): NonNullable<Patch['inference']> | null {
  const out: NonNullable<Patch['inference']> = {};
  if (d.models.join('\n') !== s.models.join('\n')) out.models = [...d.models];
  const provider = inferenceProvider(d);
  if (provider !== s.provider) out.provider = provider;
  const aliases = MODEL_ALIASES.filter((a) => d.fallbackAliases.includes(a));
  if (aliases.join() !== MODEL_ALIASES.filter((a) => s.fallbackAliases.includes(a)).join())
    out.fallbackAliases = aliases;
  const url = d.url.trim() === '' ? null : d.url.trim();
  if (url !== s.url) out.url = url;
  return Object.keys(out).length > 0 ? out : null;
}

/** Only what changed is sent; an emptied URL field clears its override. */
export function patchFrom(d: SettingsDraft, s: PublicSettings): Patch {
  const patch: Patch = {};
  const orNull = (v: string) => (v.trim() === '' ? null : v.trim());
  if (d.libraryDir.trim() !== s.libraryDir) patch.libraryDir = d.libraryDir;
  if (d.removeToken) patch.hfToken = null;
  else if (d.hfToken.trim() !== '') patch.hfToken = d.hfToken;
  const urls: NonNullable<Patch['providerUrls']> = {};
  for (const id of PROVIDER_IDS) {
    const next = orNull(d.providerUrls[id]);
    if (next !== (s.providerUrls[id] ?? null)) urls[id] = next;
  }
  if (Object.keys(urls).length > 0) patch.providerUrls = urls;
  if (orNull(d.hfUrl) !== s.hfUrl) patch.hfUrl = orNull(d.hfUrl);
  if (orNull(d.proxy) !== s.proxy) patch.proxy = orNull(d.proxy);
  if (d.tokenOrigins.length !== (s.tokenOrigins ?? []).length) patch.tokenOrigins = [...d.tokenOrigins];
  // The consent travels with what it is about: a new token, or a proxy URL that carries a password.
  if (d.storeWithoutKeychain && (typeof patch.hfToken === 'string' || proxyHasPassword(patch.proxy)))
    patch.storeWithoutKeychain = true;
  if (d.theme !== s.theme) patch.theme = d.theme;
  if (d.language !== s.language) patch.language = d.language;
  if (d.concurrency.trim() !== String(s.concurrencyPerProvider)) patch.concurrencyPerProvider = Number(d.concurrency);
  const inference = inferencePatch(d.inference, s.inference ?? DEFAULT_INFERENCE_SETTINGS);
  if (inference) patch.inference = inference;
  const order = orderPatch(d.aliasOrder, s.aliasOrder ?? {});
  if (order) patch.aliasOrder = order;
  const byProvider = concurrencyPatch(d.concurrencyBy, s.concurrencyByProvider ?? {});
  if (byProvider) patch.concurrencyByProvider = byProvider;
  if (d.quotaFallback !== (s.quotaFallback ?? false)) patch.quotaFallback = d.quotaFallback;
  const notifications = notificationsPatch(d.notifications, {
    ...DEFAULT_NOTIFICATION_SETTINGS,
    ...(s.notifications ?? {}),
  });
  if (notifications) patch.notifications = notifications;
  return patch;
}

/** Does this proxy URL carry a password (`user:password@`)? */
export function proxyHasPassword(proxy: string | null | undefined): boolean {
  if (!proxy) return false;
  try {
    return new URL(proxy).password !== '';
  } catch {
    return false;
  }
}

/** Does saving this draft put a secret on disk, so that the user must be asked without a keychain? */
export function draftHasNewSecret(d: SettingsDraft): boolean {
  return (!d.removeToken && d.hfToken.trim() !== '') || proxyHasPassword(d.proxy.trim());
}

const LABELS: Record<string, MessageKey> = {
  libraryDir: 'field.libraryDir',
  hfToken: 'field.hfToken',
  hfUrl: 'field.url',
  proxy: 'field.proxy',
  concurrency: 'field.concurrency',
};

/** Checked with the same schema the main side applies. */
export function validatePatch(patch: Patch, i18n: I18n): { ok: true } | { ok: false; errors: SettingsErrors } {
  const parsed = SettingsPatchSchema.safeParse(patch);
  if (parsed.success) return { ok: true };
  const errors: SettingsErrors = {};
  for (const issue of parsed.error.issues) {
    const [top, sub] = issue.path;
    if (top === 'inference') {
      const field: SettingsField =
        sub === 'url' ? 'inferenceUrl' : sub === 'provider' ? 'inferenceProvider' : 'inferenceModels';
      if (errors[field]) continue;
      const words = settingsWords(i18n.language);
      if (field === 'inferenceUrl')
        errors[field] =
          issue.message === HTTPS_REQUIRED
            ? words('https', { field: i18n.t('set.infRouterUrl') })
            : i18n.t('val.url', { field: i18n.t('set.infRouterUrl') });
      else if (field === 'inferenceProvider') errors[field] = i18n.t('set.infProviderInvalid');
      else errors[field] = i18n.t('set.infModelInvalid');
      continue;
    }
    // Chosen from lists and switches: nothing typed that could be refused.
    if (top === 'aliasOrder' || top === 'concurrencyByProvider' || top === 'notifications' || top === 'quotaFallback')
      continue;
    const field = (
      top === 'providerUrls' ? `url:${String(sub)}` : top === 'concurrencyPerProvider' ? 'concurrency' : top
    ) as SettingsField;
    if (errors[field]) continue;
    const label = i18n.t(LABELS[field] ?? 'field.url');
    if ((field.startsWith('url:') || field === 'hfUrl') && issue.message === HTTPS_REQUIRED)
      errors[field] = settingsWords(i18n.language)('https', { field: label });
    else if (field.startsWith('url:') || field === 'hfUrl' || field === 'proxy')
      errors[field] = i18n.t('val.url', { field: label });
    else if (field === 'hfToken')
      errors[field] = i18n.t(issue.code === 'too_big' ? 'val.tooLong' : 'val.spaces', { field: label, max: 512 });
    else if (field === 'libraryDir') errors[field] = i18n.t('val.empty', { field: label });
    else if (issue.code === 'too_small')
      errors[field] = i18n.t('val.min', { field: label, min: String(issue.minimum) });
    else if (issue.code === 'too_big') errors[field] = i18n.t('val.max', { field: label, max: String(issue.maximum) });
    else errors[field] = i18n.t('val.whole', { field: label });
  }
  return { ok: false, errors };
}
