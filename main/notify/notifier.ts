/**
 * The notifier (issue 16): it listens to the jobs as the core announces them (`jobs:updated`) and
 *  - posts `notifications:posted` when a job finishes (`job-done`, with the image to open), fails
 *    (`job-failed`, with the error code; never for a cancelled job) and when the whole queue is done
 *    (`queue-done`, with the count of images made since the queue last started), each only when
 *    Settings → Notifications allow it; `sound` and `whenFocused` travel with the notification;
 *  - drives the taskbar/dock through the platform: the progress bar (the mean of the running jobs'
 *    step/total, null when none runs) and the badge (the number of running jobs), each per Settings.
 *
 * Who shows a notification applies the focus rule (`whenFocused`): the desktop glue with a native
 * notification (main/electron/notifications.ts), the web preview's page with the browser's API.
 * A queue of one job that was itself notified gets no second "queue done" notification.
 */
import type { PostedNotification, NotificationSettings } from '../../shared/queue';
import { isActiveState, type JobState } from '../../shared/events';
import type { EventBus } from '../event-bus';
import type { Platform } from '../platform';
import type { PublicSettings } from '../../shared/settings';

/** Prompts are shortened to this many characters in a notification. */
export const NOTIFIED_PROMPT_CHARS = 120;

export interface NotifierOptions {
  events: EventBus;
  /** Settings → Notifications now; later changes come with `settings:changed`. */
  settings: NotificationSettings;
  platform: Pick<Platform, 'setProgress' | 'setBadge'>;
  log?: (message: string, err?: unknown) => void;
}

export interface Notifier {
  /** The taskbar's progress now (null: none shown) and badge count, as last set. */
  taskbar(): { progress: number | null; badge: number };
  /** Stops listening and clears the taskbar. */
  dispose(): void;
}

export function shortPrompt(prompt: string): string {
  const p = prompt.replace(/\s+/g, ' ').trim();
  return p.length <= NOTIFIED_PROMPT_CHARS ? p : `${p.slice(0, NOTIFIED_PROMPT_CHARS - 1).trimEnd()}…`;
}

const isRunning = (j: JobState) => j.state === 'running' || j.state === 'saving';

/** A running job's share done: saving counts as done, no progress yet as nothing. */
function fractionOf(j: JobState): number {
  if (j.state === 'saving') return 1;
  const p = j.progress;
  if (!p || !(p.total > 0)) return 0;
  return Math.min(1, Math.max(0, p.step / p.total));
}

export function createNotifier(opts: NotifierOptions): Notifier {
  const log = opts.log ?? (() => {});
  const { platform } = opts;
  /** Jobs queued, running or saving, as last announced. */
  const active = new Map<string, JobState>();
  /** Since the queue last started (went from no active job to one). */
  let stretch = { images: 0, ended: 0, ownNotified: 0 };
  let shown = { progress: null as number | null, badge: 0 };
  let settings = { ...opts.settings };

  const post = (n: Omit<PostedNotification, 'sound' | 'whenFocused'>, s: NotificationSettings) => {
    opts.events.emit('notifications:posted', { ...n, sound: s.sound, whenFocused: s.whenFocused });
  };

  const call = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      log(`notifier: ${what} failed`, err);
    }
  };

  const updateTaskbar = () => {
    const s = settings;
    const running = [...active.values()].filter(isRunning);
    const mean = running.length > 0 ? running.reduce((sum, j) => sum + fractionOf(j), 0) / running.length : null;
    // Hundredths: a Space's every step need not repaint the taskbar.
    const progress = s.taskbarProgress && mean !== null ? Math.round(mean * 100) / 100 : null;
    const badge = s.badge ? running.length : 0;
    if (progress !== shown.progress && platform.setProgress) {
      call('setProgress', () => platform.setProgress!(progress));
    }
    if (badge !== shown.badge && platform.setBadge) {
      call('setBadge', () => platform.setBadge!(badge));
    }
    shown = { progress, badge };
  };

  const onJob = (job: JobState) => {
    const was = active.get(job.id);
    if (isActiveState(job.state)) {
      if (active.size === 0) stretch = { images: 0, ended: 0, ownNotified: 0 };
      active.set(job.id, job);
      updateTaskbar();
      return;
    }
    // A job seen ending without having been seen active (restored at start, a repeat) is not news.
    if (!was) return;
    active.delete(job.id);
    const s = settings;
    if (job.state === 'done') {
      stretch.images += 1 + (job.moreEntryIds?.length ?? 0);
      stretch.ended++;
      if (s.jobDone) {
        stretch.ownNotified++;
        post(
          {
            kind: 'job-done',
            jobId: job.id,
            entryId: job.entryId,
            prompt: shortPrompt(job.params.prompt),
            count: 1 + (job.moreEntryIds?.length ?? 0),
            errorCode: null,
          },
          s,
        );
      }
    } else if (job.state === 'failed') {
      stretch.ended++;
      if (s.jobFailed) {
        stretch.ownNotified++;
        post(
          {
            kind: 'job-failed',
            jobId: job.id,
            entryId: null,
            prompt: shortPrompt(job.params.prompt),
            count: null,
            errorCode: job.error?.code ?? 'internal',
          },
          s,
        );
      }
    }
    if (active.size === 0) {
      // Only cancelled jobs: the user stopped the queue, nothing to tell. One job already told: enough.
      const worthIt = stretch.ended > 1 || (stretch.ended === 1 && stretch.ownNotified === 0);
      if (s.queueDone && worthIt) {
        post(
          { kind: 'queue-done', jobId: null, entryId: null, prompt: null, count: stretch.images, errorCode: null },
          s,
        );
      }
    }
    updateTaskbar();
  };

  const stop = opts.events.subscribe((channel, payload) => {
    if (channel === 'jobs:updated') onJob(payload as JobState);
    // Progress or badge turned off (or on): the taskbar follows at once.
    else if (channel === 'settings:changed') {
      settings = { ...(payload as PublicSettings).notifications };
      updateTaskbar();
    }
  });

  return {
    taskbar: () => ({ ...shown }),
    dispose() {
      stop();
      active.clear();
      updateTaskbar();
    },
  };
}
