/** Maps the Gradio client's events to the app's ProviderEvents (image output 0, seed output 1). */
import { AppError } from '../../shared/errors';
import type { ProviderEvent } from '../../shared/events';
import { LIMITS } from '../../shared/params';
import { fileUrl, type GradioEvent } from './gradio';
import { cleanMessage } from './gradio/http';

export async function* toProviderEvents(
  events: AsyncIterable<GradioEvent>,
  base: string,
  providerId: string,
): AsyncGenerator<ProviderEvent, void, void> {
  let apiPrefix = '';
  let lastPreview: string | null = null;
  for await (const ev of events) {
    switch (ev.kind) {
      case 'joined':
        apiPrefix = ev.apiPrefix;
        yield { type: 'status', message: 'Sent to the Space, waiting for it to start.' };
        break;
      case 'queue':
        // Gradio's rank is 0-based; people count from 1.
        yield { type: 'queue', position: ev.rank + 1, size: ev.queueSize, eta: ev.eta };
        break;
      case 'starts':
        yield { type: 'status', message: 'Generating.' };
        break;
      case 'progress': {
        const total = ev.length ?? ev.index;
        yield { type: 'progress', step: Math.min(ev.index, total), total, ...(ev.unit ? { unit: ev.unit } : {}) };
        break;
      }
      case 'log': {
        const message = cleanMessage(ev.message);
        if (message) yield { type: 'status', message };
        break;
      }
      case 'generating': {
        const url = fileUrl(ev.data[0], { base, apiPrefix });
        if (url && url !== lastPreview) {
          lastPreview = url;
          yield { type: 'preview', url };
        }
        break;
      }
      case 'complete': {
        const url = fileUrl(ev.data[0], { base, apiPrefix });
        if (!url) throw new AppError('protocol', 'The Space finished without an image.', { providerId });
        yield { type: 'image', url, seed: seedOf(ev.data[1]) };
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
