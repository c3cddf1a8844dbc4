/** Runtime shape checks for history entries read back from disk (stores and embedded metadata). */
import { z } from 'zod';
import { ASPECT_RATIO_KEYS, MODEL_ALIASES, ProviderIdSchema, isProviderId, modelRunBy } from '../../shared/params';
import {
  BoardIdSchema,
  EntryIdSchema,
  IMPORT_SOURCES,
  RATING_MAX,
  RatingSchema,
  type HistoryEntry,
} from '../../shared/library';

/** At most this many board ids on one entry (there are at most MAX_BOARDS boards). */
export const MAX_ENTRY_BOARDS = 500;

export const EntryParamsSchema = z.looseObject({
  aspectRatio: z.enum(ASPECT_RATIO_KEYS),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  steps: z.number().int().positive(),
  guidance: z.number().optional(),
  seed: z.number().int().min(0),
  randomizeSeed: z.boolean(),
  negativePrompt: z.string().optional(),
  extras: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  servedBy: z.string().optional(),
  style: z.string().optional(),
  source: z.enum(IMPORT_SOURCES).optional(),
  sampler: z.string().optional(),
  modelName: z.string().optional(),
  cfgScale: z.number().optional(),
});

/** Loose: fields added by a newer version survive a rewrite by this one. */
export const HistoryEntrySchema = z.looseObject({
  id: EntryIdSchema,
  prompt: z.string(),
  model: z.enum(MODEL_ALIASES),
  requestedModel: z.enum(MODEL_ALIASES).optional(),
  providerId: ProviderIdSchema,
  params: EntryParamsSchema,
  seed: z.number().int().min(0),
  createdAt: z.iso.datetime({ offset: true }),
  durationMs: z.number().min(0),
  file: z.string().min(1),
  thumb: z.string().min(1),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().min(0),
  favourite: z.boolean(),
  rating: RatingSchema.optional(),
  boards: z.array(BoardIdSchema).max(MAX_ENTRY_BOARDS).optional(),
  hash: z.string().optional(),
});

// Compile-time guard: the schema and the shared type must not drift apart.
type Parsed = z.output<typeof HistoryEntrySchema>;
const _sameShape: (e: Parsed) => HistoryEntry = (e) => e;
void _sameShape;

const ID_RE = /^[A-Za-z0-9_-]{6,64}$/;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const MODELS: ReadonlySet<unknown> = new Set(MODEL_ALIASES);
const RATIOS: ReadonlySet<unknown> = new Set(ASPECT_RATIO_KEYS);
const isInt = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min;
const isStr = (v: unknown) => typeof v === 'string' && v.length > 0;
const BOARD_ID_RE = ID_RE;
const isRating = (v: unknown) => v === undefined || (isInt(v, 0) && (v as number) <= RATING_MAX);
const isBoardIds = (v: unknown) =>
  v === undefined ||
  (Array.isArray(v) && v.length <= MAX_ENTRY_BOARDS && v.every((b) => typeof b === 'string' && BOARD_ID_RE.test(b)));

/**
 * The same rules as HistoryEntrySchema, hand-written: loading 50 000 entries at start is several
 * times faster this way (see bench/history.ts). Tests check both agree.
 */
export function isHistoryEntry(x: unknown): x is HistoryEntry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  const p = e.params as Record<string, unknown> | null;
  return (
    typeof e.id === 'string' &&
    ID_RE.test(e.id) &&
    typeof e.prompt === 'string' &&
    MODELS.has(e.model) &&
    (e.requestedModel === undefined || MODELS.has(e.requestedModel)) &&
    isProviderId(e.providerId) &&
    typeof p === 'object' &&
    p !== null &&
    RATIOS.has(p.aspectRatio) &&
    isInt(p.width, 1) &&
    isInt(p.height, 1) &&
    isInt(p.steps, 1) &&
    (p.guidance === undefined || (typeof p.guidance === 'number' && Number.isFinite(p.guidance))) &&
    isInt(p.seed, 0) &&
    typeof p.randomizeSeed === 'boolean' &&
    isInt(e.seed, 0) &&
    typeof e.createdAt === 'string' &&
    ISO_RE.test(e.createdAt) &&
    !Number.isNaN(Date.parse(e.createdAt)) &&
    typeof e.durationMs === 'number' &&
    e.durationMs >= 0 &&
    isStr(e.file) &&
    isStr(e.thumb) &&
    isInt(e.width, 1) &&
    isInt(e.height, 1) &&
    isInt(e.bytes, 0) &&
    typeof e.favourite === 'boolean' &&
    isRating(e.rating) &&
    isBoardIds(e.boards)
  );
}

/**
 * An entry filed under the model that made it. Entries written before `requestedModel` existed
 * hold the alias asked for as `model` (`flux` for an image Dev made): read, they are moved to
 * `model` = the provider's own model and `requestedModel` = the alias. Others are returned as they are.
 */
export function withModelThatRan<E extends Pick<HistoryEntry, 'model' | 'requestedModel' | 'providerId'>>(e: E): E {
  const ran = modelRunBy(e.providerId, e.model);
  if (e.model === ran || e.requestedModel !== undefined) return e;
  return { ...e, model: ran, requestedModel: e.model };
}
