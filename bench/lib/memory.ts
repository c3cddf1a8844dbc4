/**
 * Memory high-water marks of the current process. RSS comes from the kernel's own peak
 * (getrusage maxRSS: exact, whole process lifetime); the JS heap plus buffers is sampled, since
 * V8 keeps no peak of its own (a sampler can miss a spike shorter than its interval).
 */
export interface MemoryPeaks {
  /** RSS when sampling started (after set-up and a GC): what the process holds at rest. */
  idleRss: number;
  /** Peak RSS of the process so far (bytes). */
  peakRss: number;
  /** Highest sampled heapUsed + arrayBuffers (Buffers live outside the V8 heap). */
  peakHeapAndBuffers: number;
}

export function startMemorySampler(intervalMs = 10): { stop(): MemoryPeaks } {
  (globalThis as { gc?: () => void }).gc?.();
  const idleRss = process.memoryUsage.rss();
  let peak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.arrayBuffers);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { idleRss, peakRss: process.resourceUsage().maxRSS * 1024, peakHeapAndBuffers: peak };
    },
  };
}
