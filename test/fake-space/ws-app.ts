/**
 * layout 'ws': a Gradio 3.50.2 FLUX-Schnell-like app, whatever `gradioVersion` says (3.x is not a
 * version mode). What differs from 4.0+:
 *
 * - `GET /config`: blocks.py (3.50.2) get_config_file — no `protocol` key at all (4.0 added
 *   "sse"; @gradio/client reads `config.protocol ?? "ws"` and refuses "ws"), no `api_prefix`,
 *   components `{id, type, props, serializer, api_info, example_inputs}`, dependencies as
 *   Blocks.set_event_trigger builds them (no `id`); routes.py get_config adds `root`.
 * - `GET /info` (routes.py api_info → blocks.py get_api_info(config, serialize=True)): parameters
 *   `{label, type, python_type, component, example_input, serializer}`, no parameter_name.
 * - `/queue/join` is `@app.websocket` only: Starlette's WebSocketRoute.matches answers Match.NONE
 *   to an http scope, so a GET or POST falls through to Router.not_found → HTTPException(404) →
 *   FastAPI `{"detail": "Not Found"}` (starlette/routing.py). `/queue/data`, `/call/*`,
 *   `/gradio_api/*` do not exist: 404 too.
 */
import type { GradioRules } from './gradio-rules';
import { pyStr } from './py';

export const WS_RELEASE = '3.50.2';
export const WS_SPACE_ID = 'fake-org/flux-gradio3';

interface WsComp {
  id: number;
  type: 'textbox' | 'slider' | 'checkbox' | 'button' | 'image';
  label?: string;
  extra?: Record<string, unknown>;
}

const SLIDERS: Record<number, { minimum: number; maximum: number; step: number; value: number }> = {
  2: { minimum: 0, maximum: 2147483647, step: 1, value: 0 },
  4: { minimum: 256, maximum: 2048, step: 32, value: 1024 },
  5: { minimum: 256, maximum: 2048, step: 32, value: 1024 },
  6: { minimum: 1, maximum: 50, step: 1, value: 4 },
};

const COMPS: WsComp[] = [
  { id: 1, type: 'textbox', label: 'Prompt' },
  { id: 2, type: 'slider', label: 'Seed' },
  { id: 3, type: 'checkbox', label: 'Randomize seed' },
  { id: 4, type: 'slider', label: 'Width' },
  { id: 5, type: 'slider', label: 'Height' },
  { id: 6, type: 'slider', label: 'Number of inference steps' },
  { id: 7, type: 'button' },
  { id: 8, type: 'image', label: 'Result' },
];

/** Component get_config (3.50.2, as test/test_components.py expects it), None deleted. */
function props(c: WsComp, onSpace: boolean): Record<string, unknown> {
  const base = { show_label: true, container: true, min_width: 160, visible: true };
  let p: Record<string, unknown>;
  switch (c.type) {
    case 'textbox':
      p = {
        lines: 1,
        max_lines: 20,
        value: '',
        type: 'text',
        show_copy_button: false,
        autofocus: false,
        autoscroll: true,
        rtl: false,
        label: c.label,
        ...base,
        selectable: false,
        name: 'textbox',
      };
      break;
    case 'slider':
      p = { ...SLIDERS[c.id], label: c.label, ...base, name: 'slider' };
      break;
    case 'checkbox':
      p = { value: true, label: c.label, ...base, selectable: false, name: 'checkbox' };
      break;
    case 'button':
      p = { value: 'Run', variant: 'primary', size: 'lg', visible: true, interactive: true, name: 'button' };
      break;
    case 'image':
      p = {
        image_mode: 'RGB',
        source: 'upload',
        tool: 'editor',
        brush_color: '#000000',
        mask_opacity: 0.7,
        show_share_button: onSpace,
        show_download_button: true,
        streaming: false,
        label: c.label,
        ...base,
        show_label: false,
        mirror_webcam: true,
        selectable: false,
        invert_colors: false,
        type: 'pil',
        name: 'image',
      };
      break;
  }
  return p;
}

