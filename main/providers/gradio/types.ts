/** What the Gradio client yields: protocol-neutral events (both APIs map onto these). */
import type { SpaceConfig } from './config';
import type { HttpOptions } from './http';

export type GradioEvent =
  /** The job was accepted: what a cancel request and file URLs need. */
  | { type: 'joined'; eventId: string; apiPrefix: string }
  | { type: 'heartbeat' }
  /** `rank` is 0-based as Gradio sends it. */
  | { type: 'queue'; rank: number; queueSize: number | null; eta: number | null }
  | { type: 'starts'; eta: number | null }
  | { type: 'progress'; index: number; length: number | null; unit: string | null; desc: string | null }
  | { type: 'log'; message: string; level: string | null; title: string | null }
  /** Intermediate outputs (diffs already applied). */
  | { type: 'generating'; data: unknown[] }
  | { type: 'complete'; data: unknown[] };

export interface GradioJob {
  base: string;
  /** Idle time without any bytes (heartbeats included). */
  idleTimeoutMs: number;
  /** Time without a meaningful event (heartbeats excluded). */
  progressTimeoutMs: number;
}

/** One call of a named endpoint, on either API. */
export interface EndpointCall extends GradioJob {
  /** The Space's /config as read for this job (prefix, fn_index). */
  config: SpaceConfig;
  apiName: string;
  /** Used when /config does not list the endpoint. */
  fallbackFnIndex: number;
  data: unknown[];
  /** Sent with every request to the Space (identity headers, referer). */
  headers?: Record<string, string>;
  http: Omit<HttpOptions, 'idleTimeoutMs'>;
  /** Time allowed for the cancel request after an abort. */
  cancelTimeoutMs?: number;
}
