/**
 * ↑/↓ in the prompt box walk the prompts submitted before (`prompts:list`), newest first, as a
 * shell walks its history. A walk starts with ↑ in an empty box; while the box still shows the
 * recalled prompt untouched, ↑ with the caret at the very start goes further back and ↓ with the
 * caret at the very end comes forward; past the newest, ↓ gives back what the panel held before
 * the walk (its draft). Editing the recalled text ends the walk: the arrows move the caret again.
 *
 * What a step restores is the panel's choice (GeneratePanel): the prompt with the parameters it
 * was submitted with, or with Alt the prompt alone (the current parameters stay).
 */
import type { PromptRecord } from '../../../shared/queue';

export interface PromptWalk<D> {
  /** Position in `items` of the prompt shown. */
  index: number;
  /** The prompts walked, newest first (fixed for the walk). */
  items: readonly PromptRecord[];
  /** What the panel held before the walk. */
  draft: D;
  /** The text the box shows for the recalled prompt (what "untouched" compares against). */
  shown: string;
}

export type WalkDirection = 'older' | 'newer';

/** Newest first by when each was last submitted (pinned ones are not first here: this is recall, not the list). */
export function walkOrder(items: readonly PromptRecord[]): PromptRecord[] {
  return [...items].sort((a, b) => b.at - a.at);
}

/**
 * Does this arrow key walk the history rather than move the caret? `caret`: the textarea's
 * selection. Only a plain key or Alt (Shift selects text, Ctrl/Meta are the platform's).
 */
export function arrowWalks(
  key: string,
  mods: { shift: boolean; ctrl: boolean; meta: boolean },
  text: string,
  caret: { start: number; end: number },
  walk: Pick<PromptWalk<unknown>, 'shown'> | null,
): WalkDirection | null {
  if (key !== 'ArrowUp' && key !== 'ArrowDown') return null;
  if (mods.shift || mods.ctrl || mods.meta) return null;
  const dir: WalkDirection = key === 'ArrowUp' ? 'older' : 'newer';
  if (text === '') return walk || dir === 'older' ? dir : null;
  if (!walk || text !== walk.shown || caret.start !== caret.end) return null;
  if (dir === 'older') return caret.start === 0 ? dir : null;
  return caret.end === text.length ? dir : null;
}

export type WalkTarget = { kind: 'record'; record: PromptRecord } | { kind: 'draft' } | { kind: 'none' };

/**
 * One step: the walk after it and what to show. Older past the oldest stays on the oldest (nothing
 * to show); newer past the newest ends the walk and shows the draft.
 */
export function walkStep<D>(
  walk: PromptWalk<D> | null,
  dir: WalkDirection,
  start: { items: readonly PromptRecord[]; draft: D },
): { walk: PromptWalk<D> | null; target: WalkTarget } {
  if (!walk) {
    if (dir === 'newer') return { walk: null, target: { kind: 'none' } };
    const items = walkOrder(start.items);
    const first = items[0];
    if (!first) return { walk: null, target: { kind: 'none' } };
    return {
      walk: { index: 0, items, draft: start.draft, shown: first.prompt },
      target: { kind: 'record', record: first },
    };
  }
  const index = walk.index + (dir === 'older' ? 1 : -1);
  if (index < 0) return { walk: null, target: { kind: 'draft' } };
  const record = walk.items[index];
  if (!record) return { walk, target: { kind: 'none' } };
  return { walk: { ...walk, index, shown: record.prompt }, target: { kind: 'record', record } };
}
