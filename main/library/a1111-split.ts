/**
 * Splitting an A1111 `parameters` text into its prompt and `Key: value` pairs, in one pass with no
 * backtracking (A1111's own pattern, `\s*(\w[\w \-/]+):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)`, is
 * quadratic on a long run of words without a colon: 11 s for 112 KB).
 *
 * `splitA1111` is self-contained on purpose (no imports, no outer names, plain JavaScript once
 * types are stripped): off-thread.ts runs its source text in a worker thread.
 */

/** The params line is cut to this many characters (a real one is a few hundred). */
export const MAX_PARAMS_LINE = 16 * 1024;
/** Pairs read from it at most. */
export const MAX_PARAMS_PAIRS = 256;
/** Keys longer than this are not A1111 keys. */
export const MAX_KEY_LENGTH = 64;

export interface A1111Split {
  prompt: string;
  /** Keys lowercased, values trimmed (quoted ones still quoted), in order; the first of a key wins later. */
  pairs: [key: string, value: string][];
  /** The params line was longer than `maxLine` and was cut. */
  cut: boolean;
}

export function splitA1111(text: string, maxLine: number, maxPairs: number, maxKey: number): A1111Split {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let paramsAt = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^\s*Steps:\s*\d/.test(lines[i] ?? '')) {
      paramsAt = i;
      break;
    }
  }
  const promptLines = paramsAt < 0 ? lines : lines.slice(0, paramsAt);
  let negative = -1;
  for (let i = 0; i < promptLines.length; i++) {
    if ((promptLines[i] ?? '').startsWith('Negative prompt:')) {
      negative = i;
      break;
    }
  }
  const prompt = (negative < 0 ? promptLines : promptLines.slice(0, negative)).join('\n').trim();

  let line = paramsAt < 0 ? '' : lines.slice(paramsAt).join(' ');
  const cut = line.length > maxLine;
  if (cut) line = line.slice(0, maxLine);

  const pairs: [string, string][] = [];
  const n = line.length;
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
  const keyOk = (k: string) => {
    if (k.length === 0 || k.length > maxKey) return false;
    for (let i = 0; i < k.length; i++) {
      const c = k.charCodeAt(i);
      const word = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
      if (!word && (i === 0 || (c !== 32 && c !== 45 && c !== 47))) return false;
    }
    return true;
  };
  // Once a quoted value had no closing quote, no later one has: remembered, so each character is
  // scanned a bounded number of times.
  let unclosedFrom = n;
  let pos = 0;
  while (pos < n && pairs.length < maxPairs) {
    while (pos < n && isSpace(line[pos])) pos++;
    // The key: up to the first ':' of this segment; a segment without one is skipped.
    let colon = pos;
    while (colon < n && line[colon] !== ':' && line[colon] !== ',') colon++;
    if (colon >= n || line[colon] === ',') {
      pos = colon + 1;
      continue;
    }
    const key = line.slice(pos, colon).trim();
    let v = colon + 1;
    while (v < n && isSpace(line[v])) v++;
    let value: string | null = null;
    let next = -1;
    if (line[v] === '"' && v < unclosedFrom) {
      let j = v + 1;
      while (j < n && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      if (j < n) {
        value = line.slice(v, j + 1);
        next = line.indexOf(',', j + 1);
      } else unclosedFrom = v;
    }
    if (value === null) {
      next = line.indexOf(',', v);
      value = line.slice(v, next < 0 ? n : next);
    }
    if (keyOk(key)) pairs.push([key.toLowerCase(), value.trim()]);
    pos = next < 0 ? n : next + 1;
  }
  return { prompt, pairs, cut };
}
