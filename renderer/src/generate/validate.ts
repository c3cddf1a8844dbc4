/**
 * The generation form checked with the shared schema, so the panel and the main side agree on every
 * rule. Its own chunk (it brings zod): the panel loads it after the first screen (useValidate.ts).
 */
import type { z } from 'zod';
import { StartJobsSchema } from '../../../shared/contract';
import type { I18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/types';
import type { ProviderInfo } from '../../../shared/contract';
import { batchPlan, type BatchProblem } from './batch';
import { shownExtraInputs, type ExtraProblem } from './extras';
import {
  pinnedRequest,
  sizeRefusals,
  type FieldErrors,
  type FieldName,
  type FormState,
  type SizeRules,
  type StartRequest,
} from './form';

const FIELD_LABEL: Record<Exclude<FieldName, `extra:${string}`>, MessageKey> = {
  prompt: 'field.prompt',
  negativePrompt: 'field.negativePrompt',
  width: 'field.width',
  height: 'field.height',
  steps: 'field.steps',
  guidance: 'field.guidance',
  seed: 'field.seed',
  count: 'field.count',
  style: 'field.style',
};

/** A schema issue in the user's language (the schema's own messages are English). */
export function issueText(i18n: I18n, issue: z.core.$ZodIssue, field: string): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return i18n.t(issue.minimum === 1 ? 'val.empty' : 'val.invalid', { field });
      return i18n.t('val.min', { field, min: i18n.formatNumber(Number(issue.minimum)) });
    case 'too_big':
      if (issue.origin === 'string')
        return i18n.t('val.tooLong', { field, max: i18n.formatNumber(Number(issue.maximum)) });
      return i18n.t('val.max', { field, max: i18n.formatNumber(Number(issue.maximum)) });
    case 'invalid_type':
      return i18n.t(issue.expected === 'int' ? 'val.whole' : 'val.number', { field });
    case 'invalid_format':
      return i18n.t('val.url', { field });
    default:
      return i18n.t('val.invalid', { field });
  }
}

/** What keeps a batch (one prompt per line) from being sent. */
export function batchProblemText(i18n: I18n, problem: BatchProblem): string {
  return problem.kind === 'too-many'
    ? i18n.t('gen.batchTooMany', { max: i18n.formatNumber(problem.max), n: i18n.formatNumber(problem.prompts) })
    : i18n.t('gen.batchTooLong', { line: problem.line, max: i18n.formatNumber(problem.max) });
}

/** The name a Space's own control goes by in messages: its label, else its parameter name. */
export function extraLabel(pinned: ProviderInfo | undefined, key: string): string {
  const input = pinned?.extraInputs.find((i) => i.key === key);
  return input?.label?.trim() || key;
}

/** What is wrong with a Space's own control's value. */
export function extraProblemText(
  i18n: I18n,
  problem: ExtraProblem,
  input: { key: string; label: string | null; minimum?: number; maximum?: number },
): string {
  const field = input.label?.trim() || input.key;
  switch (problem) {
    case 'min':
      return i18n.t('val.min', { field, min: i18n.formatNumber(input.minimum ?? 0) });
    case 'max':
      return i18n.t('val.max', { field, max: i18n.formatNumber(input.maximum ?? 0) });
    case 'choice':
      return i18n.t('val.invalid', { field });
    default:
      return i18n.t('val.number', { field });
  }
}

/** A size outside the provider's slider, naming its limits (the main side refuses it too); the panel names the provider. */
export function sizeRangeText(i18n: I18n, field: 'width' | 'height', rules: SizeRules): string {
  return i18n.t('val.sizeRange', {
    field: i18n.t(FIELD_LABEL[field]),
    min: i18n.formatNumber(rules.limits.min),
    max: i18n.formatNumber(rules.limits.max),
  });
}

/**
 * The form checked with the shared schema, then the size against the provider's limits: the
 * schema's range is the widest any Space takes, each Space's own slider is narrower.
 */
export function validate(
  form: FormState,
  i18n: I18n,
  rules: SizeRules,
  /** The pinned provider: its negative prompt and own controls are checked and sent. */
  pinned?: ProviderInfo,
): { ok: true; request: StartRequest } | { ok: false; errors: FieldErrors } {
  const { request, extraProblems } = pinnedRequest(form, pinned);
  const parsed = StartJobsSchema.safeParse(request);
  const errors: FieldErrors = {};
  // A batch's own limits say more than the schema's issue about its extra prompts.
  const batch = form.multiPrompt ? batchPlan(form.prompt, form.count, true).problems : [];
  if (batch[0]) errors.prompt = batchProblemText(i18n, batch[0]);
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const name = (issue.path[0] === 'params' ? issue.path[1] : issue.path[0]) as keyof typeof FIELD_LABEL;
    if (name === ('extras' as string) && typeof issue.path[2] === 'string') {
      // A value the Space's control holds that the schema refuses (text too long).
      const key = `extra:${issue.path[2]}` as const;
      errors[key] ??= issueText(i18n, issue, extraLabel(pinned, issue.path[2]));
      continue;
    }
    if (name === ('extraPrompts' as string)) {
      errors.prompt ??= issueText(i18n, issue, i18n.t('field.prompt'));
      continue;
    }
    if (!(name in FIELD_LABEL) || errors[name]) continue;
    errors[name] = issueText(i18n, issue, i18n.t(FIELD_LABEL[name]));
  }
  for (const input of shownExtraInputs(pinned)) {
    const problem = extraProblems[input.key];
    if (problem) errors[`extra:${input.key}`] = extraProblemText(i18n, problem, input);
  }
  const refused = sizeRefusals(form, rules);
  for (const field of ['width', 'height'] as const) {
    // The provider's limits say more than the schema's "at most 2,048" for the same value.
    if (refused[field]) errors[field] = sizeRangeText(i18n, field, rules);
  }
  if (parsed.success && Object.keys(errors).length === 0) return { ok: true, request };
  if (Object.keys(errors).length === 0) errors.prompt = i18n.t('val.invalid', { field: i18n.t('field.prompt') });
  return { ok: false, errors };
}
