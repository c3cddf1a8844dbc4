/**
 * A renderer that crashes or hangs must not leave a blank window: a crashed page is reloaded, up to
 * a few times a minute (a page that crashes at once would otherwise reload forever), and hangs are
 * logged. After too many crashes the user is told instead.
 */
import type { BrowserWindow, RenderProcessGoneDetails } from 'electron';

export interface CrashGuardDeps {
  reload(): void;
  /** Too many crashes in a row: say so (a native error box). */
  giveUp(message: string): void;
  log(message: string): void;
  now?: () => number;
  /** Reloads allowed within `windowMs`. Default 3 in 60 s. */
  maxReloads?: number;
  windowMs?: number;
}

export function watchRenderer(
  contents: Pick<BrowserWindow['webContents'], 'on'>,
  win: Pick<BrowserWindow, 'on'>,
  deps: CrashGuardDeps,
): void {
  const now = deps.now ?? Date.now;
  const max = deps.maxReloads ?? 3;
  const windowMs = deps.windowMs ?? 60_000;
  let reloads: number[] = [];
  contents.on('render-process-gone', (_event: unknown, details: RenderProcessGoneDetails) => {
    deps.log(`renderer gone: ${details.reason} (exit code ${details.exitCode})`);
    // A clean exit is the window closing, not a crash.
    if (details.reason === 'clean-exit') return;
    const t = now();
    reloads = reloads.filter((at) => t - at < windowMs);
    if (reloads.length >= max) {
      deps.giveUp(
        `The window crashed ${max + 1} times in a row (${details.reason}). Restart Flux Gallery; your images are safe in the library folder.`,
      );
      return;
    }
    reloads.push(t);
    deps.reload();
  });
  win.on('unresponsive', () => deps.log('renderer unresponsive'));
  win.on('responsive', () => deps.log('renderer responsive again'));
}
