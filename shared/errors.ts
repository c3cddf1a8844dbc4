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
  'http',
  'network',
  'offline',
  'timeout',
  'protocol',
  'cancelled',
  'all-providers-failed',
  'io',
  'disk-full',
  'too-large',
  'bad-image',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  /** Readable, one or two sentences, never HTML, never a secret. */
  message: string;
  /** HTTP status when the error came from a response. */
  status?: number;
  providerId?: string;
}

/** An error that knows its code; what crosses the bridge is its `toInfo()`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status?: number;
  readonly providerId?: string;
  constructor(code: ErrorCode, message: string, extra: { status?: number; providerId?: string; cause?: unknown } = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'AppError';
    this.code = code;
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.providerId !== undefined) this.providerId = extra.providerId;
  }
  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message };
    if (this.status !== undefined) info.status = this.status;
    if (this.providerId !== undefined) info.providerId = this.providerId;
    return info;
  }
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof AppError) return err.toInfo();
  if (err instanceof Error && err.name === 'AbortError') return { code: 'cancelled', message: 'Cancelled.' };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message: message || 'Unexpected error.' };
}
