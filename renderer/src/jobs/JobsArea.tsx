import { useCallback, useMemo, useState, useSyncExternalStore } from 'react';
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
  hasToken,
  onOpenSettings,
  onOpenEntry,
}: {
  store: JobStore;
  models: Models;
  hasToken: boolean;
  onOpenSettings: (focus?: SettingsFocus) => void;
  onOpenEntry: (entryId: string) => void;
}) {
  const i18n = useI18n();
  const toasts = useToasts();
  const jobs = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const queue = useSyncExternalStore(store.subscribeQueue, store.getQueueState);
  const [collapsed, setCollapsed] = useState(loadCollapsed);

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
        // A new request from the job's parameters, without its style: the prompt already carries it.
        const { style: _style, ...params } = job.params;
        const startAnew = () => {
          store.dismiss(job.id);
          api
            .invoke('jobs:start', { params: provider ? { ...params, provider } : params, count: 1 })
            .then((r) => store.add(r.jobs), fail);
        };
        if (provider) return startAnew();
        // The same job again (the runner keeps it as it was sent); one it no longer knows, anew.
        api.invoke('jobs:retry', { jobId: job.id }).then(
          (r) => {
            store.dismiss(job.id);
            store.add(r.jobs);
          },
          (err: unknown) => {
            const code = toInfo(err).code;
            if (code === 'not-found' || code === 'unknown-channel') startAnew();
            else fail(err);
          },
        );
      },
      move: (job: JobState, to: 'up' | 'down' | 'front') => {
        api.invoke('jobs:move', { jobId: job.id, to }).then(
          (r) => store.setOrder(r.jobs.map((j) => j.id)),
          (err: unknown) => {
            fail(err);
            // It may have started meanwhile: the order as it is now.
            store.syncOrder();
          },
        );
      },
      openSettings: onOpenSettings,
      openEntry: onOpenEntry,
    };
  }, [store, fail, onOpenSettings, onOpenEntry]);

  return (
    <JobList
      jobs={jobs}
      models={models}
      hasToken={hasToken}
      actions={actions}
      collapsed={collapsed}
      onCollapsedChange={(next) => {
        setCollapsed(next);
        storeCollapsed(next);
      }}
      onCancelAll={() => {
        api.invoke('jobs:cancelAll', undefined).catch(fail);
      }}
      onClearFinished={store.clearFinished}
      queue={queue}
      onPause={() => {
        api.invoke('jobs:pause', undefined).then(store.setQueueState, fail);
      }}
      onResume={() => {
        api.invoke('jobs:resume', undefined).then(store.setQueueState, fail);
      }}
      onRetryFailed={() => {
        const failed = jobs.filter((j) => j.state === 'failed').map((j) => j.id);
        api.invoke('jobs:retryFailed', undefined).then((r) => {
          for (const id of failed) store.dismiss(id);
          store.add(r.jobs);
        }, fail);
      }}
    />
  );
}

const COLLAPSED_KEY = 'flux-gallery.jobsCollapsed';

function loadCollapsed(): boolean {
  try {
    return localStorage.getItem(COLLAPSED_KEY) === '1';
  } catch {
    return false;
  }
}

function storeCollapsed(collapsed: boolean): void {
  try {
    localStorage.setItem(COLLAPSED_KEY, collapsed ? '1' : '0');
  } catch {
    // Remembering the fold is a convenience only.
  }
}
