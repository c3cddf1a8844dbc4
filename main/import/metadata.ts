/**
 * Generation metadata of images made by other tools (A1111/Forge/SD.Next, Fooocus, InvokeAI,
 * ComfyUI, Draw Things, SwarmUI, NovelAI) and by us, from PNG text chunks or JPEG/WebP EXIF/XMP.
 *
 * Detection follows the order real parsers use (enslo/sd-metadata, d3x-at/sd-parsers): unique
 * chunk keys first (our `flux-gallery`, NovelAI's `Software`, Draw Things' XMP CreatorTool,
 * `invokeai_metadata`, `fooocus_scheme`, `sui_image_params`), then a ComfyUI `prompt` graph, then
 * JSON-versus-text sniffing of `parameters`/`UserComment`/`Comment`.
 *
 * Limits: PNG text is read within png-text-chunks.ts's caps (1 MiB a chunk, 4 MiB a file inflated);
 * EXIF/XMP text over MAX_FIELD_CHARS is dropped; a ComfyUI graph over MAX_GRAPH_NODES nodes is not
 * walked and a walk follows at most MAX_WALK_STEPS links; A1111 text is split in a worker thread
 * under a time limit (off-thread.ts). Everything else is one linear pass (JSON.parse, regexes
 * without nested quantifiers) over text that is already capped.
 */
import exifr from 'exifr';
import { AppError } from '../../shared/errors';
import type { ImportedParams, ImportSource } from '../../shared/library';
import {
  ASPECT_RATIOS,
  ASPECT_RATIO_KEYS,
  MODEL_ALIASES,
  type AspectRatio,
  type ModelAlias,
} from '../../shared/params';
import { MAX_KEY_LENGTH, MAX_PARAMS_LINE, MAX_PARAMS_PAIRS, splitA1111, type A1111Split } from '../library/a1111-split';
import { detectImageType, type ImageType } from '../library/image-bytes';
import { runOffThread } from '../library/off-thread';
import {
  IMPORT_TIME_LIMIT_MS,
  importedFromRecord,
  recordFromChunks,
  type ImportOptions,
} from '../library/png-metadata';
import { MAX_TEXT_CHUNK_BYTES, readTextChunks } from '../library/png-text-chunks';

/** Text fields of one image, by name: PNG keywords, or EXIF/XMP fields of a JPEG/WebP. */
export type MetadataFields = Map<string, string>;

/** PNG keywords read on import: nothing else is decoded (`workflow` is kept in the file, not read). */
export const IMPORT_KEYWORDS = [
  'flux-gallery',
  'parameters',
  'fooocus_scheme',
  'invokeai_metadata',
  'sd-metadata',
  'Dream',
  'prompt',
  'sui_image_params',
  'Software',
  'Comment',
  'Description',
  'Source',
  'XML:com.adobe.xmp',
] as const;

export const MAX_FIELD_CHARS = MAX_TEXT_CHUNK_BYTES;
export const MAX_GRAPH_NODES = 5000;
export const MAX_WALK_STEPS = 200;

/** Fields of an image's bytes. Throws `bad-image` when the bytes are not a whole PNG/JPEG/WebP header. */
export async function readFields(
  bytes: Buffer,
  type: ImageType | null = detectImageType(bytes),
): Promise<MetadataFields> {
  if (type === null) throw new AppError('bad-image', 'The file is not a PNG, WebP or JPEG image.');
  if (type === 'png') {
    let chunks: Map<string, string>;
    try {
      chunks = readTextChunks(bytes, IMPORT_KEYWORDS);
    } catch (err) {
      throw new AppError('bad-image', 'The PNG file is damaged.', { cause: err });
    }
    const xmp = chunks.get('XML:com.adobe.xmp');
    if (xmp !== undefined) for (const [k, v] of fieldsOfXmp(xmp)) if (!chunks.has(k)) chunks.set(k, v);
    return chunks;
  }
  if (type === 'webp') return webpFields(bytes);
  return exifFields(bytes);
}

