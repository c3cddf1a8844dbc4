/**
 * The non-FLUX app layouts ('sd', 'gallery', 'two-endpoints', 'file-input'): their components and
 * dependencies as the Space's app.py would declare them, and what Gradio does with a job's values
 * before and after the Space's function (blocks.py preprocess_data / postprocess_data with each
 * component's preprocess/postprocess, per version). The 'ws' layout (Gradio 3.x) is in ws-app.ts.
 */
import { randomInt } from 'node:crypto';
import type { Comp, CompArgs, Kind } from './components';
import { roundTo } from './components';
import type { GradioRules, GradioVersion } from './gradio-rules';
import type { Refusal } from './layout';
import { pyRepr, pyStr } from './py';

export type AppLayout = 'sd' | 'gallery' | 'two-endpoints' | 'file-input';
export const APP_LAYOUTS: readonly AppLayout[] = ['sd', 'gallery', 'two-endpoints', 'file-input'];

/** What the Space's function does (the fake's stand-in for the model). */
export type Run = 'sd' | 'gallery' | 'schnell' | 'hd' | 'enhance' | 'img2img';

export interface Endpoint {
  fnIndex: number;
  apiName: string;
  /** Component ids. */
  inputs: number[];
  outputs: number[];
  /** [component id, event] pairs (gr.on / .click / .submit). */
  targets: [number, string][];
  /** The function's parameter names (/info parameter_name). */
  params: string[];
  run: Run;
  /** Runs on the GPU (ZeroGPU log line, quota) and reports progress. */
  gpu: boolean;
}

export interface App {
  components: Comp[];
  endpoints: Endpoint[];
}

export const MAX_SEED = 2147483647;
const SCHEDULERS = ['Euler a', 'DPM++ 2M', 'DDIM'];

let nextId = 1;
const c = (kind: Kind, args: CompArgs = {}): Comp => ({ id: nextId++, kind, args });

