/**
 * Presets and styles as the panel sees them. A preset keeps the panel's parameters but the prompt
 * (model, provider, aspect or typed size, steps, guidance, seed mode, negative prompt, style); a
 * style is a named template whose `{prompt}` is the user's prompt, applied by the main side when
 * the jobs are made (main/prompts/apply.ts), so a job's prompt is already styled.
 */
import type { Preset, Style } from '../../../shared/queue';
import { LIMITS } from '../../../shared/constants';
import { effectiveProvider, formFromParams, type FormState } from './form';
import type { Models } from './useModels';

const num = (s: string): number | undefined => {
  if (s.trim() === '') return undefined;
  const n = Number(s.trim());
  return Number.isFinite(n) ? n : undefined;
};
const whole = (s: string, r: { min: number; max: number }): number | undefined => {
  const n = num(s);
  return n !== undefined && Number.isInteger(n) && n >= r.min && n <= r.max ? n : undefined;
};

/**
 * The panel's parameters as a preset named `name`. Values the panel leaves to the provider (steps,
 * guidance left empty) stay out, and so do half-typed ones; a typed size only when it is in use; the
 * seed only when it is locked.
 */
export function presetFromForm(name: string, form: FormState): Preset {
  const steps = whole(form.steps, LIMITS.steps);
  const g = num(form.guidance);
  const guidance = g !== undefined && g >= LIMITS.guidance.min && g <= LIMITS.guidance.max ? g : undefined;
  const width = form.customSize ? whole(form.width, LIMITS.size) : undefined;
  const height = form.customSize ? whole(form.height, LIMITS.size) : undefined;
  const seed = form.seedLocked ? whole(form.seed, LIMITS.seed) : undefined;
  const negative = form.negativePrompt.trim();
  const style = form.style.trim();
  return {
    name: name.trim(),
    model: form.model,
    ...(form.provider ? { provider: form.provider } : {}),
    aspectRatio: form.aspectRatio,
    ...(width !== undefined && height !== undefined ? { width, height } : {}),
    ...(steps !== undefined ? { steps } : {}),
    ...(guidance !== undefined ? { guidance } : {}),
    randomizeSeed: !form.seedLocked || seed === undefined,
    ...(seed !== undefined ? { seed } : {}),
    ...(negative ? { negativePrompt: form.negativePrompt } : {}),
    ...(style ? { style } : {}),
  };
}

/**
 * The panel with a preset applied: the prompt, the number of images and the batch mode stay; every
 * parameter the preset keeps is set, and those it leaves out go back to their defaults (a preset is
 * the whole set of parameters, not a patch). A random seed mode keeps the seed shown, unlocked.
 */
export function formFromPreset(form: FormState, preset: Preset, models: Models): FormState {
  const next = formFromParams(
    form,
    {
      prompt: form.prompt,
      ...(preset.model ? { model: preset.model } : {}),
      ...(preset.provider ? { provider: preset.provider } : {}),
      ...(preset.aspectRatio ? { aspectRatio: preset.aspectRatio } : {}),
      ...(preset.width !== undefined && preset.height !== undefined
        ? { width: preset.width, height: preset.height }
        : {}),
      ...(preset.steps !== undefined ? { steps: preset.steps } : {}),
      ...(preset.guidance !== undefined ? { guidance: preset.guidance } : {}),
      ...(preset.negativePrompt !== undefined ? { negativePrompt: preset.negativePrompt } : {}),
      ...(preset.style !== undefined ? { style: preset.style } : {}),
    },
    models,
  );
  const locked = preset.randomizeSeed === false && preset.seed !== undefined;
  return {
    ...next,
    provider: preset.provider ? next.provider : '',
    count: form.count,
    multiPrompt: form.multiPrompt,
    seed: locked ? String(preset.seed) : form.seed,
    seedLocked: preset.randomizeSeed === undefined ? form.seedLocked : locked,
    // The same Space keeps its own controls as the user set them.
    extras: next.provider && next.provider === form.provider ? form.extras : {},
  };
}

/** Does the panel show exactly this preset's parameters? (the picker marks it) */
export function formMatchesPreset(form: FormState, preset: Preset, models: Models): boolean {
  const applied = formFromPreset(form, preset, models);
  const keys: (keyof FormState)[] = [
    'model',
    'provider',
    'aspectRatio',
    'customSize',
    'steps',
    'guidance',
    'seedLocked',
    'negativePrompt',
    'style',
  ];
  if (keys.some((k) => applied[k] !== form[k])) return false;
  if (form.customSize && (applied.width !== form.width || applied.height !== form.height)) return false;
  if (form.seedLocked && applied.seed !== form.seed) return false;
  // A provider gone since: the preset no longer applies as saved.
  return (
    !preset.provider || effectiveProvider(applied, models)?.id === preset.provider || models.providers.length === 0
  );
}

/** A style's editor: the fields as typed. */
export interface StyleDraft {
  name: string;
  template: string;
  negativePrompt: string;
}

export type StyleProblem =
  'name-empty' | 'name-long' | 'name-control' | 'name-taken' | 'template-no-prompt' | 'template-long' | 'negative-long';

/** A control character (as the contract's name rule refuses them). */
const hasControl = (s: string): boolean => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/** Names are compared as the main side stores them: trimmed, letter case ignored. */
export const sameName = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * What keeps a style from being saved (the same rules as StyleSchema, in words the editor shows).
 * `others`: the names of the other styles (a new style may not take one; editing keeps its own).
 */
export function styleProblems(
  draft: StyleDraft,
  others: readonly string[],
): Partial<Record<'name' | 'template' | 'negativePrompt', StyleProblem>> {
  const out: Partial<Record<'name' | 'template' | 'negativePrompt', StyleProblem>> = {};
  const name = draft.name.trim();
  if (!name) out.name = 'name-empty';
  else if (name.length > 80) out.name = 'name-long';
  else if (hasControl(name)) out.name = 'name-control';
  else if (others.some((o) => sameName(o, name))) out.name = 'name-taken';
  if (!draft.template.includes('{prompt}')) out.template = 'template-no-prompt';
  else if (draft.template.length > LIMITS.promptMaxLength) out.template = 'template-long';
  if (draft.negativePrompt.length > LIMITS.promptMaxLength) out.negativePrompt = 'negative-long';
  return out;
}

/** The style as saved from its editor. */
export function styleFromDraft(draft: StyleDraft): Style {
  const negative = draft.negativePrompt.trim();
  return { name: draft.name.trim(), template: draft.template, ...(negative ? { negativePrompt: negative } : {}) };
}

/** The prompt a style makes of `prompt` (as main/prompts/apply.ts `styledPrompt`). */
export function styledPrompt(template: string, prompt: string): string {
  return template.split('{prompt}').join(prompt).trim();
}

/** A preset's name problem, by the same rules as a style's (names are kept trimmed). */
export function presetNameProblem(name: string): StyleProblem | null {
  const n = name.trim();
  if (!n) return 'name-empty';
  if (n.length > 80) return 'name-long';
  if (hasControl(n)) return 'name-control';
  return null;
}
