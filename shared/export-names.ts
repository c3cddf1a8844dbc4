/**
 * Export file names from a pattern (`{date}_{time}_{prompt}_{seed}`: EXPORT_PATTERN_TOKENS in
 * organise.ts), made safe on every OS. One home for both sides: the export names its files with it
 * (main/export/names.ts adds numbering of taken names), the export dialog shows a live example.
 *
 * Safe means: NFC (macOS stores decomposed names; two spellings of "é" must not become two files
 * that look the same), no control characters and none of `< > : " / \ | ? *` (Windows; `/` and `\`
 * would also make folders), no leading dot (hidden) or dash, no trailing dot or space (Windows drops
 * them), not a reserved Windows device name (CON, PRN, AUX, NUL, COM1–9, LPT1–9, also with an
 * extension or superscript digits), at most 120 UTF-8 bytes before the extension (room for a
 * number and the longest extension within every file system's 255).
 */
import type { HistoryEntry } from './library';

export const MAX_BASE_BYTES = 120;
const DEFAULT_PROMPT_WORDS = 6;

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f<>:"/\\|?*]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
const TOKEN_RE = /\{([a-z]+)(?::(\d{1,2}))?\}/g;
const encoder = new TextEncoder();

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const utf8Length = (s: string) => encoder.encode(s).length;

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

/** Cut to at most `max` UTF-8 bytes at a code point boundary. */
export function cutBytes(s: string, max: number): string {
  if (utf8Length(s) <= max) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const b = utf8Length(ch);
    if (bytes + b > max) break;
    out += ch;
    bytes += b;
  }
  return out;
}

/** A base name (no extension) safe on Windows, macOS and Linux; never empty. */
export function safeBaseName(raw: string, maxBytes = MAX_BASE_BYTES): string {
  let s = raw.normalize('NFC').replace(UNSAFE, '_').replace(/\s+/g, ' ');
  s = s.replace(/^[\s.-]+/, '');
  s = cutBytes(s, maxBytes).replace(/[\s.]+$/, '');
  if (!s) s = 'image';
  if (RESERVED.test(s.split('.')[0]!.trim())) s = `_${s}`;
  return s;
}

/**
 * The safe base name `pattern` gives the image at `index` (0-based) of an export of `total` images.
 * Date and time are the image's creation on this computer's clock.
 */
export function patternBaseName(
  pattern: string,
  e: Pick<HistoryEntry, 'createdAt' | 'seed' | 'prompt' | 'id' | 'model' | 'rating' | 'width' | 'height'>,
  index: number,
  total: number,
): string {
  const at = new Date(e.createdAt);
  const width = String(Math.max(1, total)).length;
  const raw = pattern.replace(TOKEN_RE, (_m, name: string, count?: string) => {
    switch (name) {
      case 'date':
        return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
      case 'time':
        return `${pad(at.getHours())}-${pad(at.getMinutes())}-${pad(at.getSeconds())}`;
      case 'seed':
        return String(e.seed);
      case 'prompt':
        return promptWords(e.prompt, count === undefined ? DEFAULT_PROMPT_WORDS : Number(count));
      case 'id':
        return e.id;
      case 'index':
        return pad(index + 1, width);
      case 'model':
        return e.model;
      case 'rating':
        return String(e.rating ?? 0);
      case 'width':
        return String(e.width);
      case 'height':
        return String(e.height);
      default:
        return '';
    }
  });
  // Tokens that came out empty (a prompt of only symbols) leave no doubled separators behind.
  return safeBaseName(raw.replace(/([_\- ])[_\- ]+/g, '$1').replace(/^[_\- ]+|[_\- ]+$/g, ''));
}
