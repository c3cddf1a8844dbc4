/**
 * The IPC contract: the single source of truth for channel names, argument schemas (validated at
 * runtime on the main side) and result types. Electron IPC (preload) and the WebSocket transport
 * both implement exactly this.
 */
import {
  ImportChooseSchema,
  ImportOperationIdSchema,
  ImportPathsSchema,
  type ImportFinished,
  type ImportProgressed,
  type ImportStarted,
} from './import';
import { z } from 'zod';
import type { JobState } from './events';
import {
  EntryIdSchema,
  HistoryQuerySchema,
  MAX_IMAGE_BYTES,
  type HistoryEntry,
  type HistoryPage,
  type ImportedParams,
} from './library';
import { HistoryFilterSchema, RatingSchema, type HistoryIds, type ReusedParams } from './library';
import {
  BoardCreateSchema,
  BoardIdSchema,
  BoardNameSchema,
  BulkRequestSchema,
  ExportChooseSchema,
  ExportRequestSchema,
  OperationIdSchema,
  type BoardInfo,
  type BoardsState,
  type BulkProgress,
  type BulkResult,
  type BulkUndoResult,
  type BulkUpdated,
  type ExportFinished,
  type ExportProgress,
  type ExportStarted,
} from './organise';
import {
  GenerationParamsSchema,
  LIMITS,
  ProviderIdSchema,
  type AspectRatio,
  type ModelAlias,
  type ProviderId,
} from './params';
import { SettingsPatchSchema, type PublicSettings } from './settings';
import type { ErrorInfo } from './errors';
import type { SizeLimits } from './sizes';
import {
  JobMoveSchema,
  PresetSchema,
  PromptIdSchema,
  PromptQuerySchema,
  StyleSchema,
  type PostedNotification,
  type PresetsState,
  type PromptRecord,
  type QueueState,
} from './queue';
import {
  SavedSpaceSchema,
  SpaceAddSchema,
  SpaceUpdateSchema,
  type SavedSpace,
  type SpaceInput,
  type SpaceInspection,
} from './spaces';
import type { EventChannel, InvokeChannel, SendChannel } from './channel-names';

export {
  EVENT_CHANNELS,
  INVOKE_CHANNEL_NAMES,
  IPC,
  SEND_CHANNEL_NAMES,
  isEventChannel,
  isInvokeChannel,
  isSendChannel,
  type EventChannel,
  type InvokeChannel,
  type SendChannel,
} from './channel-names';

/** A channel: its argument schema, and its result type (compile-time only). */
interface Channel<A extends z.ZodType, R> {
  args: A;
  /** Phantom: never read at runtime. */
  result?: R;
}
const channel =
  <R>() =>
  <A extends z.ZodType>(args: A): Channel<A, R> => ({ args });

const None = z.strictObject({}).optional();
const ById = z.strictObject({ id: EntryIdSchema });

export interface ProviderInfo {
  id: ProviderId;
  /** The three Spaces the app was built for, a Space the user added, or Inference Providers. */
  kind: 'builtin' | 'space' | 'inference';
  label: string;
  baseUrl: string;
  defaultBaseUrl: string;
  aliases: ModelAlias[];
  /** The API the last job used: the queue API when `/config` names the endpoint, else the call API. */
  protocol: 'call' | 'queue';
  /** Aspect presets scale to the larger of width/height. */
  defaults: { steps: number; width: number; height: number; guidance?: number };
  /** Parameters this provider uses (guidance is Dev only). */
  supportsGuidance: boolean;
  /** It takes a negative prompt (a user's Space that has one). */
  supportsNegativePrompt: boolean;
  /** Inference Providers bill the user's account: routing uses them only where the user opted in. */
  costs: boolean;
  /** A user's Space: its inputs the app has no parameter for, shown as extra controls (`params.extras`). */
  extraInputs: SpaceInput[];
  /** The Space's width/height slider (from its `/config` once read; the FLUX Spaces' 256–2048 step 32 before). */
  sizeLimits: SizeLimits;
  /** What Hugging Face last said of the Space. */
  state: SpaceState;
}

/** A Space's state as the app sees it, from Hugging Face's `runtime.stage` and the app's own jobs. */
export const SPACE_HEALTH = ['unknown', 'running', 'starting', 'sleeping', 'paused', 'broken'] as const;
export type SpaceHealth = (typeof SPACE_HEALTH)[number];
export interface SpaceState {
  health: SpaceHealth;
  /** Hugging Face's `runtime.stage` (RUNNING, SLEEPING, PAUSED, …), when read. */
  stage: string | null;
  /** When it was last read (ms since epoch), null if never. */
  checkedAt: number | null;
  /** Paused and broken Spaces are skipped by routing until the user retries them. */
  skipped: boolean;
}
export interface ModelInfo {
  alias: ModelAlias;
  providers: ProviderId[];
}

