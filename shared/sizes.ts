/**
 * Image sizes as a Space accepts them. The FLUX Spaces' width/height are `Slider(256, 2048,
 * step=32)`, and Gradio ≥ 5.39 fails a job whose value is outside the slider's range
 * (`components/slider.py`). Both sides compute the size that goes on the wire here, so the panel's
 * "Sends W × H" is exactly what the provider sends. Zod-free: the renderer's first screen uses it.
 */
import { ASPECT_RATIOS, type AspectRatio } from './constants';

export interface SizeLimits {
  min: number;
  max: number;
  step: number;
}

/** What the FLUX Spaces declare; used until a Space's own `/config` has been read. */
export const DEFAULT_SIZE_LIMITS: SizeLimits = { min: 256, max: 2048, step: 32 };

/** Down onto the slider's grid (min + k·step), inside [min, max]. */
export function snapSize(n: number, limits: SizeLimits): number {
  const step = limits.step > 0 ? limits.step : 1;
  const clamped = Math.min(limits.max, Math.max(limits.min, n));
  return limits.min + Math.floor((clamped - limits.min) / step) * step;
}

export interface SizeRequest {
  aspectRatio: AspectRatio;
  width?: number | undefined;
  height?: number | undefined;
}

export type SizeOutcome =
  | { ok: true; width: number; height: number }
  | { ok: false; field: 'width' | 'height'; value: number; limits: SizeLimits };

/**
 * The size sent for these parameters: an explicit width/height wins and must lie within the limits
 * (it is then snapped down to the grid); otherwise the aspect preset scaled to `longSide`, which
 * always fits.
 */
export function sizeFor(p: SizeRequest, opts: { longSide: number; limits: SizeLimits }): SizeOutcome {
  const { limits } = opts;
  for (const field of ['width', 'height'] as const) {
    const v = p[field];
    if (v !== undefined && (v < limits.min || v > limits.max)) return { ok: false, field, value: v, limits };
  }
  const [aw, ah] = ASPECT_RATIOS[p.aspectRatio];
  const scale = opts.longSide / Math.max(aw, ah);
  return {
    ok: true,
    width: snapSize(p.width ?? Math.round(aw * scale), limits),
    height: snapSize(p.height ?? Math.round(ah * scale), limits),
  };
}

/** English wording of a refused size (the renderer has its own per language). */
export function sizeRefusal(o: Extract<SizeOutcome, { ok: false }>, where: string): string {
  const { min, max } = o.limits;
  const side = o.field === 'width' ? 'Width' : 'Height';
  return `${side} ${o.value} is outside what ${where} accepts (${min}–${max}).`;
}
