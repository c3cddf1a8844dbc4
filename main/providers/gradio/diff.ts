/**
 * sse_v3 output diffs: from the second `process_generating` on, Gradio sends each output as a list
 * of edits against its previous value, e.g. `[["replace", ["url"], "https://…"]]`.
 */
import { AppError } from '../../../shared/errors';

export type DiffAction = 'replace' | 'append' | 'add' | 'delete';
export type DiffOp = [DiffAction, (string | number)[], unknown?];

const ACTIONS: ReadonlySet<string> = new Set(['replace', 'append', 'add', 'delete']);

const isOp = (v: unknown): v is DiffOp =>
  Array.isArray(v) &&
  (v.length === 2 || v.length === 3) &&
  typeof v[0] === 'string' &&
  ACTIONS.has(v[0]) &&
  Array.isArray(v[1]) &&
  (v[1] as unknown[]).every((k) => typeof k === 'string' || typeof k === 'number');

/** A list of edit ops (an empty list is "no change"); a FileData or a plain value is never one. */
export function isDiff(value: unknown): value is DiffOp[] {
  return Array.isArray(value) && value.every(isOp);
}

const bad = (msg: string) => new AppError('protocol', `The Space sent an invalid output update: ${msg}.`);

/** Applies `ops` to a copy of `prev` (which is never mutated). */
export function applyDiff(prev: unknown, ops: readonly DiffOp[]): unknown {
  let root: unknown = prev === undefined ? null : structuredClone(prev);
  for (const [action, path, value] of ops) root = applyOp(root, action, path, value);
  return root;
}

function applyOp(root: unknown, action: DiffAction, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) {
    if (action === 'replace') return structuredClone(value);
    if (action === 'append') return appendTo(root, value);
    throw bad(`"${action}" needs a path`);
  }
  let parent: unknown = root;
  for (const key of path.slice(0, -1)) {
    if (!isContainer(parent)) throw bad(`path ${JSON.stringify(path)} does not exist`);
    parent = (parent as Record<string | number, unknown>)[key];
  }
  if (!isContainer(parent)) throw bad(`path ${JSON.stringify(path)} does not exist`);
  const last = path[path.length - 1]!;
  const obj = parent as Record<string | number, unknown>;
  switch (action) {
    case 'replace':
      obj[last] = structuredClone(value);
      break;
    case 'append':
      obj[last] = appendTo(obj[last], value);
      break;
    case 'add':
      if (Array.isArray(parent)) parent.splice(index(last, parent.length + 1), 0, structuredClone(value));
      else obj[last] = structuredClone(value);
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(index(last, parent.length), 1);
      else delete obj[last];
      break;
  }
  return root;
}

const isContainer = (v: unknown): v is object => typeof v === 'object' && v !== null;

function index(key: string | number, size: number): number {
  const i = Number(key);
  if (!Number.isInteger(i) || i < 0 || i >= size) throw bad(`index ${String(key)} is out of range`);
  return i;
}

function appendTo(target: unknown, value: unknown): unknown {
  if (typeof target === 'string' && typeof value === 'string') return target + value;
  if (Array.isArray(target)) return [...(target as unknown[]), ...(Array.isArray(value) ? value : [value])];
  if (target === null || target === undefined) return structuredClone(value);
  throw bad('"append" to a value that is neither text nor a list');
}

/**
 * Merges one `generating` payload into the previous outputs: each output is either a new value or
 * (sse_v3) a diff against its previous value. Non-arrays are a protocol error.
 */
export function mergeOutputs(prev: readonly unknown[] | null, data: unknown): unknown[] {
  if (!Array.isArray(data)) throw bad('the outputs are not a list');
  return data.map((v: unknown, i) => (isDiff(v) ? applyDiff(prev?.[i] ?? null, v) : v));
}
