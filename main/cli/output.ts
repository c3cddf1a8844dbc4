/** How the CLI reports events: JSON lines on stdout, or short readable lines on stderr. */
import type { ErrorInfo } from '../../shared/errors';
import type { RoutedEvent } from '../../shared/events';
import { statusWords } from './status-words';

export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

/**
 * Control characters out of every line (C0 but tab and newline, DEL, C1): a prompt or a Space's log
 * line must not move the cursor, retitle the terminal or hide text. JSON escapes C0 but not C1.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
export const stripControls = (line: string): string => line.replace(CONTROLS, '');

export function safeIo(io: CliIo): CliIo {
  return { stdout: (l) => io.stdout(stripControls(l)), stderr: (l) => io.stderr(stripControls(l)) };
}

export interface Reporter {
  event(ev: RoutedEvent): void;
  saved(info: Record<string, unknown> & { file: string }): void;
  failed(error: ErrorInfo): void;
}

export function createReporter(io: CliIo, json: boolean): Reporter {
  if (json) {
    return {
      event: (ev) => io.stdout(JSON.stringify(ev)),
      saved: (info) => io.stdout(JSON.stringify({ type: 'saved', ...info })),
      failed: (error) => {
        io.stdout(JSON.stringify({ type: 'failed', error }));
        io.stderr(`Error: ${error.message}`);
      },
    };
  }
  return {
    event: (ev) => {
      const line = describe(ev);
      if (line) io.stderr(`[${ev.providerId}] ${line}`);
    },
    saved: (info) => io.stdout(info.file),
    failed: (error) => io.stderr(`Error: ${error.message}`),
  };
}

function describe(ev: RoutedEvent): string | null {
  switch (ev.type) {
    case 'status':
      return statusWords(ev.status);
    case 'queue':
      return `In queue: ${ev.position}${ev.size !== null ? ` of ${ev.size}` : ''}${ev.eta !== null ? ` (about ${Math.ceil(ev.eta)} s)` : ''}`;
    case 'progress':
      return `Step ${ev.step}/${ev.total}`;
    case 'preview':
      return 'Preview ready';
    case 'image':
      return `Image ready${ev.seed !== null ? ` (seed ${ev.seed})` : ''}, downloading`;
    case 'error':
      return `Failed: ${ev.error.message} Trying the next provider if any.`;
  }
}
