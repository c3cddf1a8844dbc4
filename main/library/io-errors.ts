/** Turns file-system errors into AppErrors a person can act on. */
import { AppError } from '../../shared/errors';

const DISK_FULL = new Set(['ENOSPC', 'EDQUOT']);
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);

export function errnoCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * `what` says what we were doing ("save the image"), `where` the folder or file involved. AppErrors
 * pass through unchanged so callers can wrap whole blocks.
 */
export function toIoError(err: unknown, what: string, where: string): AppError {
  if (err instanceof AppError) return err;
  const code = errnoCode(err);
  if (code && DISK_FULL.has(code)) {
    return new AppError(
      'disk-full',
      `Could not ${what}: the disk holding "${where}" is full. Free some space and try again.`,
      {
        cause: err,
      },
    );
  }
  if (code && NOT_WRITABLE.has(code)) {
    return new AppError(
      'io',
      `Could not ${what}: "${where}" is not writable (${code}). Check the folder's permissions.`,
      {
        cause: err,
      },
    );
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new AppError('io', `Could not ${what} in "${where}": ${detail}`, { cause: err });
}
