/**
 * Invoke answers as they travel, and the error a failed one throws. Kept free of zod (unlike
 * contract.ts, which re-exports these): the renderer's entry unwraps answers before zod is loaded.
 */
import type { ErrorInfo } from './errors';

/** Every invoke answer travels as an envelope so error codes survive any transport. */
export type Envelope<R> = { ok: true; value: R } | { ok: false; error: ErrorInfo };

/** The error the bridge throws in the renderer for a failed invoke. */
export class BridgeError extends Error {
  readonly code: ErrorInfo['code'];
  readonly status?: number;
  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'BridgeError';
    this.code = info.code;
    if (info.status !== undefined) this.status = info.status;
  }
}

export function unwrapEnvelope<R>(env: Envelope<R>): R {
  if (env.ok) return env.value;
  throw new BridgeError(env.error);
}
