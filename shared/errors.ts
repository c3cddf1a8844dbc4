/** Error codes shared by providers, library and bridge; the renderer maps them to advice. */
export const ERROR_CODES = [
  'invalid-argument',
  'unknown-channel',
  'forbidden',
  'not-found',
  'file-missing',
  'quota',
  'space-error',
  'space-asleep',
  /** The Space's author paused it: only they can restart it. */
  'space-paused',
  /** The Space failed to build or crashed (RUNTIME_ERROR, BUILD_ERROR, …). */
  'space-broken',
  /** A call-API refusal without details (Gradio ≤ 6.12 sends `null`): often the GPU quota. */
  'space-refused',
  /** The Space's queue is full or stopped; retried with backoff before falling back. */
  'busy',
  /** Hugging Face's proxy refused the request rate (HTTP 429): not the GPU quota. */
  'rate-limited',
  /** The Space no longer knows the job (it restarted or lost the session). */
  'session-lost',
  'http',
  'network',
  'offline',
  'timeout',
  'protocol',
  'cancelled',
  'all-providers-failed',
  /** Hugging Face refused the HF token the user tried to save (`status` 401: not a valid token). */
  'token-refused',
  /** The job needs an HF token (Inference Providers) and none is set. */
  'token-missing',
  /** The token is valid but lacks a permission the job needs (Inference Providers: "Make calls to Inference Providers"). */
  'token-permission',
  /** Inference Providers: the account's credits are spent (HTTP 402). */
  'out-of-credits',
  /** Inference Providers: no provider serves this model (for this task), or the model does not exist. */
  'model-not-served',
  /** The URL is not a Gradio app (no /config, or not Gradio's). */
  'not-gradio',
  /** The Gradio app is too old for the app's client (the `ws` protocol of Gradio 3). */
  'gradio-too-old',
  /** The Space has no endpoint that takes a text prompt and gives an image or a gallery. */
  'no-text-to-image',
  /** The Space's image endpoints all need an input file (image-to-image). */
  'needs-file-input',
  /** The app stopped while the job ran, and it had already been sent again once: Retry runs it anew. */
  'interrupted',
  'io',
  'disk-full',
  'too-large',
  'bad-image',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A ZeroGPU quota refusal's figures: `(60s requested vs. 23s left). Try again in 0:05:12.` */
export interface QuotaDetails {
  requestedSeconds: number | null;
  leftSeconds: number | null;
  /** Seconds until the quota has room again, when the Space said. */
  retryInSeconds: number | null;
}

export interface ErrorInfo {
  code: ErrorCode;
  /** Readable, one or two sentences, never HTML, never a secret. */
  message: string;
  /** HTTP status when the error came from a response. */
  status?: number;
  providerId?: string;
  /** Quota errors: the figures the Space gave. */
  quota?: QuotaDetails;
}

export interface AppErrorExtra {
  status?: number;
  providerId?: string;
  cause?: unknown;
  quota?: QuotaDetails;
}

/** An error that knows its code; what crosses the bridge is its `toInfo()`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status?: number;
  readonly providerId?: string;
  readonly quota?: QuotaDetails;
  constructor(code: ErrorCode, message: string, extra: AppErrorExtra = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'AppError';
    this.code = code;
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.providerId !== undefined) this.providerId = extra.providerId;
    if (extra.quota !== undefined) this.quota = extra.quota;
  }
  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message };
    if (this.status !== undefined) info.status = this.status;
    if (this.providerId !== undefined) info.providerId = this.providerId;
    if (this.quota !== undefined) info.quota = { ...this.quota };
    return info;
  }
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof AppError) return err.toInfo();
  if (err instanceof Error && err.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled.' };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: message || 'Unexpected error.' };
}
