/**
 * A batch from the panel: several prompts at once (one per line of the prompt box) and N images of
 * each. The first line is the request's prompt, the others its `extraPrompts`; every prompt makes
 * `count` jobs. Limits are the contract's (StartJobsSchema): 32 extra prompts, 16 images each.
 */
import { LIMITS } from '../../../shared/constants';

/** Extra prompts one request may carry (StartJobsSchema `extraPrompts.max`). */
export const MAX_EXTRA_PROMPTS = 32;
/** Prompts in one batch: the request's own and its extra ones. */
export const MAX_BATCH_PROMPTS = MAX_EXTRA_PROMPTS + 1;

/** The prompts of the box, one per line: lines trimmed, empty lines skipped (Windows line ends too). */
export function splitPrompts(text: string): string[] {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

export type BatchProblem =
  | { kind: 'too-many'; prompts: number; max: number }
  /** `line`: 1-based, counting the prompts only (empty lines skipped). */
  | { kind: 'too-long'; line: number; length: number; max: number };

export interface BatchPlan {
  prompts: string[];
  /** Images per prompt, when the count is a usable whole number; else null. */
  count: number | null;
  /** Jobs the batch makes (prompts × count), null while the count is not usable. */
  total: number | null;
  problems: BatchProblem[];
}

/** What the panel would start: its prompts, the images of each and the total, and what stops it. */
export function batchPlan(text: string, countText: string, multiPrompt: boolean): BatchPlan {
  const prompts = multiPrompt ? splitPrompts(text) : text.trim() ? [text.trim()] : [];
  const n = Number(countText.trim());
  const count =
    countText.trim() !== '' && Number.isInteger(n) && n >= LIMITS.imagesPerJob.min && n <= LIMITS.imagesPerJob.max
      ? n
      : null;
  const problems: BatchProblem[] = [];
  if (multiPrompt) {
    if (prompts.length > MAX_BATCH_PROMPTS)
      problems.push({ kind: 'too-many', prompts: prompts.length, max: MAX_BATCH_PROMPTS });
    prompts.forEach((p, i) => {
      if (p.length > LIMITS.promptMaxLength)
        problems.push({ kind: 'too-long', line: i + 1, length: p.length, max: LIMITS.promptMaxLength });
    });
  }
  return { prompts, count, total: count === null ? null : prompts.length * count, problems };
}
