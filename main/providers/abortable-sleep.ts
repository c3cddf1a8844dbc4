/** A wait that a cancel ends at once (with the `cancelled` AppError). */
import { AppError } from '../../shared/errors';

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new AppError('cancelled', 'Cancelled.'));
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(new AppError('cancelled', 'Cancelled.'));
    }
    signal.addEventListener('abort', abort, { once: true });
  });
}
