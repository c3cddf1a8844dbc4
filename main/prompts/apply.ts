/**
 * What a style and a preset do to a generation's parameters. A style is applied once, when the jobs
 * are made (`jobs:start` in the core, shared by the app, the web preview and the CLI): its template's
 * `{prompt}` becomes the prompt, its negative prompt is added to the job's (used by Spaces that take
 * one), and `params.style` keeps the style's name. A job's prompt is therefore already styled:
 * retrying or resubmitting a job never applies its style again.
 */
import type { InvokeParsedArgs } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import { LIMITS, type GenerationParams } from '../../shared/params';
import type { Preset, Style } from '../../shared/queue';

export type StartRequest = InvokeParsedArgs<'jobs:start'>;

/** The template with every `{prompt}` replaced by the prompt. */
export function styledPrompt(template: string, prompt: string): string {
  return template.split('{prompt}').join(prompt).trim();
}

/** Both negative prompts, joined with a comma (either may be empty). */
export function joinedNegative(own: string | undefined, added: string | undefined): string | undefined {
  const parts = [own?.trim(), added?.trim()].filter((s): s is string => !!s);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * The request with its style applied to the prompt and every extra prompt; unchanged without one.
 * An unknown style, or a styled prompt beyond the limit, is refused in words.
 */
export function applyStyle(req: StartRequest, findStyle: (name: string) => Style | null): StartRequest {
  const name = req.params.style;
  if (name === undefined) return req;
  const style = findStyle(name);
  if (!style) {
    throw new AppError(
      'invalid-argument',
      `There is no style "${name}": it may have been deleted or renamed. Pick another style or none.`,
    );
  }
  const max = LIMITS.promptMaxLength;
  const styled = (prompt: string) => {
    const out = styledPrompt(style.template, prompt);
    if (out.length > max) {
      throw new AppError(
        'invalid-argument',
        `With the style "${style.name}" the prompt is ${out.length} characters long; at most ${max} can be sent.`,
      );
    }
    return out;
  };
  const negativePrompt = joinedNegative(req.params.negativePrompt, style.negativePrompt);
  if (negativePrompt !== undefined && negativePrompt.length > max) {
    throw new AppError(
      'invalid-argument',
      `With the style "${style.name}" the negative prompt is ${negativePrompt.length} characters long; at most ${max} can be sent.`,
    );
  }
  const params: GenerationParams = { ...req.params, prompt: styled(req.params.prompt), style: style.name };
  if (negativePrompt !== undefined) params.negativePrompt = negativePrompt;
  return {
    ...req,
    params,
    ...(req.extraPrompts ? { extraPrompts: req.extraPrompts.map(styled) } : {}),
  };
}

/** The prompts of a request as the user typed them (one record each in the prompt history). */
export function promptsOf(req: StartRequest): GenerationParams[] {
  const seen = new Set<string>();
  return [req.params.prompt, ...(req.extraPrompts ?? [])].flatMap((prompt) => {
    if (seen.has(prompt)) return [];
    seen.add(prompt);
    return [{ ...req.params, prompt }];
  });
}

/** The fields of GenerationParams a preset sets (the seed only when the preset fixes it). */
export type PresetParams = Partial<Omit<GenerationParams, 'prompt' | 'extras'>>;

export function presetParams(preset: Preset): PresetParams {
  const out: PresetParams = {};
  if (preset.model !== undefined) out.model = preset.model;
  if (preset.provider !== undefined) out.provider = preset.provider;
  if (preset.aspectRatio !== undefined) out.aspectRatio = preset.aspectRatio;
  if (preset.width !== undefined) out.width = preset.width;
  if (preset.height !== undefined) out.height = preset.height;
  if (preset.steps !== undefined) out.steps = preset.steps;
  if (preset.guidance !== undefined) out.guidance = preset.guidance;
  if (preset.negativePrompt !== undefined) out.negativePrompt = preset.negativePrompt;
  if (preset.style !== undefined) out.style = preset.style;
  if (preset.randomizeSeed !== undefined) out.randomizeSeed = preset.randomizeSeed;
  if (preset.seed !== undefined && preset.randomizeSeed === false) out.seed = preset.seed;
  return out;
}
