/**
 * Gradio Spaces the user adds: what inspecting one finds (its text-to-image endpoints and how their
 * inputs map to the app's parameters), and the saved definition that makes it a provider
 * (`space:owner/name`). Inspecting: main/providers/custom-space/; saving: Settings → Providers and
 * `npm run cli -- spaces add`.
 */
import { z } from 'zod';
import { MODEL_ALIASES, REPO_ID_RE, SPACE_PROVIDER_PREFIX, type SpaceProviderId } from './constants';
import { EXTRA_KEY_RE, ExtraValueSchema } from './params';

/** The app parameters a Space's input can stand for. */
export const SPACE_PARAMS = [
  'prompt',
  'negativePrompt',
  'seed',
  'randomizeSeed',
  'width',
  'height',
  'guidance',
  'steps',
] as const;
export type SpaceParam = (typeof SPACE_PARAMS)[number];

/** How the app shows an input it has no parameter for (an extra control of the right kind). */
export const SPACE_INPUT_KINDS = ['text', 'number', 'slider', 'checkbox', 'dropdown', 'file', 'other'] as const;
export type SpaceInputKind = (typeof SPACE_INPUT_KINDS)[number];

const finite = z.number().finite();
const choiceValue = z.union([z.string().max(500), finite]);

export const SpaceInputSchema = z.strictObject({
  /** Position among the endpoint's arguments. */
  index: z.number().int().min(0).max(127),
  /**
   * The key of its value in `GenerationParams.extras`: the Python parameter name (`/info`
   * `parameter_name`), or `arg<index>` when the Space does not name it.
   */
  key: z.string().regex(EXTRA_KEY_RE),
  label: z.string().max(200).nullable(),
  kind: z.enum(SPACE_INPUT_KINDS),
  /** Gradio's component type (`textbox`, `slider`, `dropdown`, …). */
  component: z.string().max(64),
  /** The Space's default (what is sent when the user leaves the input alone); null: none. */
  default: z.union([ExtraValueSchema, z.null()]),
  minimum: finite.optional(),
  maximum: finite.optional(),
  step: finite.optional(),
  /** Dropdown/radio choices: the values sent, with their labels. */
  choices: z
    .array(z.strictObject({ label: z.string().max(500), value: choiceValue }))
    .max(500)
    .optional(),
});
export type SpaceInput = z.output<typeof SpaceInputSchema>;

export const SPACE_OUTPUT_KINDS = ['image', 'gallery', 'number', 'other'] as const;
export const SpaceOutputSchema = z.strictObject({
  index: z.number().int().min(0).max(127),
  kind: z.enum(SPACE_OUTPUT_KINDS),
  label: z.string().max(200).nullable(),
});
export type SpaceOutput = z.output<typeof SpaceOutputSchema>;

/** Input index → the app parameter it stands for; an input not listed keeps its default or is an extra control. */
export const SpaceMappingSchema = z
  .array(z.strictObject({ index: z.number().int().min(0).max(127), param: z.enum(SPACE_PARAMS) }))
  .max(SPACE_PARAMS.length)
  .refine((m) => new Set(m.map((x) => x.param)).size === m.length, 'each parameter maps to one input at most')
  .refine((m) => new Set(m.map((x) => x.index)).size === m.length, 'each input maps to one parameter at most');
export type SpaceMapping = z.output<typeof SpaceMappingSchema>;

/** One endpoint of a Space, as inspecting found it. */
export const SpaceEndpointSchema = z.strictObject({
  /** Without the leading slash; null for an endpoint without a name (called by fn_index). */
  apiName: z.string().max(200).nullable(),
  fnIndex: z.number().int().min(0).max(100_000),
  inputs: z.array(SpaceInputSchema).max(128),
  outputs: z.array(SpaceOutputSchema).max(128),
  /** The first Image or Gallery output: the result. */
  imageOutput: z.number().int().min(0).max(127),
  /** A Number output that is probably the seed used (named or labelled seed), else null. */
  seedOutput: z.number().int().min(0).max(127).nullable(),
  /** What the app proposes (inspect) or the user chose (saved). */
  mapping: SpaceMappingSchema,
});
export type SpaceEndpoint = z.output<typeof SpaceEndpointSchema>;

/** What `spaces:inspect` found at a URL. */
export interface SpaceInspection {
  /** The Space's base URL (`https://owner-name.hf.space`, or the local URL given), no trailing slash. */
  baseUrl: string;
  /** `owner/name` on Hugging Face: from the URL, or announced by /config; null for a local app. */
  spaceId: string | null;
  /** The id it would be saved under. */
  providerId: SpaceProviderId;
  /** A label to start from (the Space's title, or its name). */
  label: string;
  gradioVersion: string | null;
  /** The text-to-image endpoints, best first (the first is proposed). */
  endpoints: SpaceEndpoint[];
  /** Endpoints that make images but need a file input (shown, not offered). */
  fileInputEndpoints: string[];
}

/** A Space the user saved: a provider with its own controls and limits. */
export const SavedSpaceSchema = z.strictObject({
  id: z.custom<SpaceProviderId>(
    (v) => typeof v === 'string' && v.startsWith(SPACE_PROVIDER_PREFIX) && REPO_ID_RE.test(v.slice(6)),
    'a Space id is space:owner/name',
  ),
  label: z.string().trim().min(1).max(100),
  baseUrl: z.string().trim().max(2048),
  spaceId: z.string().regex(REPO_ID_RE).nullable(),
  endpoint: SpaceEndpointSchema,
  /** Model aliases it serves (routing tries it for them, after the built-in Spaces unless ordered). */
  aliases: z.array(z.enum(MODEL_ALIASES)).max(MODEL_ALIASES.length),
  addedAt: z.number().int().min(0),
});
export type SavedSpace = z.output<typeof SavedSpaceSchema>;

/** What the user may change of a saved Space (Settings → Providers). */
export const SpaceUpdateSchema = z.strictObject({
  id: SavedSpaceSchema.shape.id,
  label: SavedSpaceSchema.shape.label.optional(),
  aliases: SavedSpaceSchema.shape.aliases.optional(),
  mapping: SpaceMappingSchema.optional(),
});

/** `spaces:add`: the inspected URL, the endpoint chosen, the mapping as the user left it. */
export const SpaceAddSchema = z.strictObject({
  url: z.string().trim().min(1).max(2048),
  /** The endpoint's api name (or `#fnIndex`); default: the first text-to-image one. */
  endpoint: z.string().max(200).optional(),
  mapping: SpaceMappingSchema.optional(),
  label: z.string().trim().min(1).max(100).optional(),
  aliases: SavedSpaceSchema.shape.aliases.optional(),
});
export type SpaceAdd = z.output<typeof SpaceAddSchema>;

/** At most this many saved Spaces. */
export const MAX_SAVED_SPACES = 32;

/** The provider id a Space is saved under: its Hugging Face id, or `local/<host>-<port>` for a local app. */
export function spaceProviderId(spaceId: string | null, baseUrl: string): SpaceProviderId {
  if (spaceId && REPO_ID_RE.test(spaceId)) return `space:${spaceId}`;
  const u = new URL(baseUrl);
  const host = `${u.hostname.replace(/[^\w.-]/g, '-')}${u.port ? `-${u.port}` : ''}`.slice(0, 90);
  return `space:local/${host.replace(/^[^A-Za-z0-9]+/, '') || 'app'}`;
}
