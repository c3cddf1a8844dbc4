/** Import of image files and folders into the library (issue 18): the channel's shapes. */
import { z } from 'zod';
import type { ImportSource } from './library';

export const IMPORT_STATUSES = [
  'imported',
  'duplicate',
  'unreadable',
  'not-image',
  'too-large',
  'failed',
  'cancelled',
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportFileResult {
  path: string;
  status: ImportStatus;
  /** The new entry (imported) or the entry it duplicates, when known. */
  id?: string;
  /** The tool its parameters came from; absent when none were found. */
  source?: ImportSource;
  /** Why, in words (every status but `imported`; for `imported`, a note such as unread parameters). */
  message?: string;
}

export interface ImportReport {
  /** Files by path (paths that could not be read first), at most 500 of each status (`counts` has them all). */
  files: ImportFileResult[];
  counts: Record<ImportStatus, number>;
  /** Results not listed in `files` (a status's list is cut so a folder of 100 000 files stays a small report). */
  omitted: number;
  cancelled: boolean;
  elapsedMs: number;
  /** Files past the per-import limit that were not looked at. */
  notScanned: number;
}

export interface ImportProgress {
  done: number;
  total: number;
  imported: number;
  duplicates: number;
  failed: number;
  /** Files per second so far. */
  rate: number;
  /** Estimated time left; null before the first file is done. */
  etaMs: number | null;
  /** The file just finished. */
  file?: string;
  /** The folders are still being walked: `total` is what was found so far (and `etaMs` null). */
  scanning?: boolean;
}

export const ImportOperationIdSchema = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'not an operation id');

/** Files and folders (absolute paths, as the OS gave them on a drop or a menu's dialog). */
export const ImportPathsSchema = z.strictObject({
  paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000),
  operationId: ImportOperationIdSchema.optional(),
});

/** The OS open dialog of "Import images…" (the desktop app): image files, or folders. */
export const IMPORT_CHOOSE_KINDS = ['files', 'folders'] as const;
export const ImportChooseSchema = z.strictObject({ kind: z.enum(IMPORT_CHOOSE_KINDS) });

export interface ImportStarted {
  operationId: string;
}
export type ImportProgressed = ImportProgress & { operationId: string };
export type ImportFinished =
  | ({ operationId: string; status: 'done' | 'cancelled' } & ImportReport)
  | { operationId: string; status: 'failed'; error: { code: string; message: string } };
