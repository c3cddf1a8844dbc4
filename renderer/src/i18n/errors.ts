/** Turns bridge error codes into plain words and the actions that may help. */
import type { ErrorCode, ErrorInfo } from '../../../shared/errors';
import type { I18n } from './i18n';
import type { MessageKey } from './types';

/** What the user can do about an error; the UI shows one button per action. */
export type ErrorAction = 'retry' | 'add-token' | 'other-provider' | 'settings';

const ADVICE: Partial<Record<ErrorCode, ErrorAction[]>> = {
  quota: ['add-token', 'other-provider'],
  'space-asleep': ['retry', 'other-provider'],
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

/**
 * Whatever an invoke threw, as error info. In Electron the preload rejects with a plain object
 * (contextBridge drops an Error's own fields), over WebSocket with a BridgeError: read both alike.
 */
export function toInfo(err: unknown): ErrorInfo {
  const message = (e: unknown) =>
    e && typeof e === 'object' && 'message' in e && typeof e.message === 'string' ? e.message : String(e);
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') {
    return { code: err.code as ErrorCode, message: message(err) };
  }
  return { code: 'internal', message: message(err) };
}
