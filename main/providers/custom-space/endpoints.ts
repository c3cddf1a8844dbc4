/**
 * A Space's text-to-image endpoints, from its `/config` (components, dependencies) and `/info`
 * (parameter names): every backend dependency the API may call whose outputs include an Image or
 * a Gallery and whose inputs include a text prompt. Endpoints that also need a file (an Image,
 * File, Audio… input without a `None` default) are set apart; the rest are ranked, best first.
 */
import { EXTRA_KEY_RE, LIMITS, type ExtraValue } from '../../../shared/params';
import type { SpaceEndpoint, SpaceInput, SpaceInputKind, SpaceOutput } from '../../../shared/spaces';
import type { ApiInfo, ApiParameter } from '../gradio/api-info';
import { endpointRef, type SpaceComponent, type SpaceConfig, type SpaceDependency } from '../gradio/config';
import { proposeMapping } from './mapping';

/** Inputs that carry a file (data_classes.py FileData): the app has nothing to send them. */
const FILE_COMPONENTS = new Set([
  'image',
  'imageeditor',
  'sketchpad',
  'paint',
  'imageslider',
  'file',
  'files',
  'uploadbutton',
  'video',
  'audio',
  'gallery',
  'model3d',
  'simpleimage',
]);
const TEXT_COMPONENTS = new Set(['textbox', 'textarea', 'text']);

/** What the app shows for an input of this component. */
export function inputKind(c: SpaceComponent | undefined): SpaceInputKind {
  if (!c) return 'other';
  if (TEXT_COMPONENTS.has(c.type)) return 'text';
  if (c.type === 'number') return 'number';
  if (c.type === 'slider') return 'slider';
  if (c.type === 'checkbox') return 'checkbox';
  if ((c.type === 'dropdown' || c.type === 'radio') && !c.multiselect) return 'dropdown';
  if (FILE_COMPONENTS.has(c.type)) return 'file';
  return 'other';
}

export function outputKind(c: SpaceComponent | undefined): SpaceOutput['kind'] {
  if (c?.type === 'image') return 'image';
  if (c?.type === 'gallery') return 'gallery';
  if (c?.type === 'number' || c?.type === 'slider') return 'number';
  return 'other';
}

const cut = (s: string | null, n: number): string | null => (s === null ? null : s.slice(0, n));

/** A value the app can keep as an input's default (ExtraValueSchema), else null. */
function scalar(v: unknown): ExtraValue | null {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return v.length <= LIMITS.promptMaxLength ? v : null;
  return null;
}

const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);

function choices(c: SpaceComponent): SpaceInput['choices'] {
  const list = (c.choices ?? []).flatMap((ch) => {
    const v = ch.value;
    const ok = (typeof v === 'string' && v.length <= 500) || (typeof v === 'number' && Number.isFinite(v));
    return ok ? [{ label: ch.label.slice(0, 500), value: v as string | number }] : [];
  });
  return list.slice(0, 500);
}

/** The key an input's value goes by in `extras`: its Python name when usable, else `arg<index>`. */
function keyOf(param: ApiParameter | null, index: number, used: Set<string>): string {
  const name = param?.name ?? '';
  let key = EXTRA_KEY_RE.test(name) ? name : `arg${index}`;
  if (used.has(key)) key = `${key.slice(0, 56)}_${index}`;
  used.add(key);
  return key;
}

export function describeInput(
  index: number,
  c: SpaceComponent | undefined,
  param: ApiParameter | null,
  used: Set<string>,
): SpaceInput {
  const kind = inputKind(c);
  const input: SpaceInput = {
    index,
    key: keyOf(param, index, used),
    label: cut(c?.label ?? param?.label ?? null, 200),
    kind,
    component: (c?.type ?? param?.component?.toLowerCase() ?? 'unknown').slice(0, 64),
    default: scalar(c?.value) ?? (c?.value == null ? scalar(param?.default) : null),
  };
  if (c && (kind === 'slider' || kind === 'number')) {
    if (finite(c.minimum)) input.minimum = c.minimum;
    if (finite(c.maximum)) input.maximum = c.maximum;
    if (finite(c.step) && c.step > 0) input.step = c.step;
  }
  if (c && kind === 'dropdown') input.choices = choices(c);
  return input;
}

