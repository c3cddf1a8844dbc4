import { useEffect, useId, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { type ImportFileResult, type ImportFinished, type ImportStatus } from '../../../shared/import';
import { api } from '../bridge';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n, type I18n } from '../i18n/i18n';
import type { ErrorInfo } from '../../../shared/errors';
import { isAbsolutePath } from '../organise/export/export-form';
import { Icon } from '../ui/Icon';
import { IconButton } from '../ui/IconButton';
import { Modal } from '../ui/Modal';
import { baseName, parsePaths, SOURCE_NAMES, type ImportStore } from './import-store';
import { ImportProgressLine } from './ImportProgressLine';
import './import.css';

/** Rows of the report drawn at once: a 50 000-file report stays a quick list. */
const REPORT_ROWS = 500;

/** The result of an import in one sentence (the dialog's and the toast's). */
export function importResultText(i18n: I18n, r: ImportFinished): string {
  if (r.status === 'failed') return i18n.t('imp.failed', { detail: errorText(i18n, r.error as ErrorInfo) });
  if (r.status === 'cancelled') return i18n.tn('imp.cancelled', r.counts.imported);
  return r.counts.imported > 0 ? i18n.tn('imp.done', r.counts.imported) : i18n.t('imp.doneNone');
}

const FAILED: ImportStatus[] = ['unreadable', 'not-image', 'too-large', 'failed'];
/** The report's order: what went wrong first (that is what the user acts on), what never started last. */
const STATUS_ORDER: ImportStatus[] = [...FAILED, 'duplicate', 'imported', 'cancelled'];

/**
 * "Import images…": choose files or folders (the OS dialog in the desktop app, typed paths
 * everywhere), then the import's progress with Cancel, then the per-file report. Closing it while
 * it runs leaves the import running (the progress bar above the gallery shows it).
 */
