/**
 * Values for a saved Space's inputs, checked against what its /config declared before anything is
 * sent: a slider's or number's bounds (Gradio ≥ 5.39 fails the job for them anyway,
 * components/number.py `raise_if_out_of_bounds`), a dropdown's choices (dropdown.py `preprocess`:
 * "Value: … is not in the list of choices"), a checkbox's boolean. Refusals are invalid-argument in
 * words naming the input.
 */
import { AppError } from '../../../shared/errors';
import type { ExtraValue } from '../../../shared/params';
import type { SpaceInput } from '../../../shared/spaces';

/** How an input is named in a refusal: its label, else its key. */
export const inputName = (input: SpaceInput): string => (input.label?.trim() ? input.label.trim() : input.key);

const fmt = (n: number) => String(Math.round(n * 1e6) / 1e6);

function refuse(input: SpaceInput, what: string, providerId: string): AppError {
  return new AppError('invalid-argument', `${inputName(input)} ${what}.`, { providerId });
}

/** A number from a number or numeric text (the CLI's `--extra steps=30`). */
function numeric(v: ExtraValue): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** Inside the input's declared bounds, or refused naming them. */
export function checkRange(input: SpaceInput, n: number, providerId: string): number {
  const { minimum: min, maximum: max } = input;
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
    const range =
      min !== undefined && max !== undefined
        ? `between ${fmt(min)} and ${fmt(max)}`
        : min !== undefined
          ? `at least ${fmt(min)}`
          : `at most ${fmt(max!)}`;
    throw refuse(input, `must be ${range} (got ${fmt(n)})`, providerId);
  }
  return n;
}

/**
 * The value to send for an input the user set (an extra, or a parameter mapped onto it): of the
 * input's kind and within its limits, else invalid-argument.
 */
export function checkValue(input: SpaceInput, v: ExtraValue, providerId: string): ExtraValue {
  switch (input.kind) {
    case 'text':
      if (typeof v === 'string') return v;
      if (typeof v === 'number') return String(v);
      throw refuse(input, 'takes text', providerId);
    case 'number':
    case 'slider': {
      const n = numeric(v);
      if (n === null) throw refuse(input, 'takes a number', providerId);
      return checkRange(input, n, providerId);
    }
    case 'checkbox':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
      throw refuse(input, 'takes true or false', providerId);
    case 'dropdown': {
      const choices = input.choices ?? [];
      // The value sent, or its label; `--extra sampler=2` finds the choice 2 as well.
      const hit =
        choices.find((c) => c.value === v) ??
        choices.find((c) => String(c.value) === String(v)) ??
        choices.find((c) => c.label === String(v));
      if (hit) return hit.value;
      const shown = choices
        .slice(0, 8)
        .map((c) => String(c.value))
        .join(', ');
      throw refuse(
        input,
        `must be one of its choices${shown ? ` (${shown}${choices.length > 8 ? ', …' : ''})` : ''}; got "${String(v)}"`,
        providerId,
      );
    }
    case 'file':
      throw refuse(input, 'takes a file, which the app cannot send', providerId);
    case 'other':
      // Kept as the Space declared it: only a value of the default's own type.
      if (input.default !== null && typeof input.default === typeof v) return v;
      throw refuse(input, `cannot be set by the app (a ${input.component} input)`, providerId);
  }
}
