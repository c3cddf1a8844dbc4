/**
 * The CLI's English words for job status codes (the renderer has its own, per language): the main
 * side sends codes and parameters only. A Space's own log line is printed as the Space wrote it.
 */
import type { JobStatus, StatusCode } from '../../shared/events';

const str = (v: string | number | undefined) => (v === undefined ? '' : String(v));

const WORDS: Record<StatusCode, (p: Record<string, string | number>) => string> = {
  sent: () => 'Sent to the Space, waiting for it to start.',
  generating: () => 'Generating.',
  'space-starting': (p) =>
    p.stage
      ? `The Space is starting (${str(p.stage)}); the job waits for it.`
      : 'The Space is starting; the job waits for it.',
  'busy-retry': (p) => `The Space is busy; trying again in ${str(p.waitSeconds)} s (attempt ${str(p.attempt)}).`,
  'zerogpu-ip-quota': () => 'ZeroGPU counts this job against your IP address, not your account.',
  'zerogpu-token-expired': () => "ZeroGPU's proxy token expired.",
  'zerogpu-no-page-token': (p) =>
    `The Space page carried no ZeroGPU token${p.reason ? ` (${str(p.reason)})` : ''}; the job runs anonymously.`,
  'zerogpu-token-refused': (p) =>
    `Hugging Face refused your token for ZeroGPU${p.reason ? ` (${str(p.reason)})` : ''}; using the anonymous quota.`,
  'space-log': (p) => str(p.text),
  'quota-wait': (p) =>
    `The GPU quota of ${str(p.provider) || 'the Space'} ran out; the job starts again by itself at ${
      typeof p.until === 'number' ? new Date(p.until).toLocaleTimeString() : str(p.until)
    }.`,
  resubmitted: () => 'The app stopped while this job ran; it was sent again with the same seed.',
};

export function statusWords(status: JobStatus): string {
  return WORDS[status.code](status.params ?? {});
}
