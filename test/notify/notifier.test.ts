/** The notifier: what it posts for jobs and the queue (per Settings), and the taskbar through a mock platform. */
import { describe, expect, it, vi } from 'vitest';
import { createEventBus } from '../../main/event-bus';
import { createNotifier, NOTIFIED_PROMPT_CHARS } from '../../main/notify/notifier';
import type { JobState, JobStateName } from '../../shared/events';
import { GenerationParamsSchema } from '../../shared/params';
import { DEFAULT_NOTIFICATION_SETTINGS, type NotificationSettings, type PostedNotification } from '../../shared/queue';
import type { PublicSettings } from '../../shared/settings';

function job(id: string, state: JobStateName, extra: Partial<JobState> = {}): JobState {
  return {
    id,
    batchId: 'b',
    params: GenerationParamsSchema.parse({ prompt: `prompt of ${id}` }),
    state,
    providerId: null,
    failedProviders: [],
    queue: null,
    progress: null,
    status: null,
    notes: [],
    previewDataUrl: null,
    error: null,
    entryId: null,
    createdAt: 0,
    startedAt: null,
    endedAt: null,
    ...extra,
  };
}

function setup(settings: Partial<NotificationSettings> = {}, withPlatform = true) {
  const events = createEventBus((err) => {
    throw err;
  });
  const posted: PostedNotification[] = [];
  events.subscribe((channel, payload) => {
    if (channel === 'notifications:posted') posted.push(payload as PostedNotification);
  });
  const platform = withPlatform
    ? { setProgress: vi.fn<(f: number | null) => void>(), setBadge: vi.fn<(n: number) => void>() }
    : {};
  const notifier = createNotifier({
    events,
    settings: { ...DEFAULT_NOTIFICATION_SETTINGS, ...settings },
    platform,
    log: () => {},
  });
  const update = (j: JobState) => events.emit('jobs:updated', j);
  const changeSettings = (n: Partial<NotificationSettings>) =>
    events.emit('settings:changed', {
      notifications: { ...DEFAULT_NOTIFICATION_SETTINGS, ...settings, ...n },
    } as PublicSettings);
  return {
    posted,
    platform: platform as { setProgress: ReturnType<typeof vi.fn>; setBadge: ReturnType<typeof vi.fn> },
    notifier,
    update,
    changeSettings,
  };
}

