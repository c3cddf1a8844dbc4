/**
 * Native notifications for the core's `notifications:posted` (main/notify/notifier.ts says what and
 * when; this only shows it). The focus rule lives here: while the window has focus nothing is shown
 * unless Settings say `whenFocused`. Always silent: the page plays the app's own sound when Settings
 * want one (renderer/src/notify/, both transports), so it is heard once and the same on every OS. A
 * click brings the window forward and tells the renderer (`notifications:clicked`), which opens the
 * image.
 */
import type { BrowserWindow, Notification, NotificationConstructorOptions } from 'electron';
import type { EventBus } from '../event-bus';
import { notificationText } from '../notify/words';
import type { PostedNotification } from '../../shared/queue';
import type { Language } from '../../shared/settings';

/** Notifications kept referenced at once (a notification collected by the GC loses its click). */
export const MAX_LIVE_NOTIFICATIONS = 16;

export interface NativeNotificationDeps {
  Notification: {
    new (options: NotificationConstructorOptions): Notification;
    isSupported(): boolean;
  };
  events: EventBus;
  getWindow(): BrowserWindow | null;
  /** Brings the window forward (restores, shows, focuses). */
  focusWindow(win: BrowserWindow | null): void;
  language(): Language;
  log?: (message: string, err?: unknown) => void;
}

export function showNativeNotifications(deps: NativeNotificationDeps): () => void {
  const log = deps.log ?? (() => {});
  const live: Notification[] = [];
  const forget = (note: Notification) => {
    const i = live.indexOf(note);
    if (i >= 0) live.splice(i, 1);
  };

  const show = (n: PostedNotification) => {
    const win = deps.getWindow();
    const focused = !!win && !win.isDestroyed() && win.isFocused();
    if (focused && !n.whenFocused) return;
    if (!deps.Notification.isSupported()) return;
    const { title, body } = notificationText(n, deps.language());
    const note = new deps.Notification({ title, body, silent: true });
    note.on('click', () => {
      forget(note);
      deps.focusWindow(deps.getWindow());
      deps.events.emit('notifications:clicked', { kind: n.kind, jobId: n.jobId, entryId: n.entryId });
    });
    note.on('close', () => forget(note));
    note.on('failed', (_event, error) => {
      forget(note);
      log(`notification failed: ${error}`);
    });
    live.push(note);
    if (live.length > MAX_LIVE_NOTIFICATIONS) live.shift();
    note.show();
  };

  return deps.events.subscribe((channel, payload) => {
    if (channel !== 'notifications:posted') return;
    try {
      show(payload as PostedNotification);
    } catch (err) {
      log('could not show a notification', err);
    }
  });
}