/** gradio_client 0.6.x serializing.py: the serializer of each component and its api_info. */
function serializer(c: WsComp) {
  switch (c.type) {
    case 'textbox':
      return { name: 'StringSerializable', info: { type: 'string' }, serialized: false, example: 'Howdy!' };
    case 'slider': {
      const s = SLIDERS[c.id]!;
      return {
        name: 'NumberSerializable',
        info: { type: 'number', description: `numeric value between ${pyStr(s.minimum)} and ${pyStr(s.maximum)}` },
        serialized: false,
        example: s.minimum,
      };
    }
    case 'checkbox':
      return { name: 'BooleanSerializable', info: { type: 'boolean' }, serialized: false, example: true };
    case 'image':
      return {
        name: 'ImgSerializable',
        info: { type: 'string', description: 'base64 representation of an image' },
        serialized: true,
        example: 'https://raw.githubusercontent.com/gradio-app/gradio/main/test/test_files/bus.png',
      };
    default:
      return null;
  }
}

export function wsConfigJson(root: string, spaceId: string | null): Record<string, unknown> {
  const onSpace = spaceId !== null;
  return {
    version: WS_RELEASE,
    mode: 'blocks',
    app_id: 1234567890,
    dev_mode: false,
    analytics_enabled: true,
    components: COMPS.map((c) => {
      const s = serializer(c);
      return {
        id: c.id,
        type: c.type,
        props: props(c, onSpace),
        ...(s
          ? {
              serializer: s.name,
              api_info: { info: s.info, serialized_info: s.serialized },
              example_inputs: {
                raw: s.name === 'ImgSerializable' ? '<base64 image>' : s.example,
                serialized: s.example,
              },
            }
          : {}),
      };
    }),
    css: null,
    title: 'Gradio',
    space_id: spaceId,
    enable_queue: true,
    show_error: false,
    show_api: true,
    is_colab: false,
    stylesheets: [],
    theme: 'default',
    layout: { id: 0, children: COMPS.map((c) => ({ id: c.id })) },
    dependencies: [
      {
        targets: [7, 1],
        trigger: 'click',
        inputs: [1, 2, 3, 4, 5, 6],
        outputs: [8, 2],
        backend_fn: true,
        js: null,
        queue: null,
        api_name: 'infer',
        scroll_to_output: false,
        show_progress: 'full',
        every: null,
        batch: false,
        max_batch_size: 4,
        cancels: [],
        types: { continuous: false, generator: false },
        collects_event_data: false,
        trigger_after: null,
        trigger_only_on_success: false,
      },
    ],
    root,
  };
}

/** blocks.py (3.50.2) get_api_info(config, serialize=True). */
export function wsInfoJson(): Record<string, unknown> {
  const entry = (c: WsComp, param: boolean) => {
    const s = serializer(c)!;
    const python = s.serialized
      ? { type: 'string', description: 'filepath on your computer (or URL) of image' }
      : s.info;
    const pyType = python.type === 'string' ? 'str' : python.type === 'boolean' ? 'bool' : 'float';
    return {
      label: c.label,
      type: s.info,
      python_type: { type: pyType, description: (python as { description?: string }).description ?? '' },
      component: c.type.charAt(0).toUpperCase() + c.type.slice(1),
      ...(param ? { example_input: s.example } : {}),
      serializer: s.name,
    };
  };
  const byId = (id: number) => COMPS.find((c) => c.id === id)!;
  return {
    named_endpoints: {
      '/infer': {
        parameters: [1, 2, 3, 4, 5, 6].map((id) => entry(byId(id), true)),
        returns: [8, 2].map((id) => entry(byId(id), false)),
      },
    },
    unnamed_endpoints: {},
  };
}

export type { GradioRules };
