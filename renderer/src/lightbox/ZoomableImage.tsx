import { useEffect, useRef, useState } from 'react';
import type { HistoryEntry } from '../../../shared/library';
import { api } from '../bridge';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';

const STEPS = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4];

function nextZoom(z: number | null, dir: 1 | -1): number {
  const current = z ?? 1;
  const next = dir > 0 ? STEPS.find((s) => s > current) : STEPS.findLast((s) => s < current);
  return next ?? current;
}

/** The full image, fitted or at a zoom level; zoomed, it scrolls. Keyed by entry so zoom resets per image. */
export function ZoomableImage({ entry }: { entry: HistoryEntry }) {
  const { t } = useI18n();
  // null = fit to the window.
  const [zoom, setZoom] = useState<number | null>(null);
  const step = (dir: 1 | -1) => setZoom((z) => nextZoom(z, dir));

  const rootRef = useRef<HTMLDivElement>(null);

  // The viewer is modal: zoom keys work wherever focus is inside it, except in text fields, and not
  // in a dialog opened over it (settings).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      const dialog = e.target instanceof Element ? e.target.closest('[role="dialog"]') : null;
      if (dialog && !dialog.contains(rootRef.current)) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '+' || e.key === '=') setZoom((z) => nextZoom(z, 1));
      else if (e.key === '-') setZoom((z) => nextZoom(z, -1));
      else if (e.key === '0') setZoom(null);
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div ref={rootRef} className="lb-image" data-zoom={zoom === null ? 'fit' : zoom}>
      <div className={zoom === null ? 'lb-image__viewport lb-image__viewport--fit' : 'lb-image__viewport'}>
        <img
          className="lb-image__img"
          src={api.mediaUrl('image', entry.id)}
          alt={entry.prompt}
          data-testid="lightbox-image"
          draggable={false}
          style={zoom === null ? undefined : { width: entry.width * zoom, height: entry.height * zoom }}
          onClick={() => setZoom((z) => (z === null ? 1 : null))}
        />
      </div>
      <div className="lb-image__zoom" role="group" aria-label={t('lb.zoom')}>
        <button
          type="button"
          className="icon-btn"
          aria-label={t('lb.zoomOut')}
          title={t('lb.zoomOut')}
          onClick={() => step(-1)}
        >
          <Icon name="zoomOut" />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-label={t('lb.zoomFit')}
          title={t('lb.zoomFit')}
          aria-pressed={zoom === null}
          onClick={() => setZoom(null)}
        >
          <Icon name="fit" />
        </button>
        <output className="lb-image__zoom-level" aria-live="polite">
          {zoom === null ? t('lb.zoomFit') : `${Math.round(zoom * 100)}%`}
        </output>
        <button
          type="button"
          className="icon-btn"
          aria-label={t('lb.zoomIn')}
          title={t('lb.zoomIn')}
          onClick={() => step(1)}
        >
          <Icon name="zoomIn" />
        </button>
      </div>
    </div>
  );
}