/** WebP's `EXIF` (a TIFF block, sometimes after `Exif\0\0`) and `XMP ` chunks: exifr reads the TIFF block. */
async function webpFields(bytes: Buffer): Promise<MetadataFields> {
  const end = Math.min(bytes.length, 8 + bytes.readUInt32LE(4));
  let exif: Buffer | undefined;
  let xmp: string | undefined;
  for (let pos = 12, n = 0; pos + 8 <= end && n < 1000; n++) {
    const fourcc = bytes.toString('latin1', pos, pos + 4);
    const size = bytes.readUInt32LE(pos + 4);
    if (pos + 8 + size > end) break;
    const data = bytes.subarray(pos + 8, pos + 8 + size);
    if (fourcc === 'EXIF' && !exif) exif = data.toString('latin1', 0, 6) === 'Exif\0\0' ? data.subarray(6) : data;
    if (fourcc === 'XMP ' && xmp === undefined && size <= MAX_FIELD_CHARS) xmp = data.toString('utf8');
    pos += 8 + size + (size & 1);
  }
  const out = exif ? await exifFields(exif) : new Map<string, string>();
  if (xmp !== undefined) for (const [k, v] of fieldsOfXmp(xmp)) if (!out.has(k)) out.set(k, v);
  return out;
}

/** EXIF UserComment/ImageDescription/Software and XMP of a JPEG or WebP, through exifr. */
async function exifFields(bytes: Buffer): Promise<MetadataFields> {
  const out: MetadataFields = new Map();
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(bytes, {
      tiff: true,
      exif: true,
      xmp: true,
      ifd1: false,
      gps: false,
      interop: false,
      icc: false,
      iptc: false,
      jfif: false,
      ihdr: false,
      mergeOutput: true,
      sanitize: true,
      reviveValues: false,
      translateValues: false,
      multiSegment: true,
      // Off by default in exifr: the A1111/SwarmUI text lives there.
      userComment: true,
    })) as Record<string, unknown> | undefined;
  } catch {
    tags = undefined; // no EXIF, or damaged EXIF: the image may still import, without parameters
  }
  if (!tags) return out;
  const put = (name: string, v: unknown) => {
    const s = typeof v === 'string' ? v : v instanceof Uint8Array ? decodeUserComment(v) : undefined;
    if (s !== undefined && s.length > 0 && s.length <= MAX_FIELD_CHARS && !out.has(name))
      out.set(name, s.replace(/\0+$/, ''));
  };
  const userComment = tags.UserComment ?? tags.userComment;
  put('UserComment', userComment);
  put('ImageDescription', tags.ImageDescription);
  put('Software', tags.Software);
  put('Make', tags.Make);
  // XMP, as exifr gives it (namespaced keys merged): Draw Things' UserComment and CreatorTool.
  const xmpComment = userComment === undefined ? findXmpValue(tags, 'UserComment') : undefined;
  if (xmpComment) put('UserComment', xmpComment);
  const tool = tags.CreatorTool ?? findXmpValue(tags, 'CreatorTool');
  if (tool) put('CreatorTool', tool);
  return out;
}

function findXmpValue(tags: Record<string, unknown>, key: string): string | undefined {
  const v = tags[key];
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.value === 'string') return o.value;
    const first = Object.values(o).find((x) => typeof x === 'string');
    return first as string | undefined;
  }
  return undefined;
}

/**
 * EXIF UserComment: 8 bytes naming the character code, then the text. A1111 (piexif) writes
 * `UNICODE\0` + UTF-16 big-endian; some tools write little-endian: told apart by where the zero
 * bytes of ASCII text fall.
 */
export function decodeUserComment(raw: Uint8Array): string {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const head = buf.toString('latin1', 0, 8);
  const body = buf.subarray(8);
  if (head.startsWith('UNICODE')) {
    let zerosEven = 0;
    let zerosOdd = 0;
    for (let i = 0; i < Math.min(body.length, 64); i++) {
      if (body[i] !== 0) continue;
      if (i % 2 === 0) zerosEven++;
      else zerosOdd++;
    }
    if (zerosEven >= zerosOdd) {
      const swapped = Buffer.from(body.subarray(0, body.length - (body.length % 2)));
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    return body.toString('utf16le');
  }
  if (head.startsWith('ASCII') || head === '\0\0\0\0\0\0\0\0') return body.toString('utf8');
  return buf.toString('utf8');
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return XML_ENTITIES[e.toLowerCase()] ?? '';
  });
}

