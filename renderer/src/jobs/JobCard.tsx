import { memo, useEffect, useState } from 'react';
import type { JobState, StatusCode } from '../../../shared/events';
import type { ProviderId } from '../../../shared/params';
import { api } from '../bridge';
import { errorText, jobErrorView, quotaText, settingsFocusFor, type ErrorAction } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { jobStatusText, quotaWaitText } from '../i18n/status';
import { Icon } from '../ui/Icon';
import { IconButton } from '../ui/IconButton';
import { isInference } from '../generate/providers';
import { isActive } from './job-store';
import { useNow } from './useNow';

/** Statuses said before or while a job waits in the Space's queue; the others come after it. */
const BEFORE_QUEUE = new Set<StatusCode>([
  'sent',
  'space-starting',
  'busy-retry',
  'zerogpu-no-page-token',
  'zerogpu-token-refused',
]);

/** What the settings dialog focuses when it opens: the token field, the Spaces' states, or Inference Providers. */
export type SettingsFocus = 'token' | 'spaces' | 'inference';

export interface JobActions {
  cancel: (job: JobState) => void;
  dismiss: (job: JobState) => void;
  /** The same job again (`jobs:retry`), or on another provider. */
  retry: (job: JobState, provider?: ProviderId) => void;
  /** A queued job up, down, or to the front of the queue. */
  move: (job: JobState, to: 'up' | 'down' | 'front') => void;
  openSettings: (focus?: SettingsFocus) => void;
  /** Shows a saved image in the viewer. */
  openEntry: (entryId: string) => void;
}

