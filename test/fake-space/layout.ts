/**
 * The FLUX Spaces' `infer` dependency: its inputs in order (Dev or Schnell), their sliders, and
 * what Gradio does with the values before the Space's function runs (blocks.py preprocess_data).
 */
import type { AppLayout } from './apps';
import type { GradioRules } from './gradio-rules';
import { pyStr } from './py';

/** The FLUX layouts (this file); the others are apps.ts ('sd', 'gallery', …) and ws-app.ts ('ws'). */
export type FluxLayout = 'dev' | 'schnell';
export type Layout = FluxLayout | AppLayout | 'ws';
export type SliderName = 'width' | 'height' | 'steps' | 'guidance' | 'seed';
export interface SliderProps {
  minimum: number;
  maximum: number;
  step: number;
  value: number;
}
export type SliderOverrides = Partial<Record<SliderName, Partial<SliderProps>>>;

export interface InputSpec {
  id: number;
  /** The function's parameter name (`/info` parameter_name). */
  name: string;
  label: string;
  kind: 'textbox' | 'checkbox' | 'slider';
  slider?: SliderName;
  default: unknown;
}

/** The Spaces' app.py sliders: sizes 256..2048 step 32, guidance 1..15 step 0.1, seed 0..MAX_SEED. */
const SLIDERS: Record<FluxLayout, Record<SliderName, SliderProps>> = {
  dev: {
    width: { minimum: 256, maximum: 2048, step: 32, value: 1024 },
    height: { minimum: 256, maximum: 2048, step: 32, value: 1024 },
    steps: { minimum: 1, maximum: 50, step: 1, value: 28 },
    guidance: { minimum: 1, maximum: 15, step: 0.1, value: 3.5 },
    seed: { minimum: 0, maximum: 2147483647, step: 1, value: 0 },
  },
  schnell: {
    width: { minimum: 256, maximum: 2048, step: 32, value: 1024 },
    height: { minimum: 256, maximum: 2048, step: 32, value: 1024 },
    steps: { minimum: 1, maximum: 50, step: 1, value: 4 },
    guidance: { minimum: 1, maximum: 15, step: 0.1, value: 3.5 },
    seed: { minimum: 0, maximum: 2147483647, step: 1, value: 0 },
  },
};

const PROMPT: InputSpec = { id: 1, name: 'prompt', label: 'Prompt', kind: 'textbox', default: null };
const slider = (id: number, name: string, label: string, s: SliderName): InputSpec => ({
  id,
  name,
  label,
  kind: 'slider',
  slider: s,
  default: null,
});

/** Component ids of the inputs, in the dependency's order. */
export function layoutInputs(layout: FluxLayout): InputSpec[] {
  return [
    PROMPT,
    slider(11, 'seed', 'Seed', 'seed'),
    { id: 12, name: 'randomize_seed', label: 'Randomize seed', kind: 'checkbox', default: true },
    slider(13, 'width', 'Width', 'width'),
    slider(14, 'height', 'Height', 'height'),
    ...(layout === 'dev' ? [slider(15, 'guidance_scale', 'Guidance Scale', 'guidance')] : []),
    slider(16, 'num_inference_steps', 'Number of inference steps', 'steps'),
  ];
}

export const RESULT_ID = 10;
/** The seed slider doubles as the second output (app.py returns `image, seed`). */
export const SEED_ID = 11;

export function sliderProps(layout: FluxLayout, overrides: SliderOverrides = {}): Record<SliderName, SliderProps> {
  const base = SLIDERS[layout];
  const out = {} as Record<SliderName, SliderProps>;
  for (const name of Object.keys(base) as SliderName[]) out[name] = { ...base[name], ...overrides[name] };
  return out;
}

/** The values the Space's function receives, after Gradio's preprocessing. */
export interface JobValues {
  prompt: string;
  seed: number;
  randomize: boolean;
  width: number;
  height: number;
  guidance: number | null;
  steps: number;
}

/**
 * Why a job fails before the Space's function runs. `app-error` is a gr.Error (its message reaches
 * the client); `exception` any other exception, which error_payload turns into `error: null`
 * (Spaces launch with show_error=False).
 */
export type Refusal = { kind: 'app-error'; message: string } | { kind: 'exception'; reason: string };

export type Preprocessed = { ok: true; values: JobValues } | { ok: false; refusal: Refusal };

/**
 * blocks.py validate_inputs + preprocess_data, then what the FLUX function itself cannot use.
 *
 * - Too few values: ValueError "didn't receive enough input values" → `exception` (all versions).
 *   Extra values are ignored ("Only check not enough args case, ignore extra arguments").
 * - Textbox/Checkbox preprocess pass any value through (textbox.py `str(payload)`, checkbox.py).
 * - Slider (rules.sliderBounds, 5.39+): `num < minimum` / `num > maximum` raise
 *   gr.Error("Value {num} is less than minimum value {minimum}.") / "… greater than maximum value
 *   {maximum}."; a value Python cannot compare with a number (text, null, list) raises TypeError
 *   → `exception`. Python's bool is an int, so `true` compares as 1. Step is not checked.
 * - Assumed, not from Gradio source: the FLUX app (torch/diffusers) fails on a missing prompt,
 *   non-numeric sizes/steps/guidance and a non-integer seed when the seed is not randomized.
 */
export function preprocess(
  data: unknown[],
  inputs: InputSpec[],
  sliders: Record<SliderName, SliderProps>,
  rules: GradioRules,
): Preprocessed {
  if (data.length < inputs.length) {
    return refuse('exception', `didn't receive enough input values (needed: ${inputs.length}, got: ${data.length})`);
  }
  const byName: Record<string, unknown> = {};
  for (const [i, input] of inputs.entries()) {
    const value = data[i];
    byName[input.name] = value;
    if (input.kind !== 'slider' || !rules.sliderBounds) continue;
    const { minimum, maximum } = sliders[input.slider!];
    if (typeof value !== 'number' && typeof value !== 'boolean') {
      return refuse('exception', `'<' not supported between ${typeof value} and number`);
    }
    const n = Number(value);
    if (n < minimum) return refuse('app-error', `Value ${pyStr(value)} is less than minimum value ${pyStr(minimum)}.`);
    if (n > maximum)
      return refuse('app-error', `Value ${pyStr(value)} is greater than maximum value ${pyStr(maximum)}.`);
  }
  const num = (v: unknown) => (typeof v === 'number' || typeof v === 'boolean' ? Number(v) : NaN);
  const randomize = Boolean(byName.randomize_seed);
  const values: JobValues = {
    prompt: byName.prompt == null ? '' : String(byName.prompt),
    seed: num(byName.seed),
    randomize,
    width: num(byName.width),
    height: num(byName.height),
    guidance: 'guidance_scale' in byName ? num(byName.guidance_scale) : null,
    steps: num(byName.num_inference_steps),
  };
  if (byName.prompt == null) return refuse('exception', 'the pipeline needs a prompt (app, assumed)');
  const numeric = [values.width, values.height, values.steps, ...(values.guidance === null ? [] : [values.guidance])];
  if (numeric.some((v) => Number.isNaN(v)))
    return refuse('exception', 'a numeric input is not a number (app, assumed)');
  if (!randomize && !Number.isInteger(values.seed))
    return refuse('exception', 'torch manual_seed needs an integer (app, assumed)');
  return { ok: true, values };
}

const refuse = (kind: Refusal['kind'], text: string): Preprocessed =>
  kind === 'app-error'
    ? { ok: false, refusal: { kind, message: text } }
    : { ok: false, refusal: { kind, reason: text } };