export function ImportDialog({
  store,
  initialPaths,
  droppedWithoutPath,
  onShowEntry,
  onClose,
}: {
  store: ImportStore;
  /** Paths to import (a drop in the desktop app): started at once. */
  initialPaths?: string[];
  /** Files were dropped in the web preview, where a page is not told their paths. */
  droppedWithoutPath?: boolean;
  onShowEntry: (id: string) => void;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t, tn } = i18n;
  const state = useSyncExternalStore(store.subscribe, store.get);
  const [text, setText] = useState('');
  const [pathError, setPathError] = useState<string | null>(null);
  const [chooseError, setChooseError] = useState<ErrorInfo | null>(null);
  const [canChoose, setCanChoose] = useState(false);
  const [problemsOnly, setProblemsOnly] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const ids = { title: useId(), paths: useId(), pathError: useId(), hint: useId() };

  useEffect(() => {
    api.invoke('app:info', undefined).then(
      (info) => setCanChoose(info.features.chooseFolder),
      () => {},
    );
  }, []);

  // A drop in the desktop app: its paths are imported at once.
  const started = useRef(false);
  // One import at a time: dropped while another runs, the drop is not lost silently.
  const [busy] = useState(() => !!initialPaths?.length && store.get().kind === 'running');
  useEffect(() => {
    if (started.current || !initialPaths?.length) return;
    started.current = true;
    if (store.get().kind === 'finished') store.reset();
    if (store.get().kind === 'idle') store.start(initialPaths);
  }, [initialPaths, store]);

  // Focus follows the phase: the paths to type, then Cancel stays reachable, then Close (Enter closes).
  useEffect(() => {
    if (state.kind === 'finished') closeRef.current?.focus();
  }, [state.kind]);

  const start = (paths: string[]) => {
    if (paths.length === 0) return failPath(t('imp.pathsMissing'));
    const relative = paths.find((p) => !isAbsolutePath(p));
    if (relative) return failPath(t('imp.pathsAbsolute', { path: relative }));
    setPathError(null);
    store.start(paths);
  };
  const failPath = (message: string) => {
    setPathError(message);
    textRef.current?.focus();
  };
  const choose = (kind: 'files' | 'folders') => {
    setChooseError(null);
    api.invoke('library:chooseImportPaths', { kind }).then(
      ({ paths }) => {
        if (paths.length === 0) return;
        // What the OS dialog gave starts at once; typed paths stay for a later import.
        start(paths);
      },
      (err: unknown) => setChooseError(toInfo(err)),
    );
  };

  const running = state.kind === 'running' ? state : null;
  const finished = state.kind === 'finished' ? state.result : null;
  const report = finished && finished.status !== 'failed' ? finished : null;
  const failedCount = report ? FAILED.reduce((n, s) => n + report.counts[s], 0) : 0;
  const rows = useMemo(() => {
    if (!report) return [];
    const order = (f: ImportFileResult) => STATUS_ORDER.indexOf(f.status);
    const list = problemsOnly ? report.files.filter((f) => f.status !== 'imported') : report.files;
    return [...list].sort((a, b) => order(a) - order(b));
  }, [report, problemsOnly]);

  return (
    <Modal
      labelledBy={ids.title}
      onClose={onClose}
      className="import-dialog"
      initialFocus={state.kind === 'idle' && !initialPaths?.length ? textRef : undefined}
    >
      <header className="import-dialog__header">
        <h2 id={ids.title} className="panel-title">
          {t('imp.title')}
        </h2>
        <IconButton icon="close" label={t('lb.close')} onClick={onClose} />
      </header>
      <form
        className="import-dialog__body"
        onSubmit={(e) => {
          e.preventDefault();
          if (state.kind === 'idle') start(parsePaths(text));
        }}
        data-testid="import-dialog"
      >
        {state.kind === 'idle' && (
          <>
            <p className="import-dialog__intro">{t('imp.intro')}</p>
            {droppedWithoutPath && (
              <p className="notice" data-testid="import-drop-no-path">
                <Icon name="alert" /> {t('imp.dropNoPath')}
              </p>
            )}
            {canChoose && (
              <div className="import-dialog__choose">
                <button type="button" className="btn" onClick={() => choose('files')} data-testid="import-choose-files">
                  <Icon name="image" /> {t('imp.chooseFiles')}
                </button>
                <button
                  type="button"
                  className="btn"
                  onClick={() => choose('folders')}
                  data-testid="import-choose-folders"
                >
                  <Icon name="folder" /> {t('imp.chooseFolders')}
                </button>
              </div>
            )}
            <label htmlFor={ids.paths} className="field__label">
              {t('imp.paths')}
            </label>
            <textarea
              ref={textRef}
              id={ids.paths}
              className="input import-dialog__paths"
              rows={3}
              value={text}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={pathError ? true : undefined}
              aria-describedby={pathError ? ids.pathError : ids.hint}
              aria-keyshortcuts="Control+Enter Meta+Enter"
              onChange={(e) => {
                setText(e.target.value);
                setPathError(null);
              }}
              onKeyDown={(e) => {
                // Enter starts a new line; Ctrl/Cmd+Enter imports.
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  start(parsePaths(text));
                }
              }}
              data-testid="import-paths"
            />
            {pathError ? (
              <span id={ids.pathError} className="field__error" role="alert">
                {pathError}
              </span>
            ) : (
              <span id={ids.hint} className="field__hint">
                {t(canChoose ? 'imp.pathsHint' : 'imp.pathsHintWeb')}
              </span>
            )}
            {chooseError && (
              <p className="notice notice--error" role="alert">
                {errorText(i18n, chooseError)}
              </p>
            )}
          </>
        )}

        {running && busy && (
          <p className="notice notice--warning" role="alert" data-testid="import-busy">
            <Icon name="alert" /> {t('imp.busy')}
          </p>
        )}
        {running && (
          <div className="import-dialog__running">
            <ul className="import-dialog__sources" aria-label={t('imp.paths')}>
              {running.paths.slice(0, 3).map((p) => (
                <li key={p} title={p}>
                  {p}
                </li>
              ))}
              {running.paths.length > 3 && <li>{`+${i18n.formatNumber(running.paths.length - 3)}`}</li>}
            </ul>
            <ImportProgressLine state={running} />
          </div>
        )}

        {finished && (
          <div className="import-dialog__result">
            <p
              className={
                finished.status === 'done'
                  ? 'notice'
                  : finished.status === 'cancelled'
                    ? 'notice notice--warning'
                    : 'notice notice--error'
              }
              role="status"
              data-testid="import-result"
              data-status={finished.status}
            >
              {importResultText(i18n, finished)}
              {report &&
                report.elapsedMs >= 1000 &&
                ` ${t('imp.elapsed', { time: i18n.formatDuration(report.elapsedMs) })}`}
            </p>
            {report && (
              <>
                <ul className="import-dialog__summary" data-testid="import-summary">
                  <li className="import-status import-status--imported">
                    {tn('imp.summary.imported', report.counts.imported)}
                  </li>
                  {report.counts.duplicate > 0 && (
                    <li className="import-status import-status--duplicate">
                      {tn('imp.summary.duplicate', report.counts.duplicate)}
                    </li>
                  )}
                  {failedCount > 0 && (
                    <li className="import-status import-status--failed">{tn('imp.summary.failed', failedCount)}</li>
                  )}
                  {report.counts.cancelled > 0 && (
                    <li className="import-status import-status--cancelled">
                      {tn('imp.summary.cancelled', report.counts.cancelled)}
                    </li>
                  )}
                </ul>
                {report.omitted > 0 && <p className="field__hint">{tn('imp.omitted', report.omitted)}</p>}
                {report.notScanned > 0 && <p className="field__hint">{tn('imp.notScanned', report.notScanned)}</p>}
                <div className="import-dialog__report-head">
                  <h3 className="import-dialog__report-title">{t('imp.report')}</h3>
                  <label className="import-dialog__check">
                    <input
                      type="checkbox"
                      checked={problemsOnly}
                      onChange={(e) => setProblemsOnly(e.target.checked)}
                      data-testid="import-problems-only"
                    />
                    {t('imp.reportProblems')}
                  </label>
                </div>
                {rows.length === 0 ? (
                  <p className="field__hint">{t('imp.reportEmpty')}</p>
                ) : (
                  <ul
                    className="import-dialog__report"
                    tabIndex={0}
                    aria-label={t('imp.report')}
                    data-testid="import-report"
                  >
                    {rows.slice(0, REPORT_ROWS).map((f) => (
                      <ReportRow key={f.path} file={f} i18n={i18n} onShow={onShowEntry} />
                    ))}
                    {rows.length > REPORT_ROWS && (
                      <li className="import-row import-row--more">{tn('imp.reportMore', rows.length - REPORT_ROWS)}</li>
                    )}
                  </ul>
                )}
              </>
            )}
          </div>
        )}

        <footer className="import-dialog__footer">
          {running ? (
            <>
              <button type="button" className="btn" onClick={onClose} data-testid="import-hide">
                {t('imp.hide')}
              </button>
              <button
                type="button"
                className="btn btn--danger"
                onClick={() => store.cancel()}
                disabled={running.cancelling}
                data-testid="import-cancel"
              >
                {t('org.cancel')}
              </button>
            </>
          ) : finished ? (
            <>
              <button type="button" className="btn" onClick={() => store.reset()} data-testid="import-again">
                {t('imp.again')}
              </button>
              <button type="button" ref={closeRef} className="btn btn--primary" onClick={onClose}>
                {t('lb.close')}
              </button>
            </>
          ) : (
            <>
              <button type="button" className="btn" onClick={onClose}>
                {t('org.cancel')}
              </button>
              <button type="submit" className="btn btn--primary" data-testid="import-start">
                <Icon name="upload" />{' '}
                {parsePaths(text).length > 0 ? tn('imp.startN', parsePaths(text).length) : t('imp.start')}
              </button>
            </>
          )}
        </footer>
      </form>
    </Modal>
  );
}

function ReportRow({ file, i18n, onShow }: { file: ImportFileResult; i18n: I18n; onShow: (id: string) => void }) {
  const { t } = i18n;
  const name = baseName(file.path);
  const tone = FAILED.includes(file.status) ? 'failed' : file.status;
  // The main side's reason (in English); "cancelled" says all there is to say.
  const why = file.status === 'cancelled' ? undefined : file.message;
  return (
    <li className="import-row" data-status={file.status} data-testid="import-row">
      <span className={`import-status import-status--${tone}`}>{t(`imp.status.${file.status}`)}</span>
      <span className="import-row__file" title={file.path}>
        {file.status === 'imported' && file.id ? (
          <button
            type="button"
            className="link-btn"
            onClick={() => onShow(file.id!)}
            aria-label={t('imp.showImage', { file: name })}
          >
            {name}
          </button>
        ) : (
          name
        )}
      </span>
      {(why || file.source) && (
        <span className="import-row__why">
          {[why, file.source ? t('imp.from', { tool: SOURCE_NAMES[file.source] }) : ''].filter(Boolean).join(' · ')}
        </span>
      )}
    </li>
  );
}
