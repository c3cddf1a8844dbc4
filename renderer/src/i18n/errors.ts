/** Turns bridge error codes into plain words and the actions that may help. */
import { asBridgeFailure } from '../../../shared/envelope';
import type { ErrorCode, ErrorInfo } from '../../../shared/errors';
import type { I18n } from './i18n';
import type { MessageKey } from './types';

/** What the user can do about an error; the UI shows one button per action. */
export type ErrorAction = 'retry' | 'add-token' | 'other-provider' | 'settings';

const ADVICE: Partial<Record<ErrorCode, ErrorAction[]>> = {
  quota: ['add-token', 'other-provider'],
  'space-asleep': ['retry', 'other-provider'],
  // Skipped until the user retries it in Settings (Spaces), where its state shows.
  'space-paused': ['other-provider', 'settings'],
  'space-broken': ['other-provider', 'settings'],
  busy: ['retry', 'other-provider'],
  'rate-limited': ['retry'],
  'session-lost': ['retry'],
  'space-refused': ['add-token', 'retry', 'other-provider'],
  offline: ['retry'],
  network: ['retry', 'settings'],
  timeout: ['retry', 'other-provider'],
  'all-providers-failed': ['add-token', 'retry'],
  http: ['retry', 'other-provider'],
  protocol: ['other-provider', 'retry'],
  'space-error': ['retry', 'other-provider'],
  io: ['settings'],
  'disk-full': ['retry'],
};

/** Codes whose message carries the detail from the main side. */
const WITH_DETAIL = new Set<ErrorCode>(['invalid-argument', 'space-error', 'io', 'internal']);

export function errorText(i18n: I18n, err: Pick<ErrorInfo, 'code' | 'message'>): string {
  // Typed without a cast: the compiler fails here if any error code lacks a message.
  const key: MessageKey = `err.${err.code}`;
  return i18n.t(key, WITH_DETAIL.has(err.code) ? { detail: err.message } : undefined);
}

export function errorActions(code: ErrorCode): ErrorAction[] {
  return ADVICE[code] ?? [];
}

/** Where the "settings" action leads for this error: the Spaces' states for a skipped Space. */
export function settingsFocusFor(code: ErrorCode): 'spaces' | undefined {
  return code === 'space-paused' || code === 'space-broken' ? 'spaces' : undefined;
}

/**
 * A quota refusal's figures in words ("60 s requested, 23 s left · try again in 5 min 12 s"), or
 * null when the Space gave none.
 */
export function quotaText(i18n: I18n, err: Pick<ErrorInfo, 'quota'>): string | null {
  const q = err.quota;
  if (!q) return null;
  const seconds = (n: number) => i18n.formatDuration(n * 1000);
  const parts: string[] = [];
  const usable = (n: number | null): n is number => n !== null && Number.isFinite(n) && n >= 0;
  if (usable(q.requestedSeconds) && usable(q.leftSeconds))
    parts.push(i18n.t('quota.requestedLeft', { requested: seconds(q.requestedSeconds), left: seconds(q.leftSeconds) }));
  else if (usable(q.requestedSeconds))
    parts.push(i18n.t('quota.requested', { requested: seconds(q.requestedSeconds) }));
  else if (usable(q.leftSeconds)) parts.push(i18n.t('quota.left', { left: seconds(q.leftSeconds) }));
  if (usable(q.retryInSeconds)) parts.push(i18n.t('quota.retryIn', { wait: seconds(q.retryInSeconds) }));
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** Whatever an invoke threw, as error info: every transport rejects with a BridgeFailure (shared/envelope.ts). */
export function toInfo(err: unknown): ErrorInfo {
  const { name: _name, toString: _toString, ...info } = asBridgeFailure(err);
  return info;
}
