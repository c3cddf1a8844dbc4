import {
  useEffect,
  useEffectEvent,
  useLayoutEffect,
  useRef,
  useState,
  type PointerEvent as ReactPointerEvent,
} from 'react';
import type { HistoryEntry } from '../../../shared/library';
import { api } from '../bridge';
import { useI18n } from '../i18n/i18n';
import { IconButton } from '../ui/IconButton';

/** Zoom steps of the buttons and keys; the wheel and pinch zoom freely between Fit and MAX_SCALE. */
const STEPS = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8];
const MAX_SCALE = 8;
/** Shift+arrow: which way the view moves over the image. */
const PAN_KEYS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};
/** Room kept free around the fitted image: the arrows at the sides, the zoom bar below. */
const PAD = { left: 72, right: 72, top: 24, bottom: 72 };

/** Where the image is: its scale, and its top-left corner in the viewport (px). */
export interface View {
  scale: number;
  x: number;
  y: number;
}

interface Box {
  w: number;
  h: number;
}

/** The image whole, centred in the room left by the controls; shrunk, never enlarged. */
export function fitView(box: Box, iw: number, ih: number): View {
  const roomW = Math.max(1, box.w - PAD.left - PAD.right);
  const roomH = Math.max(1, box.h - PAD.top - PAD.bottom);
  const scale = Math.min(1, roomW / iw, roomH / ih);
  return {
    scale,
    x: PAD.left + (roomW - iw * scale) / 2,
    y: PAD.top + (roomH - ih * scale) / 2,
  };
}

/** Keeps a zoomed image where it can be seen: centred along an axis it fits, else covering the viewport. */
function clampView(v: View, box: Box, iw: number, ih: number): View {
  const w = iw * v.scale;
  const h = ih * v.scale;
  const x = w <= box.w ? (box.w - w) / 2 : Math.min(0, Math.max(box.w - w, v.x));
  const y = h <= box.h ? (box.h - h) / 2 : Math.min(0, Math.max(box.h - h, v.y));
  return { scale: v.scale, x, y };
}

/** `from` zoomed to `scale` with the point (cx, cy) of the viewport staying where it is. */
function zoomAround(from: View, scale: number, cx: number, cy: number): View {
  const k = scale / from.scale;
  return { scale, x: cx - (cx - from.x) * k, y: cy - (cy - from.y) * k };
}

/**
 * The full image, fitted or zoomed. Zoom steps around the centre (buttons, + and - keys) or the
 * pointer (wheel, pinch, double-click); zoomed, it is dragged to pan. Fit is the smallest the
 * buttons go. Keyed by entry, so each image starts fitted.
 */
