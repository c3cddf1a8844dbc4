/**
 * A wait shown as a clock counting down ("1:23:45", "5:07", "0:09"), as ZeroGPU says its "Try again
 * in H:MM:SS": hours only when there are any, seconds rounded up (a wait never reads 0:00 before it
 * is over).
 */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** How long until `until` (ms since epoch) from `now`, never below zero. */
export const remaining = (until: number, now: number): number => Math.max(0, until - now);