/** One job: who works on it, where it stands, a live preview, and what to do when it fails. */
export const JobCard = memo(function JobCard({
  job,
  providerLabel,
  alternative,
  hasToken,
  actions,
  placeIndex = null,
  queueSize = 0,
  paused = false,
}: {
  job: JobState;
  /** A queued job's place in the queue (0: next), and the queue's length (numbers: the card stays memoized). */
  placeIndex?: number | null;
  queueSize?: number;
  /** The whole queue is paused: a queued job waits for the user. */
  paused?: boolean;
  providerLabel: (id: ProviderId) => string;
  /** Another provider able to serve this job, for "Try …". */
  alternative: ProviderId | null;
  /** A Hugging Face token is set (a quota error then says so instead of offering one). */
  hasToken: boolean;
  actions: JobActions;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const active = isActive(job);
  const now = useNow(active);
  const started = job.startedAt ?? job.createdAt;
  const elapsed = (job.endedAt ?? Math.max(now, started)) - started;
  const progress = job.progress && job.progress.total > 0 ? job.progress.step / job.progress.total : null;
  const imageSrc = job.state === 'done' && job.entryId ? api.mediaUrl('thumb', job.entryId) : job.previewDataUrl;
  const queued = job.state === 'queued';
  const place = queued && placeIndex !== null ? { index: placeIndex, of: queueSize } : null;
  // Waiting for its Space's GPU quota: a live countdown to when it starts again by itself.
  const waitUntil = queued && typeof job.waitUntil === 'number' && job.waitUntil > 0 ? job.waitUntil : null;
  const waitProvider = job.status?.code === 'quota-wait' ? String(job.status.params?.provider ?? '') : '';

  let status: string | null = null;
  // The Space's own queue shows while the job is running on our side but not yet on a GPU: until a
  // status from past the queue (generating, the Space's log) says it has left it.
  if (active && job.queue && (!job.status || BEFORE_QUEUE.has(job.status.code))) {
    const where =
      job.queue.size !== null
        ? t('jobs.queueOf', { position: job.queue.position, size: job.queue.size })
        : t('jobs.queue', { position: job.queue.position });
    status =
      // Under a second left is not worth saying.
      job.queue.eta !== null && job.queue.eta >= 1
        ? `${where} · ${t('jobs.eta', { eta: i18n.formatDuration(job.queue.eta * 1000) })}`
        : where;
  } else if (waitUntil !== null) {
    status = quotaWaitText(i18n, waitUntil, now);
  } else if (active && job.progress) {
    status = t('jobs.step', { step: job.progress.step, total: job.progress.total });
  } else if (active) {
    status = jobStatusText(i18n, job.status, { now });
  }
  // A queued job says where it stands (and that the queue is paused).
  const queueLine =
    // A job waiting for its Space's quota is not "next", whatever its place: its countdown says when.
    queued && place && waitUntil === null
      ? paused
        ? t('queue.waitsPaused')
        : place.index === 0
          ? t('queue.next')
          : t('queue.position', { position: place.index + 1, size: place.of })
      : null;

  const runAction = (a: ErrorAction) => {
    if (a === 'retry') actions.retry(job);
    else if (a === 'other-provider' && alternative) actions.retry(job, alternative);
    else if (a === 'add-token' || a === 'check-token') actions.openSettings('token');
    else if (a === 'settings') actions.openSettings(job.error ? settingsFocusFor(job.error.code) : undefined);
  };
  const actionLabel = (a: ErrorAction) =>
    a === 'retry'
      ? t('jobs.retry')
      : a === 'other-provider'
        ? t('jobs.tryOther', { provider: alternative ? providerLabel(alternative) : '' })
        : a === 'add-token'
          ? t('jobs.addToken')
          : a === 'check-token'
            ? t('jobs.checkToken')
            : t('jobs.openSettings');
  const tokenRefused = job.notes.find((n) => n.code === 'zerogpu-token-refused');
  const view = job.error
    ? jobErrorView(i18n, job.error, job.failedProviders, { hasToken, tokenRefused: !!tokenRefused }, (id) =>
        providerLabel(id as ProviderId),
      )
    : null;
  const quota = job.error ? quotaText(i18n, job.error) : null;
  const available = view ? view.actions.filter((a) => a !== 'other-provider' || alternative !== null) : [];
  // Said for the rest of the job: it explains what follows (the anonymous quota, and its refusal).
  const notes = job.notes
    .filter((n) => !active || n.code !== job.status?.code)
    .map((n) => ({ code: n.code, text: jobStatusText(i18n, n) }))
    .filter((n): n is { code: typeof n.code; text: string } => !!n.text);
  const openable = job.state === 'done' && job.entryId !== null;
  const servedBy = useServedBy(job);
  const providerText = job.providerId
    ? servedBy
      ? t('jobs.servedBy', { provider: providerLabel(job.providerId), by: servedBy })
      : providerLabel(job.providerId)
    : t('jobs.providerPending');
  const open = () => {
    if (job.entryId) actions.openEntry(job.entryId);
  };

  return (
    <li
      className={openable ? `job job--${job.state} job--openable` : `job job--${job.state}`}
      data-testid="job-card"
      data-job-id={job.id}
      data-state={job.state}
      aria-label={job.params.prompt}
      // The whole card opens its image (the media is the keyboard's way in); its buttons do their own thing.
      onClick={(e) => {
        if (openable && !(e.target instanceof Element && e.target.closest('button:not(.job__media)'))) open();
      }}
    >
      {openable ? (
        <button
          type="button"
          className="job__media"
          aria-label={t('jobs.openImage', { prompt: job.params.prompt.slice(0, 80) })}
          title={t('jobs.openImage', { prompt: job.params.prompt.slice(0, 80) })}
          data-testid="job-open"
          onClick={(e) => {
            e.stopPropagation();
            open();
          }}
        >
          <img className="job__preview" src={imageSrc ?? undefined} alt="" data-testid="job-result" />
        </button>
      ) : (
        <div className="job__media">
          {imageSrc ? (
            <img
              className="job__preview"
              src={imageSrc}
              alt={t('jobs.preview')}
              data-testid={job.state === 'done' ? 'job-result' : 'job-preview'}
            />
          ) : (
            <div className="job__placeholder" aria-hidden="true">
              <Icon name={job.state === 'failed' ? 'alert' : 'sparkles'} />
            </div>
          )}
        </div>
      )}
      <div className="job__body">
        <div className="job__top">
          <span className={`badge badge--${job.state}`} data-testid="job-state">
            {t(`jobs.state.${job.state}`)}
          </span>
          <span className="job__elapsed" title={t('jobs.elapsed')} aria-label={t('jobs.elapsed')}>
            <Icon name="clock" />
            <span data-testid="job-elapsed">{i18n.formatDuration(elapsed)}</span>
          </span>
          {active ? (
            <button
              type="button"
              className="icon-btn icon-btn--small"
              aria-label={t('jobs.cancelJob', { prompt: job.params.prompt.slice(0, 60) })}
              title={t('jobs.cancel')}
              onClick={() => actions.cancel(job)}
            >
              <Icon name="close" />
            </button>
          ) : (
            <IconButton icon="close" label={t('jobs.dismiss')} small onClick={() => actions.dismiss(job)} />
          )}
        </div>
        <p className="job__prompt" title={job.params.prompt}>
          {job.params.prompt}
        </p>
        <p className="job__provider" data-testid="job-provider" title={providerText}>
          {providerText}
        </p>
        {active && waitUntil === null && !(queued && paused) && (
          <div
            className={progress === null ? 'progress progress--indeterminate' : 'progress'}
            role="progressbar"
            aria-label={t('jobs.progress')}
            aria-valuemin={0}
            aria-valuemax={job.progress?.total ?? undefined}
            aria-valuenow={job.progress?.step ?? undefined}
            aria-valuetext={status ?? undefined}
            data-testid="job-progress"
          >
            <div className="progress__bar" style={progress === null ? undefined : { width: `${progress * 100}%` }} />
          </div>
        )}
        {status && (
          <p
            className={waitUntil !== null ? 'job__status job__status--wait' : 'job__status'}
            data-testid={waitUntil !== null ? 'job-quota-wait' : 'job-status'}
            title={
              waitUntil !== null
                ? t('queue.quotaWaitTitle', {
                    provider: waitProvider ? providerLabel(waitProvider as ProviderId) : '',
                    at: i18n.formatTime(waitUntil),
                  })
                : undefined
            }
          >
            {status}
          </p>
        )}
        {queued && (
          <div className="job__queue" data-testid="job-queue">
            {queueLine && (
              <span className={paused ? 'job__place job__place--paused' : 'job__place'} data-testid="job-place">
                {queueLine}
              </span>
            )}
            <span className="job__queue-buttons">
              <IconButton
                icon="up"
                small
                label={t('queue.moveUpLabel', { prompt: job.params.prompt.slice(0, 60) })}
                aria-disabled={!place || place.index === 0 || undefined}
                onClick={() => place && place.index > 0 && actions.move(job, 'up')}
                data-testid="job-move-up"
              />
              <IconButton
                icon="down"
                small
                label={t('queue.moveDownLabel', { prompt: job.params.prompt.slice(0, 60) })}
                aria-disabled={!place || place.index >= place.of - 1 || undefined}
                onClick={() => place && place.index < place.of - 1 && actions.move(job, 'down')}
                data-testid="job-move-down"
              />
              <IconButton
                icon="front"
                small
                label={t('queue.runNextLabel', { prompt: job.params.prompt.slice(0, 60) })}
                aria-disabled={!place || place.index === 0 || undefined}
                onClick={() => place && place.index > 0 && actions.move(job, 'front')}
                data-testid="job-run-next"
              />
            </span>
          </div>
        )}
        {notes.map((n) => (
          <p key={n.code} className="job__note" data-testid="job-note" data-code={n.code}>
            {n.text}
          </p>
        ))}
        {active &&
          job.failedProviders.map((f) => (
            <p
              key={f.providerId}
              className="job__fallback"
              title={[errorText(i18n, f.error), quotaText(i18n, f.error)].filter(Boolean).join(' ')}
            >
              {t('jobs.fellBack', { provider: providerLabel(f.providerId) })}
            </p>
          ))}
        {job.state === 'cancelled' && (
          <div className="job__actions">
            <button
              type="button"
              className="btn btn--small"
              aria-label={t('queue.retryLabel', { prompt: job.params.prompt.slice(0, 60) })}
              onClick={() => actions.retry(job)}
              data-testid="job-retry"
            >
              <Icon name="reuse" /> {t('jobs.retry')}
            </button>
          </div>
        )}
        {job.state === 'failed' && job.error && view && (
          <div className="job__error" role="alert" data-testid="job-error" data-code={job.error.code}>
            <p data-testid="job-error-cause">{view.headline}</p>
            {view.providers.length > 0 && (
              <ul className="job__causes">
                {view.providers.map((p) => (
                  <li key={p.providerId} data-provider={p.providerId}>
                    {p.text}
                  </li>
                ))}
              </ul>
            )}
            {view.advice && <p className="job__advice">{view.advice}</p>}
            {quota && (
              <p className="job__quota" data-testid="job-quota">
                {quota}
              </p>
            )}
            {available.length > 0 && (
              <div className="job__actions">
                {available.map((a) => (
                  <button key={a} type="button" className="btn btn--small" data-action={a} onClick={() => runAction(a)}>
                    {actionLabel(a)}
                  </button>
                ))}
              </div>
            )}
          </div>
        )}
      </div>
    </li>
  );
});

/**
 * Which Inference Provider made a done inference job's image (`fal-ai`, …): stored with the image,
 * so read from its history entry once; null for other jobs and while unknown.
 */
function useServedBy(job: JobState): string | null {
  const entryId = job.state === 'done' && isInference(job.providerId) ? job.entryId : null;
  const [served, setServed] = useState<{ id: string; by: string | null } | null>(null);
  useEffect(() => {
    if (!entryId) return;
    let live = true;
    api.invoke('history:get', { id: entryId }).then(
      (entry) => live && setServed({ id: entryId, by: entry.params.servedBy ?? null }),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [entryId]);
  return entryId && served?.id === entryId ? served.by : null;
}