export interface AppInfo {
  name: string;
  version: string;
  /** `cli` only for the command line's own core; a window sees electron or web. */
  transport: 'electron' | 'web' | 'cli';
  platform: string;
  /** What this window can do besides the contract's basics. */
  features: {
    /** `settings:chooseLibraryDir` opens the OS folder dialog (the desktop app; not the web preview). */
    chooseFolder: boolean;
    /**
     * Saving an HF or Space URL on another origin asks, in a native dialog, whether the token may go
     * there (the desktop app). Where false, no origin can be confirmed: the token never goes there.
     */
    confirmTokenOrigin: boolean;
  };
}

/**
 * Whether the library folder is open. `unavailable`: it could not be opened (missing folder,
 * unplugged drive, read-only volume, a folder that does not answer); `error` says why (`file-missing`
 * or `io`), every history channel answers with that error, and the user may retry or choose another.
 */
export interface LibraryStatus {
  state: 'ready' | 'unavailable';
  /** The folder Settings name (the one in use when ready). */
  libraryDir: string;
  /** The folder used until the user picks another (always created when missing). */
  defaultLibraryDir: string;
  error: ErrorInfo | null;
}

export const StartJobsSchema = z.strictObject({
  params: GenerationParamsSchema,
  /** Images to make from these parameters (each its own job; seeds differ when randomized). */
  count: z.number().int().min(LIMITS.imagesPerJob.min).max(LIMITS.imagesPerJob.max).default(1),
  /** Extra prompts, one job set each, sharing the other parameters. */
  extraPrompts: z.array(z.string().trim().min(1).max(LIMITS.promptMaxLength)).max(32).optional(),
});

/** base64 of the dropped file's bytes (both transports carry it as text). */
const MAX_BASE64 = Math.ceil(MAX_IMAGE_BYTES / 3) * 4;
export const ImportImageSchema = z.strictObject({
  fileName: z.string().max(1024),
  dataBase64: z.string().min(1).max(MAX_BASE64, 'image is too large'),
});

