/**
 * The desktop glue for notifications and the taskbar, with stand-ins for Electron's objects (the
 * binary cannot run here): the focus rule, sound, click → window forward + `notifications:clicked`,
 * the words per language, setProgressBar and the badge.
 */
import { EventEmitter } from 'node:events';
import type { App, BrowserWindow, Notification, NotificationConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createElectronPlatform } from '../../main/electron/electron-platform';
import { MAX_LIVE_NOTIFICATIONS, showNativeNotifications } from '../../main/electron/notifications';
import { createEventBus } from '../../main/event-bus';
import { notificationText } from '../../main/notify/words';
import type { PostedNotification } from '../../shared/queue';
import type { Language } from '../../shared/settings';

class FakeNotification extends EventEmitter {
  static supported = true;
  static made: FakeNotification[] = [];
  static isSupported = () => FakeNotification.supported;
  shown = false;
  constructor(readonly options: NotificationConstructorOptions) {
    super();
    FakeNotification.made.push(this);
  }
  show() {
    this.shown = true;
  }
}

function fakeWindow(focused: boolean) {
  return {
    focused,
    destroyed: false,
    progress: [] as number[],
    isFocused() {
      return this.focused;
    },
    isDestroyed() {
      return this.destroyed;
    },
    setProgressBar(p: number) {
      this.progress.push(p);
    },
  };
}

const posted = (n: Partial<PostedNotification> = {}): PostedNotification => ({
  kind: 'job-done',
  jobId: 'job-1',
  entryId: 'entry-1',
  prompt: 'a red fox',
  count: 1,
  errorCode: null,
  sound: false,
  whenFocused: false,
  ...n,
});

function setup(focused: boolean, language: Language = 'en') {
  FakeNotification.made = [];
  FakeNotification.supported = true;
  const events = createEventBus();
  const clicked: unknown[] = [];
  events.subscribe((channel, payload) => {
    if (channel === 'notifications:clicked') clicked.push(payload);
  });
  const win = fakeWindow(focused);
  const focusWindow = vi.fn();
  const stop = showNativeNotifications({
    Notification: FakeNotification as unknown as {
      new (o: NotificationConstructorOptions): Notification;
      isSupported(): boolean;
    },
    events,
    getWindow: () => win as unknown as BrowserWindow,
    focusWindow,
    language: () => language,
  });
  return {
    events,
    win,
    focusWindow,
    clicked,
    stop,
    post: (n: PostedNotification) => events.emit('notifications:posted', n),
  };
}

describe('native notifications', () => {
  it('shows one while the window is in the background, silent (the page plays the sound)', () => {
    const { post } = setup(false);
    post(posted());
    post(posted({ kind: 'job-failed', entryId: null, errorCode: 'quota', sound: true }));
    const [done, failed] = FakeNotification.made;
    expect(done!.shown).toBe(true);
    expect(done!.options).toEqual({ title: 'Image ready', body: 'a red fox', silent: true });
    expect(failed!.options).toEqual({
      title: 'Image failed',
      body: 'The GPU quota is used up.\na red fox',
      silent: true,
    });
  });

  it('shows nothing while the window has focus, unless Settings want it', () => {
    const { post } = setup(true);
    post(posted());
    expect(FakeNotification.made).toHaveLength(0);
    post(posted({ whenFocused: true }));
    expect(FakeNotification.made).toHaveLength(1);
  });

  it('a click brings the window forward and asks the renderer to open the image', () => {
    const { post, focusWindow, clicked, win } = setup(false);
    post(posted());
    FakeNotification.made[0]!.emit('click');
    expect(focusWindow).toHaveBeenCalledWith(win);
    expect(clicked).toEqual([{ kind: 'job-done', jobId: 'job-1', entryId: 'entry-1' }]);
  });

  it('shows nothing where the OS has no notifications, and stops when told', () => {
    const a = setup(false);
    FakeNotification.supported = false;
    a.post(posted());
    expect(FakeNotification.made).toHaveLength(0);
    FakeNotification.supported = true;
    a.stop();
    a.post(posted());
    expect(FakeNotification.made).toHaveLength(0);
  });

  it('keeps a bounded number of notifications referenced', () => {
    const { post } = setup(false);
    for (let i = 0; i < MAX_LIVE_NOTIFICATIONS + 5; i++) post(posted({ jobId: `j${i}` }));
    expect(FakeNotification.made).toHaveLength(MAX_LIVE_NOTIFICATIONS + 5);
    // The newest still answers a click.
    FakeNotification.made.at(-1)!.emit('click');
  });

  it('words the queue in each language', () => {
    const q = (count: number) => posted({ kind: 'queue-done', jobId: null, entryId: null, prompt: null, count });
    expect(notificationText(q(3), 'en')).toEqual({ title: 'Queue finished', body: '3 images made.' });
    expect(notificationText(q(1), 'en').body).toBe('1 image made.');
    expect(notificationText(q(0), 'en').body).toBe('No images were made.');
    expect(notificationText(q(1), 'ru')).toEqual({ title: 'Очередь завершена', body: 'Создано 1 изображение.' });
    expect(notificationText(q(3), 'ru').body).toBe('Создано 3 изображения.');
    expect(notificationText(q(11), 'ru').body).toBe('Создано 11 изображений.');
    expect(notificationText(q(21), 'ru').body).toBe('Создано 21 изображение.');
    expect(notificationText(posted(), 'ru')).toEqual({ title: 'Изображение готово', body: 'a red fox' });
    expect(notificationText(posted({ kind: 'job-failed', errorCode: 'http' }), 'en')).toEqual({
      title: 'Image failed',
      body: 'a red fox',
    });
  });
});

describe('taskbar progress and badge (Electron platform)', () => {
  const platformWith = (win: ReturnType<typeof fakeWindow> | null, app?: Pick<App, 'setBadgeCount'>) =>
    createElectronPlatform({
      shell: { trashItem: async () => {}, showItemInFolder: () => {} },
      clipboard: { write: async () => {} },
      ClipboardItem: class {} as unknown as new (items: Record<string, Blob>) => Electron.ClipboardItem,
      nativeImage: { createFromPath: vi.fn(), createFromDataURL: vi.fn() } as never,
      getWebContents: () => null,
      getWindow: () => win as unknown as BrowserWindow | null,
      ...(app ? { app } : {}),
    });

  it("sets the window's progress bar, and removes it with null", () => {
    const win = fakeWindow(false);
    const p = platformWith(win);
    p.setProgress!(0.25);
    p.setProgress!(1.5);
    p.setProgress!(null);
    expect(win.progress).toEqual([0.25, 1, -1]);
    win.destroyed = true;
    p.setProgress!(0.5);
    expect(win.progress).toHaveLength(3);
    expect(() => platformWith(null).setProgress!(0.5)).not.toThrow();
  });

  it('sets the badge count where the app is given', () => {
    const app = { setBadgeCount: vi.fn(() => true) };
    const p = platformWith(fakeWindow(false), app);
    p.setBadge!(2);
    p.setBadge!(0);
    expect(app.setBadgeCount.mock.calls).toEqual([[2], [0]]);
    expect(platformWith(fakeWindow(false)).setBadge).toBeUndefined();
  });
});