/** Component ids follow creation order from 1 (the root Blocks is 0), as Block._id does. */
export function buildApp(layout: AppLayout): App {
  nextId = 1;
  switch (layout) {
    case 'sd': {
      const prompt = c('textbox', { label: 'Prompt', placeholder: 'Enter your prompt' });
      const neg = c('textbox', { label: 'Negative prompt' });
      const guidance = c('slider', { label: 'Guidance scale', minimum: 0, maximum: 20, step: 0.1, value: 7 });
      const steps = c('slider', { label: 'Steps', minimum: 1, maximum: 100, step: 1, value: 30 });
      const width = c('slider', { label: 'Width', minimum: 256, maximum: 1536, step: 64, value: 1024 });
      const height = c('slider', { label: 'Height', minimum: 256, maximum: 1536, step: 64, value: 1024 });
      const seed = c('number', { label: 'Seed', value: -1, precision: 0 });
      const scheduler = c('dropdown', { label: 'Scheduler', choices: SCHEDULERS, value: 'Euler a' });
      const upscale = c('checkbox', { label: 'Upscale', value: false });
      const button = c('button', { value: 'Generate', variant: 'primary' });
      const result = c('image', { label: 'Result', show_label: false });
      const inputs = [prompt, neg, guidance, steps, width, height, seed, scheduler, upscale];
      return {
        components: [...inputs, button, result],
        endpoints: [
          {
            fnIndex: 0,
            apiName: 'generate',
            inputs: inputs.map((x) => x.id),
            outputs: [result.id],
            targets: [
              [button.id, 'click'],
              [prompt.id, 'submit'],
            ],
            params: [
              'prompt',
              'negative_prompt',
              'guidance_scale',
              'num_inference_steps',
              'width',
              'height',
              'seed',
              'scheduler',
              'upscale',
            ],
            run: 'sd',
            gpu: true,
          },
        ],
      };
    }
    case 'gallery': {
      const prompt = c('textbox', { label: 'Prompt' });
      const n = c('slider', { label: 'Number of images', minimum: 1, maximum: 4, step: 1, value: 2 });
      const seed = c('slider', { label: 'Seed', minimum: 0, maximum: MAX_SEED, step: 1, value: 0 });
      const randomize = c('checkbox', { label: 'Randomize seed', value: true });
      const button = c('button', { value: 'Run', variant: 'primary' });
      const gallery = c('gallery', { label: 'Results', columns: 2 });
      const seedOut = c('number', { label: 'Seed' });
      const inputs = [prompt, n, seed, randomize];
      return {
        components: [...inputs, button, gallery, seedOut],
        endpoints: [
          {
            fnIndex: 0,
            apiName: 'run',
            inputs: inputs.map((x) => x.id),
            outputs: [gallery.id, seedOut.id],
            targets: [
              [button.id, 'click'],
              [prompt.id, 'submit'],
            ],
            params: ['prompt', 'num_images', 'seed', 'randomize_seed'],
            run: 'gallery',
            gpu: true,
          },
        ],
      };
    }
    case 'two-endpoints': {
      const prompt = c('textbox', { label: 'Prompt' });
      const seed = c('slider', { label: 'Seed', minimum: 0, maximum: MAX_SEED, step: 1, value: 0 });
      const randomize = c('checkbox', { label: 'Randomize seed', value: true });
      const width = c('slider', { label: 'Width', minimum: 256, maximum: 2048, step: 32, value: 1024 });
      const height = c('slider', { label: 'Height', minimum: 256, maximum: 2048, step: 32, value: 1024 });
      const steps = c('slider', { label: 'Number of inference steps', minimum: 1, maximum: 50, step: 1, value: 4 });
      const run = c('button', { value: 'Run', variant: 'primary' });
      const result = c('image', { label: 'Result', show_label: false });
      const hdPrompt = c('textbox', { label: 'Prompt' });
      const hdNeg = c('textbox', { label: 'Negative prompt' });
      const hdWidth = c('slider', { label: 'Width', minimum: 512, maximum: 2048, step: 64, value: 1024 });
      const hdHeight = c('slider', { label: 'Height', minimum: 512, maximum: 2048, step: 64, value: 1024 });
      const hdSteps = c('slider', { label: 'Steps', minimum: 1, maximum: 50, step: 1, value: 28 });
      const hdRun = c('button', { value: 'Run HD', variant: 'primary' });
      const hdResult = c('image', { label: 'HD result', show_label: false });
      const enhance = c('button', { value: 'Enhance prompt' });
      const t2i = [prompt, seed, randomize, width, height, steps];
      const hd = [hdPrompt, hdNeg, hdWidth, hdHeight, hdSteps];
      return {
        components: [...t2i, run, result, ...hd, hdRun, hdResult, enhance],
        endpoints: [
          {
            fnIndex: 0,
            apiName: 'infer',
            inputs: t2i.map((x) => x.id),
            outputs: [result.id, seed.id],
            targets: [
              [run.id, 'click'],
              [prompt.id, 'submit'],
            ],
            params: ['prompt', 'seed', 'randomize_seed', 'width', 'height', 'num_inference_steps'],
            run: 'schnell',
            gpu: true,
          },
          {
            fnIndex: 1,
            apiName: 'infer_hd',
            inputs: hd.map((x) => x.id),
            outputs: [hdResult.id],
            targets: [[hdRun.id, 'click']],
            params: ['prompt', 'negative_prompt', 'width', 'height', 'steps'],
            run: 'hd',
            gpu: true,
          },
          {
            fnIndex: 2,
            apiName: 'enhance_prompt',
            inputs: [prompt.id],
            outputs: [prompt.id],
            targets: [[enhance.id, 'click']],
            params: ['prompt'],
            run: 'enhance',
            gpu: false,
          },
        ],
      };
    }
    case 'file-input': {
      const image = c('image', { label: 'Input image', type: 'pil' });
      const prompt = c('textbox', { label: 'Prompt' });
      const strength = c('slider', { label: 'Strength', minimum: 0, maximum: 1, step: 0.05, value: 0.6 });
      const button = c('button', { value: 'Run', variant: 'primary' });
      const result = c('image', { label: 'Result', show_label: false });
      return {
        components: [image, prompt, strength, button, result],
        endpoints: [
          {
            fnIndex: 0,
            apiName: 'img2img',
            inputs: [image.id, prompt.id, strength.id],
            outputs: [result.id],
            targets: [[button.id, 'click']],
            params: ['image', 'prompt', 'strength'],
            run: 'img2img',
            gpu: true,
          },
        ],
      };
    }
  }
}

/** The hub id of a Space of this layout started without `spaceId`. */
export const APP_SPACE_IDS: Record<AppLayout, string> = {
  sd: 'fake-org/stable-diffusion',
  gallery: 'fake-org/gallery-t2i',
  'two-endpoints': 'fake-org/flux-two-endpoints',
  'file-input': 'fake-org/img2img',
};

// ---- preprocessing (blocks.py preprocess_data → Component.preprocess, per version) ----

/** A file the Space can read: one it wrote or one uploaded to it (both live under /tmp/gradio). */
export interface FileLookup {
  read(path: string): Buffer | null;
}

export type Pre<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };
const ok = <T>(value: T): Pre<T> => ({ ok: true, value });
const exception = (reason: string): Pre<never> => ({ ok: false, refusal: { kind: 'exception', reason } });
const appError = (message: string): Pre<never> => ({ ok: false, refusal: { kind: 'app-error', message } });

