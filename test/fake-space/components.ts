/**
 * How Gradio serialises the components of the non-FLUX layouts (apps.ts), per version:
 *
 * - `props`: blocks.py Block.get_config — the constructor's parameters in signature order that the
 *   instance has as attributes (components/<name>.py __init__ per tag), events' config_data first
 *   (events.py: `stream` → `streamable: False`), then proxy_url, name, `_selectable`; None values
 *   deleted (blocks.py config_for_block → utils.delete_none, top level only). `value` is the
 *   constructor value after the component's postprocess (base.py Component.__init__).
 *   Checked against test/components/test_<name>.py `get_config() == {…}` of each tag.
 * - the block entry: 4.44 blocks.py BlocksConfig.get_config `{id, type, props, skip_api,
 *   component_class_id, key, api_info, example_inputs}`; 5.0+ config_for_block adds
 *   `api_info_as_input`, `api_info_as_output`.
 * - `api_info`: the component's api_info() (data-model components: the pydantic model's JSON schema,
 *   base.py Component.api_info: description popped (4.44) / moved to `additional_description` (5+)).
 * - `python_type`: client/python/gradio_client/utils.py json_schema_to_python_type, per version.
 */
import { createHash } from 'node:crypto';
import type { GradioVersion } from './gradio-rules';
import { pyStr } from './py';

export type Kind = 'textbox' | 'slider' | 'number' | 'checkbox' | 'dropdown' | 'image' | 'gallery' | 'button';

/** Constructor arguments an app passes (everything else is the signature's default). */
export interface CompArgs {
  label?: string;
  value?: unknown;
  minimum?: number;
  maximum?: number;
  step?: number;
  precision?: number;
  choices?: string[];
  type?: string;
  show_label?: boolean;
  placeholder?: string;
  lines?: number;
  columns?: number;
  variant?: string;
  interactive?: boolean;
}

export interface Comp {
  id: number;
  kind: Kind;
  args: CompArgs;
}

type Era = '4' | '5' | '6';
const era = (v: GradioVersion): Era => (v === '4.44' ? '4' : v === '5.49' ? '5' : '6');

/** Signature order of the attributes each constructor leaves on the instance (AST of each tag). */
const ORDER: Record<Era, Record<Kind, string>> = {
  '4': {
    textbox:
      'value lines max_lines placeholder label info show_label container scale min_width interactive visible elem_id autofocus autoscroll elem_classes key type text_align rtl show_copy_button max_length',
    slider:
      'minimum maximum value step label info show_label container scale min_width interactive visible elem_id elem_classes key',
    number:
      'value label info show_label container scale min_width interactive visible elem_id elem_classes key precision minimum maximum step',
    checkbox: 'value label info show_label container scale min_width interactive visible elem_id elem_classes key',
    dropdown:
      'choices value type multiselect allow_custom_value max_choices filterable label info show_label container scale min_width interactive visible elem_id elem_classes key',
    image:
      'value format height width image_mode sources type label show_label show_download_button container scale min_width interactive visible streaming elem_id elem_classes key mirror_webcam show_share_button placeholder show_fullscreen_button',
    gallery:
      'value format label show_label container scale min_width visible elem_id elem_classes key columns rows height allow_preview preview selected_index object_fit show_share_button show_download_button interactive type show_fullscreen_button',
    button: 'value variant size icon link visible interactive elem_id elem_classes key scale min_width',
  },
  '5': {
    textbox:
      'value type lines max_lines placeholder label info show_label container scale min_width interactive visible elem_id autofocus autoscroll elem_classes key preserved_by_key text_align rtl show_copy_button max_length submit_btn stop_btn html_attributes',
    slider:
      'minimum maximum value step precision label info show_label container scale min_width interactive visible elem_id elem_classes key preserved_by_key show_reset_button',
    number:
      'value label placeholder info show_label container scale min_width interactive visible elem_id elem_classes key preserved_by_key precision minimum maximum step',
    checkbox:
      'value label info show_label container scale min_width interactive visible elem_id elem_classes key preserved_by_key',
    dropdown:
      'choices value type multiselect allow_custom_value max_choices filterable label info show_label container scale min_width interactive visible elem_id elem_classes key preserved_by_key',
    image:
      'value format height width image_mode sources type label show_label show_download_button container scale min_width interactive visible streaming elem_id elem_classes key preserved_by_key webcam_options show_share_button placeholder show_fullscreen_button watermark',
    gallery:
      'value format file_types label show_label container scale min_width visible elem_id elem_classes key preserved_by_key columns rows height allow_preview preview selected_index object_fit show_share_button show_download_button interactive type show_fullscreen_button',
    button:
      'value variant size icon link visible interactive elem_id elem_classes key preserved_by_key scale min_width',
  },
  '6': {
    textbox:
      'value type lines max_lines placeholder label info show_label container scale min_width interactive visible elem_id autofocus autoscroll elem_classes key preserved_by_key text_align rtl buttons max_length submit_btn stop_btn html_attributes',
    slider:
      'minimum maximum value step precision label info show_label container scale min_width interactive visible elem_id elem_classes key preserved_by_key buttons',
    number:
      'value label placeholder info show_label container scale min_width interactive visible elem_id elem_classes key preserved_by_key precision minimum maximum step buttons',
    checkbox:
      'value label info show_label container scale min_width interactive visible elem_id elem_classes key preserved_by_key buttons',
    dropdown:
      'choices value type multiselect allow_custom_value max_choices filterable label info show_label container scale min_width interactive visible elem_id elem_classes key preserved_by_key buttons',
    image:
      'value format height width image_mode sources type label show_label buttons container scale min_width interactive visible streaming elem_id elem_classes key preserved_by_key webcam_options placeholder watermark',
    gallery:
      'value format file_types label show_label container scale min_width visible elem_id elem_classes key preserved_by_key columns rows height allow_preview preview selected_index object_fit buttons interactive type fit_columns sources',
    button:
      'value variant size icon link link_target visible interactive elem_id elem_classes key preserved_by_key scale min_width',
  },
};

