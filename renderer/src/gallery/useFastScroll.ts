/**
 * True while the element scrolls faster than a person can look at thumbnails. The grid then shows
 * placeholders instead of starting hundreds of image loads that would be off screen a frame later;
 * the thumbnails come in as soon as the scroll slows down. Changes state only on transitions.
 */
import { useEffect, useState, type RefObject } from 'react';

/** px per ms: about a third of a row per frame at 60 fps. */
const FAST = 3;
const SETTLE_MS = 120;

export function useFastScroll(ref: RefObject<HTMLElement | null>): boolean {
  const [fast, setFast] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let lastTop = el.scrollTop;
    let lastTime = performance.now();
    let isFast = false;
    let timer: number | undefined;
    const settle = () => {
      isFast = false;
      setFast(false);
    };
    const onScroll = () => {
      const now = performance.now();
      const speed = Math.abs(el.scrollTop - lastTop) / Math.max(1, now - lastTime);
      lastTop = el.scrollTop;
      lastTime = now;
      if (speed > FAST && !isFast) {
        isFast = true;
        setFast(true);
      }
      if (isFast) {
        window.clearTimeout(timer);
        timer = window.setTimeout(settle, SETTLE_MS);
      }
    };
    // Capture: runs before the virtualizer re-renders the grid, so reading scrollTop forces no layout.
    el.addEventListener('scroll', onScroll, { passive: true, capture: true });
    return () => {
      el.removeEventListener('scroll', onScroll, { capture: true });
      window.clearTimeout(timer);
    };
  }, [ref]);
  return fast;
}
