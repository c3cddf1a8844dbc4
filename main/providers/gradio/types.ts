/** What the Gradio client yields: protocol-neutral events (both APIs map onto these). */

export type GradioEvent =
  /** The job was accepted: what a cancel request and file URLs need. */
  | { kind: 'joined'; eventId: string; apiPrefix: string }
  | { kind: 'heartbeat' }
  /** `rank` is 0-based as Gradio sends it. */
  | { kind: 'queue'; rank: number; queueSize: number | null; eta: number | null }
  | { kind: 'starts'; eta: number | null }
  | { kind: 'progress'; index: number; length: number | null; unit: string | null; desc: string | null }
  | { kind: 'log'; message: string; level: string | null }
  /** Intermediate outputs (diffs already applied). */
  | { kind: 'generating'; data: unknown[] }
  | { kind: 'complete'; data: unknown[] };

export interface GradioJob {
  base: string;
  /** Random per job; the queue stream and the cancel endpoint are keyed by it. */
  sessionHash: string;
  /** Idle time without any bytes (heartbeats included). */
  idleTimeoutMs: number;
  /** Time without a meaningful event (heartbeats excluded). */
  progressTimeoutMs: number;
}