const BUS = 'https://raw.githubusercontent.com/gradio-app/gradio/main/test/test_files/bus.png';
/** client utils.py handle_file(url). */
const handleFile = (url: string) => ({
  path: url,
  meta: { _type: 'gradio.FileData' },
  orig_name: url.split('/').pop(),
  url,
});

/** Number.round_to_precision (5+) / _round_to_precision (4.x). */
export const roundTo = (n: number, precision: number | undefined) =>
  precision === undefined ? n : precision === 0 ? Math.round(n) : Number(n.toFixed(precision));

/** Slider step when none is given: 10 ** floor(log10(max - min) - 2). */
const defaultStep = (min: number, max: number) => 10 ** Math.floor(Math.log10(max - min) - 2);

/** The instance's attributes after __init__ (before get_config), for one component. */
function attributes(c: Comp, v: GradioVersion, onSpace: boolean): Record<string, unknown> {
  const a = c.args;
  const e = era(v);
  const common: Record<string, unknown> = {
    label: a.label ?? null,
    info: null,
    show_label: a.show_label ?? true,
    container: true,
    scale: null,
    min_width: 160,
    interactive: a.interactive ?? null,
    visible: true,
    elem_id: null,
    elem_classes: [],
    key: null,
    preserved_by_key: ['value'],
  };
  const buttons6 = (def: unknown) => ({ buttons: def });
  switch (c.kind) {
    case 'textbox':
      return {
        ...common,
        value: a.value === undefined || a.value === null ? null : String(a.value),
        lines: a.lines ?? 1,
        // 4.x: max(lines, max_lines) for type "text"; 5+: the argument (None).
        max_lines: e === '4' ? Math.max(a.lines ?? 1, 20) : null,
        placeholder: a.placeholder ?? null,
        autofocus: false,
        autoscroll: true,
        type: 'text',
        text_align: null,
        rtl: false,
        show_copy_button: false,
        max_length: null,
        submit_btn: false,
        stop_btn: false,
        html_attributes: null,
        ...buttons6([]),
      };
    case 'slider': {
      const min = a.minimum ?? 0;
      const max = a.maximum ?? 100;
      return {
        ...common,
        minimum: min,
        maximum: max,
        step: a.step ?? defaultStep(min, max),
        precision: a.precision ?? null,
        // Slider.postprocess(None) is the minimum.
        value: a.value === undefined || a.value === null ? min : a.value,
        show_reset_button: true,
        ...buttons6(null),
      };
    }
    case 'number':
      return {
        ...common,
        value: typeof a.value === 'number' ? roundTo(a.value, a.precision) : null,
        placeholder: null,
        precision: a.precision ?? null,
        minimum: a.minimum ?? null,
        maximum: a.maximum ?? null,
        step: a.step ?? 1,
        ...buttons6([]),
      };
    case 'checkbox':
      return { ...common, value: Boolean(a.value), ...buttons6([]) };
    case 'dropdown': {
      const choices = (a.choices ?? []).map((x) => [x, x]);
      return {
        ...common,
        choices,
        value: a.value === undefined ? (choices[0]?.[1] ?? null) : a.value,
        type: 'value',
        multiselect: null,
        allow_custom_value: false,
        max_choices: null,
        filterable: true,
        ...buttons6([]),
      };
    }
    case 'image':
      return {
        ...common,
        value: null,
        format: 'webp',
        height: null,
        width: null,
        image_mode: 'RGB',
        sources: ['upload', 'webcam', 'clipboard'],
        type: a.type ?? 'numpy',
        show_download_button: true,
        streaming: false,
        mirror_webcam: true,
        // utils.get_space() is not None when show_share_button is None.
        show_share_button: onSpace,
        placeholder: null,
        show_fullscreen_button: true,
        webcam_options: { mirror: true, constraints: null },
        watermark: { watermark: null, position: 'bottom-right' },
        ...buttons6(['download', 'share', 'fullscreen']),
      };
    case 'gallery':
      return {
        ...common,
        // Gallery.postprocess(None) = GalleryData(root=[]).
        value: [],
        format: 'webp',
        file_types: null,
        columns: a.columns ?? 2,
        rows: null,
        height: null,
        allow_preview: true,
        preview: null,
        selected_index: null,
        object_fit: null,
        show_share_button: onSpace,
        show_download_button: true,
        type: a.type ?? 'filepath',
        show_fullscreen_button: true,
        fit_columns: true,
        sources: ['upload'],
        ...buttons6(['share', 'download', 'download_all', 'fullscreen']),
      };
    case 'button':
      return {
        ...common,
        value: a.value ?? 'Run',
        variant: a.variant ?? 'secondary',
        size: e === '4' ? null : 'lg',
        icon: null,
        link: null,
        link_target: '_self',
        interactive: true,
        min_width: null,
      };
  }
}