/** Draw Things' XMP packet: `exif:UserComment` (JSON in an rdf:Alt), `xmp:CreatorTool`, `dc:description`. */
export function fieldsOfXmp(xmp: string): MetadataFields {
  const out: MetadataFields = new Map();
  const tag = (name: string): string | undefined => {
    const open = xmp.indexOf(`<${name}`);
    if (open < 0) return undefined;
    const start = xmp.indexOf('>', open);
    const close = xmp.indexOf(`</${name}>`, start);
    if (start < 0 || close < 0) {
      // attribute form: <rdf:Description xmp:CreatorTool="Draw Things">
      return undefined;
    }
    let inner = xmp.slice(start + 1, close);
    const li = inner.indexOf('<rdf:li');
    if (li >= 0) {
      const s = inner.indexOf('>', li);
      const e = inner.indexOf('</rdf:li>', s);
      if (s >= 0 && e >= 0) inner = inner.slice(s + 1, e);
    }
    return unescapeXml(inner.trim());
  };
  const attr = (name: string): string | undefined => {
    const at = xmp.indexOf(`${name}="`);
    if (at < 0) return undefined;
    const end = xmp.indexOf('"', at + name.length + 2);
    return end < 0 ? undefined : unescapeXml(xmp.slice(at + name.length + 2, end));
  };
  const comment = tag('exif:UserComment');
  if (comment) out.set('UserComment', comment);
  const tool = tag('xmp:CreatorTool') ?? attr('xmp:CreatorTool');
  if (tool) out.set('CreatorTool', tool);
  const description = tag('dc:description');
  if (description) out.set('XmpDescription', description);
  return out;
}

// ---- the readers ------------------------------------------------------------------------------

type Params = ImportedParams['params'];
type Json = Record<string, unknown>;

function parseJsonObject(text: string | undefined): Json | null {
  if (text === undefined) return null;
  const t = text.trim();
  if (!t.startsWith('{')) return null;
  try {
    const v: unknown = JSON.parse(t);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null;
  } catch {
    return null;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}
const int = (v: unknown, min = 0): number | undefined => {
  const n = num(v);
  return n !== undefined && Number.isInteger(n) && n >= min ? n : undefined;
};

/** The nearest of our aspect ratios (entries need one; the exact size is kept beside it). */
export function nearestAspect(width: number, height: number): AspectRatio {
  const r = width / height;
  let best: AspectRatio = '1:1';
  let bestD = Infinity;
  for (const k of ASPECT_RATIO_KEYS) {
    const [w, h] = ASPECT_RATIOS[k];
    const d = Math.abs(Math.log(w / h / r));
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

function build(
  source: ImportSource,
  prompt: string | undefined,
  p: {
    negative?: unknown;
    seed?: unknown;
    steps?: unknown;
    guidance?: unknown;
    cfg?: unknown;
    sampler?: unknown;
    model?: unknown;
    width?: unknown;
    height?: unknown;
  },
): ImportedParams {
  const params: Params = {};
  const seed = int(p.seed);
  if (seed !== undefined) params.seed = seed;
  const steps = int(p.steps, 1);
  if (steps !== undefined) params.steps = steps;
  const guidance = num(p.guidance) ?? num(p.cfg);
  if (guidance !== undefined) params.guidance = guidance;
  const cfg = num(p.cfg);
  if (cfg !== undefined) params.cfgScale = cfg;
  const width = int(p.width, 1);
  const height = int(p.height, 1);
  if (width !== undefined && height !== undefined) {
    params.width = width;
    params.height = height;
    params.aspectRatio = nearestAspect(width, height);
  }
  const negative = str(p.negative)?.trim();
  if (negative) params.negativePrompt = negative;
  const sampler = str(p.sampler)?.trim();
  if (sampler) params.sampler = sampler;
  const modelName = str(p.model)?.trim();
  if (modelName) {
    params.modelName = modelName;
    if ((MODEL_ALIASES as readonly string[]).includes(modelName)) params.model = modelName as ModelAlias;
  }
  return { source, prompt: (prompt ?? '').trim(), params };
}

function parseSize(v: unknown): { width?: number; height?: number } {
  const m = /^\s*\(?\s*(\d+)\s*[x×,*]\s*(\d+)\s*\)?\s*$/i.exec(String(v ?? ''));
  return m ? { width: Number(m[1]), height: Number(m[2]) } : {};
}

// A1111 / Forge / SD.Next -------------------------------------------------------------------------

/** The negative prompt of an A1111 text: from the `Negative prompt:` line to the settings line. */
export function a1111Negative(text: string): string | undefined {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let paramsAt = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^\s*Steps:\s*\d/.test(lines[i] ?? '')) {
      paramsAt = i;
      break;
    }
  }
  for (let i = 0; i < paramsAt; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('Negative prompt:')) {
      return [line.slice('Negative prompt:'.length), ...lines.slice(i + 1, paramsAt)].join('\n').trim();
    }
  }
  return undefined;
}

