/** An element's content width, live (ResizeObserver). */
import { useLayoutEffect, useState, type RefObject } from 'react';

export function useElementWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width ?? 0;
      // Whole pixels: sub-pixel jitter must not re-layout the grid.
      setWidth((prev) => (Math.round(w) === prev ? prev : Math.round(w)));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}
