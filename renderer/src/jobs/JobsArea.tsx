import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { JobState } from '../../../shared/events';
import type { ProviderId } from '../../../shared/params';
import { api } from '../bridge';
import type { Models } from '../generate/useModels';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { useToasts } from '../ui/toast-context';
import type { JobActions, SettingsFocus } from './JobCard';
import { JobList } from './JobList';
import type { JobStore } from './job-store';

/** Connects the job strip to the store and the bridge. */
export function JobsArea({
  store,
  models,
  onOpenSettings,
}: {
  store: JobStore;
  models: Models;
  onOpenSettings: (focus?: SettingsFocus) => void;
}) {
  const i18n = useI18n();
  const toasts = useToasts();
  const jobs = useSyncExternalStore(store.subscribe, store.getSnapshot);

  // A failed request says why in a toast (the job itself stays as it was).
  const fail = useCallback(
    (err: unknown) => toasts.show({ message: errorText(i18n, toInfo(err)), tone: 'error' }),
    [toasts, i18n],
  );
  const actions = useMemo<JobActions>(() => {
    return {
      cancel: (job: JobState) => {
        api.invoke('jobs:cancel', { jobId: job.id }).catch(fail);
      },
      dismiss: (job: JobState) => store.dismiss(job.id),
      retry: (job: JobState, provider?: ProviderId) => {
        store.dismiss(job.id);
        const params = provider ? { ...job.params, provider } : job.params;
        api.invoke('jobs:start', { params, count: 1 }).then((r) => store.add(r.jobs), fail);
      },
      openSettings: onOpenSettings,
    };
  }, [store, fail, onOpenSettings]);

  return (
    <JobList
      jobs={jobs}
      models={models}
      actions={actions}
      onCancelAll={() => {
        api.invoke('jobs:cancelAll', undefined).catch(fail);
      }}
      onClearFinished={store.clearFinished}
    />
  );
}
