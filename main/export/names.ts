/**
 * Export file names: a pattern with tokens (shared/organise.ts: `{date}`, `{time}`, `{seed}`,
 * `{prompt}`/`{prompt:N}`, `{id}`, `{index}`, `{model}`, `{rating}`, `{width}`, `{height}`), made
 * safe on every OS, and numbered when taken.
 *
 * Safe means: NFC (macOS stores decomposed names; two spellings of "é" must not become two files
 * that look the same), no control characters and none of `< > : " / \ | ? *` (Windows; `/` and `\`
 * would also make folders), no leading dot (hidden) or dash, no trailing dot or space (Windows drops
 * them), not a reserved Windows device name (CON, PRN, AUX, NUL, COM1–9, LPT1–9, also with an
 * extension or superscript digits), at most 120 UTF-8 bytes before the extension (room for a
 * number and the longest extension within every file system's 255). Names are compared without
 * case (Windows and macOS file systems ignore it): `A.png` and `a.png` are one name.
 */
import type { HistoryEntry } from '../../shared/library';
import { AppError } from '../../shared/errors';
import { EXPORT_PATTERN_TOKENS, unknownPatternTokens } from '../../shared/organise';

export const MAX_BASE_BYTES = 120;
const DEFAULT_PROMPT_WORDS = 6;

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f<>:"/\\|?*]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

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
function cutBytes(s: string, max: number): string {
  if (Buffer.byteLength(s, 'utf8') <= max) return s;
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const b = Buffer.byteLength(ch, 'utf8');
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
  const stem = s.split('.')[0]!;
  if (RESERVED.test(stem.trim())) s = `_${s}`;
  return s;
}

/** Checks a pattern: `invalid-argument` naming its unknown tokens. */
export function checkPattern(pattern: string): void {
  const bad = unknownPatternTokens(pattern);
  if (bad.length > 0) {
    throw new AppError(
      'invalid-argument',
      `The file name pattern has unknown tokens: ${bad.join(', ')}. Use ${EXPORT_PATTERN_TOKENS.map((t) => `{${t}}`).join(', ')} (and {prompt:N} for N words).`,
    );
  }
}

/**
 * The pattern as a function of an entry and its position (0-based) in an export of `total` images.
 * Date and time are the image's creation on this computer's clock.
 */
export function namePattern(pattern: string, total: number): (e: HistoryEntry, index: number) => string {
  checkPattern(pattern);
  const width = String(Math.max(1, total)).length;
  return (e, index) => {
    const at = new Date(e.createdAt);
    const raw = pattern.replace(/\{([a-z]+)(?::(\d{1,2}))?\}/g, (_m, name: string, count?: string) => {
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
  };
}

/**
 * Names already used in a destination (case ignored). `claim` returns a base name whose every
 * `base + ext` is free, numbering `_2`, `_3`… when taken, and takes them.
 */
export class NameBook {
  private readonly taken = new Set<string>();

  constructor(existing: Iterable<string> = []) {
    for (const n of existing) this.taken.add(key(n));
  }

  has(name: string): boolean {
    return this.taken.has(key(name));
  }

  claim(base: string, exts: readonly string[]): string {
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? '' : `_${n}`;
      const candidate = n === 1 ? base : `${cutBytes(base, MAX_BASE_BYTES - suffix.length)}${suffix}`;
      if (exts.every((ext) => !this.taken.has(key(candidate + ext)))) {
        for (const ext of exts) this.taken.add(key(candidate + ext));
        return candidate;
      }
    }
  }

  /** Takes one exact name (numbered the same way when taken): `parameters.csv`, `parameters_2.csv`. */
  claimFile(base: string, ext: string): string {
    return this.claim(base, [ext]) + ext;
  }
}

const key = (name: string) => name.normalize('NFC').toLowerCase();
