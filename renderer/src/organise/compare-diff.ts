/**
 * What differs between two images' parameters (the compare view): the rows both lists show, each
 * marked when its values differ, and a word-level difference of the prompts.
 */
import type { HistoryEntry } from '../../../shared/library';

export type RowKey =
  | 'prompt'
  | 'negativePrompt'
  | 'style'
  | 'model'
  | 'provider'
  | 'servedBy'
  | 'size'
  | 'steps'
  | 'guidance'
  | 'seed'
  | 'extra'
  | 'rating'
  | 'created';

export type Value = string | number | boolean | undefined;

export interface CompareRow {
  key: RowKey;
  /** An extra input's name (a user's Space). */
  name?: string;
  a: Value;
  b: Value;
  /** Generation parameters are compared; `created` is shown, never counted as a difference. */
  compared: boolean;
  differs: boolean;
}

function row(key: RowKey, a: Value, b: Value, compared = true, name?: string): CompareRow {
  return { key, ...(name !== undefined ? { name } : {}), a, b, compared, differs: compared && a !== b };
}

/** The rows of both parameter lists, in the viewer's order; a row neither image has is left out. */
export function compareRows(a: HistoryEntry, b: HistoryEntry): CompareRow[] {
  const rows: CompareRow[] = [
    row('prompt', a.prompt, b.prompt),
    row('negativePrompt', a.params.negativePrompt || undefined, b.params.negativePrompt || undefined),
    row('style', a.params.style || undefined, b.params.style || undefined),
    row('model', a.model, b.model),
    row('provider', a.providerId, b.providerId),
    row('servedBy', a.params.servedBy, b.params.servedBy),
    row('size', `${a.width} × ${a.height}`, `${b.width} × ${b.height}`),
    row('steps', a.params.steps, b.params.steps),
    row('guidance', a.params.guidance, b.params.guidance),
    row('seed', a.seed, b.seed),
  ];
  const names = [...new Set([...Object.keys(a.params.extras ?? {}), ...Object.keys(b.params.extras ?? {})])].sort();
  for (const name of names) rows.push(row('extra', a.params.extras?.[name], b.params.extras?.[name], true, name));
  rows.push(row('rating', a.rating ?? 0, b.rating ?? 0), row('created', a.createdAt, b.createdAt, false));
  return rows.filter((r) => r.a !== undefined || r.b !== undefined);
}

export const differenceCount = (rows: CompareRow[]): number => rows.filter((r) => r.differs).length;

export interface Segment {
  text: string;
  /** Not in the other prompt. */
  changed: boolean;
}

const MAX_WORDS = 400;

/**
 * The two prompts as words (with the spaces kept), each word marked when it is not part of their
 * longest common subsequence. Long prompts (over 400 words) are compared as wholes.
 */
export function wordDiff(a: string, b: string): { a: Segment[]; b: Segment[] } {
  const wa = a.split(/(\s+)/).filter(Boolean);
  const wb = b.split(/(\s+)/).filter(Boolean);
  if (a === b) return { a: [{ text: a, changed: false }], b: [{ text: b, changed: false }] };
  if (wa.length > MAX_WORDS * 2 || wb.length > MAX_WORDS * 2) {
    return { a: [{ text: a, changed: true }], b: [{ text: b, changed: true }] };
  }
  const n = wa.length;
  const m = wb.length;
  // lcs[i][j]: the longest common subsequence of wa[i..] and wb[j..] (words compared case-insensitively).
  const lcs = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  const same = (x: string, y: string) => x.toLowerCase() === y.toLowerCase();
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = same(wa[i]!, wb[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const keepA = new Array<boolean>(n).fill(false);
  const keepB = new Array<boolean>(m).fill(false);
  for (let i = 0, j = 0; i < n && j < m;) {
    if (same(wa[i]!, wb[j]!)) {
      keepA[i++] = true;
      keepB[j++] = true;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) i++;
    else j++;
  }
  const segments = (words: string[], keep: boolean[]): Segment[] => {
    const out: Segment[] = [];
    words.forEach((w, i) => {
      // Spaces never count as a change on their own.
      const changed = !keep[i] && w.trim() !== '';
      const last = out.at(-1);
      if (last && (last.changed === changed || w.trim() === '')) last.text += w;
      else out.push({ text: w, changed });
    });
    return out;
  };
  return { a: segments(wa, keepA), b: segments(wb, keepB) };
}