/** Block.get_config then config_for_block's delete_none. */
export function componentProps(c: Comp, v: GradioVersion, onSpace: boolean): Record<string, unknown> {
  const attrs = attributes(c, v, onSpace);
  const props: Record<string, unknown> = {};
  // events.py: Events.stream has config_data {"streamable": False}; {**to_add, **config} puts it first.
  if (c.kind === 'image') props.streamable = false;
  for (const name of ORDER[era(v)][c.kind].split(' ')) props[name] = attrs[name];
  props.proxy_url = null;
  props.name = c.kind;
  props._selectable = false;
  for (const [k, val] of Object.entries(props)) if (val === null || val === undefined) delete props[k];
  return props;
}

// ---- api_info (pydantic JSON schemas; pydantic v2 sorts keys, keeping `properties` in field order) ----

const optional = (type: string, title: string, description?: string) => ({
  anyOf: [{ type }, { type: 'null' }],
  default: null,
  ...(description ? { description } : {}),
  title,
});

/** data_classes.py FileData's docstring (inspect.cleandoc), the model's JSON schema description. */
const FILEDATA_DOC =
  'The FileData class is a subclass of the GradioModel class that represents a file object within a Gradio interface. It is used to store file data and metadata when a file is uploaded.\n' +
  'Attributes:\n' +
  '    path: The server file path where the file is stored.\n' +
  '    url: The normalized server URL pointing to the file.\n' +
  '    size: The size of the file in bytes.\n' +
  '    orig_name: The original filename before upload.\n' +
  '    mime_type: The MIME type of the file.\n' +
  '    is_stream: Indicates whether the file is a stream.\n' +
  '    meta: Additional metadata used internally (should not be changed).';

/** FileData: 4.x `meta: dict = {...}`; 5+ `meta: FileDataMeta` (a TypedDict: `$ref`). */
function fileDataSchema(e: Era): Record<string, unknown> {
  return {
    description: FILEDATA_DOC,
    properties: {
      path: { title: 'Path', type: 'string' },
      url: optional('string', 'Url'),
      size: optional('integer', 'Size'),
      orig_name: optional('string', 'Orig Name'),
      mime_type: optional('string', 'Mime Type'),
      is_stream: { default: false, title: 'Is Stream', type: 'boolean' },
      meta:
        e === '4'
          ? { default: { _type: 'gradio.FileData' }, title: 'Meta', type: 'object' }
          : { $ref: '#/$defs/FileDataMeta' },
    },
    required: ['path'],
    title: 'FileData',
    type: 'object',
  };
}

