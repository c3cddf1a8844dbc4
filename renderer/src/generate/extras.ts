/**
 * A user's Space's own inputs (those no app parameter stands for) as controls of the generation
 * panel: what each control holds (text, so half-typed numbers survive; a dropdown's choice by its
 * position), and the `params.extras` they become. Only values the user changed are kept and sent:
 * an input left alone keeps the Space's default.
 */
import type { ProviderInfo } from '../../../shared/contract';
import type { ExtraValue } from '../../../shared/params';
import type { SpaceInput } from '../../../shared/spaces';

/** Input key → what its control holds (numbers as typed text, a dropdown's choice index as text, a checkbox's state). */
export type ExtraDraft = Record<string, string | boolean>;

export type ExtraProblem = 'number' | 'min' | 'max' | 'choice';

const SHOWN_KINDS: ReadonlySet<SpaceInput['kind']> = new Set(['text', 'number', 'slider', 'checkbox', 'dropdown']);

/** The inputs shown as controls: those of a kind the panel can show (a dropdown needs its choices). */
export function shownExtraInputs(provider: Pick<ProviderInfo, 'extraInputs'> | undefined): SpaceInput[] {
  return (provider?.extraInputs ?? []).filter(
    (i) => SHOWN_KINDS.has(i.kind) && (i.kind !== 'dropdown' || (i.choices?.length ?? 0) > 0),
  );
}

/** What the control shows while the user has not touched it: the Space's default. */
export function defaultDraft(input: SpaceInput): string | boolean {
  const d = input.default;
  switch (input.kind) {
    case 'checkbox':
      return d === true;
    case 'dropdown': {
      const i = choiceIndex(input, d);
      return i >= 0 ? String(i) : '';
    }
    case 'number':
    case 'slider':
      return typeof d === 'number' ? String(d) : typeof d === 'string' ? d : '';
    default:
      return d === null ? '' : String(d);
  }
}

/** The control's value: the user's, else the default. */
export function draftValue(input: SpaceInput, draft: ExtraDraft): string | boolean {
  return input.key in draft ? draft[input.key]! : defaultDraft(input);
}

function choiceIndex(input: SpaceInput, value: unknown): number {
  const choices = input.choices ?? [];
  // A number sent as text by an older entry still finds its choice.
  return choices.findIndex((c) => c.value === value || String(c.value) === String(value));
}

/** The value the control sends, or what is wrong with it; `null`: nothing to send (a blank number). */
export function extraValue(
  input: SpaceInput,
  v: string | boolean,
): { ok: true; value: ExtraValue | null } | { ok: false; problem: ExtraProblem } {
  switch (input.kind) {
    case 'checkbox':
      return { ok: true, value: v === true };
    case 'dropdown': {
      const c = input.choices?.[Number(v)];
      return typeof v === 'string' && v !== '' && c ? { ok: true, value: c.value } : { ok: false, problem: 'choice' };
    }
    case 'number':
    case 'slider': {
      const text = String(v).trim();
      if (text === '') return { ok: true, value: null };
      const n = Number(text.replace(',', '.'));
      if (!Number.isFinite(n)) return { ok: false, problem: 'number' };
      if (input.minimum !== undefined && n < input.minimum) return { ok: false, problem: 'min' };
      if (input.maximum !== undefined && n > input.maximum) return { ok: false, problem: 'max' };
      return { ok: true, value: n };
    }
    default:
      return { ok: true, value: String(v) };
  }
}

/**
 * `params.extras` from the controls: each input the user changed whose value differs from the
 * Space's default (the rest keep their default), and each control whose value cannot be sent.
 */
export function buildExtras(
  inputs: readonly SpaceInput[],
  draft: ExtraDraft,
): { extras: Record<string, ExtraValue>; problems: Record<string, ExtraProblem> } {
  const extras: Record<string, ExtraValue> = {};
  const problems: Record<string, ExtraProblem> = {};
  for (const input of inputs) {
    if (!(input.key in draft)) continue;
    const r = extraValue(input, draft[input.key]!);
    if (!r.ok) problems[input.key] = r.problem;
    else if (r.value !== null && r.value !== input.default) extras[input.key] = r.value;
  }
  return { extras, problems };
}

/** The controls for extras a reused image was made with (values of inputs the Space no longer has are dropped). */
export function draftFromExtras(
  inputs: readonly SpaceInput[],
  extras: Readonly<Record<string, ExtraValue>> | undefined,
): ExtraDraft {
  const draft: ExtraDraft = {};
  if (!extras) return draft;
  for (const input of inputs) {
    if (!(input.key in extras)) continue;
    const v = extras[input.key]!;
    if (input.kind === 'checkbox') draft[input.key] = v === true;
    else if (input.kind === 'dropdown') {
      const i = choiceIndex(input, v);
      if (i >= 0) draft[input.key] = String(i);
    } else draft[input.key] = String(v);
  }
  return draft;
}

/** An extra's value in words for the image details: a dropdown's choice by its label. */
export function extraValueText(input: SpaceInput | undefined, value: ExtraValue): string {
  if (input?.kind === 'dropdown') {
    const c = input.choices?.find((x) => x.value === value || String(x.value) === String(value));
    if (c) return c.label;
  }
  return String(value);
}
