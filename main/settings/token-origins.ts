/**
 * Binding the HF token to where it was saved for. The providers send it only to Hugging Face's own
 * https hosts, a local server, or an origin the user confirmed (main/providers/space-origin.ts). An
 * origin is confirmed only in the desktop app's native dialog (a page cannot draw it), when the user
 * saves an HF or Space URL there while a token is set; the web preview cannot confirm one.
 */
import { PROVIDER_IDS, type ProviderId } from '../../shared/params';
import type { Language, PublicSettings, SettingsPatch } from '../../shared/settings';
import { tokenMayGoTo } from '../providers/space-origin';

export interface TokenOriginRequest {
  /** `https://host[:port]` the token would go to. */
  origin: string;
  /** The URL the user saved. */
  url: string;
  /** Which setting: the Hugging Face URL, or a provider's Space URL. */
  field: 'hfUrl' | ProviderId;
  /** The user's language, for the dialog's words. */
  language: Language;
}

/** Asks the user (natively) whether the token may go to `origin`; true only on an explicit yes. */
export type ConfirmTokenOrigin = (req: TokenOriginRequest) => Promise<boolean>;

type Current = Pick<PublicSettings, 'hasHfToken' | 'hfUrl' | 'providerUrls' | 'tokenOrigins' | 'language'>;

/**
 * The https origins this patch would leave without the token for want of the user's word: each URL
 * the patch sets (or, with a new token, each URL in use) that is not Hugging Face's, not local and not
 * confirmed yet. Plain-http URLs never get the token, so they are not asked about.
 */
export function originsToConfirm(patch: SettingsPatch, now: Current): Omit<TokenOriginRequest, 'language'>[] {
  const tokenAfter = patch.hfToken !== undefined ? Boolean(patch.hfToken) : now.hasHfToken;
  if (!tokenAfter) return [];
  const newToken = typeof patch.hfToken === 'string' && patch.hfToken !== '';
  const candidates: { url: string; field: TokenOriginRequest['field'] }[] = [];
  const hfUrl = patch.hfUrl !== undefined ? patch.hfUrl : now.hfUrl;
  if (hfUrl && (patch.hfUrl !== undefined || newToken)) candidates.push({ url: hfUrl, field: 'hfUrl' });
  for (const id of PROVIDER_IDS) {
    const changed = patch.providerUrls?.[id];
    const url = changed !== undefined ? changed : now.providerUrls[id];
    if (url && (changed !== undefined || newToken)) candidates.push({ url, field: id });
  }
  const confirmed = patch.tokenOrigins ?? now.tokenOrigins;
  const asks = new Map<string, Omit<TokenOriginRequest, 'language'>>();
  for (const c of candidates) {
    let u: URL;
    try {
      u = new URL(c.url.trim());
    } catch {
      continue;
    }
    if (u.protocol !== 'https:' || tokenMayGoTo(u.href, confirmed) || asks.has(u.origin)) continue;
    asks.set(u.origin, { origin: u.origin, url: c.url.trim(), field: c.field });
  }
  return [...asks.values()];
}

/** Asks about each origin in turn; the ones the user allowed. Without a native dialog: none. */
export async function confirmTokenOrigins(
  patch: SettingsPatch,
  now: Current,
  confirm: ConfirmTokenOrigin | undefined,
): Promise<string[]> {
  if (!confirm) return [];
  const language = patch.language ?? now.language;
  const allowed: string[] = [];
  for (const ask of originsToConfirm(patch, now)) {
    if (await confirm({ ...ask, language })) allowed.push(ask.origin);
  }
  return allowed;
}
