/**
 * The export dialog's live example of a file-name pattern, by the same rules the export names its
 * files with (shared/export-names.ts); the main side also numbers the taken ones.
 */
import type { ExportFormat } from '../../../shared/organise';
import type { HistoryEntry } from '../../../shared/library';
import { patternBaseName } from '../../../shared/export-names';

export const extensionOf = (format: ExportFormat): string => (format === 'jpeg' ? 'jpg' : format);

/** The file name `pattern` gives the image at `index` (0-based) of an export of `total`, with its extension. */
export function exampleName(
  pattern: string,
  entry: HistoryEntry,
  index: number,
  total: number,
  format: ExportFormat,
): string {
  const base = patternBaseName(pattern, entry, index, total);
  return `${base}.${extensionOf(format)}`;
}
