/**
 * sse_v3 preview diffs: utils.py diff(old, new) (4.44.1..6.25.0), used by blocks.py
 * handle_streaming_diffs for every yield after the first of a run (not for the call API, whose
 * requests are `simple_format`). Ops: replace / append (a string that grew) / add / delete.
 */
type Path = (string | number)[];
export type DiffOp = [op: 'replace' | 'append' | 'add' | 'delete', path: Path, value: unknown];

/** Python's `type(a) is not type(b)` for JSON values (int and float are one JS type here). */
const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v);

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function diff(old: unknown, next: unknown): DiffOp[] {
  return compare(old, next, []);
}

function compare(a: unknown, b: unknown, path: Path): DiffOp[] {
  if (equal(a, b)) return [];
  if (typeOf(a) !== typeOf(b)) return [['replace', path, b]];
  if (typeof a === 'string' && typeof b === 'string' && b.startsWith(a)) return [['append', path, b.slice(a.length)]];
  if (Array.isArray(a) && Array.isArray(b)) {
    const edits: DiffOp[] = [];
    const common = Math.min(a.length, b.length);
    for (let i = 0; i < common; i++) edits.push(...compare(a[i], b[i], [...path, i]));
    for (let i = common; i < a.length; i++) edits.push(['delete', [...path, i], null]);
    for (let i = common; i < b.length; i++) edits.push(['add', [...path, i], b[i]]);
    // Deletes are placed at the end; each one shifts the indices of the next.
    let seen = 0;
    for (const e of edits) {
      const last = e[1][e[1].length - 1];
      if (e[0] === 'delete' && typeof last === 'number') {
        e[1] = [...e[1].slice(0, -1), last - seen];
        seen++;
      }
    }
    return edits;
  }
  if (typeOf(a) === 'object') {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const edits: DiffOp[] = [];
    for (const key of Object.keys(x)) {
      if (key in y) edits.push(...compare(x[key], y[key], [...path, key]));
      else edits.push(['delete', [...path, key], null]);
    }
    for (const key of Object.keys(y)) if (!(key in x)) edits.push(['add', [...path, key], y[key]]);
    return edits;
  }
  return [['replace', path, b]];
}
