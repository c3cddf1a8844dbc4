/** Tags an error with the provider it came from (the fallback trail and the UI need it). */
import { AppError } from '../../shared/errors';

export function tagProvider(err: unknown, providerId: string): AppError {
  if (err instanceof AppError) {
    if (err.providerId === providerId) return err;
    return new AppError(err.code, err.message, {
      providerId,
      cause: err.cause ?? err,
      ...(err.status !== undefined ? { status: err.status } : {}),
      ...(err.quota !== undefined ? { quota: err.quota } : {}),
    });
  }
  if (err instanceof Error && err.name === 'AbortError')
    return new AppError('cancelled', 'Cancelled.', { providerId, cause: err });
  const message = err instanceof Error && err.message ? err.message : String(err);
  return new AppError('internal', `Unexpected error: ${message}`, { providerId, cause: err });
}
