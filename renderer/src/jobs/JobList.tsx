import type { JobState } from '../../../shared/events';
import type { ProviderId } from '../../../shared/params';
import { providersFor } from '../generate/form';
import type { Models } from '../generate/useModels';
import { useI18n } from '../i18n/i18n';
import { isActive } from './job-store';
import { JobCard, type JobActions } from './JobCard';
import './jobs.css';

/** The strip of live and recently finished jobs above the gallery; absent when there are none. */
export function JobList({
  jobs,
  models,
  actions,
  onCancelAll,
  onClearFinished,
}: {
  jobs: JobState[];
  models: Models;
  actions: JobActions;
  onCancelAll: () => void;
  onClearFinished: () => void;
}) {
  const { t } = useI18n();
  if (jobs.length === 0) return null;
  const activeCount = jobs.filter(isActive).length;
  const label = (id: ProviderId) => models.providers.find((p) => p.id === id)?.label ?? id;
  /** The first provider for the job's model that has not failed it yet. */
  const alternative = (job: JobState): ProviderId | null => {
    const tried = new Set<ProviderId>([...job.failedProviders.map((f) => f.providerId)]);
    if (job.providerId) tried.add(job.providerId);
    return providersFor(job.params.model, models).find((p) => !tried.has(p.id))?.id ?? null;
  };
  return (
    <section className="jobs" aria-labelledby="jobs-heading" data-testid="jobs">
      <header className="jobs__header">
        <h2 id="jobs-heading" className="jobs__title">
          {t('jobs.heading')}
        </h2>
        <div className="jobs__tools">
          {activeCount > 1 && (
            <button type="button" className="btn btn--small btn--ghost" onClick={onCancelAll}>
              {t('jobs.cancelAll')}
            </button>
          )}
          {activeCount < jobs.length && (
            <button type="button" className="btn btn--small btn--ghost" onClick={onClearFinished}>
              {t('jobs.clearFinished')}
            </button>
          )}
        </div>
      </header>
      <ul className="jobs__list">
        {jobs.map((job) => (
          <JobCard
            key={job.id}
            job={job}
            providerLabel={label}
            alternative={job.state === 'failed' ? alternative(job) : null}
            actions={actions}
          />
        ))}
      </ul>
    </section>
  );
}