const FILEDATA_META = {
  properties: { _type: { const: 'gradio.FileData', title: ' Type', type: 'string' } },
  required: ['_type'],
  title: 'FileDataMeta',
  type: 'object',
};

/** data_classes.py ImageData (5+): every field optional with a description. */
const imageDataSchema = (): Record<string, unknown> => ({
  description: 'For input, either path or url must be provided. For output, path is always provided.',
  properties: {
    path: optional('string', 'Path', 'Path to a local file'),
    url: optional('string', 'Url', 'Publicly available url or base64 encoded image'),
    size: optional('integer', 'Size', 'Size of image in bytes'),
    orig_name: optional('string', 'Orig Name', 'Original filename'),
    mime_type: optional('string', 'Mime Type', 'mime type of image'),
    is_stream: { default: false, description: 'Can always be set to False', title: 'Is Stream', type: 'boolean' },
    meta: { default: { _type: 'gradio.FileData' }, title: 'Meta', type: 'object' },
  },
  title: 'ImageData',
  type: 'object',
});

/** base.py Component.api_info for a data model: 4.x pops `description`; 5+ moves it last as additional_description. */
function modelApiInfo(schema: Record<string, unknown>, e: Era): Record<string, unknown> {
  const { description, ...rest } = schema;
  return e === '4' ? rest : { ...rest, additional_description: description ?? null };
}

function gallerySchema(e: Era): Record<string, unknown> {
  if (e === '4') {
    return {
      $defs: {
        FileData: fileDataSchema(e),
        GalleryImage: {
          properties: { image: { $ref: '#/$defs/FileData' }, caption: optional('string', 'Caption') },
          required: ['image'],
          title: 'GalleryImage',
          type: 'object',
        },
      },
      items: { $ref: '#/$defs/GalleryImage' },
      title: 'GalleryData',
      type: 'array',
    };
  }
  const { description: imageDesc, ...image } = imageDataSchema();
  return {
    $defs: {
      FileData: fileDataSchema(e),
      FileDataMeta: FILEDATA_META,
      GalleryImage: {
        properties: { image: { $ref: '#/$defs/ImageData' }, caption: optional('string', 'Caption') },
        required: ['image'],
        title: 'GalleryImage',
        type: 'object',
      },
      GalleryVideo: {
        properties: { video: { $ref: '#/$defs/FileData' }, caption: optional('string', 'Caption') },
        required: ['video'],
        title: 'GalleryVideo',
        type: 'object',
      },
      ImageData: { description: imageDesc, ...image },
    },
    items: { anyOf: [{ $ref: '#/$defs/GalleryImage' }, { $ref: '#/$defs/GalleryVideo' }] },
    title: 'GalleryData',
    type: 'array',
  };
}

export function apiInfo(c: Comp, v: GradioVersion): Record<string, unknown> {
  const e = era(v);
  const props = c.args;
  switch (c.kind) {
    case 'textbox':
      return { type: 'string' };
    case 'slider': {
      const min = props.minimum ?? 0;
      const max = props.maximum ?? 100;
      // 5+: "integer" when precision == 0.
      const type = e !== '4' && props.precision === 0 ? 'integer' : 'number';
      return { type, description: `numeric value between ${pyStr(min)} and ${pyStr(max)}` };
    }
    case 'number':
      return e !== '4' && props.precision === 0 ? { type: 'integer' } : { type: 'number' };
    case 'checkbox':
      return { type: 'boolean' };
    case 'dropdown':
      return { type: 'string', enum: props.choices ?? [] };
    case 'image':
      return modelApiInfo(e === '4' ? fileDataSchema(e) : imageDataSchema(), e);
    case 'gallery':
      return modelApiInfo(gallerySchema(e), e);
    case 'button':
      return {};
  }
}

export function exampleInputs(c: Comp, v: GradioVersion): unknown {
  switch (c.kind) {
    case 'textbox':
      return 'Hello!!';
    case 'slider':
      return c.args.minimum ?? 0;
    case 'number':
      return v === '4.44' ? 3 : roundTo(c.args.minimum ?? 3, c.args.precision);
    case 'checkbox':
      return true;
    case 'dropdown':
      return c.args.choices?.[0] ?? null;
    case 'image':
      return handleFile(BUS);
    case 'gallery':
      return [{ image: handleFile(BUS) }];
    case 'button':
      return 'Run';
  }
}

/**
 * base.py get_component_class_id: md5 (4.x) / sha256 (5+) of f"{Class}_{module file}". The module
 * file is where gradio is installed: assumed the Spaces image's /usr/local/lib/python3.10/site-packages.
 */