export function fromA1111Split(
  source: ImportSource,
  text: string,
  { prompt, pairs }: A1111Split,
): ImportedParams | null {
  const values = new Map<string, string>();
  for (const [key, raw] of pairs) {
    if (values.has(key)) continue;
    let value = raw;
    if (value.startsWith('"')) {
      try {
        value = String(JSON.parse(value));
      } catch {
        // keep the raw text
      }
    }
    values.set(key, value);
  }
  if (!prompt && values.size === 0) return null;
  const size = parseSize(values.get('size'));
  // Forge/our FLUX guidance: "Distilled CFG Scale" / "Guidance"; classic "CFG scale" is kept too.
  const guidance = values.get('distilled cfg scale') ?? values.get('guidance');
  const sampler = values.get('sampler');
  const scheduler = values.get('schedule type');
  const r = build(source, prompt, {
    negative: a1111Negative(text),
    seed: values.get('seed'),
    steps: values.get('steps'),
    guidance,
    cfg: values.get('cfg scale'),
    sampler: sampler && scheduler && scheduler !== 'Automatic' ? `${sampler} ${scheduler}` : sampler,
    model: values.get('model'),
    ...size,
  });
  if (guidance === undefined && values.get('cfg scale') !== undefined) delete r.params.guidance;
  if (guidance === undefined && r.params.cfgScale !== undefined) r.params.guidance = r.params.cfgScale;
  return r;
}

/**
 * Options of the readers. `inThread`: split A1111 text right here, because the caller already runs
 * in a worker with a time limit (the import pool, import-worker.ts); otherwise a one-off worker does it.
 */
export type ReadOptions = ImportOptions & { inThread?: boolean };

async function parseA1111(source: ImportSource, text: string, opts: ReadOptions): Promise<ImportedParams | null> {
  if (opts.inThread) {
    return fromA1111Split(source, text, splitA1111(text, MAX_PARAMS_LINE, MAX_PARAMS_PAIRS, MAX_KEY_LENGTH));
  }
  const split = await runOffThread(splitA1111, [text, MAX_PARAMS_LINE, MAX_PARAMS_PAIRS, MAX_KEY_LENGTH], {
    timeLimitMs: opts.timeLimitMs ?? IMPORT_TIME_LIMIT_MS,
    what: "read this image's A1111 parameters",
    ...(opts.onWorker ? { onWorker: opts.onWorker } : {}),
  });
  return fromA1111Split(source, text, split);
}

// Fooocus -------------------------------------------------------------------------------------------

function fromFooocus(j: Json): ImportedParams {
  return build('fooocus', str(j.prompt) ?? str(j.full_prompt), {
    negative: j.negative_prompt ?? j.full_negative_prompt,
    seed: j.seed,
    steps: j.steps,
    cfg: j.guidance_scale,
    sampler: j.sampler,
    model: j.base_model,
    ...parseSize(j.resolution),
  });
}

// InvokeAI ------------------------------------------------------------------------------------------

function fromInvokeAi(j: Json): ImportedParams {
  const model = j.model;
  const modelName =
    typeof model === 'string'
      ? model
      : model && typeof model === 'object'
        ? ((model as Json).name ?? (model as Json).model_name)
        : undefined;
  return build('invokeai', str(j.positive_prompt) ?? str(j.prompt), {
    negative: j.negative_prompt,
    seed: j.seed,
    steps: j.steps,
    guidance: j.guidance,
    cfg: j.cfg_scale,
    sampler: j.scheduler,
    model: modelName,
    width: j.width,
    height: j.height,
  });
}

