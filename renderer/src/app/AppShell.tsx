import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { LibraryStatus } from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/errors';
import type { ImportedParams, ReusedParams } from '../../../shared/library';
import type { PublicSettings } from '../../../shared/settings';
import { api } from '../bridge';
import { invokeEarly } from '../bridge/early';
import { useBridgeEvent } from '../bridge/useBridgeEvent';
import { GalleryCount } from '../gallery/GalleryCount';
import { HistoryPager } from '../gallery/history-pager';
import { loadViewOptions, storeViewOptions, type ViewOptions } from '../gallery/view-options';
import { DropImport } from '../generate/DropImport';
import { formFromImport, formFromParams, loadStoredForm, storeForm, type FormState } from '../generate/form';
import { GeneratePanel } from '../generate/GeneratePanel';
import { useModels } from '../generate/useModels';
import { isFiltered, loadSort, NO_FILTERS, storeSort, toHistoryFilter, type Filters } from '../history/filters';
import { OrganisedGallery, OrganisedToolbar } from '../organise/OrganisedGallery';
import { OrganiseProvider } from '../organise/OrganiseProvider';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { JobStore } from '../jobs/job-store';
import type { SettingsFocus } from '../jobs/JobCard';
import { JobsArea } from '../jobs/JobsArea';
import type { LightboxTarget } from '../lightbox/Lightbox';
import { Icon } from '../ui/Icon';
import { whenIdle } from '../ui/idle';
import { useDebounced } from '../ui/useDebounced';
import { useOnline } from '../ui/useOnline';
import { pageFocus, presentNotification } from '../notify/notifications';
import { useToasts } from '../ui/toast-context';
import { ImportBar } from '../import/ImportBar';
import { ImportStore } from '../import/import-store';
import { LibraryUnavailable } from './LibraryUnavailable';
import './app.css';

// Dialogs are their own chunks (with zod, which the settings form validates with): the first screen
// does not wait for them. They are fetched once the app is idle, so opening one does not either.
const loadLightbox = () => import('../lightbox/Lightbox');
const loadSettingsDialog = () => import('../settings/SettingsDialog');
const loadImportDialog = () => import('../import/ImportDialog');
const Lightbox = lazy(() => loadLightbox().then((m) => ({ default: m.Lightbox })));
const SettingsDialog = lazy(() => loadSettingsDialog().then((m) => ({ default: m.SettingsDialog })));
const ImportDialog = lazy(() => loadImportDialog().then((m) => ({ default: m.ImportDialog })));