/** Renderer → main, with a result. */
export const invokeChannels = {
  'app:info': channel<AppInfo>()(None),
  'settings:get': channel<PublicSettings>()(None),
  'settings:update': channel<PublicSettings>()(SettingsPatchSchema),
  /**
   * The OS folder dialog, to pick a library folder (`dir` null when the user cancelled); nothing is
   * saved. Refused with `forbidden` where there is no such dialog (AppInfo.features.chooseFolder).
   */
  'settings:chooseLibraryDir': channel<{ dir: string | null }>()(
    z.strictObject({ title: z.string().max(200).optional() }).optional(),
  ),
  'models:list': channel<{ models: ModelInfo[]; providers: ProviderInfo[] }>()(None),
  'jobs:start': channel<{ jobs: JobState[] }>()(StartJobsSchema),
  'jobs:cancel': channel<{ cancelled: boolean }>()(z.strictObject({ jobId: z.string().min(1).max(64) })),
  'jobs:cancelAll': channel<{ cancelled: number }>()(None),
  'jobs:list': channel<{ jobs: JobState[] }>()(None),
  'history:query': channel<HistoryPage>()(HistoryQuerySchema),
  'history:get': channel<HistoryEntry>()(ById),
  /** Moves the image aside; `history:undoDelete` brings it back until it is purged to the trash. */
  'history:delete': channel<{ id: string }>()(ById),
  'history:undoDelete': channel<HistoryEntry>()(ById),
  'history:setFavourite': channel<HistoryEntry>()(z.strictObject({ id: EntryIdSchema, favourite: z.boolean() })),
  'history:reveal': channel<{ revealed: boolean }>()(ById),
  'history:copyImage': channel<{ copied: boolean }>()(ById),
  /** The parameters to generate this image again (seed locked to the one used). */
  'history:reuse': channel<ReusedParams>()(ById),
  'image:import': channel<ImportedParams>()(ImportImageSchema),
  /** Asks Hugging Face for every provider's Space state now. */
  'providers:check': channel<{ providers: ProviderInfo[] }>()(None),
  /** Routing tries a paused or broken Space again (after its state is read anew). */
  'providers:retry': channel<ProviderInfo>()(z.strictObject({ id: ProviderIdSchema })),
  /** Whether the library folder is open, and why not. */
  'library:status': channel<LibraryStatus>()(None),
  /** Tries to open the library folder Settings name again (after the drive is back, say). */
  'library:retry': channel<LibraryStatus>()(None),
  /**
   * Reads a Gradio Space's /config and /info (a Space id, its Hugging Face page, a `*.hf.space` or
   * local URL): its text-to-image endpoints and the proposed mapping. Nothing is saved.
   */
  'spaces:inspect': channel<SpaceInspection>()(z.strictObject({ url: SpaceAddSchema.shape.url })),
  /** Inspects again and saves the Space as a provider (`space:owner/name`); refused in words when it cannot be used. */
  'spaces:add': channel<SavedSpace>()(SpaceAddSchema),
  /** Renames a saved Space, changes its aliases or its mapping. */
  'spaces:update': channel<SavedSpace>()(SpaceUpdateSchema),
  'spaces:remove': channel<{ removed: boolean }>()(z.strictObject({ id: SavedSpaceSchema.shape.id })),
  /** No queued job starts until `jobs:resume`; running ones finish. Kept across restarts. */
  'jobs:pause': channel<QueueState>()(None),
  'jobs:resume': channel<QueueState>()(None),
  'jobs:queueState': channel<QueueState>()(None),
  /** Moves a queued job up, down or to the front (runs next); the queue's new order. */
  'jobs:move': channel<{ jobs: JobState[] }>()(JobMoveSchema),
  /** A failed or cancelled job again (a new job, same parameters). */
  'jobs:retry': channel<{ jobs: JobState[] }>()(z.strictObject({ jobId: z.string().min(1).max(64) })),
  /** Every failed job again. */
  'jobs:retryFailed': channel<{ jobs: JobState[] }>()(None),
  /** The prompts submitted so far (failed and cancelled jobs too), pinned first, then newest. */
  'prompts:list': channel<{ items: PromptRecord[] }>()(PromptQuerySchema),
  'prompts:pin': channel<PromptRecord>()(PromptIdSchema.extend({ pinned: z.boolean() })),
  'prompts:delete': channel<{ deleted: boolean }>()(PromptIdSchema),
  /** Forgets every prompt (the pinned ones too unless `keepPinned`). */
  'prompts:clear': channel<{ cleared: number }>()(z.strictObject({ keepPinned: z.boolean().default(true) }).optional()),
  'presets:list': channel<PresetsState>()(None),
  /** Saves a preset (a preset of the same name is replaced). */
  'presets:save': channel<PresetsState>()(PresetSchema),
  'presets:delete': channel<PresetsState>()(z.strictObject({ name: PresetSchema.shape.name })),
  'styles:save': channel<PresetsState>()(StyleSchema),
  'styles:delete': channel<PresetsState>()(z.strictObject({ name: StyleSchema.shape.name })),
  /** Presets and styles as a JSON file's text (PresetsFileSchema). */
  'presets:export': channel<{ json: string }>()(None),
  /** Reads such a file: its presets and styles added, same names replaced. */
  'presets:import': channel<PresetsState & { added: number; replaced: number }>()(
    z.strictObject({ json: z.string().min(2).max(2_000_000) }),
  ),
  // ---- organise (issue 17; shared/organise.ts) ----
  /** 0–5 stars (0 removes the rating); `history:updated` follows. */
  'history:setRating': channel<HistoryEntry>()(z.strictObject({ id: EntryIdSchema, rating: RatingSchema })),
  /** Every id the filter shows, in its order (Ctrl+A: everything, not only what is loaded). */
  'history:listIds': channel<HistoryIds>()(HistoryFilterSchema),
  /**
   * One action on a target (ids, or a filter minus some ids) as one library operation: one write per
   * history shard, `history:bulkProgressed` while it runs, one `history:bulkUpdated` at the end.
   */
  'history:bulk': channel<BulkResult>()(BulkRequestSchema),
  /** Brings a bulk delete's whole batch back until it is purged to the OS trash (`not-found` after). */
  'history:undoBulkDelete': channel<BulkUndoResult>()(z.strictObject({ operationId: OperationIdSchema })),
  'boards:list': channel<BoardsState>()(None),
  /** A name already used (case ignored) is refused (`invalid-argument`). */
  'boards:create': channel<BoardInfo>()(BoardCreateSchema),
  'boards:rename': channel<BoardInfo>()(z.strictObject({ id: BoardIdSchema, name: BoardNameSchema })),
  /** New images saved by jobs go on this board too. */
  'boards:setAutoAdd': channel<BoardInfo>()(z.strictObject({ id: BoardIdSchema, autoAdd: z.boolean() })),
  /** The board goes; its images stay (in the history and on their other boards). */
  'boards:delete': channel<{ deleted: boolean }>()(z.strictObject({ id: BoardIdSchema })),
  /** Starts an export; `export:progressed` while it runs, `export:finished` once at the end. */
  'export:start': channel<ExportStarted>()(ExportRequestSchema),
  /** Stops an export: nothing it wrote is left behind. False when it is not running. */
  'export:cancel': channel<{ cancelled: boolean }>()(z.strictObject({ operationId: OperationIdSchema })),
  /**
   * The OS dialog for an export's folder or ZIP file (`path` null when cancelled). Refused with
   * `forbidden` where there is no such dialog (AppInfo.features.chooseFolder false): type the path.
   */
  'export:chooseDestination': channel<{ path: string | null }>()(ExportChooseSchema),
  /**
   * Issue 18: imports files and folders (recursive) into the library in the background;
   * `library:importProgressed` while it runs, `library:importFinished` once with the per-file report.
   */
  'library:importPaths': channel<ImportStarted>()(ImportPathsSchema),
  /** Stops an import: what was imported stays, nothing is half-written. False when not running. */
  'library:importCancel': channel<{ cancelled: boolean }>()(z.strictObject({ operationId: ImportOperationIdSchema })),
  /**
   * "Import images…": the OS open dialog for image files or folders (several at once); no paths when
   * the user cancelled. `forbidden` where there is no such dialog (AppInfo.features.chooseFolder
   * false, the web preview): type the paths instead.
   */
  'library:chooseImportPaths': channel<{ paths: string[] }>()(ImportChooseSchema),
} as const satisfies Record<InvokeChannel, Channel<z.ZodType, unknown>>;

