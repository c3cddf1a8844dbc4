/** Turns bridge error codes into plain words and the actions that may help. */
import { asBridgeFailure } from '../../../shared/envelope';
import type { ErrorCode, ErrorInfo } from '../../../shared/errors';
import type { I18n } from './i18n';
import type { MessageKey } from './types';

/** What the user can do about an error; the UI shows one button per action. */
export type ErrorAction = 'retry' | 'add-token' | 'check-token' | 'other-provider' | 'settings';

/** Refusals that are (often) the GPU quota: only these call for a Hugging Face token. */
export const QUOTA_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['quota', 'space-refused']);

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
  // What helps depends on each provider's failure: see jobErrorView.
  'all-providers-failed': ['retry'],
  http: ['retry', 'other-provider'],
  protocol: ['other-provider', 'retry'],
  'space-error': ['retry', 'other-provider'],
  io: ['settings'],
  'disk-full': ['retry'],
  // Inference Providers: the token, the account's credits, the model.
  'token-missing': ['add-token'],
  'token-permission': ['check-token'],
  'out-of-credits': ['other-provider'],
  'model-not-served': ['settings', 'other-provider'],
  interrupted: ['retry'],
};

/** Failures that only the token can fix: their token action stays (it is not about the GPU quota). */
const TOKEN_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['token-missing', 'token-permission']);

/**
 * Codes whose message carries the real cause from the main side (which Space, DNS or refused
 * connection, the HTTP status, what is wrong with a dropped file): shown, not replaced.
 */
const WITH_DETAIL = new Set<ErrorCode>([
  'invalid-argument',
  'space-error',
  'io',
  'internal',
  'network',
  'timeout',
  'http',
  'bad-image',
  'all-providers-failed',
]);

/** Does this code have words of its own (no message from the main side needed)? */
export const hasOwnWords = (code: ErrorCode): boolean => !WITH_DETAIL.has(code) && code !== 'token-refused';

export function errorText(i18n: I18n, err: Pick<ErrorInfo, 'code' | 'message'> & { status?: number }): string {
  if (err.code === 'token-refused') {
    return i18n.t('err.token-refused', {
      reason: err.status === undefined || err.status === 401 ? i18n.t('set.tokenInvalid') : `HTTP ${err.status}`,
    });
  }
  // Typed without a cast: the compiler fails here if any error code lacks a message.
  const key: MessageKey = `err.${err.code}`;
  // A code without words of its own from the main side still says something.
  const detail = err.message || i18n.t('err.internal', { detail: err.code });
  return i18n.t(key, WITH_DETAIL.has(err.code) ? { detail } : undefined);
}

export function errorActions(code: ErrorCode): ErrorAction[] {
  return ADVICE[code] ?? [];
}

/** Where the "settings" action leads for this error: the Spaces' states for a skipped Space, Inference Providers' settings. */
export function settingsFocusFor(code: ErrorCode): 'spaces' | 'inference' | undefined {
  if (code === 'space-paused' || code === 'space-broken') return 'spaces';
  if (code === 'model-not-served') return 'inference';
  return undefined;
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

/** What the user's token has to do with a job's failure. */
export interface TokenContext {
  /** A token is saved in Settings. */
  hasToken: boolean;
  /** The job had to drop it: Hugging Face refused it for ZeroGPU (`zerogpu-token-refused`). */
  tokenRefused: boolean;
}

export interface JobErrorView {
  /** The first line: the cause. */
  headline: string;
  /** One line per provider tried, each with its own cause (all-providers-failed). */
  providers: { providerId: string; text: string }[];
  /** What to do, when the headline does not already say it. */
  advice: string | null;
  actions: ErrorAction[];
}

/**
 * A failed job in words, the real cause first: a quota refusal says whether a token would help (or
 * was refused, or is itself out of quota); `all-providers-failed` lists each provider's own failure
 * (DNS, refused connection, quota…) and advises from those, offering a token only for quota ones.
 */
export function jobErrorView(
  i18n: I18n,
  error: ErrorInfo,
  failedProviders: readonly { providerId: string; error: ErrorInfo }[],
  token: TokenContext,
  providerLabel: (id: string) => string,
): JobErrorView {
  const quotaText = (code: ErrorCode): string | null => {
    if (code === 'quota') {
      if (token.tokenRefused) return i18n.t('err.quotaTokenRefused');
      if (token.hasToken) return i18n.t('err.quotaWithToken');
    } else if (code === 'space-refused' && token.hasToken && !token.tokenRefused) {
      return i18n.t('err.space-refusedWithToken');
    } else if (code === 'space-refused' && token.tokenRefused) {
      return i18n.t('err.quotaTokenRefused');
    }
    return null;
  };
  /** A token helps only against the quota: offered when none is set, checked when it was refused. */
  const tokenActions = (actions: ErrorAction[], quota: boolean): ErrorAction[] => {
    const rest = actions.filter((a) => a !== 'add-token' && a !== 'check-token');
    if (!quota) return rest;
    if (token.tokenRefused) return ['check-token', ...rest];
    if (!token.hasToken) return ['add-token', ...rest];
    return rest;
  };

  if (TOKEN_CODES.has(error.code)) {
    return { headline: errorText(i18n, error), providers: [], advice: null, actions: errorActions(error.code) };
  }
  if (error.code !== 'all-providers-failed' || failedProviders.length === 0) {
    const quota = QUOTA_CODES.has(error.code);
    return {
      headline: quotaText(error.code) ?? errorText(i18n, error),
      providers: [],
      advice: null,
      actions: tokenActions(errorActions(error.code), quota),
    };
  }

  const codes = failedProviders.map((f) => f.error.code);
  const anyQuota = codes.some((c) => QUOTA_CODES.has(c));
  const allNetwork = codes.every((c) => c === 'network' || c === 'timeout' || c === 'offline');
  const advice = anyQuota
    ? token.tokenRefused
      ? i18n.t('advice.tokenRefused')
      : token.hasToken
        ? i18n.t('advice.tokenQuota')
        : i18n.t('advice.addToken')
    : allNetwork
      ? i18n.t('advice.network')
      : i18n.t('advice.retryLater');
  const actions = new Set<ErrorAction>(['retry']);
  if (allNetwork) actions.add('settings');
  const tokenNeeded = codes.includes('token-missing') && !token.hasToken;
  return {
    headline: i18n.t('jobs.allFailed'),
    providers: failedProviders.map((f) => ({
      providerId: f.providerId,
      text: i18n.t('jobs.failedOn', {
        provider: providerLabel(f.providerId),
        cause: (f.error.message || errorText(i18n, f.error)).replace(/\s+$/, ''),
      }),
    })),
    advice,
    actions: tokenNeeded ? ['add-token', ...tokenActions([...actions], false)] : tokenActions([...actions], anyQuota),
  };
}
