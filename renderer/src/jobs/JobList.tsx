import { useId } from 'react';
import type { JobState } from '../../../shared/events';
import type { ProviderId } from '../../../shared/params';
import type { QueueState } from '../../../shared/queue';
import { providersFor } from '../generate/form';
import { providerName } from '../generate/providers';
import type { Models } from '../generate/useModels';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { formatCountdown } from './countdown';
import { isActive } from './job-store';
import { JobCard, type JobActions } from './JobCard';
import { useNow } from './useNow';
import './jobs.css';

/**
 * The strip of live and finished jobs above the gallery; absent when there are none. It folds to
 * one line (counts, and the newest image one click away) to give the gallery the room.
 */
export function JobList({
  jobs,
  models,
  hasToken,
  actions,
  collapsed,
  onCollapsedChange,
  onCancelAll,
  onClearFinished,
  queue,
  onPause,
  onResume,
  onRetryFailed,
}: {
  jobs: JobState[];
  /** Paused, and the Spaces waiting for their GPU quota. */
  queue: QueueState;
  onPause: () => void;
  onResume: () => void;
  onRetryFailed: () => void;
  models: Models;
  hasToken: boolean;
  actions: JobActions;
  collapsed: boolean;
  onCollapsedChange: (collapsed: boolean) => void;
  onCancelAll: () => void;
  onClearFinished: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const listId = useId();
  const waits = queue.quotaWaits;
  const now = useNow(waits.length > 0);
  // Paused, or a Space's quota awaited, says so even with no card to show.
  if (jobs.length === 0 && !queue.paused && waits.length === 0) return null;
  const queuedIds = jobs.filter((j) => j.state === 'queued').map((j) => j.id);
  const queuedAt = new Map(queuedIds.map((id, i) => [id, i]));
  const queuedCount = queuedIds.length;
  const activeCount = jobs.filter(isActive).length;
  const runningCount = activeCount - queuedCount;
  const doneCount = jobs.filter((j) => j.state === 'done').length;
  const failedCount = jobs.filter((j) => j.state === 'failed').length;
  // Newest first: the store sorts by creation; the newest finished image is the one to reach.
  const newest = jobs
    .filter((j) => j.state === 'done' && j.entryId)
    .sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0))[0];
  // A Space removed since still says which it was.
  const label = (id: ProviderId) => providerName(id, models.providers);
  /** The first provider for the job's model that has not failed it yet. */
  const alternative = (job: JobState): ProviderId | null => {
    const tried = new Set<ProviderId>([...job.failedProviders.map((f) => f.providerId)]);
    if (job.providerId) tried.add(job.providerId);
    return providersFor(job.params.model, models).find((p) => !tried.has(p.id))?.id ?? null;
  };
  const counts = [
    runningCount > 0 ? t('jobs.countActive', { n: runningCount }) : null,
    queuedCount > 0 ? t('jobs.countQueued', { n: queuedCount }) : null,
    doneCount > 0 ? t('jobs.countDone', { n: doneCount }) : null,
    failedCount > 0 ? t('jobs.countFailed', { n: failedCount }) : null,
  ].filter(Boolean);
  return (
    <section className={collapsed ? 'jobs jobs--collapsed' : 'jobs'} aria-labelledby="jobs-heading" data-testid="jobs">
      <header className="jobs__header">
        {/* A disclosure: the heading holds the button that folds the cards away. */}
        <h2 id="jobs-heading" className="jobs__heading">
          <button
            type="button"
            className="jobs__toggle"
            aria-expanded={!collapsed}
            aria-controls={listId}
            title={collapsed ? t('jobs.expand') : t('jobs.collapse')}
            onClick={() => onCollapsedChange(!collapsed)}
            data-testid="jobs-toggle"
          >
            <Icon name={collapsed ? 'right' : 'down'} />
            <span className="jobs__title">{t('jobs.heading')}</span>
            <span className="jobs__counts" data-testid="jobs-counts">
              {counts.join(' · ')}
            </span>
          </button>
        </h2>
        {queue.paused && (
          <span className="badge badge--paused jobs__paused" data-testid="queue-paused">
            <Icon name="pause" /> {t('queue.paused')}
          </span>
        )}
        <div className="jobs__tools">
          <button
            type="button"
            className={queue.paused ? 'btn btn--small btn--accent' : 'btn btn--small btn--ghost'}
            title={queue.paused ? t('queue.resume') : t('queue.pause')}
            onClick={queue.paused ? onResume : onPause}
            data-testid="queue-toggle"
          >
            <Icon name={queue.paused ? 'play' : 'pause'} />{' '}
            <span className="jobs__tool-label">{queue.paused ? t('queue.resume') : t('queue.pause')}</span>
          </button>
          {failedCount > 0 && (
            <button
              type="button"
              className="btn btn--small btn--ghost"
              title={t('queue.retryFailed')}
              onClick={onRetryFailed}
              data-testid="jobs-retry-failed"
            >
              <Icon name="reuse" /> <span className="jobs__tool-label">{t('queue.retryFailed')}</span>
            </button>
          )}
          {newest?.entryId && (
            <button
              type="button"
              className="btn btn--small btn--ghost"
              title={t('jobs.openNewest')}
              onClick={() => actions.openEntry(newest.entryId!)}
              data-testid="jobs-open-newest"
            >
              <Icon name="image" /> <span className="jobs__tool-label">{t('jobs.openNewest')}</span>
            </button>
          )}
          {activeCount > 1 && (
            <button
              type="button"
              className="btn btn--small btn--ghost"
              title={t('jobs.cancelAll')}
              onClick={onCancelAll}
            >
              <Icon name="close" /> <span className="jobs__tool-label">{t('jobs.cancelAll')}</span>
            </button>
          )}
          {activeCount < jobs.length && (
            <button
              type="button"
              className="btn btn--small btn--ghost"
              title={t('jobs.clearFinished')}
              onClick={onClearFinished}
            >
              <Icon name="trash" /> <span className="jobs__tool-label">{t('jobs.clearFinished')}</span>
            </button>
          )}
        </div>
      </header>
      {waits.length > 0 && (
        <ul className="jobs__waits" data-testid="quota-waits">
          {waits.map((w) => (
            <li
              key={w.providerId}
              className="jobs__wait"
              title={t('queue.quotaWaitTitle', { provider: label(w.providerId), at: i18n.formatTime(w.until) })}
            >
              <Icon name="clock" />
              <span>
                {t('queue.quotaWait', { provider: label(w.providerId), time: formatCountdown(w.until - now) })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <ul className="jobs__list" id={listId} hidden={collapsed}>
        {jobs.map((job) => (
          <JobCard
            key={job.id}
            job={job}
            providerLabel={label}
            alternative={job.state === 'failed' ? alternative(job) : null}
            hasToken={hasToken}
            actions={actions}
            placeIndex={queuedAt.get(job.id) ?? null}
            queueSize={queuedCount}
            paused={queue.paused}
          />
        ))}
      </ul>
    </section>
  );
}