/** The window: generation panel on the left; search, jobs and the gallery on the right; dialogs on top. */
export function AppShell({
  settings,
  settingsError,
}: {
  settings: PublicSettings | null;
  settingsError: ErrorInfo | null;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { models, updateProviders } = useModels();
  const online = useOnline();
  const [pager] = useState(() => new HistoryPager((args) => invokeEarly('history:query', args)));
  const [jobStore] = useState(() => new JobStore());
  const [form, setForm] = useState<FormState>(loadStoredForm);
  const [focusSignal, setFocusSignal] = useState(0);
  const [filters, setFilters] = useState<Filters>(() => ({ ...NO_FILTERS, sort: loadSort() }));
  const settled = useDebounced(filters, 180);
  const settledFilter = useMemo(() => toHistoryFilter(settled), [settled]);
  const showBoard = useCallback((board: string) => setFilters((f) => ({ ...f, board })), []);
  const [lightbox, setLightbox] = useState<LightboxTarget | null>(null);
  // The viewer browses the gallery, or one image the gallery does not list (filtered out, not yet refreshed).
  const [lightboxPager, setLightboxPager] = useState<HistoryPager | null>(null);
  const [view, setView] = useState<ViewOptions>(loadViewOptions);
  const [galleryFocus, setGalleryFocus] = useState<{ index: number } | null>(null);
  const [settingsOpen, setSettingsOpen] = useState<{ focus: SettingsFocus | null } | null>(null);
  const [libraryStatus, setLibraryStatus] = useState<LibraryStatus | null>(null);
  // Import images (issue 18): the import outlives its dialog; paths from a drop start at once.
  const [importStore] = useState(() => new ImportStore(api));
  const [importOpen, setImportOpen] = useState<{ paths?: string[]; droppedWithoutPath?: boolean } | null>(null);
  const importOpenRef = useRef(importOpen);
  /** "Import images…": a new import's form (the last report is behind its toast's Show). */
  const openImport = useCallback(() => {
    importStore.reset();
    setImportOpen({});
  }, [importStore]);
  useEffect(() => {
    importOpenRef.current = importOpen;
  }, [importOpen]);
  const toasts = useToasts();
  const queueState = useSyncExternalStore(jobStore.subscribeQueue, jobStore.getQueueState);

  useEffect(() => jobStore.connect(), [jobStore]);
  useEffect(() => importStore.connect(), [importStore]);
  // Its end is said in a toast when the dialog is not open.
  useEffect(
    () =>
      importStore.onFinished((r) => {
        if (importOpenRef.current) return;
        void loadImportDialog().then(({ importResultText }) =>
          toasts.show({
            message: importResultText(i18n, r),
            tone: r.status === 'failed' ? 'error' : 'success',
            action: { label: i18n.t('imp.showReport'), run: () => setImportOpen({}) },
          }),
        );
      }),
    [importStore, toasts, i18n],
  );
  // Whether the library folder is open: while it is not, its screen replaces the gallery.
  useEffect(() => {
    api.invoke('library:status', undefined).then(setLibraryStatus, () => {});
  }, []);
  useBridgeEvent('library:statusChanged', setLibraryStatus);
  const libraryUnavailable = libraryStatus?.state === 'unavailable';
  useEffect(
    () =>
      whenIdle(() => {
        // On failure, opening the dialog imports it again (and shows React's error if that fails too).
        loadLightbox().catch(() => {});
        loadSettingsDialog().catch(() => {});
        loadImportDialog().catch(() => {});
      }),
    [],
  );
  useEffect(() => pager.setFilter(settledFilter), [pager, settledFilter]);
  useEffect(() => storeSort(filters.sort), [filters.sort]);
  useEffect(() => storeForm(form), [form]);

  useEffect(() => storeViewOptions(view), [view]);

  // Another library folder: every view lists it at once (the viewer's image and done cards were the old one's).
  useBridgeEvent('library:switched', () => {
    setLightbox(null);
    setLightboxPager(null);
    jobStore.dropDone();
    pager.setFilter(toHistoryFilter(settled));
  });
  useBridgeEvent('history:added', () => pager.invalidate());
  // File → Import Images… in the desktop app's menu.
  useBridgeEvent('menu:invoked', ({ command }) => {
    if (command === 'importImages' && !importOpenRef.current) openImport();
  });
  useBridgeEvent('history:removed', () => pager.invalidate());
  useBridgeEvent('history:updated', (entry) => {
    pager.patch(entry);
    // It may have left (or joined) a favourites-only or stars view, or moved in the rating order.
    if (settled.favourite || settled.minRating > 0 || settled.sort === 'rating') pager.invalidate();
  });

  // Global shortcuts: Ctrl/Cmd+F or "/" searches, Ctrl/Cmd+, opens settings.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing =
        e.target instanceof HTMLInputElement ||
        e.target instanceof HTMLTextAreaElement ||
        e.target instanceof HTMLSelectElement;
      const mod = e.ctrlKey || e.metaKey;
      if ((mod && e.key === 'f') || (!typing && !mod && e.key === '/')) {
        if (document.getElementById('root')?.hasAttribute('inert')) return;
        e.preventDefault();
        document.getElementById('history-search')?.focus();
      } else if (mod && e.key === ',') {
        e.preventDefault();
        setSettingsOpen({ focus: null });
      } else if (mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'o') {
        if (document.getElementById('root')?.hasAttribute('inert')) return;
        e.preventDefault();
        openImport();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openImport]);

  const openLightbox = useCallback(
    (index: number) => {
      setLightboxPager(null);
      setLightbox({ index, id: pager.get(index)?.id ?? null });
    },
    [pager],
  );
  /** A job's image: in the gallery when it lists it, else on its own. */
  const openEntry = useCallback(
    (id: string) => {
      const index = pager.indexOf(id);
      if (index >= 0) {
        setLightboxPager(null);
        setLightbox({ index, id });
        return;
      }
      setLightboxPager(
        new HistoryPager(async () => {
          const entry = await api.invoke('history:get', { id });
          return { items: [entry], total: 1 };
        }),
      );
      setLightbox({ index: 0, id });
    },
    [pager],
  );
  const lastIndex = lightbox?.index;
  const fromGallery = lightboxPager === null;
  const closeLightbox = useCallback(() => {
    // Back in the grid, focus lands on the image last viewed (not the one first opened).
    if (lastIndex !== undefined && fromGallery) setGalleryFocus({ index: lastIndex });
    setLightbox(null);
    setLightboxPager(null);
  }, [lastIndex, fromGallery]);
  const openSettings = useCallback((focus?: SettingsFocus) => setSettingsOpen({ focus: focus ?? null }), []);
  // A job done, failed, or the queue done: the browser's notification in the web preview, the sound in both.
  useBridgeEvent('notifications:posted', (n) => {
    presentNotification(n, { i18n, transport: api.transport, focus: pageFocus(), open: openEntry });
  });
  // The desktop app's native notification was clicked (the window is already in front): its image.
  useBridgeEvent('notifications:clicked', ({ entryId }) => {
    if (entryId) openEntry(entryId);
  });
  const queueFail = (err: unknown) => toasts.show({ message: errorText(i18n, toInfo(err)), tone: 'error' });
  const panelQueue = {
    paused: queueState.paused,
    onPause: () => {
      api.invoke('jobs:pause', undefined).then(jobStore.setQueueState, queueFail);
    },
    onResume: () => {
      api.invoke('jobs:resume', undefined).then(jobStore.setQueueState, queueFail);
    },
  };

  const fill = (next: FormState) => {
    setForm(next);
    setFocusSignal((n) => n + 1);
  };
  const onReuse = (params: ReusedParams) => {
    // Closed without returning focus to the grid: the prompt takes it.
    setLightbox(null);
    fill(formFromParams(form, params, models));
  };
  const onImported = (imported: ImportedParams) => fill(formFromImport(form, imported, models));

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#gallery"
        onClick={(e) => {
          // The URL fragment carries the web bridge's token: move focus without touching it.
          e.preventDefault();
          document
            .querySelector<HTMLElement>('#gallery [role="gridcell"][tabindex="0"], #gallery [role="grid"]')
            ?.focus();
        }}
      >
        {t('app.skipToGallery')}
      </a>
      <aside className="app__sidebar">
        <div className="brand">
          <span className="brand__mark" aria-hidden="true" />
          <h1 className="brand__name">{t('app.title')}</h1>
          <button
            type="button"
            className="icon-btn brand__import"
            aria-label={t('imp.open')}
            title={`${t('imp.open')} (Ctrl+O)`}
            aria-keyshortcuts="Control+O Meta+O"
            onClick={openImport}
            data-testid="import-open"
          >
            <Icon name="upload" />
          </button>
          <button
            type="button"
            className="icon-btn brand__settings"
            aria-label={t('app.settings')}
            title={t('app.settings')}
            aria-keyshortcuts="Control+Comma Meta+Comma"
            onClick={() => setSettingsOpen({ focus: null })}
            disabled={!settings}
          >
            <Icon name="settings" />
          </button>
        </div>
        <GeneratePanel
          form={form}
          onChange={setForm}
          models={models}
          online={online}
          hasToken={settings?.hasHfToken ?? false}
          focusSignal={focusSignal}
          onStarted={jobStore.add}
          queue={panelQueue}
          notifications={settings?.notifications}
        />
      </aside>
      <OrganiseProvider
        pager={pager}
        filter={settledFilter}
        activeBoard={filters.board}
        onShowBoard={showBoard}
        models={models}
      >
        <main className="app__main">
          {!online && (
            <p className="banner" role="status" data-testid="offline-banner">
              <Icon name="alert" /> {t('app.offlineBanner')}
            </p>
          )}
          {settingsError && (
            <p className="banner banner--error" role="alert">
              {errorText(i18n, settingsError)}
            </p>
          )}
          {libraryStatus && libraryUnavailable ? null : (
            <OrganisedToolbar
              filters={filters}
              onChange={setFilters}
              models={models}
              count={<GalleryCount pager={pager} filtered={isFiltered(settled)} />}
              view={view}
              onViewChange={setView}
            />
          )}
          {!importOpen && <ImportBar store={importStore} onShow={() => setImportOpen({})} />}
          <JobsArea
            store={jobStore}
            models={models}
            hasToken={settings?.hasHfToken ?? false}
            onOpenSettings={openSettings}
            onOpenEntry={openEntry}
          />
          {libraryStatus && libraryUnavailable ? (
            <LibraryUnavailable
              key={`${libraryStatus.libraryDir} ${libraryStatus.error?.code ?? ''}`}
              status={libraryStatus}
              onStatus={setLibraryStatus}
              onChooseInSettings={() => setSettingsOpen({ focus: null })}
            />
          ) : (
            <OrganisedGallery
              pager={pager}
              filtered={isFiltered(settled)}
              onOpen={openLightbox}
              focusRequest={galleryFocus}
              view={view}
              sort={settled.sort}
            />
          )}
        </main>
      </OrganiseProvider>
      <DropImport
        onImported={onImported}
        onImportPaths={(paths) => {
          importStore.reset();
          setImportOpen(paths ? { paths } : { droppedWithoutPath: true });
        }}
      />
      <Suspense fallback={null}>
        {lightbox && (
          <Lightbox
            pager={lightboxPager ?? pager}
            target={lightbox}
            models={models}
            onNavigate={setLightbox}
            onClose={closeLightbox}
            onReuse={onReuse}
          />
        )}
      </Suspense>
      <Suspense fallback={null}>
        {importOpen && (
          <ImportDialog
            store={importStore}
            {...(importOpen.paths ? { initialPaths: importOpen.paths } : {})}
            {...(importOpen.droppedWithoutPath ? { droppedWithoutPath: true } : {})}
            onShowEntry={(id) => {
              setImportOpen(null);
              openEntry(id);
            }}
            onClose={() => setImportOpen(null)}
          />
        )}
      </Suspense>
      <Suspense fallback={null}>
        {settingsOpen && settings && (
          <SettingsDialog
            settings={settings}
            models={models}
            onProviders={updateProviders}
            focus={settingsOpen.focus}
            onClose={() => setSettingsOpen(null)}
          />
        )}
      </Suspense>
    </div>
  );
}