/** InvokeAI 2.x `sd-metadata`: { model_weights, image: { prompt: [{prompt}], seed, steps, cfg_scale, sampler, width, height } }. */
function fromOldInvokeAi(j: Json): ImportedParams {
  const image = (j.image && typeof j.image === 'object' ? j.image : {}) as Json;
  const rawPrompt = image.prompt;
  const prompt = Array.isArray(rawPrompt)
    ? rawPrompt.map((p) => (p && typeof p === 'object' ? str((p as Json).prompt) : str(p)) ?? '').join(' ')
    : str(rawPrompt);
  // Old InvokeAI kept the negative prompt in square brackets inside the prompt.
  const { positive, negative } = splitBracketNegative(prompt ?? '');
  return build('invokeai', positive, {
    negative,
    seed: image.seed,
    steps: image.steps,
    cfg: image.cfg_scale,
    sampler: image.sampler,
    model: j.model_weights,
    width: image.width,
    height: image.height,
  });
}

function splitBracketNegative(prompt: string): { positive: string; negative?: string } {
  const neg: string[] = [];
  const positive = prompt.replace(/\[([^\]]*)\]/g, (_, n: string) => {
    neg.push(n.trim());
    return '';
  });
  return neg.length
    ? { positive: positive.replace(/\s+/g, ' ').trim(), negative: neg.join(', ') }
    : { positive: prompt };
}

/** InvokeAI 1.x `Dream`: `"a cat [ugly]" -s 50 -S 42 -W 512 -H 512 -C 7.5 -A k_lms`. */
function fromDream(text: string): ImportedParams | null {
  const m = /^\s*"((?:[^"\\]|\\.)*)"\s*(.*)$/s.exec(text);
  if (!m) return null;
  const opts = new Map<string, string>();
  for (const o of (m[2] ?? '').matchAll(/-([A-Za-z])\s*(\S+)/g)) opts.set(o[1]!, o[2]!);
  const { positive, negative } = splitBracketNegative((m[1] ?? '').replace(/\\(.)/g, '$1'));
  return build('invokeai', positive, {
    negative,
    steps: opts.get('s'),
    seed: opts.get('S'),
    width: opts.get('W'),
    height: opts.get('H'),
    cfg: opts.get('C'),
    sampler: opts.get('A'),
  });
}

// SwarmUI -------------------------------------------------------------------------------------------

function fromSwarm(j: Json): ImportedParams | null {
  const p = j.sui_image_params;
  if (!p || typeof p !== 'object') return null;
  const s = p as Json;
  return build('swarmui', str(s.prompt), {
    negative: s.negativeprompt,
    seed: s.seed,
    steps: s.steps,
    guidance: s.fluxguidancescale,
    cfg: s.cfgscale,
    sampler: s.sampler,
    model: s.model,
    width: s.width,
    height: s.height,
  });
}

// NovelAI -------------------------------------------------------------------------------------------

function fromNovelAi(fields: MetadataFields, j: Json | null): ImportedParams {
  const c = j ?? {};
  return build('novelai', str(c.prompt) ?? fields.get('Description'), {
    negative: c.uc ?? c.uncond_prompt ?? c.negative_prompt,
    seed: c.seed,
    steps: c.steps,
    cfg: c.scale,
    sampler: c.sampler,
    model: fields.get('Source'),
    width: c.width,
    height: c.height,
  });
}

// Draw Things ---------------------------------------------------------------------------------------

function fromDrawThings(j: Json): ImportedParams {
  return build('draw-things', str(j.c), {
    negative: j.uc,
    seed: j.seed,
    steps: j.steps,
    guidance: j.guidance_embed ?? j.guidanceEmbed,
    cfg: j.scale,
    sampler: j.sampler,
    model: j.model,
    ...parseSize(j.size),
  });
}

// ComfyUI -------------------------------------------------------------------------------------------

interface ComfyNode {
  class_type: string;
  inputs: Json;
}
type Graph = Map<string, ComfyNode>;