describe('notifier', () => {
  it('posts a finished job with its image, and a failed one with its error code', () => {
    const { posted, update } = setup({ sound: true });
    update(job('a', 'queued'));
    update(job('b', 'queued'));
    update(job('a', 'running'));
    update(job('a', 'done', { entryId: 'entry-a', moreEntryIds: ['entry-a2'] }));
    update(job('b', 'running'));
    update(job('b', 'failed', { error: { code: 'quota', message: 'out of GPU time' } }));
    expect(posted).toEqual([
      {
        kind: 'job-done',
        jobId: 'a',
        entryId: 'entry-a',
        prompt: 'prompt of a',
        count: 2,
        errorCode: null,
        sound: true,
        whenFocused: false,
      },
      {
        kind: 'job-failed',
        jobId: 'b',
        entryId: null,
        prompt: 'prompt of b',
        count: null,
        errorCode: 'quota',
        sound: true,
        whenFocused: false,
      },
      {
        kind: 'queue-done',
        jobId: null,
        entryId: null,
        prompt: null,
        count: 2,
        errorCode: null,
        sound: true,
        whenFocused: false,
      },
    ]);
  });

  it('says nothing for a cancelled job, nor for a queue that was cancelled', () => {
    const { posted, update } = setup();
    update(job('a', 'queued'));
    update(job('b', 'queued'));
    update(job('a', 'cancelled'));
    update(job('b', 'cancelled'));
    expect(posted).toEqual([]);
  });

  it('counts the images since the queue last started', () => {
    const { posted, update } = setup({ jobDone: false });
    update(job('a', 'queued'));
    update(job('a', 'done', { entryId: 'e1' }));
    // A queue of one job: queue-done tells of it, since job-done is off.
    expect(posted.map((p) => [p.kind, p.count])).toEqual([['queue-done', 1]]);
    for (const id of ['b', 'c', 'd']) update(job(id, 'queued'));
    update(job('b', 'done', { entryId: 'e2' }));
    update(job('c', 'cancelled'));
    update(job('d', 'done', { entryId: 'e3' }));
    expect(posted.map((p) => [p.kind, p.count])).toEqual([
      ['queue-done', 1],
      ['queue-done', 2],
    ]);
  });

  it('a queue of one job already notified gets no second notification', () => {
    const { posted, update } = setup();
    update(job('a', 'queued'));
    update(job('a', 'running'));
    update(job('a', 'done', { entryId: 'e' }));
    expect(posted.map((p) => p.kind)).toEqual(['job-done']);
  });

  it('posts only what Settings allow, and follows their changes', () => {
    const { posted, update, changeSettings } = setup({ jobDone: false, jobFailed: false, queueDone: false });
    update(job('a', 'queued'));
    update(job('b', 'queued'));
    update(job('a', 'done', { entryId: 'e' }));
    update(job('b', 'failed', { error: { code: 'timeout', message: 't' } }));
    expect(posted).toEqual([]);
    changeSettings({ jobFailed: true, whenFocused: true });
    update(job('c', 'queued'));
    update(job('c', 'failed', { error: { code: 'timeout', message: 't' } }));
    update(job('d', 'queued'));
    update(job('d', 'done', { entryId: 'e2' }));
    expect(posted.map((p) => [p.kind, p.jobId, p.whenFocused])).toEqual([['job-failed', 'c', true]]);
  });

  it('ignores a job that ends without having been seen running (restored at start)', () => {
    const { posted, update } = setup();
    update(job('old', 'failed', { error: { code: 'interrupted', message: 'i' } }));
    update(job('old2', 'done', { entryId: 'e' }));
    expect(posted).toEqual([]);
  });

  it('shortens a long prompt', () => {
    const { posted, update } = setup();
    const long = GenerationParamsSchema.parse({ prompt: `${'word '.repeat(100)}end` });
    update(job('a', 'queued', { params: long }));
    update(job('a', 'done', { params: long, entryId: 'e' }));
    expect(posted[0]!.prompt!.length).toBeLessThanOrEqual(NOTIFIED_PROMPT_CHARS);
    expect(posted[0]!.prompt!.endsWith('…')).toBe(true);
  });

  it("drives the taskbar: the running jobs' mean progress and their number", () => {
    const { platform, update, notifier } = setup();
    update(job('a', 'queued'));
    update(job('b', 'queued'));
    // Queued only: nothing runs, nothing shown.
    expect(platform.setProgress).not.toHaveBeenCalled();
    expect(platform.setBadge).not.toHaveBeenCalled();
    update(job('a', 'running'));
    expect(platform.setProgress).toHaveBeenLastCalledWith(0);
    expect(platform.setBadge).toHaveBeenLastCalledWith(1);
    update(job('a', 'running', { progress: { step: 2, total: 4 } }));
    expect(platform.setProgress).toHaveBeenLastCalledWith(0.5);
    update(job('b', 'running', { progress: { step: 1, total: 4 } }));
    expect(platform.setProgress).toHaveBeenLastCalledWith(0.38);
    expect(platform.setBadge).toHaveBeenLastCalledWith(2);
    update(job('a', 'saving'));
    expect(platform.setProgress).toHaveBeenLastCalledWith(0.63);
    update(job('a', 'done', { entryId: 'e' }));
    expect(platform.setProgress).toHaveBeenLastCalledWith(0.25);
    expect(platform.setBadge).toHaveBeenLastCalledWith(1);
    update(job('b', 'failed', { error: { code: 'timeout', message: 't' } }));
    expect(platform.setProgress).toHaveBeenLastCalledWith(null);
    expect(platform.setBadge).toHaveBeenLastCalledWith(0);
    expect(notifier.taskbar()).toEqual({ progress: null, badge: 0 });
  });

  it('calls the platform only when a value changes', () => {
    const { platform, update } = setup();
    update(job('a', 'queued'));
    update(job('a', 'running', { progress: { step: 1, total: 3 } }));
    update(job('a', 'running', { progress: { step: 1, total: 3 } }));
    update(job('a', 'running', { progress: { step: 1, total: 3 }, status: { code: 'generating' } }));
    expect(platform.setProgress).toHaveBeenCalledTimes(1);
    expect(platform.setBadge).toHaveBeenCalledTimes(1);
  });

  it('the progress bar and the badge each follow their setting', () => {
    const { platform, update, changeSettings, notifier } = setup({ badge: false });
    update(job('a', 'queued'));
    update(job('a', 'running', { progress: { step: 1, total: 2 } }));
    expect(platform.setProgress).toHaveBeenLastCalledWith(0.5);
    expect(platform.setBadge).not.toHaveBeenCalled();
    changeSettings({ badge: true });
    expect(platform.setBadge).toHaveBeenLastCalledWith(1);
    changeSettings({ badge: true, taskbarProgress: false });
    expect(platform.setProgress).toHaveBeenLastCalledWith(null);
    expect(notifier.taskbar()).toEqual({ progress: null, badge: 1 });
    notifier.dispose();
    expect(platform.setBadge).toHaveBeenLastCalledWith(0);
  });

  it('works without a desktop (no taskbar methods)', () => {
    const { posted, update } = setup({}, false);
    update(job('a', 'queued'));
    update(job('a', 'running', { progress: { step: 1, total: 2 } }));
    update(job('a', 'done', { entryId: 'e' }));
    expect(posted.map((p) => p.kind)).toEqual(['job-done']);
  });

  it('clears the taskbar when disposed, and then hears nothing', () => {
    const { platform, posted, update, notifier } = setup();
    update(job('a', 'queued'));
    update(job('a', 'running'));
    notifier.dispose();
    expect(platform.setProgress).toHaveBeenLastCalledWith(null);
    expect(platform.setBadge).toHaveBeenLastCalledWith(0);
    update(job('a', 'done', { entryId: 'e' }));
    expect(posted).toEqual([]);
  });
});
