/**
 * The export dialog's live example of a file-name pattern: the same tokens the main side fills
 * (shared/organise.ts, EXPORT_PATTERN_TOKENS), made safe the same way, for one image. The main side
 * names the real files; this only shows what they will look like.
 */
import type { ExportFormat } from '../../../shared/organise';
import type { HistoryEntry } from '../../../shared/library';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const TOKEN_RE = /\{([a-z]+)(?::(\d{1,2}))?\}/g;
const MAX_BASE = 120;
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

export const extensionOf = (format: ExportFormat): string => (format === 'jpeg' ? 'jpg' : format);

/** Safe on Windows, macOS and Linux: no separators or reserved characters, no trailing dot or space. */
export function safeBaseName(name: string): string {
  let s = name
    // eslint-disable-next-line no-control-regex -- control characters are what is replaced
    .replace(/[<>:"/\\|?*\u0000-\u001f\u007f]/g, '_')
    .replace(/\s+/g, ' ')
    .trim();
  s = s.replace(/[. ]+$/, '');
  if (s.length > MAX_BASE) s = s.slice(0, MAX_BASE).replace(/[. ]+$/, '');
  if (!s || /^_+$/.test(s)) s = 'image';
  if (RESERVED.test(s)) s = `${s}_`;
  return s;
}

/** The first `n` words of a prompt. */
export const promptWords = (prompt: string, n: number): string =>
  prompt.trim().split(/\s+/).filter(Boolean).slice(0, n).join(' ');

/** The file name `pattern` gives the image at `index` (0-based) of `total`, with its extension. */
export function exampleName(
  pattern: string,
  entry: HistoryEntry,
  index: number,
  total: number,
  format: ExportFormat,
): string {
  const d = new Date(entry.createdAt);
  const valid = !Number.isNaN(d.getTime());
  const width = String(Math.max(1, total)).length;
  const base = pattern.replace(TOKEN_RE, (whole, name: string, count?: string) => {
    switch (name) {
      case 'date':
        return valid ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` : '';
      case 'time':
        return valid ? `${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}` : '';
      case 'seed':
        return String(entry.seed);
      case 'prompt':
        return promptWords(entry.prompt, count ? Math.min(30, Math.max(1, Number(count))) : 6);
      case 'id':
        return entry.id;
      case 'index':
        return pad(index + 1, width);
      case 'model':
        return entry.model;
      case 'rating':
        return String(entry.rating ?? 0);
      case 'width':
        return String(entry.width);
      case 'height':
        return String(entry.height);
      default:
        return whole;
    }
  });
  return `${safeBaseName(base)}.${extensionOf(format)}`;
}
