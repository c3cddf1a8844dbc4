import { memo } from 'react';
import type { JobState, StatusCode } from '../../../shared/events';
import type { ProviderId } from '../../../shared/params';
import { api } from '../bridge';
import { errorActions, errorText, quotaText, settingsFocusFor, type ErrorAction } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { jobStatusText } from '../i18n/status';
import { Icon } from '../ui/Icon';
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

/** What the settings dialog focuses when it opens: the token field, or the Spaces' states. */
export type SettingsFocus = 'token' | 'spaces';

export interface JobActions {
  cancel: (job: JobState) => void;
  dismiss: (job: JobState) => void;
  retry: (job: JobState, provider?: ProviderId) => void;
  openSettings: (focus?: SettingsFocus) => void;
}

/** One job: who works on it, where it stands, a live preview, and what to do when it fails. */
export const JobCard = memo(function JobCard({
  job,
  providerLabel,
  alternative,
  actions,
}: {
  job: JobState;
  providerLabel: (id: ProviderId) => string;
  /** Another provider able to serve this job, for "Try …". */
  alternative: ProviderId | null;
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
  } else if (active && job.progress) {
    status = t('jobs.step', { step: job.progress.step, total: job.progress.total });
  } else if (active) {
    status = jobStatusText(i18n, job.status, job.statusText);
  }

  const runAction = (a: ErrorAction) => {
    if (a === 'retry') actions.retry(job);
    else if (a === 'other-provider' && alternative) actions.retry(job, alternative);
    else if (a === 'add-token') actions.openSettings('token');
    else if (a === 'settings') actions.openSettings(job.error ? settingsFocusFor(job.error.code) : undefined);
  };
  const actionLabel = (a: ErrorAction) =>
    a === 'retry'
      ? t('jobs.retry')
      : a === 'other-provider'
        ? t('jobs.tryOther', { provider: alternative ? providerLabel(alternative) : '' })
        : a === 'add-token'
          ? t('jobs.addToken')
          : t('jobs.openSettings');
  const quota = job.error ? quotaText(i18n, job.error) : null;
  const available = job.error
    ? errorActions(job.error.code).filter((a) => a !== 'other-provider' || alternative !== null)
    : [];

  return (
    <li
      className={`job job--${job.state}`}
      data-testid="job-card"
      data-job-id={job.id}
      data-state={job.state}
      aria-label={job.params.prompt}
    >
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
            <button
              type="button"
              className="icon-btn icon-btn--small"
              aria-label={t('jobs.dismiss')}
              title={t('jobs.dismiss')}
              onClick={() => actions.dismiss(job)}
            >
              <Icon name="close" />
            </button>
          )}
        </div>
        <p className="job__prompt" title={job.params.prompt}>
          {job.params.prompt}
        </p>
        <p className="job__provider" data-testid="job-provider">
          {job.providerId ? providerLabel(job.providerId) : t('jobs.providerPending')}
        </p>
        {active && (
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
          <p className="job__status" data-testid="job-status">
            {status}
          </p>
        )}
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
        {job.state === 'failed' && job.error && (
          <div className="job__error" role="alert" data-testid="job-error" data-code={job.error.code}>
            <p>{errorText(i18n, job.error)}</p>
            {quota && (
              <p className="job__quota" data-testid="job-quota">
                {quota}
              </p>
            )}
            {available.length > 0 && (
              <div className="job__actions">
                {available.map((a) => (
                  <button key={a} type="button" className="btn btn--small" onClick={() => runAction(a)}>
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
