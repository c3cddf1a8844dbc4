/** The export dialog's choices, remembered per window, and the request they become. */
import {
  DEFAULT_EXPORT_PATTERN,
  EXPORT_FORMATS,
  type BulkTarget,
  type ExportFormat,
  type ExportRequest,
} from '../../../../shared/organise';

export interface ExportForm {
  destKind: 'folder' | 'zip';
  /** Absolute: a folder, or a .zip file. */
  path: string;
  overwrite: boolean;
  format: ExportFormat;
  quality: number;
  sidecar: boolean;
  csv: boolean;
  pattern: string;
}

export const DEFAULT_EXPORT_FORM: ExportForm = {
  destKind: 'folder',
  path: '',
  overwrite: false,
  format: 'png',
  quality: 90,
  sidecar: false,
  csv: false,
  pattern: DEFAULT_EXPORT_PATTERN,
};

const KEY = 'flux-gallery.export';

export function loadExportForm(): ExportForm {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<ExportForm> | null;
    if (!raw || typeof raw !== 'object') return DEFAULT_EXPORT_FORM;
    const q = Number(raw.quality);
    return {
      destKind: raw.destKind === 'zip' ? 'zip' : 'folder',
      path: typeof raw.path === 'string' ? raw.path.slice(0, 4096) : '',
      overwrite: false,
      format: EXPORT_FORMATS.includes(raw.format as ExportFormat) ? (raw.format as ExportFormat) : 'png',
      quality: Number.isInteger(q) && q >= 1 && q <= 100 ? q : 90,
      sidecar: raw.sidecar === true,
      csv: raw.csv === true,
      pattern:
        typeof raw.pattern === 'string' && raw.pattern.trim() ? raw.pattern.slice(0, 200) : DEFAULT_EXPORT_PATTERN,
    };
  } catch {
    return DEFAULT_EXPORT_FORM;
  }
}

export function storeExportForm(f: ExportForm): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...f, overwrite: false }));
  } catch {
    // A convenience only.
  }
}

/** A full path on Windows (C:\…, \\server\…) or elsewhere (/…). */
export const isAbsolutePath = (p: string): boolean => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p.trim());

export function toExportRequest(form: ExportForm, target: BulkTarget, operationId: string): ExportRequest {
  const path = form.path.trim();
  return {
    operationId,
    target,
    destination:
      form.destKind === 'folder'
        ? { kind: 'folder', dir: path }
        : { kind: 'zip', file: path, overwrite: form.overwrite },
    format: form.format,
    ...(form.format !== 'png' ? { quality: form.quality } : {}),
    sidecar: form.sidecar,
    csv: form.csv,
    pattern: form.pattern.trim() || DEFAULT_EXPORT_PATTERN,
  };
}

/** A ZIP's suggested name: flux-gallery-2025-03-12.zip. */
export function defaultZipName(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `flux-gallery-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.zip`;
}
