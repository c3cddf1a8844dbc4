/** Command-line arguments → a validated command. Bad arguments are a UsageError (exit code 2). */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../app-dirs';
import { getProvider } from '../providers/registry';
import {
  GenerationParamsSchema,
  isBuiltinProviderId,
  type GenerationParams,
  type GenerationParamsInput,
  type ProviderId,
} from '../../shared/params';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: flux-gallery <command> [options]

Commands:
  generate   Make one image and save it in the library
  models     List the model aliases and providers
  history    List and search the saved images (flux-gallery history --help)
  export     Export images to a folder or a ZIP file (flux-gallery export --help)
  import     Import images or folders, with other tools' parameters (flux-gallery import --help)
  boards     List, make and fill boards (flux-gallery boards --help)
  spaces     Inspect a Gradio Space and add it as a provider (flux-gallery spaces --help)
  queue      The app's job queue: list, pause, resume, clear (flux-gallery queue --help)
  help       Show this help

generate options:
  --prompt TEXT         What to draw (required)
  --model ALIAS         flux (default), flux-dev or flux-schnell; tried provider by provider
  --provider ID         Pin one provider: bfl-flux1-dev, bfl-flux1-schnell, voodoohop-flux1-schnell,
                        a Space you added (space:owner/name) or a model through Hugging Face
                        Inference Providers (hf-inference:black-forest-labs/FLUX.1-schnell)
  --base-url URL        Space URL: for the pinned provider, or for every provider of the model
                        when none is pinned (e.g. a duplicated Space or a local fake Space). With
                        --provider space:owner/name for a Space not added yet, it is read and used
                        for this run as "spaces inspect" maps it
  --inference-url URL   The Inference Providers router (default https://router.huggingface.co)
  --negative TEXT       Negative prompt (Spaces that take one)
  --style NAME          A style saved in the app (Settings → Styles): its template wraps the prompt
  --preset NAME         A preset saved in the app: its parameters, under the options given here
  --extra NAME=VALUE    A Space's own input by name (repeat for several; see "spaces inspect")
  --hf-url URL          Hugging Face site URL (ZeroGPU tokens, Space states)
  --proxy URL           HTTP(S) proxy
  --width N --height N  Image size, within the Space's limits (256–2048, snapped to its step of 32)
  --aspect W:H          Aspect ratio (1:1, 16:9, 9:16, 4:3, 3:4, 3:2, 2:3, 21:9, 9:21, 4:5, 5:4, 2:1, 1:2)
  --steps N             Inference steps (default: the provider's)
  --guidance X          Guidance scale (Flux-1-Dev only; default 3.5)
  --seed N              Seed; a seed without --randomize is used as is
  --randomize           Let the Space pick a random seed (default when no --seed)
  --timeout SECONDS     Give up on a silent Space after this long (default 60)
  --library DIR         Where to save (default: the library folder chosen in the app's Settings,
                        else ~/Pictures/Flux Gallery)
  --data DIR            The app's settings folder to read, with its presets and styles (default:
                        the desktop app's own)
  --json                One JSON object per line per event; ends with {"type":"saved",…}

Options apply to this run only; the app's settings are never changed.

Environment: HF_TOKEN — a Hugging Face token for a larger ZeroGPU quota, private Spaces and
Inference Providers (never printed).
Exit codes: 0 saved, 1 generation failed, 2 bad arguments, 130 cancelled.`;

export interface GenerateCommand {
  command: 'generate';
  /** The options given, validated (without the preset: `generate` puts these over its parameters). */
  params: GenerationParams;
  /** Only the parameters given as options (the seed mode only with --seed or --randomize). */
  given: GenerationParamsInput;
  /** A preset's name (--preset), read from the data folder. */
  preset: string | null;
  baseUrl: string | null;
  inferenceUrl: string | null;
  hfUrl: string | null;
  proxy: string | null;
  idleTimeoutMs: number | null;
  /** null: the library folder from the app's settings. */
  libraryDir: string | null;
  /** The app's settings folder. */
  dataDir: string;
  json: boolean;
}
export type Command = GenerateCommand | { command: 'models'; json: boolean; dataDir: string } | { command: 'help' };

const OPTIONS = {
  prompt: { type: 'string' },
  model: { type: 'string' },
  provider: { type: 'string' },
  'base-url': { type: 'string' },
  'inference-url': { type: 'string' },
  negative: { type: 'string' },
  style: { type: 'string' },
  preset: { type: 'string' },
  extra: { type: 'string', multiple: true },
  'hf-url': { type: 'string' },
  proxy: { type: 'string' },
  width: { type: 'string' },
  height: { type: 'string' },
  aspect: { type: 'string' },
  steps: { type: 'string' },
  guidance: { type: 'string' },
  seed: { type: 'string' },
  randomize: { type: 'boolean' },
  timeout: { type: 'string' },
  library: { type: 'string' },
  data: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.replace(/\s*\n\s*/g, ' ') : String(err));
  }
  const { values: v, positionals } = parsed;
  const [command = 'help', ...extra] = positionals;
  if (v.help || command === 'help') return { command: 'help' };
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  if (command === 'models') {
    return { command: 'models', json: v.json ?? false, dataDir: path.resolve(v.data ?? defaultDataDir(env)) };
  }
  if (command !== 'generate') throw new UsageError(`Unknown command "${command}".`);

  const input: Record<string, unknown> = {};
  if (v.prompt === undefined) throw new UsageError('--prompt is required.');
  input.prompt = v.prompt;
  if (v.model !== undefined) input.model = v.model;
  if (v.provider !== undefined) input.provider = v.provider;
  if (v.aspect !== undefined) input.aspectRatio = v.aspect;
  for (const key of ['width', 'height', 'steps', 'seed'] as const) {
    if (v[key] !== undefined) input[key] = number(v[key], key);
  }
  if (v.guidance !== undefined) input.guidance = number(v.guidance, 'guidance');
  if (v.negative !== undefined) input.negativePrompt = v.negative;
  if (v.extra !== undefined) input.extras = extras(v.extra);
  if (v.style !== undefined) input.style = v.style;
  const given = { ...input } as GenerationParamsInput;
  // A seed given without --randomize is meant to be used.
  input.randomizeSeed = v.randomize ?? v.seed === undefined;
  if (v.randomize !== undefined || v.seed !== undefined) given.randomizeSeed = input.randomizeSeed as boolean;
  const params = generationParams(input);
  let preset: string | null = null;
  if (v.preset !== undefined) {
    preset = v.preset.trim();
    if (!preset) throw new UsageError('--preset needs a name.');
  }

  let idleTimeoutMs: number | null = null;
  if (v.timeout !== undefined) {
    const s = number(v.timeout, 'timeout');
    if (s <= 0 || s > 3600) throw new UsageError('--timeout must be between 0 and 3600 seconds.');
    idleTimeoutMs = Math.round(s * 1000);
  }
  return {
    command: 'generate',
    params,
    given,
    preset,
    baseUrl: v['base-url'] === undefined ? null : httpUrl(v['base-url'], 'base-url'),
    inferenceUrl: v['inference-url'] === undefined ? null : httpUrl(v['inference-url'], 'inference-url'),
    hfUrl: v['hf-url'] === undefined ? null : httpUrl(v['hf-url'], 'hf-url'),
    proxy: v.proxy === undefined ? null : httpUrl(v.proxy, 'proxy'),
    idleTimeoutMs,
    libraryDir: v.library === undefined ? null : path.resolve(v.library),
    dataDir: path.resolve(v.data ?? defaultDataDir(env)),
    json: v.json ?? false,
  };
}

/** Parameters checked as the options name them; a built-in provider that does not serve the model is refused. */
export function generationParams(input: Record<string, unknown>): GenerationParams {
  const result = GenerationParamsSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    const msg = issue?.message ?? 'invalid parameters';
    throw new UsageError(
      issue?.code === 'invalid_value' || issue?.code === 'custom' ? `--${flagOf(where)}: ${msg}.` : `${capital(msg)}.`,
    );
  }
  // The built-in providers are known here; a Space or inference model is checked by the core.
  const id = result.data.provider;
  const pinned = id && isBuiltinProviderId(id) ? getProvider(id) : null;
  if (pinned && !pinned.aliases.includes(result.data.model)) {
    throw new UsageError(`--provider ${pinned.id} does not serve the model "${result.data.model}".`);
  }
  return result.data;
}

/** `--extra name=value`: numbers and true/false as such, anything else as text. */
function extras(pairs: readonly string[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--extra takes NAME=VALUE, got "${pair}".`);
    const name = pair.slice(0, eq).trim();
    const text = pair.slice(eq + 1);
    const n = Number(text);
    out[name] = text === 'true' ? true : text === 'false' ? false : text.trim() !== '' && Number.isFinite(n) ? n : text;
  }
  return out;
}

function number(text: string, flag: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${flag} must be a number, got "${text}".`);
  return n;
}

function httpUrl(text: string, flag: string): string {
  try {
    const u = new URL(text);
    if (u.protocol === 'http:' || u.protocol === 'https:') return text.replace(/\/+$/, '');
  } catch {
    // fall through
  }
  throw new UsageError(`--${flag} must be an http(s) URL, got "${text}".`);
}

const FLAGS: Record<string, string> = {
  aspectRatio: 'aspect',
  randomizeSeed: 'randomize',
  negativePrompt: 'negative',
  extras: 'extra',
};
const flagOf = (key: string) => FLAGS[key.split('.')[0]!] ?? key;
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Which providers `--base-url` applies to. */
export function baseUrlTargets(
  params: GenerationParams,
  providers: readonly { id: ProviderId; aliases: readonly string[] }[],
): ProviderId[] {
  if (params.provider) return [params.provider];
  return providers.filter((p) => p.aliases.includes(params.model)).map((p) => p.id);
}
