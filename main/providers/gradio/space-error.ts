/** Errors a Space reports inside a stream (error events, success:false, unexpected_error). */
import { AppError, type QuotaDetails } from '../../../shared/errors';
import { cleanMessage, pickMessage, sentence } from './http';

const QUOTA = /quota|exceeded your .*gpu|gpu .*exceeded|runs limit|reached its gpu limit/i;
const TOKEN_ADVICE = 'Add a Hugging Face token in Settings for a larger quota, or wait and try again.';

/** What a call API `event: error` carries: `null` up to 6.12, the output dict `{error, title, …}` from 6.13. */
export function callErrorPayload(data: string): { message: string | null; title: string | null } {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return { message: data.trim() || null, title: null };
  }
  if (typeof v === 'string') return { message: v, title: null };
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    return { message: pickMessage(o), title: typeof o.title === 'string' ? o.title : null };
  }
  return { message: null, title: null };
}

/**
 * Gradio 4.x sends a `gr.Error` as `str(error)`, which is `repr(message)`: the text arrives in
 * Python quotes (utils.py `error_payload`, exceptions.py `Error.__str__`).
 */
export function unquote(text: string): string {
  const m = /^(['"])([\s\S]*)\1$/.exec(text);
  return m ? m[2]!.replace(/\\(['"\\])/g, '$1') : text;
}

/** The figures of a ZeroGPU quota refusal: `(60s requested vs. 23s left). Try again in 0:05:12.` */
export function parseQuota(text: string): QuotaDetails | null {
  const figures = /\((\d+(?:\.\d+)?)s requested vs\. (\d+(?:\.\d+)?)s left\)/i.exec(text);
  const retry = /try again in (\d+):(\d{1,2}):(\d{1,2})/i.exec(text);
  if (!figures && !retry) return null;
  return {
    requestedSeconds: figures ? Number(figures[1]) : null,
    leftSeconds: figures ? Number(figures[2]) : null,
    retryInSeconds: retry ? Number(retry[1]) * 3600 + Number(retry[2]) * 60 + Number(retry[3]) : null,
  };
}

/**
 * A Space's refusal in words; quota refusals get the `quota` code, their figures and advice. An
 * empty message is "no details" (`emptyMeans: 'refused'`: the call API's `data: null`, which hides
 * quota refusals too up to Gradio 6.12).
 */
export function spaceError(
  message: string | null | undefined,
  providerId?: string,
  title?: string | null,
  opts: { emptyMeans?: 'refused' | 'error' } = {},
): AppError {
  const extra = { providerId };
  // Unquoted first: cutting the link tail would take the closing quote with it.
  const text = message ? cleanMessage(unquote(message.trim())) : '';
  if (QUOTA.test(text) || (title && QUOTA.test(title))) {
    const base = text || 'The Space refused the job: the GPU quota is used up.';
    const quota = parseQuota(text);
    return new AppError('quota', `${sentence(base)} ${TOKEN_ADVICE}`, { ...extra, ...(quota ? { quota } : {}) });
  }
  // routes.py queue_data_helper's answer for an unknown session (`HTTPException(404)`; 4.x: "Session
  // not found."), also on the call API, where no `session_not_found` flag comes with it.
  if (/^404: (Not Found|Session not found\.?)$/i.test(text)) return sessionLost(providerId);
  // components/number.py raise_if_out_of_bounds (Gradio ≥ 5.39 checks sliders inside the job).
  if (/^Value \S+ is (less than minimum|greater than maximum) value \S+$/.test(text)) {
    return new AppError('invalid-argument', `The Space refused a value: ${sentence(text)}`, extra);
  }
  if (!text && opts.emptyMeans === 'refused') {
    return new AppError(
      'space-refused',
      `The Space refused the job without details (often the GPU quota). ${TOKEN_ADVICE}`,
      extra,
    );
  }
  if (!text)
    return new AppError(
      'space-error',
      'The Space reported an error without details (it may be overloaded or restarting).',
      extra,
    );
  const lead = title && !/^error$/i.test(title.trim()) ? `${cleanMessage(title)}: ` : '';
  return new AppError('space-error', `The Space reported an error: ${sentence(lead + text)}`, extra);
}

/** The stream ended before a result or an error: the Space went away mid-job. */
export const streamClosedEarly = (providerId?: string): AppError =>
  new AppError('space-error', 'The Space closed the stream before the image was ready (it may have restarted).', {
    providerId,
  });

/** `unexpected_error` with `session_not_found`: the Space no longer knows the job. */
export const sessionLost = (providerId?: string): AppError =>
  new AppError('session-lost', 'The Space restarted or lost the job. Try again.', { providerId });
