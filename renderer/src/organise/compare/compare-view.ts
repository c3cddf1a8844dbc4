/** The compare view's shared zoom and pan: one transform for both images (plain math, tested). */

export interface CmpView {
  /** 1 = fitted. */
  scale: number;
  x: number;
  y: number;
}

export const FIT: CmpView = { scale: 1, x: 0, y: 0 };
export const MAX_ZOOM = 16;
export const ZOOM_STEPS = [1, 1.5, 2, 3, 4, 6, 8, 12, 16];

/** An image fitted (up or down) and centred in a pane. */
export function fitRect(paneW: number, paneH: number, iw: number, ih: number) {
  const s = Math.min(paneW / Math.max(1, iw), paneH / Math.max(1, ih));
  const w = iw * s;
  const h = ih * s;
  return { left: (paneW - w) / 2, top: (paneH - h) / 2, width: w, height: h };
}

/** Keeps the zoomed layer covering the pane (no empty edge dragged in); fitted is always centred. */
export function clampView(v: CmpView, paneW: number, paneH: number): CmpView {
  if (v.scale <= 1) return FIT;
  const x = Math.min(0, Math.max(paneW - paneW * v.scale, v.x));
  const y = Math.min(0, Math.max(paneH - paneH * v.scale, v.y));
  return { scale: v.scale, x, y };
}

/** `v` zoomed to `scale`, the pane point (cx, cy) staying put. */
export function zoomAt(v: CmpView, scale: number, cx: number, cy: number, paneW: number, paneH: number): CmpView {
  const s = Math.min(MAX_ZOOM, Math.max(1, scale));
  const k = s / v.scale;
  return clampView({ scale: s, x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k }, paneW, paneH);
}

/** The next zoom step up or down from `scale` (1 is fit). */
export function stepZoom(scale: number, dir: 1 | -1): number {
  if (dir > 0) return ZOOM_STEPS.find((s) => s > scale * 1.001) ?? MAX_ZOOM;
  return ZOOM_STEPS.findLast((s) => s < scale * 0.999) ?? 1;
}