export function componentClassId(kind: Kind, v: GradioVersion): string {
  const cls = kind.charAt(0).toUpperCase() + kind.slice(1);
  const text = `${cls}_/usr/local/lib/python3.10/site-packages/gradio/components/${kind}.py`;
  return createHash(v === '4.44' ? 'md5' : 'sha256')
    .update(text)
    .digest('hex');
}

export function blockConfig(c: Comp, v: GradioVersion, onSpace: boolean): Record<string, unknown> {
  const skip = c.kind === 'button';
  const out: Record<string, unknown> = {
    id: c.id,
    type: c.kind,
    props: componentProps(c, v, onSpace),
    skip_api: skip,
    component_class_id: componentClassId(c.kind, v),
    key: null,
  };
  if (!skip) {
    const info = apiInfo(c, v);
    out.api_info = info;
    if (v !== '4.44') {
      out.api_info_as_input = info;
      out.api_info_as_output = info;
    }
    out.example_inputs = exampleInputs(c, v);
  }
  return out;
}

// ---- client utils.py json_schema_to_python_type ----

const FILE_FORMAT: Record<Era, string> = {
  '4': 'Dict(path: str, url: str | None, size: int | None, orig_name: str | None, mime_type: str | None, is_stream: bool, meta: Dict())',
  '5': 'dict(path: str, url: str | None, size: int | None, orig_name: str | None, mime_type: str | None, is_stream: bool, meta: dict(_type: Literal[gradio.FileData]))',
  '6': 'dict(path: str, url: str | None, size: int | None, orig_name: str | None, mime_type: str | None, is_stream: bool, meta: dict(_type: Literal[gradio.FileData]))',
};

type Schema = Record<string, unknown>;

function getType(s: Schema): string | null {
  if ('const' in s) return 'const';
  if ('enum' in s) return 'enum';
  if ('type' in s) return s.type as string;
  if (s.$ref) return '$ref';
  if (s.oneOf) return 'oneOf';
  if (s.anyOf) return 'anyOf';
  if (s.allOf) return 'allOf';
  return null;
}

/** _is_file_schema (6.x): an object with path and meta whose _type is gradio.FileData. */
function isFileSchema(s: Schema, defs: Record<string, Schema>): boolean {
  const props = (s.properties ?? {}) as Record<string, Schema>;
  if (!props.path || !props.meta) return false;
  let meta = props.meta;
  if (typeof meta.$ref === 'string') meta = defs[meta.$ref.split('/').pop()!] ?? {};
  const metaProps = (meta.properties ?? {}) as Record<string, Schema>;
  if (metaProps._type) return metaProps._type.const === 'gradio.FileData';
  const d = meta.default as Record<string, unknown> | undefined;
  return typeof d === 'object' && d !== null && d._type === 'gradio.FileData';
}

export function pythonType(schema: Schema, v: GradioVersion): string {
  const e = era(v);
  const defs = (schema.$defs ?? {}) as Record<string, Schema>;
  const cap = (lower: string) => (e === '4' ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower);
  const walk = (s: Schema): string => {
    if (Object.keys(s).length === 0) return 'Any';
    const t = getType(s);
    switch (t) {
      case null:
        return 'Any';
      case '$ref':
        return walk(defs[(s.$ref as string).split('/').pop()!] ?? {});
      case 'null':
        return 'None';
      case 'const':
        return `Literal[${String(s.const)}]`;
      case 'enum':
        return `Literal[${(s.enum as unknown[]).map((x) => `'${String(x)}'`).join(', ')}]`;
      case 'integer':
        return 'int';
      case 'string':
        return 'str';
      case 'boolean':
        return 'bool';
      case 'number':
        return 'float';
      case 'array':
        return `${cap('list')}[${walk((s.items ?? {}) as Schema)}]`;
      case 'object': {
        if (e === '6' && isFileSchema(s, defs)) return 'filepath';
        const props = (s.properties ?? {}) as Record<string, Schema>;
        const des = Object.entries(props)
          .filter(([n]) => n !== '$defs')
          .map(([n, p]) => `${n}: ${walk(p)}${p.description ? ` (${String(p.description)})` : ''}`);
        return `${cap('dict')}(${des.join(', ')})`;
      }
      case 'oneOf':
      case 'anyOf':
        return (s[t] as Schema[]).map(walk).join(' | ');
      default:
        return 'Any';
    }
  };
  return walk(schema).split(FILE_FORMAT[e]).join('filepath');
}
