/** One running app per user: a second launch focuses the first window and exits. */
import type { App } from 'electron';

export function acquireSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>,
  onSecondInstance: () => void,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  // The second process's arguments are ignored: nothing a caller passes may steer this instance.
  app.on('second-instance', () => onSecondInstance());
  return true;
}