/**
 * A file input the function cannot do without: no value in /config and no `None` default in the
 * function (`/info` `parameter_has_default` with a null default). Unknown (no /info): needed.
 */
const needsFile = (input: SpaceInput, c: SpaceComponent | undefined, param: ApiParameter | null): boolean =>
  input.kind === 'file' && !(param?.hasDefault === true && param.default == null && c?.value == null);

export interface EndpointAnalysis {
  /** Text-to-image endpoints, best first. */
  endpoints: SpaceEndpoint[];
  /** Image endpoints that need a file input (`name` or `#fnIndex`). */
  fileInputEndpoints: string[];
}

interface Candidate {
  endpoint: SpaceEndpoint;
  hidden: boolean;
}

/** The /info parameters in dependency-input order (State and other skip_api inputs get null). */
function alignParams(dep: SpaceDependency, config: SpaceConfig, info: ApiInfo | null): (ApiParameter | null)[] {
  const params = dep.apiName ? info?.get(dep.apiName)?.parameters : undefined;
  const skip = dep.inputs.map((id) => config.components.get(id)?.skipApi === true);
  // A description that does not line up with the inputs is not used (labels still come from /config).
  if (!params || params.length !== skip.filter((s) => !s).length) return dep.inputs.map(() => null);
  let k = 0;
  return skip.map((s) => (s ? null : (params[k++] ?? null)));
}

function analyseDependency(
  dep: SpaceDependency,
  config: SpaceConfig,
  info: ApiInfo | null,
): { kind: 'offer'; candidate: Candidate } | { kind: 'file'; ref: string } | null {
  if (!dep.backendFn || dep.apiVisibility === 'private') return null;
  if (dep.inputs.length > 128 || dep.outputs.length > 128) return null;
  const outputs: SpaceOutput[] = dep.outputs.map((id, index) => {
    const c = config.components.get(id);
    return { index, kind: outputKind(c), label: cut(c?.label ?? null, 200) };
  });
  const imageOutput = outputs.find((o) => o.kind === 'image' || o.kind === 'gallery');
  if (!imageOutput) return null;
  const params = alignParams(dep, config, info);
  const used = new Set<string>();
  const inputs = dep.inputs.map((id, i) => describeInput(i, config.components.get(id), params[i] ?? null, used));
  if (inputs.some((input, i) => needsFile(input, config.components.get(dep.inputs[i]!), params[i] ?? null))) {
    return { kind: 'file', ref: endpointRef(dep.apiName, dep.id) };
  }
  const mapping = proposeMapping(inputs);
  if (!mapping.some((m) => m.param === 'prompt')) return null;
  const seedOutput = outputs.find((o) => o.kind === 'number' && /\bseed\b/i.test(o.label ?? '')) ?? null;
  return {
    kind: 'offer',
    candidate: {
      hidden: dep.apiVisibility !== 'public',
      endpoint: {
        apiName: dep.apiName,
        fnIndex: dep.id,
        inputs,
        outputs,
        imageOutput: imageOutput.index,
        seedOutput: seedOutput?.index ?? null,
        mapping,
      },
    },
  };
}

/**
 * The text-to-image endpoints, ranked: public before hidden from the docs, then more parameters
 * mapped, then named before unnamed (called by fn_index), then the Space's own order.
 */
export function findTextToImageEndpoints(config: SpaceConfig, info: ApiInfo | null): EndpointAnalysis {
  const offered: Candidate[] = [];
  const fileInputEndpoints: string[] = [];
  for (const dep of config.dependencies) {
    const found = analyseDependency(dep, config, info);
    if (found?.kind === 'offer') offered.push(found.candidate);
    else if (found?.kind === 'file') fileInputEndpoints.push(found.ref);
  }
  offered.sort(
    (a, b) =>
      Number(a.hidden) - Number(b.hidden) ||
      b.endpoint.mapping.length - a.endpoint.mapping.length ||
      Number(a.endpoint.apiName === null) - Number(b.endpoint.apiName === null) ||
      a.endpoint.fnIndex - b.endpoint.fnIndex,
  );
  return { endpoints: offered.map((c) => c.endpoint), fileInputEndpoints };
}
