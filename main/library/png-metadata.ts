/**
 * The generation metadata embedded in every saved PNG:
 *  - `parameters` (A1111-compatible): the prompt, then `Steps: …, Seed: …, Size: WxH, Model: …,
 *    Guidance: …, Provider: …` — readable by A1111/Forge/ComfyUI tools and image viewers;
 *  - `flux-gallery`: our JSON record, enough to rebuild the history entry exactly (recovery).
 * Also reads either one back for "import a dropped image".
 */
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { HistoryEntry, ImportedParams } from '../../shared/library';
import {
  ASPECT_RATIOS,
  ASPECT_RATIO_KEYS,
  LIMITS,
  MODEL_ALIASES,
  isProviderId,
  type AspectRatio,
  type GenerationParams,
  type ModelAlias,
} from '../../shared/params';
import type { Worker } from 'node:worker_threads';
import { MAX_KEY_LENGTH, MAX_PARAMS_LINE, MAX_PARAMS_PAIRS, splitA1111, type A1111Split } from './a1111-split';
import { HistoryEntrySchema } from './entry-schema';
import { checkImageBytes } from './image-bytes';
import { runOffThread } from './off-thread';
import { readTextChunks, setTextChunks, type TextChunks } from './png-text-chunks';

export const EMBED_KEYWORD = 'flux-gallery';
export const A1111_KEYWORD = 'parameters';

/** Our JSON chunk: the history entry minus what is about the file on disk, plus the request. */
export const EmbeddedRecordSchema = HistoryEntrySchema.pick({
  id: true,
  prompt: true,
  model: true,
  requestedModel: true,
  providerId: true,
  params: true,
  seed: true,
  createdAt: true,
  durationMs: true,
}).extend({
  app: z.literal('flux-gallery'),
  v: z.literal(1),
  /** The parameters as the user asked for them (before provider rounding and seed choice). */
  request: z.unknown().optional(),
});
export type EmbeddedRecord = z.output<typeof EmbeddedRecordSchema>;

type RecordSource = Pick<
  HistoryEntry,
  'id' | 'prompt' | 'model' | 'requestedModel' | 'providerId' | 'params' | 'seed' | 'createdAt' | 'durationMs'
>;

export function toEmbeddedRecord(e: RecordSource, request?: GenerationParams): EmbeddedRecord {
  const rec: EmbeddedRecord = {
    app: 'flux-gallery',
    v: 1,
    id: e.id,
    prompt: e.prompt,
    model: e.model,
    ...(e.requestedModel !== undefined ? { requestedModel: e.requestedModel } : {}),
    providerId: e.providerId,
    params: { ...e.params },
    seed: e.seed,
    createdAt: e.createdAt,
    durationMs: e.durationMs,
  };
  if (request) rec.request = request;
  return rec;
}

/** JSON with every non-ASCII character escaped, so it fits a plain tEXt chunk losslessly. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The A1111 `parameters` text. */
export function formatParameters(e: Pick<HistoryEntry, 'prompt' | 'model' | 'providerId' | 'params' | 'seed'>): string {
  // A1111's layout: the negative prompt on its own line between the prompt and the settings.
  const negative = e.params.negativePrompt ? `\nNegative prompt: ${e.params.negativePrompt}` : '';
  const parts = [
    `Steps: ${e.params.steps}`,
    `Seed: ${e.seed}`,
    `Size: ${e.params.width}x${e.params.height}`,
    `Model: ${e.model}`,
  ];
  // Forge and Civitai-style readers look for FLUX guidance as "Distilled CFG Scale". No `Version:`
  // is written: readers take `Version: v…` for A1111's and would name the wrong tool.
  if (e.params.guidance !== undefined) {
    parts.push(`Guidance: ${e.params.guidance}`, `Distilled CFG Scale: ${e.params.guidance}`);
  }
  parts.push(`Provider: ${e.providerId}`);
  if (e.params.servedBy) parts.push(`Served by: ${e.params.servedBy}`);
  // Quoted as A1111 quotes a value with commas or colons (a style's name may have them).
  if (e.params.style)
    parts.push(`Style: ${/[,:"]/.test(e.params.style) ? JSON.stringify(e.params.style) : e.params.style}`);
  return `${e.prompt}${negative}\n${parts.join(', ')}`;
}

export function embedMetadata(png: Uint8Array, record: EmbeddedRecord): Buffer {
  return setTextChunks(png, [
    [A1111_KEYWORD, formatParameters(record)],
    [EMBED_KEYWORD, asciiJson(record)],
  ]);
}

