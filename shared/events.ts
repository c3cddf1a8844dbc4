/** Events: what providers stream, and what the job runner tells the renderer. */
import type { ErrorInfo } from './errors';
import type { GenerationParams, ProviderId } from './params';

/** One step of a provider's generation stream. */
export type ProviderEvent =
  | { type: 'status'; message: string }
  | { type: 'queue'; position: number; size: number | null; eta: number | null }
  | { type: 'progress'; step: number; total: number; unit?: string }
  | { type: 'preview'; url: string }
  | { type: 'image'; url: string; seed: number | null }
  | { type: 'error'; error: ErrorInfo };

export const JOB_STATES = ['queued', 'running', 'saving', 'done', 'failed', 'cancelled'] as const;
export type JobStateName = (typeof JOB_STATES)[number];

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
  /** Last status/log line from the Space. */
  statusText: string | null;
  /** Latest preview as a data: URL (remote URLs never reach the renderer). */
  previewDataUrl: string | null;
  error: ErrorInfo | null;
  /** History entry id once saved. */
  entryId: string | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
}
