/** Events: what providers stream, and what the job runner tells the renderer. */
import type { ErrorInfo } from './errors';
import type { GenerationParams, ProviderId, ResolvedParams } from './params';

/**
 * What a job is doing, as a code the renderer words in each language (the CLI has its own English
 * table). `space-log` carries the Space's own words in `params.text`.
 */
export const STATUS_CODES = [
  /** Sent to the Space, waiting for it to start. */
  'sent',
  'generating',
  /** The Space is asleep, building or starting; the job waits for it (`params.stage`). */
  'space-starting',
  /** The Space's queue is full or stopped; retrying (`params.attempt`, `params.waitSeconds`). */
  'busy-retry',
  /** ZeroGPU counts this job against the visitor's IP, not the user's account. */
  'zerogpu-ip-quota',
  /** ZeroGPU said its proxy token expired. */
  'zerogpu-token-expired',
  /** The Space page carried no ZeroGPU token or could not be read (`params.reason`). */
  'zerogpu-no-page-token',
  /** Hugging Face refused the user's token for ZeroGPU; the job runs on the anonymous quota. */
  'zerogpu-token-refused',
  /** A log line from the Space, in its own words (`params.text`). */
  'space-log',
  /**
   * The Space's GPU quota ran out: the job waits and starts again by itself at `params.until` (ms
   * since epoch; the card counts down), `params.provider` naming the Space.
   */
  'quota-wait',
  /** The app closed or crashed while this job ran: it was sent again, its seed kept. */
  'resubmitted',
] as const;
export type StatusCode = (typeof STATUS_CODES)[number];

/**
 * Statuses that stay true for the rest of the job once said (the job keeps them in `notes`, so the
 * card can still say so when the job has moved on, or failed because of it).
 */
export const NOTE_STATUS_CODES: readonly StatusCode[] = ['zerogpu-token-refused', 'zerogpu-ip-quota'];

export interface JobStatus {
  code: StatusCode;
  params?: Record<string, string | number>;
}

/** One step of a provider's generation stream. */
export type ProviderEvent =
  /** A code and its parameters: the renderer words it in each language, the CLI in English. */
  | { type: 'status'; status: JobStatus }
  | { type: 'queue'; position: number; size: number | null; eta: number | null }
  | { type: 'progress'; step: number; total: number; unit?: string }
  | { type: 'preview'; url: string }
  /**
   * `resolved`: the parameters as they went on the wire (sizes after the Space's limits).
   * `bytes`: the image itself when the provider answered with it (Inference Providers); `url` then
   * only names where it came from and is not fetched. `moreUrls`: a Gallery output's other images,
   * each saved as its own entry.
   */
  | {
      type: 'image';
      url: string;
      seed: number | null;
      resolved?: ResolvedParams;
      bytes?: Uint8Array;
      moreUrls?: string[];
    }
  | { type: 'error'; error: ErrorInfo };

/** An event of a routed generation: which provider is speaking (the job runner's input). */
export type RoutedEvent = ProviderEvent & { providerId: ProviderId };

export const JOB_STATES = ['queued', 'running', 'saving', 'done', 'failed', 'cancelled'] as const;
export type JobStateName = (typeof JOB_STATES)[number];
/** States a job can still leave: it holds a slot or waits for one, and may be cancelled. */
export const ACTIVE_JOB_STATES: readonly JobStateName[] = ['queued', 'running', 'saving'];
export const isActiveState = (state: JobStateName): boolean => ACTIVE_JOB_STATES.includes(state);

/** The whole visible state of one job (one image); sent in full on every change. */
export interface JobState {
  id: string;
  /** Jobs started by one request share a batch id. */
  batchId: string;
  params: GenerationParams;
  state: JobStateName;
  /** The provider currently (or last) working on it. */
  providerId: ProviderId | null;
  /** Providers tried and failed before the current one (fallback trail). */
  failedProviders: { providerId: ProviderId; error: ErrorInfo }[];
  queue: { position: number; size: number | null; eta: number | null } | null;
  progress: { step: number; total: number } | null;
  /** What the job is doing now, as a code the renderer words (a Space's log line in `params.text`). */
  status: JobStatus | null;
  /** Statuses of NOTE_STATUS_CODES said so far (each code once, the latest kept). */
  notes: JobStatus[];
  /** Latest preview as a data: URL (remote URLs never reach the renderer). */
  previewDataUrl: string | null;
  error: ErrorInfo | null;
  /** History entry id once saved. */
  entryId: string | null;
  /** A Gallery output's other images, saved as their own entries (absent for one image). */
  moreEntryIds?: string[];
  /** A queued job waiting for a Space's GPU quota: when it starts again by itself (ms since epoch). */
  waitUntil?: number | null;
  /** Times it was sent to a provider (a job running when the app stopped is sent again once). */
  attempts?: number;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
}