/** Our record from a PNG's text chunks; null when absent or not valid. */
export function recordFromChunks(chunks: TextChunks): EmbeddedRecord | null {
  const raw = chunks.get(EMBED_KEYWORD);
  if (raw === undefined) return null;
  try {
    const parsed = EmbeddedRecordSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function intIn(s: string | undefined, r: { min: number; max: number }): number | undefined {
  if (s === undefined || !/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= r.min && n <= r.max ? n : undefined;
}

function aspectFor(width: number, height: number): AspectRatio | undefined {
  return ASPECT_RATIO_KEYS.find((k) => ASPECT_RATIOS[k][0] === width && ASPECT_RATIOS[k][1] === height);
}

/** Reads an A1111 `parameters` text (ours or any A1111-style tool's), on this thread: linear and capped. */
export function parseParameters(text: string): ImportedParams | null {
  return fromSplit(splitA1111(text, MAX_PARAMS_LINE, MAX_PARAMS_PAIRS, MAX_KEY_LENGTH));
}

/** The same in a worker thread with a time limit (import of a dropped file: text we did not write). */
export async function parseParametersOffThread(text: string, opts: ImportOptions = {}): Promise<ImportedParams | null> {
  const split = await runOffThread(splitA1111, [text, MAX_PARAMS_LINE, MAX_PARAMS_PAIRS, MAX_KEY_LENGTH], {
    timeLimitMs: opts.timeLimitMs ?? IMPORT_TIME_LIMIT_MS,
    what: "read this image's A1111 parameters",
    ...(opts.onWorker ? { onWorker: opts.onWorker } : {}),
  });
  return fromSplit(split);
}

function fromSplit({ prompt, pairs }: A1111Split): ImportedParams | null {
  const values = new Map<string, string>();
  for (const [key, raw] of pairs) {
    if (values.has(key)) continue;
    let value = raw;
    if (value.startsWith('"')) {
      try {
        value = String(JSON.parse(value));
      } catch {
        // keep the raw text
      }
    }
    values.set(key, value);
  }
  if (!prompt && values.size === 0) return null;

  const params: ImportedParams['params'] = {};
  const steps = intIn(values.get('steps'), LIMITS.steps);
  if (steps !== undefined) params.steps = steps;
  const seed = intIn(values.get('seed'), LIMITS.seed);
  if (seed !== undefined) params.seed = seed;
  const size = /^(\d+)x(\d+)$/.exec(values.get('size') ?? '');
  const width = intIn(size?.[1], LIMITS.size);
  const height = intIn(size?.[2], LIMITS.size);
  if (width !== undefined && height !== undefined) {
    params.width = width;
    params.height = height;
    const ar = aspectFor(width, height);
    if (ar) params.aspectRatio = ar;
  }
  const model = values.get('model');
  if ((MODEL_ALIASES as readonly string[]).includes(model ?? '')) params.model = model as ModelAlias;
  const provider = values.get('provider');
  if (isProviderId(provider)) params.provider = provider;
  // Forge writes FLUX guidance as "Distilled CFG Scale"; classic "CFG scale" means something else.
  const guidance = Number(values.get('guidance') ?? values.get('distilled cfg scale'));
  if (Number.isFinite(guidance) && guidance >= LIMITS.guidance.min && guidance <= LIMITS.guidance.max) {
    params.guidance = guidance;
  }
  return { source: 'a1111', prompt, params };
}

export function importedFromRecord(rec: EmbeddedRecord): ImportedParams {
  const p = rec.params;
  const params: ImportedParams['params'] = {
    model: rec.model,
    provider: rec.providerId,
    aspectRatio: p.aspectRatio,
    width: p.width,
    height: p.height,
    steps: p.steps,
    seed: rec.seed,
  };
  if (p.guidance !== undefined) params.guidance = p.guidance;
  return { source: 'flux-gallery', prompt: rec.prompt, params };
}

/** The keywords the app reads: no other text chunk of a file is decoded. */
export const APP_KEYWORDS = [EMBED_KEYWORD, A1111_KEYWORD] as const;

/** Limit for reading a dropped image's A1111 text in its worker (which itself takes ~30 ms to start). */
export const IMPORT_TIME_LIMIT_MS = 5_000;

export interface ImportOptions {
  /** Tests shorten it to see the worker stopped. */
  timeLimitMs?: number;
  onWorker?: (worker: Worker) => void;
}

function importChunks(bytes: Uint8Array): TextChunks {
  const type = checkImageBytes(bytes);
  if (type !== 'png') {
    throw new AppError(
      'bad-image',
      `This ${type.toUpperCase()} image carries no generation parameters we can read; drop a PNG.`,
    );
  }
  try {
    return readTextChunks(bytes, APP_KEYWORDS);
  } catch (err) {
    throw new AppError('bad-image', 'The PNG file is damaged.', { cause: err });
  }
}

const noParameters = () =>
  new AppError('bad-image', 'This image has no generation parameters (neither Flux Gallery nor A1111 metadata).');

/**
 * The parameters embedded in an image file's bytes: our chunk first, else A1111's. On this thread;
 * every step is linear and capped (chunk limits in png-text-chunks.ts, the params line above).
 */
export function readImportedParams(bytes: Uint8Array): ImportedParams {
  const chunks = importChunks(bytes);
  const rec = recordFromChunks(chunks);
  if (rec) return importedFromRecord(rec);
  const a1111 = chunks.get(A1111_KEYWORD);
  const parsed = a1111 === undefined ? null : parseParameters(a1111);
  if (parsed) return parsed;
  throw noParameters();
}

/**
 * The same for a dropped file, with the A1111 text parsed in a worker thread under a time limit:
 * a hostile file costs a bounded time and gives a clear `bad-image` error.
 */
export async function importParams(bytes: Uint8Array, opts: ImportOptions = {}): Promise<ImportedParams> {
  const chunks = importChunks(bytes);
  const rec = recordFromChunks(chunks);
  if (rec) return importedFromRecord(rec);
  const a1111 = chunks.get(A1111_KEYWORD);
  const parsed = a1111 === undefined ? null : await parseParametersOffThread(a1111, opts);
  if (parsed) return parsed;
  throw noParameters();
}
