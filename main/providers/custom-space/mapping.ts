/**
 * Which of a Space's inputs stand for the app's parameters: by the Python parameter name first
 * (`/info` `parameter_name`), then by the label, each parameter to one input of a fitting kind.
 * The names are the ones text-to-image Spaces use (the FLUX Spaces' `prompt, seed,
 * randomize_seed, width, height, guidance_scale, num_inference_steps`; diffusers' pipeline
 * arguments `negative_prompt`, `guidance_scale`, `num_inference_steps`; A1111-style `cfg_scale`,
 * `steps`). A Space's only text input is its prompt when nothing else names one.
 */
import type { SpaceInput, SpaceInputKind, SpaceMapping, SpaceParam } from '../../../shared/spaces';

interface Rule {
  param: SpaceParam;
  kinds: readonly SpaceInputKind[];
  /** Exact parameter names (lowercase). */
  names: RegExp;
  /** Looser: a parameter name containing it, or the label. */
  loose: RegExp;
}

const NUMERIC = ['number', 'slider'] as const;

/** In this order: the negative prompt before the prompt, randomize before seed. */
const RULES: readonly Rule[] = [
  {
    param: 'negativePrompt',
    kinds: ['text'],
    names: /^(neg|negative|negative_?prompt|neg_?prompt|negative_?text|prompt_?neg(ative)?)$/,
    loose: /\bneg(ative)?\b|negative/,
  },
  {
    param: 'prompt',
    kinds: ['text'],
    names: /^(prompt|text|positive_?prompt|prompt_?text|text_?prompt|input_?text|user_?prompt|caption|prompt_?input)$/,
    loose: /prompt/,
  },
  {
    param: 'randomizeSeed',
    kinds: ['checkbox'],
    names: /^(randomi[sz]e_?seed|random_?seed|randomi[sz]e|use_?random_?seed|seed_?random(i[sz]e)?)$/,
    loose: /random/,
  },
  {
    param: 'seed',
    kinds: NUMERIC,
    names: /^(seed|manual_?seed|seed_?value|input_?seed|noise_?seed)$/,
    loose: /\bseed\b|seed/,
  },
  {
    param: 'width',
    kinds: NUMERIC,
    names: /^(width|w|image_?width|img_?width|output_?width)$/,
    loose: /width/,
  },
  {
    param: 'height',
    kinds: NUMERIC,
    names: /^(height|h|image_?height|img_?height|output_?height)$/,
    loose: /height/,
  },
  {
    param: 'guidance',
    kinds: NUMERIC,
    names: /^(guidance|guidance_?scale|cfg|cfg_?scale|true_?cfg(_?scale)?|true_?guidance_?scale|scale)$/,
    loose: /guidance|\bcfg\b|cfg/,
  },
  {
    param: 'steps',
    kinds: NUMERIC,
    names: /^(steps|num_?inference_?steps|inference_?steps|num_?steps|n_?steps|sampling_?steps|sample_?steps|step)$/,
    loose: /steps?\b|steps/,
  },
];

const norm = (s: string | null): string =>
  (s ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
const nameOf = (i: SpaceInput): string => (/^arg\d+$/.test(i.key) ? '' : i.key.toLowerCase());

/** The proposed mapping of an endpoint's inputs, by index (each parameter once, each input once). */
export function proposeMapping(inputs: readonly SpaceInput[]): SpaceMapping {
  const taken = new Map<number, SpaceParam>();
  const done = new Set<SpaceParam>();
  const fits = (r: Rule, i: SpaceInput) => !taken.has(i.index) && r.kinds.includes(i.kind);
  const passes: ((r: Rule, i: SpaceInput) => boolean)[] = [
    (r, i) => r.names.test(nameOf(i)),
    (r, i) => r.names.test(norm(i.label).replace(/ /g, '_')),
    (r, i) => r.loose.test(nameOf(i).replace(/_/g, ' ')),
    (r, i) => r.loose.test(norm(i.label)),
  ];
  for (const pass of passes) {
    for (const rule of RULES) {
      if (done.has(rule.param)) continue;
      // A negative prompt named loosely must not take the prompt (`prompt` matches `negative prompt` loosely).
      const hit = inputs.find(
        (i) =>
          fits(rule, i) && pass(rule, i) && !(rule.param === 'prompt' && /neg/.test(`${nameOf(i)} ${norm(i.label)}`)),
      );
      if (hit) {
        taken.set(hit.index, rule.param);
        done.add(rule.param);
      }
    }
  }
  if (!done.has('prompt')) {
    // No input says prompt: the first text input left (a Space's one text box is its prompt).
    const text = inputs.find((i) => i.kind === 'text' && !taken.has(i.index));
    if (text) taken.set(text.index, 'prompt');
  }
  return [...taken.entries()].sort((a, b) => a[0] - b[0]).map(([index, param]) => ({ index, param }));
}