/** Renderer → main, fire and forget (must run inside the DOM event, e.g. dragstart). */
export const sendChannels = {
  'drag:start': ById,
} as const satisfies Record<SendChannel, z.ZodType>;

/** Main → renderer. */
export interface EventPayloads extends Record<EventChannel, unknown> {
  'jobs:updated': JobState;
  /** A bulk action's progress (after each shard written). */
  'history:bulkProgressed': BulkProgress;
  /** A bulk action (or its undo) changed these images: list the view anew (no per-image events). */
  'history:bulkUpdated': BulkUpdated;
  /** Boards or their counts changed. */
  'boards:changed': BoardsState;
  'export:progressed': ExportProgress;
  /** Once per export: done, cancelled or failed (nothing left behind then). */
  'export:finished': ExportFinished;
  /** An import's count, rate and time left (at most ~10 a second). */
  'library:importProgressed': ImportProgressed;
  /** Once per import: done or cancelled with the per-file report, or failed. */
  'library:importFinished': ImportFinished;
  'history:added': HistoryEntry;
  'history:updated': HistoryEntry;
  'history:removed': { id: string };
  'settings:changed': PublicSettings;
  /** The library folder in use changed (sent once the new one is open): every view lists it anew. */
  'library:switched': { libraryDir: string };
  /** A provider's Space state or limits changed. */
  'providers:changed': { providers: ProviderInfo[] };
  /** The library folder became available or unavailable. */
  'library:statusChanged': LibraryStatus;
  /** Paused or resumed, a Space's quota wait began or ended, the number of active jobs changed. */
  'jobs:queueChanged': QueueState;
  /** A job finished or failed, or the queue emptied (Settings say which are notified). */
  'notifications:posted': PostedNotification;
  /**
   * The user clicked a native notification (the desktop app; the window is brought forward first):
   * the renderer opens `entryId`'s image when there is one.
   */
  'notifications:clicked': Pick<PostedNotification, 'kind' | 'jobId' | 'entryId'>;
  /** The desktop app's menu asked the window for one of its commands (File → Import Images…). */
  'menu:invoked': { command: 'importImages' };
}

export type InvokeArgs<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['args']>;
export type InvokeParsedArgs<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['args']>;
export type InvokeResult<C extends InvokeChannel> = NonNullable<(typeof invokeChannels)[C]['result']>;
export type SendArgs<C extends SendChannel> = z.input<(typeof sendChannels)[C]>;

export { asBridgeFailure, toBridgeFailure, unwrapEnvelope, type BridgeFailure, type Envelope } from './envelope';

export type MediaKind = 'image' | 'thumb';

/** What the preload (or the WebSocket client) exposes to the renderer as `window.fluxGallery`. */
export interface FluxGalleryApi {
  /** Rejects with a `BridgeFailure` (shared/envelope.ts) on every transport. */
  invoke<C extends InvokeChannel>(channel: C, args: InvokeArgs<C>): Promise<InvokeResult<C>>;
  send<C extends SendChannel>(channel: C, args: SendArgs<C>): void;
  on<E extends EventChannel>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
  /** URL the renderer may put in <img src>: served by the main side from the library, by id. */
  mediaUrl(kind: MediaKind, id: string): string;
  /**
   * The desktop app only (Electron's `webUtils.getPathForFile`): where a dropped file or folder is on
   * disk, or null when it has none (made in the page). Absent in the web preview: a browser never
   * tells a page where a dropped file is. The path is checked on the main side like any other.
   */
  pathForFile?(file: File): string | null;
  readonly transport: 'electron' | 'web';
}

export type { AspectRatio };