function comfyGraph(j: Json): Graph | null {
  const keys = Object.keys(j);
  if (keys.length === 0 || keys.length > MAX_GRAPH_NODES) return null;
  const g: Graph = new Map();
  for (const k of keys) {
    const n = j[k];
    if (!n || typeof n !== 'object') continue;
    const node = n as Json;
    if (typeof node.class_type !== 'string') continue;
    g.set(k, {
      class_type: node.class_type,
      inputs: node.inputs && typeof node.inputs === 'object' ? (node.inputs as Json) : {},
    });
  }
  return g.size > 0 ? g : null;
}

/** A link input is `[nodeId, outputIndex]`. */
const linkOf = (v: unknown): string | undefined =>
  Array.isArray(v) && v.length === 2 && (typeof v[0] === 'string' || typeof v[0] === 'number')
    ? String(v[0])
    : undefined;

const SAMPLERS = /^(KSampler|KSamplerAdvanced|SamplerCustom|SamplerCustomAdvanced)/;

/**
 * Follows links from `start` upstream (breadth first, at most MAX_WALK_STEPS nodes) through the
 * inputs named in `via` (or all), returning the first node `want` accepts.
 */
function findUp(
  g: Graph,
  start: unknown,
  want: (n: ComfyNode) => boolean,
  via?: readonly string[],
): ComfyNode | undefined {
  const first = linkOf(start);
  if (first === undefined) return undefined;
  const queue = [first];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < MAX_WALK_STEPS) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const n = g.get(id);
    if (!n) continue;
    if (want(n)) return n;
    for (const [k, v] of Object.entries(n.inputs)) {
      if (via && !via.includes(k)) continue;
      const l = linkOf(v);
      if (l !== undefined) queue.push(l);
    }
  }
  return undefined;
}

const CONDITIONING_INPUTS = [
  'conditioning',
  'conditioning_1',
  'conditioning_2',
  'positive',
  'negative',
  'conditioning_to',
  'conditioning_from',
  'guider',
];

function textOf(g: Graph, link: unknown): string | undefined {
  const n = findUp(
    g,
    link,
    (x) =>
      typeof x.inputs.text === 'string' || typeof x.inputs.t5xxl === 'string' || typeof x.inputs.text_g === 'string',
    CONDITIONING_INPUTS,
  );
  if (!n) return undefined;
  return str(n.inputs.text) ?? str(n.inputs.t5xxl) ?? str(n.inputs.text_g);
}

function fromComfy(g: Graph): ImportedParams | null {
  // The sampler: the last one in the graph (a refiner or upscale pass comes later and reuses prompts).
  let sampler: ComfyNode | undefined;
  for (const n of g.values()) if (SAMPLERS.test(n.class_type)) sampler = sampler ?? n;
  if (!sampler) return null;
  const si = sampler.inputs;
  let seed = si.seed ?? si.noise_seed;
  let steps = si.steps;
  let cfg = si.cfg;
  let samplerName = str(si.sampler_name);
  let positive: unknown = si.positive;
  let negative: unknown = si.negative;
  if (sampler.class_type === 'SamplerCustomAdvanced') {
    const noise = g.get(linkOf(si.noise) ?? '');
    seed = noise?.inputs.noise_seed ?? noise?.inputs.seed;
    const sigmas = findUp(g, si.sigmas, (n) => n.inputs.steps !== undefined);
    steps = sigmas?.inputs.steps;
    const ks = g.get(linkOf(si.sampler) ?? '');
    samplerName = str(ks?.inputs.sampler_name);
    const guider = g.get(linkOf(si.guider) ?? '');
    positive = guider?.inputs.positive ?? guider?.inputs.conditioning;
    negative = guider?.inputs.negative;
    cfg = guider?.inputs.cfg;
  }
  if (typeof seed !== 'number' && linkOf(seed) !== undefined) {
    const s = g.get(linkOf(seed)!);
    seed = s?.inputs.seed ?? s?.inputs.value ?? s?.inputs.noise_seed;
  }
  const flux = findUp(g, positive, (n) => n.class_type === 'FluxGuidance', CONDITIONING_INPUTS);
  const latent = findUp(
    g,
    si.latent_image,
    (n) => int(n.inputs.width, 1) !== undefined && int(n.inputs.height, 1) !== undefined,
  );
  const modelLink =
    sampler.class_type === 'SamplerCustomAdvanced' ? g.get(linkOf(si.guider) ?? '')?.inputs.model : si.model;
  const loader = findUp(g, modelLink, (n) =>
    ['ckpt_name', 'unet_name', 'model_name'].some((k) => typeof n.inputs[k] === 'string'),
  );
  return build('comfyui', textOf(g, positive), {
    negative: textOf(g, negative),
    seed,
    steps,
    guidance: flux?.inputs.guidance,
    cfg,
    sampler: samplerName && str(si.scheduler) ? `${samplerName} ${str(si.scheduler)}` : samplerName,
    model: loader && (str(loader.inputs.ckpt_name) ?? str(loader.inputs.unet_name) ?? str(loader.inputs.model_name)),
    width: latent?.inputs.width,
    height: latent?.inputs.height,
  });
}

