/**
 * Invoke answers as they travel, and the one shape a failed invoke rejects with on every transport.
 * Kept free of zod (unlike contract.ts, which re-exports these): the renderer's entry unwraps
 * answers before zod is loaded, and the sandboxed preload uses it too.
 */
import { ERROR_CODES, type ErrorCode, type ErrorInfo } from './errors';

/** Every invoke answer travels as an envelope so error codes survive any transport. */
export type Envelope<R> = { ok: true; value: R } | { ok: false; error: ErrorInfo };

/**
 * What `invoke` rejects with, under Electron and over WebSocket alike: a plain object, because
 * contextBridge copies only an Error's message (its code would be lost) while a plain object
 * crosses whole. It still reads like an error (`name`, `message`, `toString`) for code that logs it.
 */
export interface BridgeFailure extends ErrorInfo {
  name: 'BridgeError';
  toString(): string;
}

const isErrorCode = (c: unknown): c is ErrorCode =>
  typeof c === 'string' && (ERROR_CODES as readonly string[]).includes(c);

/** The rejection for an error answer; an unknown code (a newer main side, a forged answer) is `internal`. */
export function toBridgeFailure(info: ErrorInfo): BridgeFailure {
  const message = typeof info.message === 'string' && info.message ? info.message : 'Unexpected error.';
  const failure: BridgeFailure = {
    name: 'BridgeError',
    code: isErrorCode(info.code) ? info.code : 'internal',
    message,
    toString: () => message,
  };
  if (typeof info.status === 'number') failure.status = info.status;
  if (typeof info.providerId === 'string') failure.providerId = info.providerId;
  if (info.quota && typeof info.quota === 'object') failure.quota = { ...info.quota };
  return failure;
}

/** The value of an answer, or its BridgeFailure thrown; anything else is an `internal` failure. */
export function unwrapEnvelope<R>(env: Envelope<R> | null | undefined): R {
  if (env?.ok === true) return env.value;
  throw toBridgeFailure(env?.ok === false && env.error ? env.error : { code: 'internal', message: 'No answer.' });
}

/** Whatever an invoke rejected with, read as a BridgeFailure (a thrown Error becomes `internal`). */
export function asBridgeFailure(err: unknown): BridgeFailure {
  if (err && typeof err === 'object' && (err as { name?: unknown }).name === 'BridgeError' && 'code' in err) {
    return toBridgeFailure(err as ErrorInfo);
  }
  const message = err instanceof Error ? err.message : String(err);
  return toBridgeFailure({ code: 'internal', message });
}
