import {
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent as ReactPointerEvent,
  type ReactNode,
} from 'react';
import type { HistoryEntry } from '../../../../shared/library';
import { api } from '../../bridge';
import { providerName } from '../../generate/providers';
import type { Models } from '../../generate/useModels';
import { extraValueText } from '../../generate/extras';
import { errorText, toInfo } from '../../i18n/errors';
import { useI18n, type I18n } from '../../i18n/i18n';
import type { ErrorInfo } from '../../../../shared/errors';
import { Icon } from '../../ui/Icon';
import { IconButton } from '../../ui/IconButton';
import { Modal } from '../../ui/Modal';
import { compareRows, differenceCount, wordDiff, type CompareRow, type RowKey, type Value } from '../compare-diff';
import { OrgIcon } from '../OrgIcon';
import { clampView, FIT, fitRect, stepZoom, zoomAt, type CmpView } from './compare-view';
import './compare.css';

type Mode = 'slider' | 'side';
const MODE_KEY = 'flux-gallery.compareMode';

/**
 * Two images compared: a slider over one another, or side by side; zoom and pan move both at once
 * (wheel, + and −, drag, double-click; 0 fits). Beside them, both parameter lists with the
 * differences marked (the prompts word by word).
 */
export function CompareView({ ids, models, onClose }: { ids: [string, string]; models: Models; onClose: () => void }) {
  const i18n = useI18n();
  const { t, tn } = i18n;
  const [pair, setPair] = useState<[HistoryEntry, HistoryEntry] | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [mode, setModeState] = useState<Mode>(() => {
    try {
      return localStorage.getItem(MODE_KEY) === 'side' ? 'side' : 'slider';
    } catch {
      return 'slider';
    }
  });
  const setMode = (m: Mode) => {
    setModeState(m);
    try {
      localStorage.setItem(MODE_KEY, m);
    } catch {
      // A convenience only.
    }
  };
  const [zoomed, setView] = useState<CmpView>(FIT);
  const [split, setSplit] = useState(0.5);
  const [pane, setPane] = useState({ w: 0, h: 0 });
  // A resize keeps the zoomed view inside the panes.
  const view = clampView(zoomed, pane.w, pane.h);
  const stageRef = useRef<HTMLDivElement>(null);
  const paneRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    Promise.all(ids.map((id) => api.invoke('history:get', { id }))).then(
      ([a, b]) => live && setPair([a!, b!]),
      (err: unknown) => live && setError(toInfo(err)),
    );
    return () => {
      live = false;
    };
  }, [ids]);

  useLayoutEffect(() => {
    const el = paneRef.current;
    if (!el) return;
    const measure = () => setPane({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [mode, pair]);

  const zoomBy = (dir: 1 | -1) =>
    setView((v) => zoomAt(v, stepZoom(v.scale, dir), pane.w / 2, pane.h / 2, pane.w, pane.h));

  // Wheel zooms both around the pointer (not passive: the page must not scroll instead).
  useEffect(() => {
    const el = stageRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      const target = (e.target as Element).closest<HTMLElement>('.cmp-pane');
      if (!target) return;
      e.preventDefault();
      const r = target.getBoundingClientRect();
      const lines = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? r.height : 1;
      const factor = Math.exp(-e.deltaY * lines * (e.ctrlKey ? 0.01 : 0.0015));
      setView((v) => zoomAt(v, v.scale * factor, e.clientX - r.left, e.clientY - r.top, r.width, r.height));
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [pair]);

  // Drag pans both; in the slider view, dragging the divider moves it.
  const drag = useRef<
    { kind: 'pan'; x: number; y: number; from: CmpView } | { kind: 'split'; left: number; width: number } | null
  >(null);
  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    const pane = (e.target as Element).closest<HTMLElement>('.cmp-pane');
    if (!pane) return;
    const r = pane.getBoundingClientRect();
    if (mode === 'slider' && (e.target as Element).closest('.cmp-divider')) {
      drag.current = { kind: 'split', left: r.left, width: r.width };
    } else if (view.scale > 1) {
      drag.current = { kind: 'pan', x: e.clientX, y: e.clientY, from: view };
    } else return;
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    if (d.kind === 'split') setSplit(Math.min(1, Math.max(0, (e.clientX - d.left) / d.width)));
    else
      setView(clampView({ ...d.from, x: d.from.x + e.clientX - d.x, y: d.from.y + e.clientY - d.y }, pane.w, pane.h));
  };
  const onPointerUp = () => {
    drag.current = null;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '+' || e.key === '=') zoomBy(1);
    else if (e.key === '-') zoomBy(-1);
    else if (e.key === '0') setView(FIT);
    else if (e.key === 's' || e.key === 'S') setMode(mode === 'slider' ? 'side' : 'slider');
    else if (e.shiftKey && e.key.startsWith('Arrow') && view.scale > 1) {
      const by = Math.max(40, Math.round(Math.min(pane.w, pane.h) / 8));
      const [dx, dy] = { ArrowLeft: [1, 0], ArrowRight: [-1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key] ?? [0, 0];
      setView((v) => clampView({ ...v, x: v.x + dx! * by, y: v.y + dy! * by }, pane.w, pane.h));
    } else if (mode === 'slider' && (e.key === 'ArrowLeft' || e.key === 'ArrowRight') && !e.shiftKey) {
      setSplit((s) => Math.min(1, Math.max(0, s + (e.key === 'ArrowLeft' ? -0.05 : 0.05))));
    } else return;
    e.preventDefault();
  };

  const [a, b] = pair ?? [null, null];
  const rows = useMemo(() => (a && b ? compareRows(a, b) : []), [a, b]);
  const differences = differenceCount(rows);
  const layer = { transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` };
  const image = (entry: HistoryEntry, side: 'a' | 'b') => {
    const r = fitRect(pane.w, pane.h, entry.width, entry.height);
    return (
      <div className="cmp-layer" style={layer}>
        <img
          className="cmp-img"
          src={api.mediaUrl('image', entry.id)}
          alt={entry.prompt}
          draggable={false}
          data-testid={`compare-image-${side}`}
          style={{ left: r.left, top: r.top, width: r.width, height: r.height }}
        />
      </div>
    );
  };

  return (
    <Modal labelledBy="cmp-title" onClose={onClose} className="cmp" onKeyDown={onKeyDown}>
      <header className="cmp__bar">
        <h2 id="cmp-title" className="cmp__title">
          {t('org.cmp.title')}
        </h2>
        <div className="cmp__modes" role="radiogroup" aria-label={t('org.cmp.mode')}>
          {(['slider', 'side'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={mode === m}
              className="btn btn--small"
              onClick={() => setMode(m)}
              data-testid={`compare-mode-${m}`}
            >
              <OrgIcon name={m === 'slider' ? 'slider' : 'sideBySide'} />
              {t(m === 'slider' ? 'org.cmp.slider' : 'org.cmp.sideBySide')}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="icon-btn cmp__swap"
          aria-label={t('org.cmp.swap')}
          title={t('org.cmp.swap')}
          onClick={() => setPair((p) => (p ? [p[1], p[0]] : p))}
          data-testid="compare-swap"
        >
          <OrgIcon name="swap" />
        </button>
        <div className="cmp__zoom" role="group" aria-label={t('lb.zoom')}>
          <IconButton
            icon="zoomOut"
            label={t('lb.zoomOut')}
            aria-disabled={view.scale <= 1}
            onClick={() => zoomBy(-1)}
          />
          <output className="cmp__zoom-level" aria-live="polite" data-testid="compare-zoom">
            {view.scale <= 1 ? t('org.cmp.fit') : `${Math.round(view.scale * 100)} %`}
          </output>
          <IconButton icon="zoomIn" label={t('lb.zoomIn')} onClick={() => zoomBy(1)} />
        </div>
        <IconButton icon="close" label={t('lb.close')} onClick={onClose} className="cmp__close" />
      </header>
      <div
        ref={stageRef}
        className={`cmp__stage cmp__stage--${mode}`}
        data-testid="compare-stage"
        data-mode={mode}
        data-zoom={view.scale <= 1 ? 'fit' : Number(view.scale.toFixed(3))}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onDoubleClick={(e) => {
          const paneEl = (e.target as Element).closest<HTMLElement>('.cmp-pane');
          if (!paneEl || (e.target as Element).closest('.cmp-divider')) return;
          const r = paneEl.getBoundingClientRect();
          setView((v) => (v.scale > 1 ? FIT : zoomAt(v, 2, e.clientX - r.left, e.clientY - r.top, r.width, r.height)));
        }}
        aria-describedby="cmp-hint"
      >
        {error && (
          <p className="cmp__error" role="alert">
            {t('org.cmp.loadFailed', { detail: errorText(i18n, error) })}
          </p>
        )}
        {!a || !b ? (
          !error && <div className="cmp__loading">{t('app.loading')}</div>
        ) : mode === 'slider' ? (
          <div ref={paneRef} className={view.scale > 1 ? 'cmp-pane cmp-pane--zoomed' : 'cmp-pane'}>
            {image(a, 'a')}
            <div className="cmp-clip" style={{ clipPath: `inset(0 0 0 ${split * 100}%)` }}>
              {image(b, 'b')}
            </div>
            <span className="cmp-tag cmp-tag--a">A</span>
            <span className="cmp-tag cmp-tag--b">B</span>
            <div className="cmp-divider" style={{ left: `${split * 100}%` }}>
              <span className="cmp-divider__handle" aria-hidden="true">
                <Icon name="left" />
                <Icon name="right" />
              </span>
              <input
                type="range"
                className="cmp-divider__input"
                min={0}
                max={100}
                step={1}
                value={Math.round(split * 100)}
                aria-label={t('org.cmp.divider')}
                onChange={(e) => setSplit(Number(e.target.value) / 100)}
                data-testid="compare-divider"
              />
            </div>
          </div>
        ) : (
          <>
            <div ref={paneRef} className={view.scale > 1 ? 'cmp-pane cmp-pane--zoomed' : 'cmp-pane'}>
              {image(a, 'a')}
              <span className="cmp-tag cmp-tag--a">A</span>
            </div>
            <div className={view.scale > 1 ? 'cmp-pane cmp-pane--zoomed' : 'cmp-pane'}>
              {image(b, 'b')}
              <span className="cmp-tag cmp-tag--a">B</span>
            </div>
          </>
        )}
      </div>
      <p id="cmp-hint" className="visually-hidden">
        {t('org.cmp.hint')}
      </p>
      <aside className="cmp__side" aria-labelledby="cmp-params">
        <h3 id="cmp-params" className="cmp__subtitle">
          {t('org.cmp.params')}
          <span className="cmp__count" data-testid="compare-differences">
            {differences ? tn('org.cmp.differences', differences) : t('org.cmp.noDifferences')}
          </span>
        </h3>
        {a && b && <CompareTable a={a} b={b} rows={rows} models={models} />}
      </aside>
    </Modal>
  );
}

function CompareTable({
  a,
  b,
  rows,
  models,
}: {
  a: HistoryEntry;
  b: HistoryEntry;
  rows: CompareRow[];
  models: Models;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const prompts = useMemo(() => wordDiff(a.prompt, b.prompt), [a.prompt, b.prompt]);
  const cell = (row: CompareRow, side: 'a' | 'b'): ReactNode => {
    const entry = side === 'a' ? a : b;
    const value = side === 'a' ? row.a : row.b;
    if (row.key === 'prompt') {
      return (prompts[side] ?? []).map((s, i) =>
        s.changed ? (
          <mark key={i} className="cmp-mark">
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      );
    }
    if (row.key === 'extra') {
      const provider = models.providers.find((p) => p.id === entry.providerId);
      const input = provider?.extraInputs.find((x) => x.key === row.name);
      if (value === undefined) return '—';
      if (typeof value === 'boolean') return t(value ? 'misc.on' : 'misc.off');
      if (typeof value === 'number') return i18n.formatNumber(value);
      return extraValueText(input, String(value));
    }
    return valueText(i18n, row.key, value, entry, models.providers);
  };
  return (
    <table className="cmp-table" data-testid="compare-params">
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">{t('org.cmp.param')}</span>
          </th>
          <th scope="col">A</th>
          <th scope="col">B</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr
            key={`${row.key}-${row.name ?? i}`}
            className={row.differs ? 'cmp-row cmp-row--diff' : 'cmp-row'}
            data-testid="compare-row"
            data-key={row.name ?? row.key}
            data-differs={row.differs}
          >
            <th scope="row">
              {row.differs && (
                <span className="cmp-row__mark" aria-hidden="true">
                  ≠
                </span>
              )}
              {rowLabel(i18n, row)}
              {row.differs && <span className="visually-hidden"> ({t('org.cmp.differs')})</span>}
            </th>
            <td className={row.key === 'prompt' || row.key === 'negativePrompt' ? 'cmp-long' : undefined}>
              {cell(row, 'a')}
            </td>
            <td className={row.key === 'prompt' || row.key === 'negativePrompt' ? 'cmp-long' : undefined}>
              {cell(row, 'b')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const LABELS: Record<Exclude<RowKey, 'extra' | 'rating' | 'servedBy'>, Parameters<I18n['t']>[0]> = {
  prompt: 'lb.p.prompt',
  negativePrompt: 'lb.p.negativePrompt',
  style: 'lb.p.style',
  model: 'lb.p.model',
  provider: 'lb.p.provider',
  size: 'lb.p.size',
  steps: 'lb.p.steps',
  guidance: 'lb.p.guidance',
  seed: 'lb.p.seed',
  created: 'lb.p.created',
};

function rowLabel(i18n: I18n, row: CompareRow): string {
  if (row.key === 'extra') return i18n.t('lb.p.extra', { name: row.name ?? '' });
  if (row.key === 'rating') return i18n.t('org.rating');
  if (row.key === 'servedBy') return i18n.t('org.cmp.servedBy');
  return i18n.t(LABELS[row.key]);
}

function valueText(
  i18n: I18n,
  key: RowKey,
  value: Value,
  entry: HistoryEntry,
  providers: Parameters<typeof providerName>[1],
): string {
  if (value === undefined || value === '') return '—';
  switch (key) {
    case 'model':
      return i18n.t(`gen.model.${entry.model}`);
    case 'provider':
      return providerName(entry.providerId, providers);
    case 'guidance':
      return i18n.formatNumber(Number(value));
    case 'rating':
      return Number(value) > 0 ? i18n.tn('org.stars', Number(value)) : i18n.t('org.group.noStars');
    case 'created':
      return i18n.formatDateTime(String(value));
    default:
      return String(value);
  }
}
