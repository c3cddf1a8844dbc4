/** History entries and their queries. */
import { z } from 'zod';
import {
  MODEL_ALIASES,
  ProviderIdSchema,
  type AspectRatio,
  type GenerationParams,
  type ModelAlias,
  type ProviderId,
} from './params';

export interface HistoryEntry {
  id: string;
  prompt: string;
  /** The model that made the image: the provider's own (`flux-dev` for BlackForestLabs Flux-1-Dev). */
  model: ModelAlias;
  /**
   * The alias the user asked for, when it is not `model` (`flux` routed to whichever Space served
   * it). Absent when the model itself was asked for. Entries older than this field stored the alias
   * asked for as `model`; the library moves it here when it reads them.
   */
  requestedModel?: ModelAlias;
  providerId: ProviderId;
  /** What was sent to the Space (after rounding) and the seed it actually used. */
  params: {
    aspectRatio: AspectRatio;
    width: number;
    height: number;
    steps: number;
    guidance?: number;
    seed: number;
    randomizeSeed: boolean;
    /** A user's Space with a negative prompt input. */
    negativePrompt?: string;
    /** A user's Space's own inputs as sent. */
    extras?: Record<string, string | number | boolean>;
    /** Inference Providers: which provider made the image. */
    servedBy?: string;
    /** The style applied to the prompt. */
    style?: string;
    /** Imported images (issue 18): the tool that made it, its sampler, model name and CFG scale. */
    source?: ImportSource;
    sampler?: string;
    modelName?: string;
    cfgScale?: number;
  };
  seed: number;
  /** ISO 8601. */
  createdAt: string;
  durationMs: number;
  /** Paths relative to the library folder (never sent back as paths by the renderer). */
  file: string;
  thumb: string;
  width: number;
  height: number;
  bytes: number;
  favourite: boolean;
  /** 1–5 stars (issue 17); absent means 0, not rated (kept out of the shard to keep it small). */
  rating?: number;
  /**
   * Ids of the boards the image is on (`boards:list` names them); absent means none. An id whose
   * board was deleted is ignored (and dropped at the entry's shard's next write).
   */
  boards?: string[];
  /** SHA-256 (hex) of the image file's bytes: duplicates are found by it (issue 18). */
  hash?: string;
}

export const EntryIdSchema = z
  .string({ error: 'id must be text' })
  .regex(/^[A-Za-z0-9_-]{6,64}$/, 'id is not a valid entry id');

/** Stars: 0 (not rated) to 5. */
export const RATING_MAX = 5;
export const RatingSchema = z
  .number({ error: 'rating must be a number' })
  .int('rating must be a whole number')
  .min(0, 'rating must be 0 to 5')
  .max(RATING_MAX, 'rating must be 0 to 5');

/** A board's id (made by the main side when the board is created). */
export const BoardIdSchema = z
  .string({ error: 'board id must be text' })
  .regex(/^[A-Za-z0-9_-]{6,64}$/, 'board id is not a valid board id');

/**
 * Orders of the history: `newest` (default) and `oldest` by creation time; `rating` most stars
 * first; `prompt` alphabetical (case and accents ignored). Ties: newest first.
 */
export const HISTORY_SORTS = ['newest', 'oldest', 'rating', 'prompt'] as const;
export type HistorySort = (typeof HISTORY_SORTS)[number];

export const HistoryQuerySchema = z.strictObject({
  text: z.string().max(500).optional(),
  model: z.enum(MODEL_ALIASES).optional(),
  providerId: ProviderIdSchema.optional(),
  /** ISO dates, inclusive. */
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  favourite: z.boolean().optional(),
  /** Images on this board; `none`: images on no board. */
  board: BoardIdSchema.or(z.literal('none')).optional(),
  /** At least this many stars (1–5; 0 is every image). */
  minRating: RatingSchema.optional(),
  sort: z.enum(HISTORY_SORTS).default('newest'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(5000).default(200),
});
export type HistoryQuery = z.output<typeof HistoryQuerySchema>;
export type HistoryQueryInput = z.input<typeof HistoryQuerySchema>;

/** A query without paging: what a filter shows, all of it (bulk targets, `history:listIds`, export). */
export const HistoryFilterSchema = HistoryQuerySchema.omit({ offset: true, limit: true });
export type HistoryFilter = z.output<typeof HistoryFilterSchema>;
export type HistoryFilterInput = z.input<typeof HistoryFilterSchema>;

/** In the query's order (`sort`, newest first by default). */
export interface HistoryPage {
  items: HistoryEntry[];
  total: number;
}

/** Every id a filter shows, in its order (Ctrl+A selects these, not only the loaded page). */
export interface HistoryIds {
  ids: string[];
  total: number;
}

/** Parameters read back from an image's embedded metadata. */
/** The tool an image's metadata came from (issue 18: import from other tools). */
export const IMPORT_SOURCES = [
  'flux-gallery',
  'a1111',
  'fooocus',
  'invokeai',
  'comfyui',
  'draw-things',
  'swarmui',
  'novelai',
] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

/** The tools' own names (the same in every language). */
export const IMPORT_SOURCE_NAMES: Record<ImportSource, string> = {
  'flux-gallery': 'Flux Gallery',
  a1111: 'A1111 / Forge',
  fooocus: 'Fooocus',
  invokeai: 'InvokeAI',
  comfyui: 'ComfyUI',
  'draw-things': 'Draw Things',
  swarmui: 'SwarmUI',
  novelai: 'NovelAI',
};

/**
 * Images of other tools are filed under this provider id prefix and the tool (`space:imported/a1111`,
 * `space:imported/file` when no parameters were found): the index needs a provider id, and the
 * provider filter tells them apart by it. It names no Space: nothing is ever sent to it (see
 * `isImportedEntry`).
 */
export const IMPORTED_PROVIDER_PREFIX = 'space:imported/';

/** An image another tool made (issue 18): no model or provider of this app made it. */
export function isImportedEntry(e: { providerId: string; params: { source?: ImportSource | undefined } }): boolean {
  const s = e.params.source;
  return (s !== undefined && s !== 'flux-gallery') || e.providerId.startsWith(IMPORTED_PROVIDER_PREFIX);
}

/**
 * `history:reuse`'s answer: the parameters to make an image again. An imported image's name no
 * model and no provider (it was made elsewhere): the form keeps the user's current model and route.
 */
export type ReusedParams = Omit<GenerationParams, 'model'> & { model?: ModelAlias };

export interface ImportedParams {
  source: ImportSource;
  prompt: string;
  /** Our own record's entry id (an image this app made). */
  recordId?: string;
  params: {
    negativePrompt?: string;
    /** Sampler (and scheduler) as the tool names it. */
    sampler?: string;
    /** The model (checkpoint) name as the tool wrote it. */
    modelName?: string;
    /** Classic CFG scale when the tool wrote one (`guidance` holds FLUX guidance when present, else this). */
    cfgScale?: number;
    model?: ModelAlias;
    provider?: ProviderId;
    aspectRatio?: AspectRatio;
    width?: number;
    height?: number;
    steps?: number;
    guidance?: number;
    seed?: number;
  };
}

export { MAX_IMAGE_BYTES } from './constants';
