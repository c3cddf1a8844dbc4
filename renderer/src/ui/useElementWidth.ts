/** An element's content width, live (ResizeObserver). */
import { useLayoutEffect, useState, type RefObject } from 'react';

export function useElementWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Measured now, before the first paint: the observer reports a frame later, and what depends on
    // the width (the gallery's columns) would paint empty first. Its own padding is counted in
    // clientWidth: the elements measured here have none.
    setWidth(el.clientWidth);
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
