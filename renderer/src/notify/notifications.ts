/**
 * Notifications of the web preview (issue 16): the main side posts `notifications:posted` when a job
 * finishes or fails and when the queue is done (each only when Settings allow it); the page shows
 * it with the browser's Notification API, only while the page is hidden or not focused unless the
 * user wants them always (`whenFocused`). Clicking one brings the window forward and opens the
 * image. The permission is asked once, from something the user did (turning a notification on in
 * Settings, or starting the first job). In the desktop app the main side shows native ones: the page
 * only plays the sound.
 */
import type { PostedNotification, NotificationSettings } from '../../../shared/queue';
import type { ErrorCode } from '../../../shared/errors';
import { errorText, hasOwnWords } from '../i18n/errors';
import type { I18n } from '../i18n/i18n';

/** Whether the page is where the user looks. */
export interface PageFocus {
  hidden: boolean;
  focused: boolean;
}

export function pageFocus(): PageFocus {
  return { hidden: document.visibilityState === 'hidden', focused: document.hasFocus() };
}

/** Shown (and sounded) only while the user is elsewhere, unless they want it always. */
export function shouldNotify(n: Pick<PostedNotification, 'whenFocused'>, focus: PageFocus): boolean {
  return n.whenFocused || focus.hidden || !focus.focused;
}

/** A notification's title and text in the user's language. */
export function notificationWords(i18n: I18n, n: PostedNotification): { title: string; body: string } {
  switch (n.kind) {
    case 'job-done':
      return { title: i18n.t('notify.jobDone'), body: n.prompt ?? '' };
    case 'job-failed': {
      const code = n.errorCode as ErrorCode | null;
      const why = code && hasOwnWords(code) ? errorText(i18n, { code, message: '' }) : '';
      return { title: i18n.t('notify.jobFailed'), body: [n.prompt ?? '', why].filter(Boolean).join('\n') };
    }
    default:
      return {
        title: i18n.t('notify.queueDone'),
        body: n.count && n.count > 0 ? i18n.tn('notify.queueDoneBody', n.count) : i18n.t('notify.queueDoneNone'),
      };
  }
}

export type Permission = 'granted' | 'denied' | 'default' | 'unsupported';

export function notificationPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

const ASKED_KEY = 'flux-gallery.notificationsAsked';

/** Asks for the permission (call from a user's action). Resolves with the answer. */
export async function askPermission(): Promise<Permission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  try {
    localStorage.setItem(ASKED_KEY, '1');
  } catch {
    // Only a reminder not to ask again.
  }
  try {
    return await Notification.requestPermission();
  } catch {
    return notificationPermission();
  }
}

/**
 * The first job asks, once ever, when some notification is on and the browser has not been asked
 * (from the submit: a user's action). The desktop app needs no permission.
 */
export function askOnFirstJob(transport: 'electron' | 'web', settings: NotificationSettings | undefined): void {
  if (transport !== 'web' || !settings) return;
  if (!(settings.jobDone || settings.jobFailed || settings.queueDone)) return;
  if (notificationPermission() !== 'default') return;
  try {
    if (localStorage.getItem(ASKED_KEY) === '1') return;
  } catch {
    // Without storage the browser's own answer is the memory.
  }
  void askPermission();
}

let audio: AudioContext | null = null;

/** A short soft two-note chime (no sound file: the CSP allows only the app's own). */
export function playChime(kind: PostedNotification['kind']): void {
  try {
    const Ctx = window.AudioContext;
    if (!Ctx) return;
    audio ??= new Ctx();
    const ctx = audio;
    if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
    const notes = kind === 'job-failed' ? [523.25, 392] : [659.25, 880];
    notes.forEach((freq, i) => {
      const at = ctx.currentTime + i * 0.14;
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.18, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.22);
      osc.connect(gain).connect(ctx.destination);
      osc.start(at);
      osc.stop(at + 0.24);
    });
  } catch {
    // No sound is better than an error.
  }
}

/**
 * Shows one posted notification as the browser's (web) and/or plays its sound. `open`: the image to
 * show when it is clicked.
 */
export function presentNotification(
  n: PostedNotification,
  opts: { i18n: I18n; transport: 'electron' | 'web'; focus: PageFocus; open: (entryId: string) => void },
): { shown: boolean; sounded: boolean } {
  if (!shouldNotify(n, opts.focus)) return { shown: false, sounded: false };
  if (n.sound) playChime(n.kind);
  if (opts.transport !== 'web' || notificationPermission() !== 'granted') return { shown: false, sounded: n.sound };
  const { title, body } = notificationWords(opts.i18n, n);
  try {
    const shown = new Notification(title, { body, tag: n.jobId ?? n.kind, lang: opts.i18n.language });
    shown.onclick = () => {
      window.focus();
      if (n.entryId) opts.open(n.entryId);
      shown.close();
    };
    return { shown: true, sounded: n.sound };
  } catch {
    // Some browsers allow notifications from a service worker only.
    return { shown: false, sounded: n.sound };
  }
}
