import { useEffect, useId, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { HistoryEntry } from '../../../../shared/library';
import {
  EXPORT_FORMATS,
  EXPORT_PATTERN_TOKENS,
  unknownPatternTokens,
  type BulkTarget,
  type ExportFinished,
  type ExportProgress,
} from '../../../../shared/organise';
import { api } from '../../bridge';
import { useBridgeEvent } from '../../bridge/useBridgeEvent';
import type { HistoryFilter } from '../../gallery/history-pager';
import { errorText, toInfo } from '../../i18n/errors';
import { useI18n, type I18n } from '../../i18n/i18n';
import { Icon } from '../../ui/Icon';
import { IconButton } from '../../ui/IconButton';
import { Modal } from '../../ui/Modal';
import { useToasts } from '../../ui/toast-context';
import { useOrganise, type ExportSource } from '../context';
import { exampleName } from '../export-name';
import { selectedCount, toTargets } from '../selection';
import { newOperationId } from '../useBulk';
import {
  defaultZipName,
  isAbsolutePath,
  loadExportForm,
  storeExportForm,
  toExportRequest,
  type ExportForm,
} from './export-form';
import './export.css';

type Phase =
  | { kind: 'form' }
  | {
      kind: 'running';
      operationId: string;
      total: number;
      destination: string;
      progress: ExportProgress | null;
      cancelling: boolean;
    }
  | { kind: 'finished'; result: ExportFinished };

/** The result of an export in words (the dialog's and the toast's). */
export function exportResultText(i18n: I18n, r: ExportFinished): string {
  if (r.status === 'cancelled') return i18n.t('org.exp.cancelled');
  if (r.status === 'failed') return i18n.t('org.exp.failed', { detail: r.error ? errorText(i18n, r.error) : '' });
  return i18n.tn('org.exp.done', r.written, { where: r.destination, bytes: i18n.formatBytes(r.bytes) });
}

/**
 * Export a selection, a board or what the filters show, to a folder or one ZIP: PNG as stored, or
 * JPEG/WebP with the parameters in EXIF; sidecars and a CSV; file names from a pattern with a live
 * example; progress with Cancel; the result in words.
 */
export function ExportDialog({
  source: initialSource,
  filter,
  onClose,
}: {
  source: ExportSource;
  filter: HistoryFilter;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t, tn } = i18n;
  const toasts = useToasts();
  const { organiser, boards } = useOrganise();
  const selection = useSyncExternalStore(organiser.selection.subscribe, organiser.selection.get);
  const filterTotal = useSyncExternalStore(organiser.pager.subscribe, () => organiser.pager.getSnapshot().total ?? 0);
  const selCount = selectedCount(selection, filterTotal);
  const boardList = useMemo(() => boards.state?.boards ?? [], [boards.state]);
  const [source, setSource] = useState<ExportSource>(() =>
    initialSource.kind === 'selection' && selCount === 0 ? { kind: 'filter' } : initialSource,
  );
  const [boardId, setBoardId] = useState(
    initialSource.kind === 'board' ? initialSource.boardId : (boardList[0]?.id ?? ''),
  );
  const [form, setForm] = useState<ExportForm>(loadExportForm);
  const [chooseFolder, setChooseFolder] = useState(false);
  const [pathError, setPathError] = useState<string | null>(null);
  const [startError, setStartError] = useState<ErrorInfo | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'form' });
  const [sample, setSample] = useState<HistoryEntry | null>(null);
  const pathRef = useRef<HTMLInputElement>(null);
  const ids = { path: useId(), pathError: useId(), pattern: useId(), example: useId(), title: useId() };
  const set = (patch: Partial<ExportForm>) => setForm((f) => ({ ...f, ...patch }));
  useEffect(() => storeExportForm(form), [form]);

  useEffect(() => {
    api.invoke('app:info', undefined).then(
      (info) => setChooseFolder(info.features.chooseFolder),
      () => {},
    );
  }, []);

  const { targets, count } = useMemo((): { targets: BulkTarget[]; count: number } => {
    if (source.kind === 'selection') return { targets: toTargets(selection), count: selCount };
    if (source.kind === 'board') {
      const b = boardList.find((x) => x.id === boardId);
      return b ? { targets: [{ kind: 'query', query: { board: b.id } }], count: b.count } : { targets: [], count: 0 };
    }
    return { targets: [{ kind: 'query', query: filter }], count: filterTotal };
  }, [source, selection, selCount, boardList, boardId, filter, filterTotal]);
  const target = targets[0];

  // The example's image: the first the export would write.
  useEffect(() => {
    let live = true;
    const first = !target
      ? Promise.resolve(null)
      : target.kind === 'ids'
        ? api.invoke('history:get', { id: target.ids[0]! })
        : api
            .invoke('history:query', { ...target.query, offset: 0, limit: 1 })
            .then((p) => p.items.find((e) => !target.except?.includes(e.id)) ?? p.items[0] ?? null);
    first.then(
      (e) => live && setSample(e),
      () => live && setSample(null),
    );
    return () => {
      live = false;
    };
  }, [target]);

  // Progress and the end of the export this dialog started.
  const running = phase.kind === 'running' ? phase.operationId : null;
  useBridgeEvent('export:progressed', (p) => {
    if (p.operationId === running) setPhase((ph) => (ph.kind === 'running' ? { ...ph, progress: p } : ph));
  });
  useBridgeEvent('export:finished', (r) => {
    if (r.operationId === running) setPhase({ kind: 'finished', result: r });
  });
  // Closed while it runs: the export goes on; its end is said in a toast.
  const runningRef = useRef<string | null>(null);
  useEffect(() => {
    runningRef.current = running;
  }, [running]);
  useEffect(
    () => () => {
      const op = runningRef.current;
      if (!op) return;
      const off = api.on('export:finished', (r) => {
        if (r.operationId !== op) return;
        off();
        toasts.show({ message: exportResultText(i18n, r), tone: r.status === 'done' ? 'success' : 'error' });
      });
    },
    [i18n, toasts],
  );

  const badTokens = unknownPatternTokens(form.pattern);
  const example =
    sample && badTokens.length === 0 ? exampleName(form.pattern, sample, 0, Math.max(1, count), form.format) : null;

  const choose = () => {
    api
      .invoke('export:chooseDestination', {
        kind: form.destKind,
        ...(form.destKind === 'zip' ? { defaultName: defaultZipName() } : {}),
      })
      .then(
        ({ path }) => {
          if (path) {
            set({ path });
            setPathError(null);
          }
        },
        (err: unknown) => setStartError(toInfo(err)),
      );
  };

  const start = () => {
    setStartError(null);
    if (!form.path.trim()) return failPath(t('org.exp.pathMissing'));
    if (!isAbsolutePath(form.path)) return failPath(t('org.exp.pathAbsolute'));
    if (badTokens.length) return;
    if (!target || count === 0) return setStartError({ code: 'invalid-argument', message: t('org.exp.nothing') });
    if (targets.length > 1) return setStartError({ code: 'invalid-argument', message: t('org.exp.tooMany') });
    const operationId = newOperationId('ex');
    setPhase({
      kind: 'running',
      operationId,
      total: count,
      destination: form.path.trim(),
      progress: null,
      cancelling: false,
    });
    api.invoke('export:start', toExportRequest(form, target, operationId)).then(
      (started) =>
        setPhase((ph) =>
          ph.kind === 'running' && ph.operationId === operationId
            ? { ...ph, total: started.total, destination: started.destination }
            : ph,
        ),
      (err: unknown) => {
        setPhase({ kind: 'form' });
        setStartError(toInfo(err));
      },
    );
  };
  const failPath = (message: string) => {
    setPathError(message);
    pathRef.current?.focus();
  };
  const cancel = () => {
    if (phase.kind !== 'running') return;
    setPhase({ ...phase, cancelling: true });
    api.invoke('export:cancel', { operationId: phase.operationId }).catch(() => {});
  };

  const busy = phase.kind === 'running';
  const progress = phase.kind === 'running' ? phase.progress : null;
  const sourceLabel = (kind: ExportSource['kind']) =>
    kind === 'selection'
      ? tn('org.exp.src.selection', selCount)
      : kind === 'board'
        ? t('org.exp.src.board')
        : Object.keys(filter).filter((k) => k !== 'sort').length
          ? tn('org.exp.src.filter', filterTotal)
          : tn('org.exp.src.all', filterTotal);

  return (
    <Modal labelledBy={ids.title} onClose={onClose} className="export-dialog">
      <header className="export-dialog__header">
        <h2 id={ids.title} className="panel-title">
          {t('org.exp.title')}
        </h2>
        <IconButton icon="close" label={t('lb.close')} onClick={onClose} />
      </header>
      <form
        className="export-dialog__body"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) start();
        }}
      >
        <fieldset className="export-dialog__group" disabled={busy}>
          <legend>{t('org.exp.what')}</legend>
          {(['selection', 'board', 'filter'] as const).map((kind) => (
            <label key={kind} className="export-dialog__radio">
              <input
                type="radio"
                name="export-source"
                checked={source.kind === kind}
                disabled={(kind === 'selection' && selCount === 0) || (kind === 'board' && boardList.length === 0)}
                onChange={() => setSource(kind === 'board' ? { kind, boardId } : { kind })}
                data-testid={`export-source-${kind}`}
              />
              {sourceLabel(kind)}
              {kind === 'board' && boardList.length > 0 && (
                <select
                  className="input select export-dialog__board"
                  aria-label={t('org.exp.board')}
                  value={boardId}
                  onChange={(e) => {
                    setBoardId(e.target.value);
                    setSource({ kind: 'board', boardId: e.target.value });
                  }}
                >
                  {boardList.map((b) => (
                    <option key={b.id} value={b.id}>
                      {`${b.name.length > 40 ? `${b.name.slice(0, 39)}…` : b.name} (${i18n.formatNumber(b.count)})`}
                    </option>
                  ))}
                </select>
              )}
            </label>
          ))}
        </fieldset>

        <fieldset className="export-dialog__group" disabled={busy}>
          <legend>{t('org.exp.where')}</legend>
          <div className="export-dialog__row">
            {(['folder', 'zip'] as const).map((k) => (
              <label key={k} className="export-dialog__radio">
                <input
                  type="radio"
                  name="export-dest"
                  checked={form.destKind === k}
                  onChange={() => set({ destKind: k })}
                  data-testid={`export-dest-${k}`}
                />
                {t(k === 'folder' ? 'org.exp.toFolder' : 'org.exp.toZip')}
              </label>
            ))}
          </div>
          <label htmlFor={ids.path} className="field__label">
            {t(form.destKind === 'folder' ? 'org.exp.folder' : 'org.exp.zipFile')}
          </label>
          <div className="export-dialog__path">
            <input
              ref={pathRef}
              id={ids.path}
              className="input"
              value={form.path}
              spellCheck={false}
              autoComplete="off"
              placeholder={form.destKind === 'folder' ? t('org.exp.folderPlaceholder') : t('org.exp.zipPlaceholder')}
              aria-invalid={pathError ? true : undefined}
              aria-describedby={pathError ? ids.pathError : undefined}
              onChange={(e) => {
                set({ path: e.target.value });
                setPathError(null);
              }}
              data-testid="export-path"
            />
            {chooseFolder && (
              <button type="button" className="btn" onClick={choose}>
                <Icon name="folder" /> {t('org.exp.choose')}
              </button>
            )}
          </div>
          {pathError ? (
            <span id={ids.pathError} className="field__error" role="alert">
              {pathError}
            </span>
          ) : (
            <span className="field__hint">
              {t(form.destKind === 'folder' ? 'org.exp.folderHint' : 'org.exp.zipHint')}
            </span>
          )}
          {form.destKind === 'zip' && (
            <label className="export-dialog__check">
              <input type="checkbox" checked={form.overwrite} onChange={(e) => set({ overwrite: e.target.checked })} />
              {t('org.exp.overwrite')}
            </label>
          )}
        </fieldset>

        <fieldset className="export-dialog__group" disabled={busy}>
          <legend>{t('org.exp.format')}</legend>
          <div className="export-dialog__row">
            {EXPORT_FORMATS.map((f) => (
              <label key={f} className="export-dialog__radio">
                <input
                  type="radio"
                  name="export-format"
                  checked={form.format === f}
                  onChange={() => set({ format: f })}
                  data-testid={`export-format-${f}`}
                />
                {f === 'png' ? 'PNG' : f === 'jpeg' ? 'JPEG' : 'WebP'}
              </label>
            ))}
            {form.format !== 'png' && (
              <label className="export-dialog__quality">
                {t('org.exp.quality')}
                <input
                  type="range"
                  min={1}
                  max={100}
                  value={form.quality}
                  onChange={(e) => set({ quality: Number(e.target.value) })}
                />
                <output>{form.quality}</output>
              </label>
            )}
          </div>
          <span className="field__hint">{t(form.format === 'png' ? 'org.exp.pngHint' : 'org.exp.exifHint')}</span>
          <label className="export-dialog__check">
            <input type="checkbox" checked={form.sidecar} onChange={(e) => set({ sidecar: e.target.checked })} />
            {t('org.exp.sidecar')}
          </label>
          <label className="export-dialog__check">
            <input
              type="checkbox"
              checked={form.csv}
              onChange={(e) => set({ csv: e.target.checked })}
              data-testid="export-csv"
            />
            {t('org.exp.csv')}
          </label>
        </fieldset>

        <fieldset className="export-dialog__group" disabled={busy}>
          <legend>
            <label htmlFor={ids.pattern}>{t('org.exp.pattern')}</label>
          </legend>
          <input
            id={ids.pattern}
            className="input"
            value={form.pattern}
            maxLength={200}
            spellCheck={false}
            aria-invalid={badTokens.length ? true : undefined}
            aria-describedby={ids.example}
            onChange={(e) => set({ pattern: e.target.value })}
            data-testid="export-pattern"
          />
          <span
            id={ids.example}
            className={badTokens.length ? 'field__error' : 'export-dialog__example'}
            aria-live="polite"
          >
            {badTokens.length
              ? t('org.exp.unknownTokens', { tokens: badTokens.join(' ') })
              : example
                ? t('org.exp.example', { name: example })
                : ''}
          </span>
          <span className="field__hint">
            {t('org.exp.tokens', { tokens: EXPORT_PATTERN_TOKENS.map((x) => `{${x}}`).join(' ') })}
          </span>
        </fieldset>

        <footer className="export-dialog__footer">
          {startError && (
            <p className="notice notice--error" role="alert" data-testid="export-error">
              {errorText(i18n, startError)}
            </p>
          )}
          {phase.kind === 'running' && (
            <div className="export-dialog__progress" role="status" data-testid="export-progress">
              <span>
                {phase.cancelling
                  ? t('org.exp.cancelling')
                  : progress
                    ? t('org.exp.running', {
                        done: i18n.formatNumber(progress.done),
                        total: i18n.formatNumber(progress.total),
                        bytes: i18n.formatBytes(progress.bytes),
                      })
                    : t('org.exp.starting')}
              </span>
              <span
                className={progress ? 'progress' : 'progress progress--indeterminate'}
                role="progressbar"
                aria-label={t('org.exp.progress')}
                aria-valuemin={0}
                aria-valuemax={progress?.total ?? phase.total}
                aria-valuenow={progress?.done}
              >
                <span
                  className="progress__bar"
                  style={
                    progress
                      ? { width: `${Math.round((progress.done / Math.max(1, progress.total)) * 100)}%` }
                      : undefined
                  }
                />
              </span>
            </div>
          )}
          {phase.kind === 'finished' && (
            <div
              className={phase.result.status === 'done' ? 'notice' : 'notice notice--error'}
              role="status"
              data-testid="export-result"
              data-status={phase.result.status}
            >
              <p>{exportResultText(i18n, phase.result)}</p>
              {phase.result.skipped.length > 0 && (
                <>
                  <p>{tn('org.exp.skipped', phase.result.skipped.length)}</p>
                  <ul className="export-dialog__skipped">
                    {phase.result.skipped.slice(0, 8).map((s) => (
                      <li key={s.id}>{`${s.id}: ${errorText(i18n, s.error)}`}</li>
                    ))}
                    {phase.result.skipped.length > 8 && (
                      <li>{tn('org.exp.skippedMore', phase.result.skipped.length - 8)}</li>
                    )}
                  </ul>
                </>
              )}
            </div>
          )}

          <div className="export-dialog__buttons">
            {phase.kind === 'running' ? (
              <button
                type="button"
                className="btn"
                onClick={cancel}
                disabled={phase.cancelling}
                data-testid="export-cancel"
              >
                {t('org.cancel')}
              </button>
            ) : (
              <>
                <button type="button" className="btn" onClick={onClose}>
                  {t(phase.kind === 'finished' ? 'lb.close' : 'org.cancel')}
                </button>
                <button type="submit" className="btn btn--primary" data-testid="export-start">
                  <Icon name="download" /> {count > 0 ? tn('org.exp.startN', count) : t('org.exp.start')}
                </button>
              </>
            )}
          </div>
        </footer>
      </form>
    </Modal>
  );
}
