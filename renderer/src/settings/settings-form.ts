/** The settings form: a draft of the public settings, and the minimal patch it becomes. */
import type { InvokeArgs } from '../../../shared/contract';
import { PROVIDER_IDS, type ProviderId } from '../../../shared/params';
import {
  HTTPS_REQUIRED,
  SettingsPatchSchema,
  type Language,
  type PublicSettings,
  type Theme,
} from '../../../shared/settings';
import type { I18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/types';
import { settingsWords } from './settings-words';

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
}

export type SettingsField = 'libraryDir' | 'hfToken' | 'hfUrl' | 'proxy' | 'concurrency' | `url:${ProviderId}`;
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
  };
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
