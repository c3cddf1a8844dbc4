/**
 * The queue beyond one run of the app (issue 16): its state (paused, Spaces waiting for their GPU
 * quota), prompt history, presets and styles, notifications. Types and schemas only; the services
 * are in main/jobs/ (queue), main/prompts/ (prompt history, presets, styles) and main/notify/.
 */
import { z } from 'zod';
import { ASPECT_RATIO_KEYS, LIMITS, MODEL_ALIASES, type ProviderId } from './constants';
import { GenerationParamsSchema, ProviderIdSchema, type GenerationParams } from './params';

/** The whole queue's state (`jobs:queueState`, event `jobs:queueChanged`). */
export interface QueueState {
  /** No queued job starts while paused; running ones finish. */
  paused: boolean;
  /** Spaces whose GPU quota ran out, and when it has room again (ms since epoch). */
  quotaWaits: { providerId: ProviderId; until: number }[];
  /** Jobs queued, running or saving now. */
  active: number;
}

export const JobMoveSchema = z.strictObject({
  jobId: z.string().min(1).max(64),
  /** `front`: runs next. */
  to: z.enum(['up', 'down', 'front']),
});

/** A prompt the user submitted (failed and cancelled jobs too), newest first. */
export interface PromptRecord {
  id: string;
  prompt: string;
  /** The parameters it was submitted with (seed as asked). */
  params: GenerationParams;
  /** Last submitted (ms since epoch). */
  at: number;
  /** How many times it was submitted. */
  uses: number;
  pinned: boolean;
}

/** The last prompts kept (pinned ones are kept beyond it). */
export const MAX_PROMPT_HISTORY = 500;

export const PromptQuerySchema = z.strictObject({
  /** Words that must all appear (case-insensitive). */
  text: z.string().max(500).optional(),
  limit: z.number().int().min(1).max(MAX_PROMPT_HISTORY).default(100),
});

export const PromptIdSchema = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/) });

const name = z
  .string()
  .trim()
  .min(1, 'a name is needed')
  .max(80, 'names are at most 80 characters')
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'names have no control characters');

/** Parameters a preset keeps: everything but the prompt (and the seed only when it is fixed). */
export const PresetSchema = z.strictObject({
  name,
  model: z.enum(MODEL_ALIASES).optional(),
  provider: ProviderIdSchema.optional(),
  aspectRatio: z.enum(ASPECT_RATIO_KEYS).optional(),
  width: GenerationParamsSchema.shape.width,
  height: GenerationParamsSchema.shape.height,
  steps: GenerationParamsSchema.shape.steps,
  guidance: GenerationParamsSchema.shape.guidance,
  /** Seed mode: random, or this fixed seed. */
  randomizeSeed: z.boolean().optional(),
  seed: z.number().int().min(LIMITS.seed.min).max(LIMITS.seed.max).optional(),
  negativePrompt: GenerationParamsSchema.shape.negativePrompt,
  /** A style applied with it. */
  style: name.optional(),
});
export type Preset = z.output<typeof PresetSchema>;

/** A named prompt snippet: `{prompt}` in the template is the user's prompt (`cinematic photo of {prompt}, 35mm`). */
export const StyleSchema = z.strictObject({
  name,
  template: z
    .string()
    .max(LIMITS.promptMaxLength)
    .refine((t) => t.includes('{prompt}'), 'the template must contain {prompt}'),
  /** Added to the negative prompt, for Spaces that take one. */
  negativePrompt: z.string().max(LIMITS.promptMaxLength).optional(),
});
export type Style = z.output<typeof StyleSchema>;

export const MAX_PRESETS = 200;
export const MAX_STYLES = 200;

/** What `presets:export` writes and `presets:import` reads. */
export const PresetsFileSchema = z.strictObject({
  app: z.literal('flux-gallery'),
  kind: z.literal('presets'),
  v: z.literal(1),
  presets: z.array(PresetSchema).max(MAX_PRESETS).default([]),
  styles: z.array(StyleSchema).max(MAX_STYLES).default([]),
});
export type PresetsFile = z.output<typeof PresetsFileSchema>;

export interface PresetsState {
  presets: Preset[];
  styles: Style[];
}

/** What may be notified, each can be turned off in Settings. */
export const NOTIFICATION_KINDS = ['job-done', 'job-failed', 'queue-done'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Event `notifications:posted`: the desktop shows it natively, the web preview with the browser's API. */
export interface PostedNotification {
  kind: NotificationKind;
  jobId: string | null;
  /** The image to open when the notification is clicked. */
  entryId: string | null;
  /** The prompt (shortened) for done/failed; the count of images for queue-done. */
  prompt: string | null;
  count: number | null;
  /** The error code for job-failed. */
  errorCode: string | null;
  /** Play the sound (Settings). */
  sound: boolean;
  /** Show even while the window has focus (Settings). */
  whenFocused: boolean;
}

export interface NotificationSettings {
  jobDone: boolean;
  jobFailed: boolean;
  queueDone: boolean;
  sound: boolean;
  /** Notify while the window is focused too (off: only when the app is in the background). */
  whenFocused: boolean;
  /** Taskbar/dock progress bar and the badge with the number of running jobs. */
  taskbarProgress: boolean;
  badge: boolean;
}

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  jobDone: true,
  jobFailed: true,
  queueDone: true,
  sound: false,
  whenFocused: false,
  taskbarProgress: true,
  badge: true,
};

export const NotificationSettingsPatchSchema = z
  .strictObject({
    jobDone: z.boolean(),
    jobFailed: z.boolean(),
    queueDone: z.boolean(),
    sound: z.boolean(),
    whenFocused: z.boolean(),
    taskbarProgress: z.boolean(),
    badge: z.boolean(),
  })
  .partial();
