/**
 * The window's import (issue 18): one at a time, started here with an operation id made here (so
 * `library:importProgressed` is matched before the answer comes), its progress and its report. It
 * outlives the dialog: closing the dialog leaves the import running, a chip shows it.
 */
import type { ImportFinished, ImportProgress } from '../../../shared/import';
import type { FluxGalleryApi } from '../../../shared/contract';
import type { ImportSource } from '../../../shared/library';

export type ImportState =
  | { kind: 'idle' }
  | {
      kind: 'running';
      operationId: string;
      paths: string[];
      progress: ImportProgress | null;
      cancelling: boolean;
    }
  | { kind: 'finished'; paths: string[]; result: ImportFinished };

type Bridge = Pick<FluxGalleryApi, 'invoke' | 'on'>;

export const newImportId = (): string => `im${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

export class ImportStore {
  private state: ImportState = { kind: 'idle' };
  private readonly listeners = new Set<() => void>();
  private readonly finishedListeners = new Set<(r: ImportFinished) => void>();

  constructor(private readonly bridge: Bridge) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = (): ImportState => this.state;

  /** Told once when the import this window started ends (the toast when the dialog is closed). */
  onFinished(listener: (r: ImportFinished) => void): () => void {
    this.finishedListeners.add(listener);
    return () => this.finishedListeners.delete(listener);
  }

  /** Listens to the core's import events; returns the unsubscribe. */
  connect(): () => void {
    const offProgress = this.bridge.on('library:importProgressed', ({ operationId, ...progress }) => {
      const s = this.state;
      if (s.kind !== 'running' || s.operationId !== operationId) return;
      this.set({ ...s, progress });
    });
    const offFinished = this.bridge.on('library:importFinished', (result) => {
      const s = this.state;
      if (s.kind !== 'running' || s.operationId !== result.operationId) return;
      this.finish(s.paths, result);
    });
    return () => {
      offProgress();
      offFinished();
    };
  }

  /** Starts an import of these paths; false when one is running already. */
  start(paths: string[]): boolean {
    if (this.state.kind === 'running') return false;
    const operationId = newImportId();
    this.set({ kind: 'running', operationId, paths, progress: null, cancelling: false });
    this.bridge.invoke('library:importPaths', { paths, operationId }).catch((err: unknown) => {
      const s = this.state;
      if (s.kind !== 'running' || s.operationId !== operationId) return;
      const e = err as { code?: unknown; message?: unknown };
      this.finish(paths, {
        operationId,
        status: 'failed',
        error: {
          code: typeof e?.code === 'string' ? e.code : 'internal',
          message: typeof e?.message === 'string' ? e.message : String(err),
        },
      });
    });
    return true;
  }

  cancel(): void {
    const s = this.state;
    if (s.kind !== 'running' || s.cancelling) return;
    this.set({ ...s, cancelling: true });
    this.bridge.invoke('library:importCancel', { operationId: s.operationId }).catch(() => {});
  }

  /** Forgets a finished import (the dialog's "Import more"). */
  reset(): void {
    if (this.state.kind === 'finished') this.set({ kind: 'idle' });
  }

  private finish(paths: string[], result: ImportFinished): void {
    this.set({ kind: 'finished', paths, result });
    for (const l of [...this.finishedListeners]) l(result);
  }

  private set(state: ImportState): void {
    this.state = state;
    for (const l of [...this.listeners]) l();
  }
}

/** What a tool is called in the report. */
export const SOURCE_NAMES: Record<ImportSource, string> = {
  'flux-gallery': 'Flux Gallery',
  a1111: 'A1111 / Forge',
  fooocus: 'Fooocus',
  invokeai: 'InvokeAI',
  comfyui: 'ComfyUI',
  'draw-things': 'Draw Things',
  swarmui: 'SwarmUI',
  novelai: 'NovelAI',
};

/** Typed paths: one a line, trimmed, without blanks or repeats. */
export function parsePaths(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((l) => l.trim().replace(/^"(.*)"$/, '$1')))].filter(Boolean);
}

/** The file name of a path of any OS. */
export const baseName = (p: string): string => p.split(/[\\/]/).filter(Boolean).at(-1) ?? p;
