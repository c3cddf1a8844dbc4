/**
 * Organising the gallery (issue 17): boards, bulk actions on a selection of any size, export.
 * Schemas are validated on the main side; the types are what the renderer receives.
 *
 * A selection is a *target*: explicit ids, or a filter (everything it shows, not only the loaded
 * page, minus the ids the user deselected). Bulk actions and exports run on the main side as one
 * library operation, named by an operation id the caller may choose (to match the progress events
 * it hears before the answer comes).
 */
import { z } from 'zod';
import type { ErrorInfo } from './errors';
import { BoardIdSchema, EntryIdSchema, HistoryFilterSchema, RatingSchema } from './library';

export { BoardIdSchema, RatingSchema, RATING_MAX } from './library';

// ---- boards ------------------------------------------------------------------------------------

export const BOARD_NAME_MAX = 80;
/** At most this many boards in a library. */
export const MAX_BOARDS = 500;

export const BoardNameSchema = z
  .string({ error: 'board name must be text' })
  .trim()
  .min(1, 'board name must not be empty')
  .max(BOARD_NAME_MAX, `board name must be at most ${BOARD_NAME_MAX} characters`)
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'board name must not contain control characters');

/** A board as `boards.json` keeps it (in the library folder, so it moves with the library). */
export interface Board {
  id: string;
  name: string;
  /** ISO 8601. */
  createdAt: string;
  /** New images (saved by jobs) go on this board too. */
  autoAdd: boolean;
}

export interface BoardInfo extends Board {
  /** Images on the board now. */
  count: number;
}

/** Boards by name (case and accents ignored), with counts. */
export interface BoardsState {
  boards: BoardInfo[];
  /** Images on no board. */
  unboarded: number;
}

export const BoardCreateSchema = z.strictObject({
  name: BoardNameSchema,
  autoAdd: z.boolean().default(false),
});

// ---- targets and bulk actions ------------------------------------------------------------------

/** Explicit ids in one call (a filter target has no limit). */
export const MAX_TARGET_IDS = 100_000;

export const OperationIdSchema = z
  .string({ error: 'operation id must be text' })
  .regex(/^[A-Za-z0-9_-]{6,64}$/, 'operation id is not valid');

/**
 * What an action applies to: `ids` (in this order), or `query`: every image the filter shows, in its
 * order, minus `except` (Ctrl+A, then some deselected). A filter target is resolved when the
 * operation starts.
 */
export const BulkTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('ids'),
    ids: z.array(EntryIdSchema).min(1, 'ids must not be empty').max(MAX_TARGET_IDS),
  }),
  z.strictObject({
    kind: z.literal('query'),
    query: HistoryFilterSchema,
    except: z.array(EntryIdSchema).max(MAX_TARGET_IDS).optional(),
  }),
]);
export type BulkTarget = z.input<typeof BulkTargetSchema>;

export const BULK_ACTION_TYPES = [
  'setFavourite',
  'rate',
  'addToBoard',
  'removeFromBoard',
  'delete',
  'copyPrompts',
] as const;
export type BulkActionType = (typeof BULK_ACTION_TYPES)[number];

export const BulkActionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('setFavourite'), favourite: z.boolean() }),
  /** 0 removes the rating. */
  z.strictObject({ type: z.literal('rate'), rating: RatingSchema }),
  z.strictObject({ type: z.literal('addToBoard'), boardId: BoardIdSchema }),
  z.strictObject({ type: z.literal('removeFromBoard'), boardId: BoardIdSchema }),
  /** Moved aside like one image: `history:undoBulkDelete` brings the whole batch back until it is purged. */
  z.strictObject({ type: z.literal('delete') }),
  /** Nothing changes: the prompts come back as text. */
  z.strictObject({ type: z.literal('copyPrompts') }),
]);
export type BulkAction = z.output<typeof BulkActionSchema>;

export const BulkRequestSchema = z.strictObject({
  /** Chosen by the caller to match `history:bulkProgressed` events; made by the main side when absent. */
  operationId: OperationIdSchema.optional(),
  target: BulkTargetSchema,
  action: BulkActionSchema,
});
export type BulkRequest = z.input<typeof BulkRequestSchema>;

export interface BulkResult {
  operationId: string;
  action: BulkActionType;
  /** Images of the target that are in the history. */
  matched: number;
  /** Images the action changed (one already a favourite, already on the board… is not counted). */
  changed: number;
  /** Explicit ids that are not in the history (deleted meanwhile). */
  missing: number;
  /** copyPrompts: the prompts in the target's order, one per line, each distinct prompt once. */
  text?: string;
  /** delete: `history:undoBulkDelete` brings the batch back until about then (ms since epoch). */
  undoUntil?: number;
}

export interface BulkUndoResult {
  operationId: string;
  /** Images back in the history. */
  restored: number;
  ids: string[];
}