// Detection -----------------------------------------------------------------------------------------

/**
 * The parameters in an image's fields, or null when none are recognised. Our own record's
 * id is returned as `recordId` so the caller can tell an image the app made.
 */
export async function paramsFromFields(fields: MetadataFields, opts: ReadOptions = {}): Promise<ImportedParams | null> {
  // 1. Unique keys.
  const rec = recordFromChunks(fields);
  if (rec) return { ...importedFromRecord(rec), recordId: rec.id };
  const software = fields.get('Software') ?? '';
  if (software.startsWith('NovelAI')) return fromNovelAi(fields, parseJsonObject(fields.get('Comment')));
  const comment = fields.get('UserComment');
  if ((fields.get('CreatorTool') ?? '').startsWith('Draw Things')) {
    const j = parseJsonObject(comment);
    if (j) return fromDrawThings(j);
  }
  const invoke = parseJsonObject(fields.get('invokeai_metadata'));
  if (invoke) return fromInvokeAi(invoke);
  const oldInvoke = parseJsonObject(fields.get('sd-metadata'));
  if (oldInvoke) return fromOldInvokeAi(oldInvoke);
  const dream = fields.get('Dream');
  if (dream !== undefined) {
    const d = fromDream(dream);
    if (d) return d;
  }
  const parameters = fields.get('parameters');
  if (fields.has('fooocus_scheme')) {
    const j = parseJsonObject(parameters);
    if (j) return fromFooocus(j);
    if (parameters !== undefined) return parseA1111('fooocus', parameters, opts);
  }
  const swarmText = fields.get('sui_image_params') ?? parameters ?? comment;
  if (swarmText?.includes('sui_image_params')) {
    const j = parseJsonObject(swarmText);
    const s = j && (fromSwarm(j) ?? fromSwarm({ sui_image_params: j }));
    if (s) return s;
  }
  // 2. ComfyUI's API graph.
  const graphJson = parseJsonObject(fields.get('prompt'));
  const graph = graphJson && comfyGraph(graphJson);
  if (graph) {
    const c = fromComfy(graph);
    if (c) return c;
  }
  // 3. JSON or text in parameters / UserComment / Comment.
  for (const text of [parameters, comment, fields.get('Comment'), fields.get('ImageDescription')]) {
    if (text === undefined || text.trim() === '') continue;
    const j = parseJsonObject(text);
    if (j) {
      if ('sui_image_params' in j) return fromSwarm(j);
      if ('c' in j && 'uc' in j) return fromDrawThings(j);
      if ('base_model' in j || 'guidance_scale' in j) return fromFooocus(j);
      if ('positive_prompt' in j) return fromInvokeAi(j);
      if ('uncond_scale' in j || 'noise_schedule' in j) return fromNovelAi(fields, j);
      const g = comfyGraph(j);
      const c = g && fromComfy(g);
      if (c) return c;
      continue;
    }
    const a = await parseA1111('a1111', text, opts);
    if (a) return a;
  }
  return null;
}

/** Parameters of an image file's bytes (any of the three types); null when it carries none. */
export async function readImageParams(bytes: Buffer, opts: ReadOptions = {}): Promise<ImportedParams | null> {
  return paramsFromFields(await readFields(bytes), opts);
}
