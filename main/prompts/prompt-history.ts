/**
 * Prompt history (issue 16): the last MAX_PROMPT_HISTORY prompts submitted, each with the parameters
 * it was submitted with (the prompt as typed and the style's name, not the styled prompt), pinned ones
 * kept beyond the limit and listed first. One record per prompt text: submitting it again bumps its
 * `uses` and `at` and keeps the newest parameters.
 *
 * Stored in the app's data folder as `prompts.json`, written atomically (temp file, fsync, rename).
 * The app and the CLI may both write it: before each change the file is read again when another
 * process changed it since (its size or time differ from what this one last saw or wrote). A file
 * that cannot be read as prompt history is set aside (`prompts.json.corrupt-<time>`), never fatal.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { GenerationParamsSchema, LIMITS, type GenerationParams } from '../../shared/params';
import { MAX_PROMPT_HISTORY, type PromptRecord } from '../../shared/queue';
import { writeFileAtomicSync } from '../library/atomic-write';

export const PROMPTS_FILE = 'prompts.json';
/** Pinned prompts kept at most (besides the MAX_PROMPT_HISTORY others): the file stays bounded. */
export const MAX_PINNED_PROMPTS = 500;
/** A file larger than this is not prompt history the app wrote (1000 prompts of 2000 characters fit). */
export const MAX_PROMPTS_FILE_BYTES = 16 * 1024 * 1024;

interface PromptsFile {
  app: 'flux-gallery';
  kind: 'prompts';
  v: 1;
  items: PromptRecord[];
}

export interface PromptHistory {
  /** Records one prompt as submitted (`params.prompt`); the same text again bumps its record. */
  record(params: GenerationParams): PromptRecord;
  /** Pinned first, then newest; `text`: every word must appear (case-insensitive). */
  list(q?: { text?: string | undefined; limit?: number }): PromptRecord[];
  pin(id: string, pinned: boolean): PromptRecord;
  delete(id: string): boolean;
  /** Forgets every prompt (pinned ones too unless `keepPinned`); how many were forgotten. */
  clear(keepPinned: boolean): number;
  readonly file: string;
}

export interface PromptHistoryOptions {
  dataDir: string;
  now?: () => number;
  log?: (message: string, err?: unknown) => void;
  /** Kept besides the pinned ones (tests lower it). */
  max?: number;
}

const ID_RE = /^[A-Za-z0-9_-]{6,64}$/;
const newId = () => randomBytes(9).toString('base64url');

/** A stored record, checked field by field; null when it is not one. */
function recordOf(raw: unknown): PromptRecord | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== 'string' || !ID_RE.test(r.id)) return null;
  if (typeof r.prompt !== 'string' || r.prompt.trim() === '' || r.prompt.length > LIMITS.promptMaxLength) return null;
  if (typeof r.at !== 'number' || !Number.isFinite(r.at)) return null;
  const params = GenerationParamsSchema.safeParse(r.params);
  if (!params.success) return null;
  return {
    id: r.id,
    prompt: r.prompt,
    params: { ...params.data, prompt: r.prompt },
    at: r.at,
    uses: Number.isInteger(r.uses) && (r.uses as number) > 0 ? (r.uses as number) : 1,
    pinned: r.pinned === true,
  };
}

/** Pinned first, then the newest. */
const byPinThenNewest = (a: PromptRecord, b: PromptRecord) =>
  Number(b.pinned) - Number(a.pinned) || b.at - a.at || a.id.localeCompare(b.id);

const copy = (r: PromptRecord): PromptRecord => ({
  ...r,
  params: { ...r.params, ...(r.params.extras ? { extras: { ...r.params.extras } } : {}) },
});