/** While a bulk action runs: after each history shard written (and each chunk of files moved). */
export interface BulkProgress {
  operationId: string;
  action: BulkActionType;
  done: number;
  total: number;
}

/**
 * Sent once when a bulk action (or its undo) has changed the history, instead of one
 * `history:updated`/`history:removed`/`history:added` per image: list the current view anew.
 * `removed`: the images left the history (delete); `restored`: they came back (undo).
 */
export interface BulkUpdated {
  operationId: string;
  action: BulkActionType | 'undoDelete';
  ids: string[];
  removed: boolean;
  restored: boolean;
}

// ---- export --------------------------------------------------------------------------------------

export const EXPORT_FORMATS = ['png', 'jpeg', 'webp'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Tokens of a file-name pattern, written `{name}`: `date` YYYY-MM-DD and `time` HH-MM-SS (the
 * image's creation, this computer's clock), `seed`, `prompt` (its first 6 words; `{prompt:N}` for
 * N words, 1–30), `id`, `index` (1-based position in the export, zero-padded), `model`, `rating`,
 * `width`, `height`. Anything else is literal text. Names are made safe on every OS; duplicates get
 * `_2`, `_3`….
 */
export const EXPORT_PATTERN_TOKENS = [
  'date',
  'time',
  'seed',
  'prompt',
  'id',
  'index',
  'model',
  'rating',
  'width',
  'height',
] as const;
export const DEFAULT_EXPORT_PATTERN = '{date}_{time}_{prompt}_{seed}';
const TOKEN_RE = /\{([a-z]+)(?::(\d{1,2}))?\}/g;

/** The pattern's unknown tokens (`{foo}`), for a form to say so before the export starts. */
export function unknownPatternTokens(pattern: string): string[] {
  const bad: string[] = [];
  for (const m of pattern.matchAll(TOKEN_RE)) {
    const [whole, name, count] = m;
    const known = (EXPORT_PATTERN_TOKENS as readonly string[]).includes(name!);
    const countOk = count === undefined || (name === 'prompt' && Number(count) >= 1 && Number(count) <= 30);
    if (!known || !countOk) bad.push(whole);
  }
  return bad;
}

/**
 * Where to: a folder (created when missing; files already there are never overwritten, new names
 * are numbered) or one ZIP file (refused if it exists unless `overwrite`). Absolute paths the user
 * chose; never inside the library folder.
 */
export const ExportDestinationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('folder'), dir: z.string().min(1).max(4096) }),
  z.strictObject({
    kind: z.literal('zip'),
    file: z.string().min(1).max(4096),
    overwrite: z.boolean().default(false),
  }),
]);
export type ExportDestination = z.input<typeof ExportDestinationSchema>;

export const ExportRequestSchema = z.strictObject({
  /** Chosen by the caller to match `export:progressed`/`export:finished`; made by the main side when absent. */
  operationId: OperationIdSchema.optional(),
  /** A selection, a board (`{ kind: 'query', query: { board } }`) or a search result. */
  target: BulkTargetSchema,
  destination: ExportDestinationSchema,
  /** `png`: the library's file as stored (its embedded parameters). `jpeg`/`webp`: the A1111 text in EXIF UserComment. */
  format: z.enum(EXPORT_FORMATS).default('png'),
  /** JPEG/WebP quality. */
  quality: z.number().int().min(1).max(100).default(90),
  /** A `.txt` beside each image with its A1111 parameters text. */
  sidecar: z.boolean().default(false),
  /** A `parameters.csv` of every image exported (UTF-8 with BOM, RFC 4180 quoting). */
  csv: z.boolean().default(false),
  pattern: z.string().trim().min(1).max(200).default(DEFAULT_EXPORT_PATTERN),
});
export type ExportRequest = z.input<typeof ExportRequestSchema>;

export interface ExportStarted {
  operationId: string;
  /** Images to export. */
  total: number;
  /** The folder or ZIP file being written (absolute). */
  destination: string;
}

export interface ExportProgress {
  operationId: string;
  done: number;
  total: number;
  /** Bytes written so far. */
  bytes: number;
}

export interface ExportSkipped {
  id: string;
  error: ErrorInfo;
}

/**
 * Always sent once per export. `cancelled` and `failed` leave nothing behind: no partial ZIP (it is
 * written under a temporary name and renamed at the end), and a folder export removes the files it
 * wrote.
 */
export interface ExportFinished {
  operationId: string;
  status: 'done' | 'cancelled' | 'failed';
  destination: string;
  /** Images written (0 unless done). */
  written: number;
  total: number;
  bytes: number;
  /** Images left out (their file is missing or unreadable); the export goes on without them. */
  skipped: ExportSkipped[];
  /** Why it failed (`disk-full`, `io`, …); null otherwise. */
  error: ErrorInfo | null;
}

export const ExportChooseSchema = z.strictObject({
  kind: z.enum(['folder', 'zip']),
  /** The ZIP's suggested file name. */
  defaultName: z.string().max(200).optional(),
});
