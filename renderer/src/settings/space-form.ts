/**
 * Adding a Space and editing a saved one: the mapping of the endpoint's inputs to the app's
 * parameters as the user edits it (each parameter on one input at most, each input standing for
 * one parameter at most), the endpoint chosen, and the `spaces:add` / `spaces:update` it becomes.
 */
import type { InvokeArgs } from '../../../shared/contract';
import type { ModelAlias } from '../../../shared/constants';
import {
  SPACE_PARAMS,
  type SavedSpace,
  type SpaceEndpoint,
  type SpaceInput,
  type SpaceInspection,
  type SpaceMapping,
  type SpaceParam,
} from '../../../shared/spaces';

/** What an input stands for in the table: a parameter, or '' (the Space's default / an extra control). */
export type MappingChoice = SpaceParam | '';

/** The parameter an input stands for, or ''. */
export function choiceOf(mapping: SpaceMapping, index: number): MappingChoice {
  return mapping.find((m) => m.index === index)?.param ?? '';
}

/**
 * The mapping with input `index` standing for `choice`: a parameter another input stood for moves
 * here (that input goes back to its default); '' frees the input. Sorted by input.
 */
export function setChoice(mapping: SpaceMapping, index: number, choice: MappingChoice): SpaceMapping {
  const rest = mapping.filter((m) => m.index !== index && (choice === '' || m.param !== choice));
  const next = choice === '' ? rest : [...rest, { index, param: choice }];
  return next.sort((a, b) => a.index - b.index);
}

/** The input that stood for `choice` before this change, and loses it (to say so); null when none. */
export function displacedBy(mapping: SpaceMapping, index: number, choice: MappingChoice): number | null {
  if (choice === '') return null;
  const other = mapping.find((m) => m.param === choice && m.index !== index);
  return other ? other.index : null;
}

/** Parameters that make sense for an input of this kind (the current choice is always offered too). */
export function paramsFor(input: SpaceInput): SpaceParam[] {
  switch (input.kind) {
    case 'text':
      return ['prompt', 'negativePrompt'];
    case 'number':
    case 'slider':
      return ['seed', 'width', 'height', 'guidance', 'steps'];
    case 'checkbox':
      return ['randomizeSeed'];
    case 'file':
      return [];
    default:
      // A dropdown or a component the app does not know: any parameter may be what it takes.
      return [...SPACE_PARAMS];
  }
}

/** The options of an input's select, in SPACE_PARAMS order, its current choice included. */
export function optionsFor(input: SpaceInput, current: MappingChoice): SpaceParam[] {
  const fit = new Set<SpaceParam>(paramsFor(input));
  if (current) fit.add(current);
  return SPACE_PARAMS.filter((p) => fit.has(p));
}

/** Inputs the app sends nothing for become extra controls in the panel; a file or unknown input keeps its default. */
export function becomesControl(input: SpaceInput): boolean {
  return (
    input.kind === 'text' ||
    input.kind === 'number' ||
    input.kind === 'slider' ||
    input.kind === 'checkbox' ||
    (input.kind === 'dropdown' && (input.choices?.length ?? 0) > 0)
  );
}

export type MappingProblem = 'no-prompt';

/** Why the mapping cannot be saved: the prompt must go to one of the inputs. */
export function mappingProblems(mapping: SpaceMapping): MappingProblem[] {
  return mapping.some((m) => m.param === 'prompt') ? [] : ['no-prompt'];
}

/** How `spaces:add` names an endpoint: its api name, or `#fnIndex` for one without a name. */
export function endpointKey(e: Pick<SpaceEndpoint, 'apiName' | 'fnIndex'>): string {
  return e.apiName ?? `#${e.fnIndex}`;
}

/** An endpoint as the user sees it: `/infer`, or `#3` without a name. */
export function endpointName(e: Pick<SpaceEndpoint, 'apiName' | 'fnIndex'>): string {
  return e.apiName !== null ? `/${e.apiName.replace(/^\//, '')}` : `#${e.fnIndex}`;
}

/** The add dialog once a Space was inspected: what the user may change before saving. */
export interface AddDraft {
  /** The URL as inspected (a later edit of the field asks for a new inspection). */
  url: string;
  inspection: SpaceInspection;
  /** Index into `inspection.endpoints`. */
  endpoint: number;
  /** Per endpoint, the mapping as the user left it (starting from the proposal). */
  mappings: SpaceMapping[];
  label: string;
  aliases: ModelAlias[];
}

export function addDraftFrom(url: string, inspection: SpaceInspection): AddDraft {
  return {
    url: url.trim(),
    inspection,
    endpoint: 0,
    mappings: inspection.endpoints.map((e) => [...e.mapping].sort((a, b) => a.index - b.index)),
    label: inspection.label,
    // None by default: a new Space runs only when pinned until the user lets routing use it.
    aliases: [],
  };
}

export function currentEndpoint(d: AddDraft): SpaceEndpoint | undefined {
  return d.inspection.endpoints[d.endpoint];
}

/** `spaces:add`, from what the user chose; the label falls back to the inspected one. */
export function addArgs(d: AddDraft): InvokeArgs<'spaces:add'> {
  const endpoint = currentEndpoint(d);
  const label = d.label.trim() || d.inspection.label;
  return {
    url: d.url,
    ...(endpoint ? { endpoint: endpointKey(endpoint), mapping: d.mappings[d.endpoint] ?? endpoint.mapping } : {}),
    ...(label ? { label: label.slice(0, 100) } : {}),
    aliases: [...d.aliases],
  };
}

/** Editing a saved Space. */
export interface EditDraft {
  space: SavedSpace;
  label: string;
  mapping: SpaceMapping;
  aliases: ModelAlias[];
}

export function editDraftFrom(space: SavedSpace): EditDraft {
  return {
    space,
    label: space.label,
    mapping: [...space.endpoint.mapping].sort((a, b) => a.index - b.index),
    aliases: [...space.aliases],
  };
}

const sameMapping = (a: SpaceMapping, b: SpaceMapping) =>
  a.length === b.length &&
  [...a]
    .sort((x, y) => x.index - y.index)
    .every((m, i) => {
      const o = [...b].sort((x, y) => x.index - y.index)[i];
      return o !== undefined && o.index === m.index && o.param === m.param;
    });

/** `spaces:update` with what changed only; null when nothing did. */
export function updateArgs(d: EditDraft): InvokeArgs<'spaces:update'> | null {
  const args: InvokeArgs<'spaces:update'> = { id: d.space.id };
  const label = d.label.trim();
  if (label && label !== d.space.label) args.label = label.slice(0, 100);
  const aliases = [...d.aliases].sort();
  if (aliases.join() !== [...d.space.aliases].sort().join()) args.aliases = [...d.aliases];
  if (!sameMapping(d.mapping, d.space.endpoint.mapping)) args.mapping = d.mapping;
  return Object.keys(args).length > 1 ? args : null;
}

/** Toggles an alias, keeping MODEL_ALIASES order. */
export function toggleAlias(
  aliases: readonly ModelAlias[],
  alias: ModelAlias,
  on: boolean,
  all: readonly ModelAlias[],
) {
  const set = new Set(aliases);
  if (on) set.add(alias);
  else set.delete(alias);
  return all.filter((a) => set.has(a));
}
