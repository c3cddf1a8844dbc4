/**
 * The export dialog's live example of a file-name pattern: the tokens of shared/organise.ts
 * (EXPORT_PATTERN_TOKENS) filled and made safe as the export names its files (main/export/names.ts:
 * NFC, no control or reserved characters, no leading dot or dash, no trailing dot or space, at most
 * 120 UTF-8 bytes, reserved Windows names prefixed). The main side names the real files (and numbers
 * the taken ones); this only shows one.
 */
import type { ExportFormat } from '../../../shared/organise';
import type { HistoryEntry } from '../../../shared/library';

export const MAX_BASE_BYTES = 120;
const DEFAULT_PROMPT_WORDS = 6;
// eslint-disable-next-line no-control-regex -- control characters are what is replaced
const UNSAFE = /[\u0000-\u001f\u007f-\u009f<>:"/\\|?*]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
const TOKEN_RE = /\{([a-z]+)(?::(\d{1,2}))?\}/g;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const encoder = new TextEncoder();

export const extensionOf = (format: ExportFormat): string => (format === 'jpeg' ? 'jpg' : format);

/** The prompt's first `n` words: letters and digits only, joined by `-`. */
export function promptWords(prompt: string, n: number): string {
  return prompt
    .normalize('NFC')
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}\p{N}\p{M}_-]+/gu, ''))
    .filter((w) => w.length > 0)
    .slice(0, n)
    .join('-');
}

function cutBytes(s: string, max: number): string {
  if (encoder.encode(s).length <= max) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const b = encoder.encode(ch).length;
    if (bytes + b > max) break;
    out += ch;
    bytes += b;
  }
  return out;
}

/** A base name (no extension) safe on Windows, macOS and Linux; never empty. */
export function safeBaseName(raw: string): string {
  let s = raw.normalize('NFC').replace(UNSAFE, '_').replace(/\s+/g, ' ');
  s = s.replace(/^[\s.-]+/, '');
  s = cutBytes(s, MAX_BASE_BYTES).replace(/[\s.]+$/, '');
  if (!s) s = 'image';
  if (RESERVED.test(s.split('.')[0]!.trim())) s = `_${s}`;
  return s;
}

/** The file name `pattern` gives the image at `index` (0-based) of an export of `total`, with its extension. */
export function exampleName(
  pattern: string,
  entry: HistoryEntry,
  index: number,
  total: number,
  format: ExportFormat,
): string {
  const at = new Date(entry.createdAt);
  const width = String(Math.max(1, total)).length;
  const raw = pattern.replace(TOKEN_RE, (_m, name: string, count?: string) => {
    switch (name) {
      case 'date':
        return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
      case 'time':
        return `${pad(at.getHours())}-${pad(at.getMinutes())}-${pad(at.getSeconds())}`;
      case 'seed':
        return String(entry.seed);
      case 'prompt':
        return promptWords(entry.prompt, count === undefined ? DEFAULT_PROMPT_WORDS : Number(count));
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
        return '';
    }
  });
  const base = safeBaseName(raw.replace(/([_\- ])[_\- ]+/g, '$1').replace(/^[_\- ]+|[_\- ]+$/g, ''));
  return `${base}.${extensionOf(format)}`;
}
