/** Errors a Space reports inside a stream (error events, success:false, unexpected_error). */
import { AppError } from '../../../shared/errors';
import { cleanMessage } from './http';

const QUOTA = /quota|exceeded your .*gpu|gpu .*exceeded/i;

/** Extracts the message of an SSE error payload: null, a JSON string, or {error|message}. */
export function errorPayloadMessage(data: string): string | null {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return data.trim() || null;
  }
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of ['error', 'message', 'detail']) if (typeof o[k] === 'string') return o[k];
  }
  return null;
}

/** A Space's refusal in words; quota refusals get the `quota` code and advice. */
export function spaceError(message: string | null | undefined, providerId?: string, title?: string | null): AppError {
  const extra = { providerId };
  const text = message ? cleanMessage(message) : '';
  if (QUOTA.test(text) || (title && QUOTA.test(title))) {
    const base = text || 'The Space refused the job: the GPU quota is used up.';
    return new AppError(
      'quota',
      `${base.replace(/\.?$/, '.')} Add a Hugging Face token in Settings for a larger quota, or wait and try again.`,
      extra,
    );
  }
  if (!text)
    return new AppError(
      'space-error',
      'The Space reported an error without details (it may be overloaded or restarting).',
      extra,
    );
  return new AppError('space-error', `The Space reported an error: ${text.replace(/\.?$/, '.')}`, extra);
}

/** The stream ended before a result or an error: the Space went away mid-job. */
export const streamClosedEarly = (providerId?: string): AppError =>
  new AppError('space-error', 'The Space closed the stream before the image was ready (it may have restarted).', {
    providerId,
  });