const isNum = (v: unknown): v is number | boolean => typeof v === 'number' || typeof v === 'boolean';

/** Python's round(x, 0) → int: half to even. */
function pyRoundInt(n: number): number {
  const r = Math.round(n);
  return Math.abs(n % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Python str() of a JSON value as gr.Error messages print it. */
function pyText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isNum(v)) return pyStr(v);
  if (v === null) return 'None';
  return JSON.stringify(v);
}

/** One component's preprocess of one value. */
export function preprocessValue(comp: Comp, value: unknown, rules: GradioRules, files: FileLookup): Pre<unknown> {
  const a = comp.args;
  switch (comp.kind) {
    case 'textbox':
      // textbox.py: `None if payload is None else str(payload)`.
      return ok(value === null || value === undefined ? null : pyText(value));
    case 'checkbox':
      return ok(value);
    case 'slider': {
      if (!rules.sliderBounds) return ok(value);
      // number.py raise_if_out_of_bounds (5.39+): comparing a non-number raises TypeError.
      if (!isNum(value)) return exception(`'<' not supported between ${typeof value} and number`);
      const n = Number(value);
      if (n < a.minimum!) return appError(`Value ${pyStr(value)} is less than minimum value ${pyStr(a.minimum!)}.`);
      if (n > a.maximum!) return appError(`Value ${pyStr(value)} is greater than maximum value ${pyStr(a.maximum!)}.`);
      return ok(value);
    }
    case 'number': {
      // number.py preprocess: None passes; no bounds here (minimum/maximum None); round(num, precision).
      if (value === null || value === undefined) return ok(null);
      if (!isNum(value)) return exception("type str doesn't define __round__ method");
      const n = Number(value);
      return ok(a.precision === 0 ? pyRoundInt(n) : roundTo(n, a.precision));
    }
    case 'dropdown': {
      // dropdown.py preprocess (5.0+; 4.x passes any value): gr.Error for a value not in the choices.
      if (value === null || value === undefined) return ok(null);
      const choices = a.choices ?? [];
      if (rules.release.startsWith('4.')) return ok(value);
      const list = `[${choices.map((x) => pyRepr(x)).join(', ')}]`;
      if (Array.isArray(value)) {
        for (const x of value)
          if (!choices.includes(x as string))
            return appError(
              `Value: ${pyReprValue(x)} (type: <class '${pyTypeName(x)}'>) is not in the list of choices: ${list}`,
            );
        return ok(value);
      }
      if (!choices.includes(value as string))
        return appError(`Value: ${pyText(value)} is not in the list of choices: ${list}`);
      return ok(value);
    }
    case 'image':
      return preprocessImage(value, rules, files);
    default:
      return ok(value);
  }
}

const pyTypeName = (v: unknown) =>
  typeof v === 'string'
    ? 'str'
    : typeof v === 'boolean'
      ? 'bool'
      : typeof v === 'number'
        ? Number.isInteger(v)
          ? 'int'
          : 'float'
        : v === null
          ? 'NoneType'
          : Array.isArray(v)
            ? 'list'
            : 'dict';
const pyReprValue = (v: unknown) => (typeof v === 'string' ? pyRepr(v) : pyText(v));

/**
 * Image input (a file input needs FileData):
 * - blocks.py preprocess_data: processing_utils.move_files_to_cache(check_in_upload_folder=True) on
 *   every file object (4.x: any dict with a str `path`; 5+: with `meta._type == "gradio.FileData"`):
 *   a local path outside the upload folder (GRADIO_TEMP_DIR, where uploads and outputs live) is
 *   refused (4.x ValueError "…is not in the upload folder…", 5+ InvalidPathError), an http(s) URL
 *   is downloaded; then `data_model(**payload)` (a non-dict is a TypeError);
 * - Image.preprocess / image_utils.preprocess_image: PIL opens the file (5+: a `data:` URL is decoded;
 *   no path at all → ValueError "Image path is None.").
 * Every one of these is an exception (error: null), not a gr.Error. The fake can fetch only its own
 * files, so an http URL that is not one of them fails too (no network).
 */
