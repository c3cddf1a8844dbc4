/** Maps the Gradio client's events to the app's ProviderEvents (image output 0, seed output 1). */
import { AppError } from '../../shared/errors';
import type { JobStatus, ProviderEvent } from '../../shared/events';
import { LIMITS, type ResolvedParams } from '../../shared/params';
import { fileUrl, type GradioEvent } from './gradio';
import { spaceFileAllowed } from './space-origin';
import { cleanMessage } from './gradio/http';

export const statusEvent = (status: JobStatus): ProviderEvent => ({ type: 'status', status });

/**
 * A Space's log line as a status: the ZeroGPU warnings that matter to the user get their own codes
 * (spaces' `zero` package logs them through `gr.Warning`/`gr.Info`), the rest keep the Space's words.
 */
export function logStatus(text: string): ProviderEvent {
  if (/falling back to ip-based quotas?/i.test(text)) return statusEvent({ code: 'zerogpu-ip-quota' });
  if (/expired zerogpu proxy token/i.test(text)) return statusEvent({ code: 'zerogpu-token-expired' });
  return statusEvent({ code: 'space-log', params: { text } });
}

export async function* toProviderEvents(
  events: AsyncIterable<GradioEvent>,
  base: string,
  providerId: string,
  resolved?: ResolvedParams,
): AsyncGenerator<ProviderEvent, void, void> {
  let apiPrefix = '';
  let lastPreview: string | null = null;
  for await (const ev of events) {
    switch (ev.type) {
      case 'joined':
        apiPrefix = ev.apiPrefix;
        yield statusEvent({ code: 'sent' });
        break;
      case 'queue':
        // Gradio's rank is 0-based; people count from 1.
        yield { type: 'queue', position: ev.rank + 1, size: ev.queueSize, eta: ev.eta };
        break;
      case 'starts':
        yield statusEvent({ code: 'generating' });
        break;
      case 'progress': {
        const total = ev.length ?? ev.index;
        yield { type: 'progress', step: Math.min(ev.index, total), total, ...(ev.unit ? { unit: ev.unit } : {}) };
        break;
      }
      case 'log': {
        const message = cleanMessage(ev.message);
        if (message) yield logStatus(message);
        break;
      }
      case 'generating': {
        const url = fileUrl(ev.data[0], { base, apiPrefix });
        // A preview from a host the app does not fetch from is skipped (the result decides).
        if (url && url !== lastPreview && spaceFileAllowed(new URL(url), base)) {
          lastPreview = url;
          yield { type: 'preview', url };
        }
        break;
      }
      case 'complete': {
        const url = fileUrl(ev.data[0], { base, apiPrefix });
        if (!url) throw new AppError('protocol', 'The Space finished without an image.', { providerId });
        if (!spaceFileAllowed(new URL(url), base)) {
          throw new AppError(
            'protocol',
            `The Space named its image on another host (${new URL(url).host}), which the app does not fetch from.`,
            { providerId },
          );
        }
        yield { type: 'image', url, seed: seedOf(ev.data[1]), ...(resolved ? { resolved } : {}) };
        return;
      }
      case 'heartbeat':
        break;
    }
  }
  throw new AppError('protocol', 'The Space finished without an image.', { providerId });
}

/** The seed the Space used: output 1, a number or numeric text. */
export function seedOf(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : NaN;
  return Number.isInteger(n) && n >= LIMITS.seed.min && n <= LIMITS.seed.max ? n : null;
}
