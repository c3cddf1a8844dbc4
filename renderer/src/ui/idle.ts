/** Runs `fn` once the page is idle (after the first screen's work); returns a cancel for effects. */
export function whenIdle(fn: () => void, timeoutMs = 2000): () => void {
  const id = window.requestIdleCallback(fn, { timeout: timeoutMs });
  return () => window.cancelIdleCallback(id);
}
