/**
 * The generation form checked with the shared schema, so the panel and the main side agree on every
 * rule. Its own chunk (it brings zod): the panel loads it after the first screen (useValidate.ts).
 */
import type { z } from 'zod';
import { StartJobsSchema } from '../../../shared/contract';
import type { I18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/types';
import { toRequest, type FieldErrors, type FieldName, type FormState, type StartRequest } from './form';

const FIELD_LABEL: Record<FieldName, MessageKey> = {
  prompt: 'field.prompt',
  width: 'field.width',
  height: 'field.height',
  steps: 'field.steps',
  guidance: 'field.guidance',
  seed: 'field.seed',
  count: 'field.count',
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

export function validate(
  form: FormState,
  i18n: I18n,
): { ok: true; request: StartRequest } | { ok: false; errors: FieldErrors } {
  const request = toRequest(form);
  const parsed = StartJobsSchema.safeParse(request);
  if (parsed.success) return { ok: true, request };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const name = (issue.path[0] === 'params' ? issue.path[1] : issue.path[0]) as FieldName;
    if (!(name in FIELD_LABEL) || errors[name]) continue;
    errors[name] = issueText(i18n, issue, i18n.t(FIELD_LABEL[name]));
  }
  return { ok: false, errors };
}
