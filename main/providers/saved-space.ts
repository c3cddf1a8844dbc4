/**
 * Turning an inspected Space into the definition Settings keep (`spaces:add`, `spaces add`), and
 * applying a user's edit to one (`spaces:update`): the endpoint chosen, the mapping checked against
 * its inputs, the label and aliases.
 */
import { AppError } from '../../shared/errors';
import type {
  SavedSpace,
  SpaceAdd,
  SpaceEndpoint,
  SpaceInspection,
  SpaceMapping,
  SpaceParam,
} from '../../shared/spaces';
import { SPACE_PARAMS } from '../../shared/spaces';

/** The endpoint named `name` (api name, with or without `/`, or `#fnIndex`), or the first proposed. */
export function pickEndpoint(inspection: SpaceInspection, name?: string): SpaceEndpoint {
  const list = inspection.endpoints;
  if (!name) {
    const first = list[0];
    if (!first) throw new AppError('no-text-to-image', `${inspection.label} has no text-to-image endpoint.`);
    return first;
  }
  const wanted = name.trim().replace(/^\//, '');
  const byIndex = /^#(\d+)$/.exec(wanted);
  const found = list.find((e) => (byIndex ? e.fnIndex === Number(byIndex[1]) : e.apiName === wanted));
  if (!found) {
    const names = list.map((e) => (e.apiName ? `/${e.apiName}` : `#${e.fnIndex}`)).join(', ');
    const fileOnly = inspection.fileInputEndpoints.includes(wanted);
    throw new AppError(
      fileOnly ? 'needs-file-input' : 'invalid-argument',
      fileOnly
        ? `The endpoint /${wanted} needs an input file; the app generates from text only. Text-to-image endpoints: ${names || 'none'}.`
        : `${inspection.label} has no text-to-image endpoint "${name}". It has: ${names || 'none'}.`,
    );
  }
  return found;
}

/** Checks a mapping against an endpoint's inputs: each index exists, no file input, a prompt is mapped. */
export function checkMapping(endpoint: SpaceEndpoint, mapping: SpaceMapping): SpaceMapping {
  for (const { index, param } of mapping) {
    const input = endpoint.inputs.find((i) => i.index === index);
    if (!input) throw new AppError('invalid-argument', `The endpoint has no input number ${index} (for ${param}).`);
    if (input.kind === 'file') {
      throw new AppError(
        'invalid-argument',
        `Input "${input.label ?? input.key}" takes a file; it cannot be ${param}.`,
      );
    }
    if (!fits(param, input.kind)) {
      throw new AppError(
        'invalid-argument',
        `Input "${input.label ?? input.key}" is a ${input.kind} control; it cannot hold the ${param}.`,
      );
    }
  }
  if (!mapping.some((m) => m.param === 'prompt')) {
    throw new AppError('invalid-argument', 'Map one input to the prompt: the app sends its prompt there.');
  }
  return [...mapping].sort((a, b) => a.index - b.index);
}

const TEXT_PARAMS: readonly SpaceParam[] = ['prompt', 'negativePrompt'];
const NUMBER_PARAMS: readonly SpaceParam[] = ['seed', 'width', 'height', 'guidance', 'steps'];

/** Whether an app parameter can go into an input of this kind (text in text, numbers in numbers, …). */
function fits(param: SpaceParam, kind: SpaceEndpoint['inputs'][number]['kind']): boolean {
  if (TEXT_PARAMS.includes(param)) return kind === 'text' || kind === 'other';
  if (NUMBER_PARAMS.includes(param)) return kind === 'number' || kind === 'slider' || kind === 'other';
  if (param === 'randomizeSeed') return kind === 'checkbox' || kind === 'other';
  return SPACE_PARAMS.includes(param);
}

export function savedSpaceFrom(inspection: SpaceInspection, add: SpaceAdd, now: number): SavedSpace {
  const picked = pickEndpoint(inspection, add.endpoint);
  const mapping = checkMapping(picked, add.mapping ?? picked.mapping);
  return {
    id: inspection.providerId,
    label: add.label ?? inspection.label,
    baseUrl: inspection.baseUrl,
    spaceId: inspection.spaceId,
    endpoint: { ...picked, mapping },
    aliases: [...new Set(add.aliases ?? [])],
    addedAt: now,
  };
}

export function updatedSpace(
  saved: SavedSpace,
  update: {
    label?: string | undefined;
    aliases?: SavedSpace['aliases'] | undefined;
    mapping?: SpaceMapping | undefined;
  },
): SavedSpace {
  return {
    ...saved,
    ...(update.label !== undefined ? { label: update.label } : {}),
    ...(update.aliases !== undefined ? { aliases: [...new Set(update.aliases)] } : {}),
    ...(update.mapping !== undefined
      ? { endpoint: { ...saved.endpoint, mapping: checkMapping(saved.endpoint, update.mapping) } }
      : {}),
  };
}