export function createPromptHistory(opts: PromptHistoryOptions): PromptHistory {
  const file = path.join(opts.dataDir, PROMPTS_FILE);
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  const max = opts.max ?? MAX_PROMPT_HISTORY;
  let items: PromptRecord[] = [];
  /** The file as this process last read or wrote it (size and time), to notice another writer. */
  let seen: string | null = null;

  const stamp = (): string | null => {
    try {
      const s = statSync(file);
      // Every write renames a new file into place: a new inode, whatever the size and time.
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return null;
    }
  };

  const setAside = (why: string) => {
    const aside = `${file}.corrupt-${now()}`;
    try {
      renameSync(file, aside);
      log(`prompt history: ${file} ${why}; set aside as ${path.basename(aside)}`);
    } catch (err) {
      log(`prompt history: ${file} ${why} and could not be set aside`, err);
    }
  };

  const load = () => {
    const current = stamp();
    if (current === seen) return;
    seen = current;
    if (current === null) {
      items = [];
      return;
    }
    let text: string;
    try {
      if (statSync(file).size > MAX_PROMPTS_FILE_BYTES) {
        setAside('is too large');
        items = [];
        seen = stamp();
        return;
      }
      text = readFileSync(file, 'utf8');
    } catch (err) {
      // Unreadable now (permissions): keep what is in memory, say so, try again next time.
      log(`prompt history: ${file} could not be read`, err);
      seen = null;
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    const o = parsed as Partial<PromptsFile> | null;
    if (!o || typeof o !== 'object' || o.kind !== 'prompts' || !Array.isArray(o.items)) {
      setAside('is not prompt history');
      items = [];
      seen = stamp();
      return;
    }
    const byText = new Map<string, PromptRecord>();
    let bad = 0;
    for (const raw of o.items) {
      const r = recordOf(raw);
      if (!r) bad++;
      else if (!byText.has(r.prompt)) byText.set(r.prompt, r);
    }
    if (bad > 0) log(`prompt history: ${bad} record(s) could not be read and are left out`);
    items = bound([...byText.values()]);
  };

  /** The pinned ones and the newest `max` others, sorted. */
  const bound = (list: PromptRecord[]): PromptRecord[] => {
    const sorted = [...list].sort(byPinThenNewest);
    const pinned = sorted.filter((r) => r.pinned).slice(0, MAX_PINNED_PROMPTS);
    const rest = sorted.filter((r) => !r.pinned).slice(0, max);
    return [...pinned, ...rest];
  };

  const save = () => {
    const data: PromptsFile = { app: 'flux-gallery', kind: 'prompts', v: 1, items };
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    writeFileAtomicSync(file, JSON.stringify(data));
    seen = stamp();
  };

  /** Re-reads what another process wrote, changes, writes; a write that fails leaves memory as it was. */
  const change = <T>(fn: () => T): T => {
    load();
    const before = items;
    const out = fn();
    try {
      save();
    } catch (err) {
      items = before;
      throw new AppError('io', `The prompt history could not be saved (${(err as Error).message}).`, { cause: err });
    }
    return out;
  };

  const find = (id: string): PromptRecord => {
    const r = items.find((x) => x.id === id);
    if (!r) throw new AppError('not-found', 'That prompt is no longer in the history.');
    return r;
  };

  load();

  return {
    file,
    record(params) {
      return change(() => {
        const prompt = params.prompt.trim();
        const old = items.find((r) => r.prompt === prompt);
        const rec: PromptRecord = {
          id: old?.id ?? newId(),
          prompt,
          params: { ...params, prompt },
          at: Math.max(now(), old ? old.at : 0),
          uses: (old?.uses ?? 0) + 1,
          pinned: old?.pinned ?? false,
        };
        items = bound([rec, ...items.filter((r) => r !== old)]);
        return copy(rec);
      });
    },
    list(q = {}) {
      load();
      const words = (q.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const limit = q.limit ?? 100;
      const out: PromptRecord[] = [];
      for (const r of items) {
        if (out.length >= limit) break;
        const text = r.prompt.toLowerCase();
        if (words.every((w) => text.includes(w))) out.push(copy(r));
      }
      return out;
    },
    pin(id, pinned) {
      return change(() => {
        const r = find(id);
        if (pinned && !r.pinned && items.filter((x) => x.pinned).length >= MAX_PINNED_PROMPTS) {
          throw new AppError(
            'invalid-argument',
            `At most ${MAX_PINNED_PROMPTS} prompts can be pinned: unpin one first.`,
          );
        }
        const next = { ...r, pinned };
        items = bound(items.map((x) => (x === r ? next : x)));
        return copy(next);
      });
    },
    delete(id) {
      load();
      if (!items.some((r) => r.id === id)) return false;
      return change(() => {
        items = items.filter((r) => r.id !== id);
        return true;
      });
    },
    clear(keepPinned) {
      load();
      const gone = items.filter((r) => !(keepPinned && r.pinned)).length;
      if (gone === 0) return 0;
      return change(() => {
        items = keepPinned ? items.filter((r) => r.pinned) : [];
        return gone;
      });
    },
  };
}