function preprocessImage(value: unknown, rules: GradioRules, files: FileLookup): Pre<unknown> {
  if (value === null || value === undefined) return ok(null);
  if (typeof value !== 'object' || Array.isArray(value)) return exception('data_model(**payload): not a mapping');
  const d = value as Record<string, unknown>;
  const v4 = rules.release.startsWith('4.');
  const url = typeof d.url === 'string' ? d.url : null;
  if (!v4 && url?.startsWith('data:')) {
    const m = /^data:[^;,]*;base64,(.*)$/.exec(url);
    return m ? ok(Buffer.from(m[1]!, 'base64')) : exception('cannot decode base64 image');
  }
  if (typeof d.path !== 'string') return exception(v4 ? 'FileData: path is required' : 'Image path is None.');
  const path = d.path;
  if (/^https?:\/\//.test(path)) {
    const own = /\/file=(\/tmp\/gradio\/.*)$/.exec(decodeURIComponent(path));
    const bytes = own ? files.read(own[1]!) : null;
    return bytes ? ok(bytes) : exception('download failed (the fake has no network)');
  }
  if (!/^\/tmp\/gradio\//.test(path))
    return exception(`File ${path} is not in the upload folder and cannot be accessed.`);
  const bytes = files.read(path);
  return bytes ? ok(bytes) : exception(`PIL cannot open ${path}`);
}

/** blocks.py validate_inputs + preprocess_data for one endpoint. */
export function preprocessInputs(
  app: App,
  ep: Endpoint,
  data: unknown[],
  rules: GradioRules,
  files: FileLookup,
): Pre<Record<string, unknown>> {
  if (data.length < ep.inputs.length)
    return exception(`didn't receive enough input values (needed: ${ep.inputs.length}, got: ${data.length})`);
  const values: Record<string, unknown> = {};
  for (const [i, id] of ep.inputs.entries()) {
    const comp = app.components.find((x) => x.id === id)!;
    const r = preprocessValue(comp, data[i], rules, files);
    if (!r.ok) return r;
    values[ep.params[i]!] = r.value;
  }
  return ok(values);
}

/** What the app's function does with its values before it yields (assumed, not Gradio). */
export interface RunPlan {
  seed: number;
  steps: number;
  width: number;
  height: number;
  count: number;
  text?: string;
  source?: Buffer;
}

const num = (v: unknown) => (isNum(v) ? Number(v) : NaN);

/** The app's own checks (torch/diffusers would fail on these): an exception, error: null. */
export function plan(ep: Endpoint, v: Record<string, unknown>): Pre<RunPlan> {
  const prompt = v.prompt;
  if (ep.run !== 'img2img' && (prompt === null || prompt === undefined))
    return exception('the pipeline needs a prompt (app, assumed)');
  const size = (x: unknown) => num(x);
  switch (ep.run) {
    case 'enhance':
      return ok({
        seed: 0,
        steps: 0,
        width: 0,
        height: 0,
        count: 0,
        text: `${String(prompt)}, highly detailed, cinematic lighting`,
      });
    case 'sd': {
      const seedIn = v.seed === null ? -1 : num(v.seed);
      const p = { width: size(v.width), height: size(v.height), steps: num(v.num_inference_steps) };
      if ([p.width, p.height, p.steps, num(v.guidance_scale)].some(Number.isNaN))
        return exception('a numeric input is not a number (app, assumed)');
      return ok({ ...p, seed: seedIn === -1 ? randomInt(0, MAX_SEED) : seedIn, count: 1 });
    }
    case 'gallery': {
      const count = Math.trunc(num(v.num_images));
      if (Number.isNaN(count)) return exception('int(num_images) failed (app, assumed)');
      const seed = v.randomize_seed ? randomInt(0, MAX_SEED) : num(v.seed);
      if (!Number.isInteger(seed)) return exception('torch manual_seed needs an integer (app, assumed)');
      return ok({ seed, steps: 4, width: 512, height: 512, count: Math.max(0, count) });
    }
    case 'schnell': {
      const seed = v.randomize_seed ? randomInt(0, MAX_SEED) : num(v.seed);
      const p = { width: size(v.width), height: size(v.height), steps: num(v.num_inference_steps) };
      if ([p.width, p.height, p.steps].some(Number.isNaN))
        return exception('a numeric input is not a number (app, assumed)');
      if (!Number.isInteger(seed)) return exception('torch manual_seed needs an integer (app, assumed)');
      return ok({ ...p, seed, count: 1 });
    }
    case 'hd': {
      const p = { width: size(v.width), height: size(v.height), steps: num(v.steps) };
      if ([p.width, p.height, p.steps].some(Number.isNaN))
        return exception('a numeric input is not a number (app, assumed)');
      return ok({ ...p, seed: randomInt(0, MAX_SEED), count: 1 });
    }
    case 'img2img': {
      if (!Buffer.isBuffer(v.image)) return exception('img2img needs an input image (app, assumed)');
      if (Number.isNaN(num(v.strength))) return exception('strength is not a number (app, assumed)');
      return ok({ seed: randomInt(0, MAX_SEED), steps: 4, width: 0, height: 0, count: 1, source: v.image });
    }
  }
}

export const isAppLayout = (l: string): l is AppLayout => (APP_LAYOUTS as readonly string[]).includes(l);
export type { GradioVersion };
