/**
 * The CSV of an export's parameters: RFC 4180 (fields with a comma, quote, CR or LF, or spaces at
 * either end, are quoted, quotes doubled; CRLF between records), UTF-8 with a byte-order mark so
 * spreadsheet programs read it as UTF-8. A text cell starting with `=`, `+`, `-`, `@`, tab or CR
 * gets a leading `'`: a prompt must not run as a spreadsheet formula (OWASP "CSV injection").
 */
import type { HistoryEntry } from '../../shared/library';
import { formatParameters } from '../library/png-metadata';

export const CSV_BOM = '\ufeff';

export const CSV_COLUMNS = [
  'file',
  'id',
  'created',
  'prompt',
  'negative_prompt',
  'model',
  'requested_model',
  'provider',
  'served_by',
  'seed',
  'steps',
  'guidance',
  'width',
  'height',
  'aspect_ratio',
  'style',
  'rating',
  'favourite',
  'boards',
  'parameters',
] as const;

/** One cell: text is defused and quoted as needed; numbers and booleans as they are. */
export function csvCell(value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRecord(cells: readonly (string | number | boolean | undefined | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

export function csvHeader(): string {
  return CSV_BOM + csvRecord(CSV_COLUMNS);
}

/** `file`: the exported image's name; `boardNames`: id → name (ids of deleted boards left out). */
export function csvRow(e: HistoryEntry, file: string, boardNames: ReadonlyMap<string, string>): string {
  const p = e.params;
  return csvRecord([
    file,
    e.id,
    e.createdAt,
    e.prompt,
    p.negativePrompt,
    e.model,
    e.requestedModel,
    e.providerId,
    p.servedBy,
    e.seed,
    p.steps,
    p.guidance,
    e.width,
    e.height,
    p.aspectRatio,
    p.style,
    e.rating ?? 0,
    e.favourite,
    (e.boards ?? [])
      .map((b) => boardNames.get(b))
      .filter((n): n is string => n !== undefined)
      .join('; '),
    formatParameters(e),
  ]);
}