export function ZoomableImage({
  entry,
  onZoomedChange,
}: {
  entry: HistoryEntry;
  /** Told whether the image is zoomed (not fitted). */
  onZoomedChange?: (zoomed: boolean) => void;
}) {
  const { t } = useI18n();
  const rootRef = useRef<HTMLDivElement>(null);
  const viewportRef = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState<Box>({ w: 0, h: 0 });
  // null = fitted (follows the window's size).
  const [zoom, setZoom] = useState<View | null>(null);
  const iw = Math.max(1, entry.width);
  const ih = Math.max(1, entry.height);
  const fit = fitView(box, iw, ih);
  const isZoomed = zoom !== null;
  useEffect(() => {
    onZoomedChange?.(isZoomed);
  }, [onZoomedChange, isZoomed]);
  // A zoomed image stays in view when the window is resized.
  const view = zoom ? clampView(zoom, box, iw, ih) : fit;

  useLayoutEffect(() => {
    const el = viewportRef.current!;
    const measure = () => setBox({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  /** Zooms to `scale` (or by `factor` of the current one) around (cx, cy); at or below Fit, fits. */
  const zoomTo = (to: { scale: number } | { factor: number }, cx: number, cy: number) =>
    setZoom((prev) => {
      const from = prev ? clampView(prev, box, iw, ih) : fit;
      const scale = 'scale' in to ? to.scale : from.scale * to.factor;
      if (scale <= fit.scale * 1.0001) return null;
      return clampView(zoomAround(from, Math.min(MAX_SCALE, scale), cx, cy), box, iw, ih);
    });
  const step = (dir: 1 | -1) => {
    const s = view.scale;
    const next = dir > 0 ? (STEPS.find((x) => x > s * 1.001) ?? MAX_SCALE) : STEPS.findLast((x) => x < s * 0.999);
    // Never below Fit from the out button: past it, the image is simply fitted.
    if (next === undefined) setZoom(null);
    // Around the centre: of the fitted image (it grows where it stands), else of the viewport.
    else if (zoom === null) zoomTo({ scale: next }, fit.x + (iw * fit.scale) / 2, fit.y + (ih * fit.scale) / 2);
    else zoomTo({ scale: next }, box.w / 2, box.h / 2);
  };

  // The viewer is modal: zoom keys work wherever focus is inside it, except in text fields, and not
  // in a dialog opened over it (settings).
  const onZoomKey = useEffectEvent((e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
    const dialog = e.target instanceof Element ? e.target.closest('[role="dialog"]') : null;
    if (dialog && !dialog.contains(rootRef.current)) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const pan = PAN_KEYS[e.key];
    if (pan && e.shiftKey) {
      // Shift+arrows move a zoomed image (plain arrows go to the next image).
      if (zoom !== null) {
        const by = Math.max(40, Math.round(Math.min(box.w, box.h) / 8));
        setZoom(clampView({ ...view, x: view.x - pan[0] * by, y: view.y - pan[1] * by }, box, iw, ih));
      }
      e.preventDefault();
      return;
    }
    if (e.key === '+' || e.key === '=') step(1);
    else if (e.key === '-') step(-1);
    else if (e.key === '0') setZoom(null);
    else return;
    e.preventDefault();
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => onZoomKey(e);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  // Wheel zooms around the pointer; a touchpad pinch arrives as a wheel with ctrlKey. Not passive:
  // the page must not scroll or zoom instead.
  const onWheel = useEffectEvent((e: WheelEvent) => {
    e.preventDefault();
    const r = viewportRef.current!.getBoundingClientRect();
    const lines = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? r.height : 1;
    const factor = Math.exp(-e.deltaY * lines * (e.ctrlKey ? 0.01 : 0.0015));
    zoomTo({ factor }, e.clientX - r.left, e.clientY - r.top);
  });
  useEffect(() => {
    const el = viewportRef.current!;
    const listener = (e: WheelEvent) => onWheel(e);
    el.addEventListener('wheel', listener, { passive: false });
    return () => el.removeEventListener('wheel', listener);
  }, []);

  // Drag pans a zoomed image; two fingers pinch.
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef<
    | { kind: 'pan'; x: number; y: number; from: View }
    | { kind: 'pinch'; dist: number; from: View; mid: { x: number; y: number } }
    | null
  >(null);
  const local = (e: ReactPointerEvent) => {
    const r = viewportRef.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const startGesture = () => {
    const pts = [...pointers.current.values()];
    if (pts.length >= 2) {
      const [a, b] = pts as [{ x: number; y: number }, { x: number; y: number }];
      gesture.current = {
        kind: 'pinch',
        dist: Math.max(1, Math.hypot(a.x - b.x, a.y - b.y)),
        from: view,
        mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 },
      };
    } else if (pts.length === 1 && zoom !== null) {
      gesture.current = { kind: 'pan', x: pts[0]!.x, y: pts[0]!.y, from: view };
    } else {
      gesture.current = null;
    }
  };
  const onPointerDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    pointers.current.set(e.pointerId, local(e));
    startGesture();
  };
  const onPointerMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (!pointers.current.has(e.pointerId)) return;
    pointers.current.set(e.pointerId, local(e));
    const g = gesture.current;
    if (!g) return;
    if (g.kind === 'pan') {
      const p = local(e);
      setZoom(clampView({ ...g.from, x: g.from.x + p.x - g.x, y: g.from.y + p.y - g.y }, box, iw, ih));
    } else {
      const [a, c] = [...pointers.current.values()] as [{ x: number; y: number }, { x: number; y: number }];
      const scale = Math.min(MAX_SCALE, g.from.scale * (Math.hypot(a.x - c.x, a.y - c.y) / g.dist));
      if (scale <= fit.scale) setZoom(null);
      else setZoom(clampView(zoomAround(g.from, scale, g.mid.x, g.mid.y), box, iw, ih));
    }
  };
  const onPointerEnd = (e: ReactPointerEvent<HTMLDivElement>) => {
    pointers.current.delete(e.pointerId);
    startGesture();
  };

  const measured = box.w > 0 && box.h > 0;
  return (
    <div ref={rootRef} className="lb-image" data-zoom={zoom === null ? 'fit' : Number(zoom.scale.toFixed(3))}>
      <div
        ref={viewportRef}
        className={zoom === null ? 'lb-image__viewport lb-image__viewport--fit' : 'lb-image__viewport'}
        data-testid="lightbox-viewport"
        aria-describedby="lb-zoom-hint"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerEnd}
        onPointerCancel={onPointerEnd}
        onDoubleClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          // Fit ↔ 100 % (200 % when 100 % is already the fitted size), at the pointer.
          if (zoom === null) zoomTo({ scale: fit.scale < 0.999 ? 1 : 2 }, e.clientX - r.left, e.clientY - r.top);
          else setZoom(null);
        }}
      >
        <img
          className="lb-image__img"
          src={api.mediaUrl('image', entry.id)}
          alt={entry.prompt}
          data-testid="lightbox-image"
          draggable={false}
          style={{
            width: iw * view.scale,
            height: ih * view.scale,
            transform: `translate(${view.x}px, ${view.y}px)`,
            visibility: measured ? undefined : 'hidden',
          }}
        />
      </div>
      <p id="lb-zoom-hint" className="visually-hidden">
        {t('lb.zoomHint')}
      </p>
      <div className="lb-image__zoom" role="group" aria-label={t('lb.zoom')}>
        <IconButton
          icon="zoomOut"
          label={t('lb.zoomOut')}
          // Not disabled: a button that disables itself under the pointer would drop keyboard focus.
          aria-disabled={zoom === null}
          onClick={() => step(-1)}
        />
        <IconButton icon="fit" label={t('lb.zoomFit')} aria-pressed={zoom === null} onClick={() => setZoom(null)} />
        <output className="lb-image__zoom-level" aria-live="polite" data-testid="zoom-level">
          {`${Math.round(view.scale * 100)} %`}
        </output>
        <IconButton
          icon="zoomIn"
          label={t('lb.zoomIn')}
          aria-disabled={view.scale >= MAX_SCALE}
          onClick={() => step(1)}
        />
      </div>
    </div>
  );
}
