/** History entries and their queries. */
import { z } from 'zod';
import { MODEL_ALIASES, ProviderIdSchema, type AspectRatio, type ModelAlias, type ProviderId } from './params';

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
}

export const EntryIdSchema = z
  .string({ error: 'id must be text' })
  .regex(/^[A-Za-z0-9_-]{6,64}$/, 'id is not a valid entry id');

export const HistoryQuerySchema = z.strictObject({
  text: z.string().max(500).optional(),
  model: z.enum(MODEL_ALIASES).optional(),
  providerId: ProviderIdSchema.optional(),
  /** ISO dates, inclusive. */
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  favourite: z.boolean().optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(5000).default(200),
});
export type HistoryQuery = z.output<typeof HistoryQuerySchema>;
export type HistoryQueryInput = z.input<typeof HistoryQuerySchema>;

/** Newest first. */
export interface HistoryPage {
  items: HistoryEntry[];
  total: number;
}

/** Parameters read back from an image's embedded metadata. */
export interface ImportedParams {
  source: 'flux-gallery' | 'a1111';
  prompt: string;
  params: {
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
