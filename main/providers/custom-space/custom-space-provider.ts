/**
 * A Space the user saved (Settings → Providers, `spaces add`) as a provider: its endpoint's inputs
 * in its own order, each filled from the app's parameters through the saved mapping, from the
 * user's extras by key, or with the Space's default. Driven by the same Gradio driver as the
 * built-in Spaces (gradio-provider.ts): queue API by api name when /config names the endpoint,
 * call API otherwise, fn_index through the queue for an endpoint without a name; the user's token
 * as X-HF-Authorization; the Hub's state for a Space on Hugging Face (none for a local app).
 */
import { randomInt } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { DEFAULTS, LIMITS, type ExtraValue, type GenerationParams, type ResolvedParams } from '../../../shared/params';
import { DEFAULT_SIZE_LIMITS, type SizeLimits } from '../../../shared/sizes';
import type { SavedSpace, SpaceInput, SpaceParam } from '../../../shared/spaces';
import { endpointRef, findDependency, type SpaceConfig } from '../gradio/config';
import { createGradioProvider } from '../gradio-provider';
import type { Provider } from '../types';
import { checkRange, checkValue, inputName } from './values';

const numberOr = (v: ExtraValue | null | undefined, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;

/** The saved endpoint, read once: which input each parameter went to, and the rest. */
export interface SpacePlan {
  byParam: Map<SpaceParam, SpaceInput>;
  paramAt: Map<number, SpaceParam>;
  /** Inputs shown as extra controls: not mapped, not a file, not hidden state. */
  extraInputs: SpaceInput[];
}

export function planOf(saved: SavedSpace): SpacePlan {
  const { inputs, mapping } = saved.endpoint;
  const byParam = new Map<SpaceParam, SpaceInput>();
  const paramAt = new Map<number, SpaceParam>();
  for (const m of mapping) {
    const input = inputs.find((i) => i.index === m.index);
    if (!input) continue;
    byParam.set(m.param, input);
    paramAt.set(m.index, m.param);
  }
  const extraInputs = inputs.filter((i) => !paramAt.has(i.index) && i.kind !== 'file' && i.component !== 'state');
  return { byParam, paramAt, extraInputs };
}

/** The size range from the saved width/height inputs' bounds; the FLUX Spaces' where they say nothing. */
function savedSizeLimits(w: SpaceInput | undefined, h: SpaceInput | undefined): SizeLimits {
  const sides = [w, h].filter((x): x is SpaceInput => x !== undefined);
  if (sides.length === 0) return DEFAULT_SIZE_LIMITS;
  const mins = sides.map((s) => s.minimum ?? DEFAULT_SIZE_LIMITS.min);
  const maxs = sides.map((s) => s.maximum ?? DEFAULT_SIZE_LIMITS.max);
  const min = Math.ceil(Math.max(...mins, LIMITS.size.min));
  const max = Math.floor(Math.min(...maxs, LIMITS.size.max));
  const step =
    sides.find((s) => s.step !== undefined && s.step > 0)?.step ??
    (sides.some((s) => s.minimum !== undefined) ? 1 : DEFAULT_SIZE_LIMITS.step);
  return min <= max ? { min, max, step } : DEFAULT_SIZE_LIMITS;
}

/** A mapped parameter's value as the input takes it (its kind decides the JSON type). */
function wireValue(input: SpaceInput, v: ExtraValue | undefined): unknown {
  if (v === undefined) return input.default;
  switch (input.kind) {
    case 'text':
      return String(v);
    case 'checkbox':
      return Boolean(v);
    case 'number':
    case 'slider':
      return typeof v === 'number' ? v : Number(v);
    case 'dropdown':
      return input.choices?.find((c) => String(c.value) === String(v))?.value ?? v;
    default:
      return v;
  }
}

function paramValue(param: SpaceParam, r: ResolvedParams): ExtraValue | undefined {
  switch (param) {
    case 'prompt':
      return r.prompt;
    case 'negativePrompt':
      return r.negativePrompt;
    case 'seed':
      return r.seed;
    case 'randomizeSeed':
      return r.randomizeSeed;
    case 'width':
      return r.width;
    case 'height':
      return r.height;
    case 'guidance':
      return r.guidance;
    case 'steps':
      return r.steps;
  }
}

/** The endpoint as people read it: `/name`, or `#3` for one without a name. */
const shownEndpoint = (saved: SavedSpace) =>
  saved.endpoint.apiName === null ? `#${saved.endpoint.fnIndex}` : `/${saved.endpoint.apiName}`;

export function createCustomSpaceProvider(saved: SavedSpace): Provider {
  const ep = saved.endpoint;
  const plan = planOf(saved);
  const { byParam, paramAt, extraInputs } = plan;
  const ref = endpointRef(ep.apiName, ep.fnIndex);
  const w = byParam.get('width');
  const h = byParam.get('height');
  const steps = byParam.get('steps');
  const guidance = byParam.get('guidance');
  const seed = byParam.get('seed');
  const randomize = byParam.get('randomizeSeed');
  const negative = byParam.get('negativePrompt');
  const sizeArgs = w || h ? ([(w ?? h)!.index, (h ?? w)!.index] as const) : null;
  const clampSteps = (n: number) => Math.min(LIMITS.steps.max, Math.max(LIMITS.steps.min, Math.round(n)));
  const defaults = {
    width: Math.round(numberOr(w?.default, 1024)),
    height: Math.round(numberOr(h?.default, 1024)),
    steps: clampSteps(numberOr(steps?.default, 28)),
    ...(guidance ? { guidance: numberOr(guidance.default, DEFAULTS.guidance) } : {}),
  };
  const id = saved.id;

  function refine(params: GenerationParams, r: ResolvedParams): ResolvedParams {
    const out: ResolvedParams = { ...r };
    if (steps) checkRange(steps, out.steps, id);
    if (guidance) {
      // No guidance asked for: the Space's own default (an SD Space's 7 is not FLUX's 3.5).
      const g = params.guidance ?? (typeof guidance.default === 'number' ? guidance.default : DEFAULTS.guidance);
      out.guidance = checkRange(guidance, g, id);
    }
    if (seed) {
      const lo = Math.max(Math.ceil(seed.minimum ?? LIMITS.seed.min), LIMITS.seed.min);
      const hi = Math.min(Math.floor(seed.maximum ?? LIMITS.seed.max), LIMITS.seed.max);
      if (params.randomizeSeed && !randomize) {
        // Nothing on the Space randomises: the app picks the seed, and sends it as fixed.
        out.seed = hi >= lo ? randomInt(lo, hi + 1) : lo;
        out.randomizeSeed = false;
      } else if (params.randomizeSeed) {
        // The Space replaces it, but Gradio ≥ 5.39 still checks the slider's bounds.
        out.seed = Math.min(hi, Math.max(lo, params.seed));
      } else {
        checkRange(seed, params.seed, id);
      }
    }
    if (negative) {
      out.negativePrompt = params.negativePrompt ?? (typeof negative.default === 'string' ? negative.default : '');
    }
    // Mapped inputs of a kind with rules of its own (a dropdown, a user's own mapping) are checked too.
    for (const [param, input] of byParam) {
      if (input.kind !== 'dropdown' && input.kind !== 'file' && input.kind !== 'other') continue;
      const v = paramValue(param, out);
      if (v !== undefined) checkValue(input, v, id);
    }
    const extras: Record<string, ExtraValue> = {};
    for (const [key, value] of Object.entries(params.extras ?? {})) {
      const input = extraInputs.find((i) => i.key === key);
      if (input) {
        extras[key] = checkValue(input, value, id);
        continue;
      }
      // Extras meant for another provider are not this one's business, unless it was asked for by name.
      if (params.provider !== id) continue;
      const known = extraInputs.map((i) => i.key).join(', ');
      const mapped = ep.inputs.find((i) => i.key === key && paramAt.has(i.index));
      throw new AppError(
        'invalid-argument',
        mapped
          ? `${inputName(mapped)} is set by the app's own ${paramAt.get(mapped.index)} control, not as an extra input.`
          : `${saved.label} has no input called "${key}"${known ? ` (its own inputs: ${known})` : ''}.`,
        { providerId: id },
      );
    }
    if (Object.keys(extras).length > 0) out.extras = extras;
    else delete out.extras;
    return out;
  }

  function args(r: ResolvedParams): unknown[] {
    const count = Math.max(ep.inputs.length, ...ep.inputs.map((i) => i.index + 1));
    const data: unknown[] = Array.from({ length: count }, () => null);
    for (const input of ep.inputs) {
      const param = paramAt.get(input.index);
      if (param) data[input.index] = wireValue(input, paramValue(param, r));
      else if (r.extras && Object.hasOwn(r.extras, input.key)) data[input.index] = r.extras[input.key];
      else data[input.index] = input.default;
    }
    return data;
  }

  function checkEndpoint(config: SpaceConfig): void {
    const dep = findDependency(config, ref);
    const where = `${saved.label} (${shownEndpoint(saved)})`;
    if (!dep) {
      throw new AppError(
        'no-text-to-image',
        `${saved.label} no longer has the endpoint ${shownEndpoint(saved)}; inspect the Space and add it again.`,
        { providerId: id },
      );
    }
    if (dep.inputs.length !== ep.inputs.length || dep.outputs.length !== ep.outputs.length) {
      throw new AppError(
        'no-text-to-image',
        `${where} has changed since it was added (${dep.inputs.length} inputs and ${dep.outputs.length} outputs, not ${ep.inputs.length} and ${ep.outputs.length}); inspect the Space and add it again.`,
        { providerId: id },
      );
    }
  }

  return createGradioProvider({
    id,
    label: saved.label,
    defaultBaseUrl: saved.baseUrl,
    spaceId: saved.spaceId,
    aliases: saved.aliases,
    defaults,
    supportsGuidance: guidance !== undefined,
    apiName: ref,
    args,
    sizeArgs,
    sizeLimits: savedSizeLimits(w, h),
    outputs: { image: ep.imageOutput, seed: ep.seedOutput },
    refine,
    knownSeed: (r) => (seed && !(randomize && r.randomizeSeed) ? r.seed : null),
    checkEndpoint,
    fallbackFnIndex: ep.fnIndex,
    fallbackTriggerId: null,
    infoKind: 'space',
    supportsNegativePrompt: negative !== undefined,
    extraInputs,
  });
}
