/**
 * Maps the Gradio client's events to the app's ProviderEvents. The result's layout comes from the
 * provider: the FLUX Spaces' `[image, seed]`, or a saved Space's image (an Image or a Gallery) and
 * seed outputs wherever they are.
 */
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

/** Where the result's image and seed are among the endpoint's outputs. */
export interface OutputLayout {
  /** An Image output (a file) or a Gallery output (a list of them). */
  image: number;
  /** A Number output with the seed used; null: the Space does not say. */
  seed: number | null;
  /** The seed used when the Space does not say it (the one the app sent when nothing randomises it). */
  knownSeed?: number | null;
}

/** The FLUX Spaces' `infer` → `[image, seed]`. */
export const FLUX_OUTPUTS: OutputLayout = { image: 0, seed: 1 };

/**
 * The files of an image output: a file (FileData, path or URL), or a Gallery's list (4.0+:
 * `{image: FileData, caption}` items, gallery.py `GalleryImage`; 3.x: `[file, caption]` pairs;
 * bare files). A Gallery's videos (`{video: …}`) are skipped.
 */
export function imageFiles(value: unknown): unknown[] {
  if (!Array.isArray(value)) return value == null ? [] : [value];
  return value.flatMap((item: unknown) => {
    if (Array.isArray(item)) return item.length > 0 ? [item[0] as unknown] : [];
    if (item && typeof item === 'object') {
      const o = item as { image?: unknown; video?: unknown };
      if (o.image !== undefined) return o.image == null ? [] : [o.image];
      if (o.video !== undefined) return [];
    }
    return item == null ? [] : [item];
  });
}

export async function* toProviderEvents(
  events: AsyncIterable<GradioEvent>,
  base: string,
  providerId: string,
  resolved?: ResolvedParams,
  layout: OutputLayout = FLUX_OUTPUTS,
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
        // A growing Gallery previews its newest image.
        const url = fileUrl(imageFiles(ev.data[layout.image]).at(-1), { base, apiPrefix });
        // A preview from a host the app does not fetch from is skipped (the result decides).
        if (url && url !== lastPreview && spaceFileAllowed(new URL(url), base)) {
          lastPreview = url;
          yield { type: 'preview', url };
        }
        break;
      }
      case 'complete': {
        const urls = imageFiles(ev.data[layout.image]).flatMap((f) => fileUrl(f, { base, apiPrefix }) ?? []);
        if (urls.length === 0) throw new AppError('protocol', 'The Space finished without an image.', { providerId });
        for (const u of urls) {
          if (!spaceFileAllowed(new URL(u), base)) {
            throw new AppError(
              'protocol',
              `The Space named its image on another host (${new URL(u).host}), which the app does not fetch from.`,
              { providerId },
            );
          }
        }
        const [url, ...moreUrls] = urls as [string, ...string[]];
        const seed = (layout.seed === null ? null : seedOf(ev.data[layout.seed])) ?? layout.knownSeed ?? null;
        yield {
          type: 'image',
          url,
          seed,
          ...(moreUrls.length > 0 ? { moreUrls } : {}),
          ...(resolved ? { resolved } : {}),
        };
        return;
      }
      case 'heartbeat':
        break;
    }
  }
  throw new AppError('protocol', 'The Space finished without an image.', { providerId });
}

/** The seed the Space used: a number or numeric text. */
export function seedOf(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() ? Number(v) : NaN;
  return Number.isInteger(n) && n >= LIMITS.seed.min && n <= LIMITS.seed.max ? n : null;
}
