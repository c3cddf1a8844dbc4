/** A "no progress" timer: aborts its signal with a timeout AppError unless `touch()`ed in time. */
import { AppError } from '../../../shared/errors';
import { seconds } from './http';

export interface Watchdog {
  readonly signal: AbortSignal;
  /** Something meaningful happened (heartbeats do not count). */
  touch(): void;
  stop(): void;
}

export function createWatchdog(ms: number, what: string, providerId?: string): Watchdog {
  const ctl = new AbortController();
  const fire = () => ctl.abort(new AppError('timeout', `${what} made no progress for ${seconds(ms)}.`, { providerId }));
  let timer = setTimeout(fire, ms);
  return {
    signal: ctl.signal,
    touch() {
      clearTimeout(timer);
      if (!ctl.signal.aborted) timer = setTimeout(fire, ms);
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
