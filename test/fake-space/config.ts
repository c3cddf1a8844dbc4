/**
 * `GET /config` and `GET {P}/info` of the fake Space, shaped like blocks.py get_config_file /
 * BlocksConfig.config_for_block / BlockFunction.get_config and routes.py api_info for the version.
 */
import type { GradioRules } from './gradio-rules';
import { RESULT_ID, SEED_ID, type InputSpec, type SliderName, type SliderProps } from './layout';
import { pyStr } from './py';

export interface ConfigInput {
  rules: GradioRules;
  prefix: string;
  root: string;
  spaceId: string | null;
  fnIndex: number;
  triggerId: number;
  inputs: InputSpec[];
  sliders: Record<SliderName, SliderProps>;
  generator: boolean;
}

/** components/slider.py api_info: `numeric value between {minimum} and {maximum}`. */
const sliderApiInfo = (s: SliderProps) => ({
  type: 'number',
  description: `numeric value between ${pyStr(s.minimum)} and ${pyStr(s.maximum)}`,
});

function component(c: InputSpec, sliders: Record<SliderName, SliderProps>): Record<string, unknown> {
  const common = { container: true, min_width: 160, visible: true, elem_classes: [] as string[] };
  let props: Record<string, unknown>;
  let apiInfo: Record<string, unknown>;
  let example: unknown;
  if (c.kind === 'slider') {
    const s = sliders[c.slider!];
    // Block.get_config: constructor arguments in signature order, None values deleted.
    props = {
      minimum: s.minimum,
      maximum: s.maximum,
      value: s.value,
      step: s.step,
      label: c.label,
      ...common,
      preserved_by_key: ['value'],
      show_reset_button: true,
      name: 'slider',
      _selectable: false,
    };
    apiInfo = sliderApiInfo(s);
    example = s.minimum;
  } else if (c.kind === 'checkbox') {
    props = { value: c.default, label: c.label, ...common, name: 'checkbox', _selectable: false };
    apiInfo = { type: 'boolean' };
    example = true;
  } else {
    props = { value: '', lines: 1, max_lines: 20, label: c.label, ...common, name: 'textbox', _selectable: false };
    apiInfo = { type: 'string' };
    example = 'Hello!!';
  }
  return {
    id: c.id,
    type: c.kind,
    props,
    skip_api: false,
    component_class_id: `${c.kind}-class`,
    key: null,
    api_info: apiInfo,
    api_info_as_input: apiInfo,
    api_info_as_output: apiInfo,
    example_inputs: example,
  };
}

export function configJson(o: ConfigInput): Record<string, unknown> {
  const { rules } = o;
  const visibility = rules.depVisibility === 'show_api' ? { show_api: true } : { api_visibility: 'public' };
  const dep = (id: number, extra: Record<string, unknown>) => ({
    id,
    backend_fn: true,
    js: null,
    scroll_to_output: false,
    show_progress: 'full',
    batch: false,
    max_batch_size: 4,
    cancels: [],
    collects_event_data: false,
    trigger_after: null,
    trigger_only_on_success: false,
    trigger_mode: 'once',
    ...visibility,
    ...extra,
  });
  const seedOut = o.inputs.find((c) => c.id === SEED_ID);
  const config: Record<string, unknown> = {
    version: rules.release,
    // Announced by 5.0+ (route_utils.API_PREFIX); follows an explicit `apiPrefix` override.
    ...(o.prefix ? { api_prefix: o.prefix } : {}),
    mode: 'blocks',
    app_id: 1234567890,
    dev_mode: false,
    analytics_enabled: true,
    components: [
      ...o.inputs.map((c) => component(c, o.sliders)),
      { id: o.triggerId, type: 'button', props: { value: 'Run', variant: 'primary', name: 'button' }, skip_api: true },
      {
        id: RESULT_ID,
        type: 'image',
        props: { label: 'Result', show_label: false, name: 'image', format: 'webp' },
        skip_api: false,
        api_info: { $ref: 'FileData' },
      },
    ],
    css: null,
    connect_heartbeat: false,
    js: null,
    head: null,
    title: 'Gradio',
    space_id: o.spaceId,
    enable_queue: true,
    show_error: false,
    ...(rules.depVisibility === 'show_api' ? { show_api: true } : { footer_links: [] }),
    is_colab: false,
    max_file_size: null,
    stylesheets: [],
    theme: 'default',
    protocol: 'sse_v3',
    body_css: {
      body_background_fill: 'white',
      body_text_color: '#1f2937',
      body_background_fill_dark: '#0b0f19',
      body_text_color_dark: '#f3f4f6',
    },
    fill_height: false,
    fill_width: false,
    layout: { id: 0, children: [...o.inputs.map((c) => ({ id: c.id })), { id: o.triggerId }, { id: RESULT_ID }] },
    dependencies: [
      dep(0, { targets: [[0, 'load']], inputs: [], outputs: [], api_name: null, queue: false }),
      dep(1, {
        targets: [[3, 'change']],
        inputs: [13, 14],
        outputs: [13, 14],
        api_name: 'update_size',
        queue: true,
      }),
      dep(o.fnIndex, {
        targets: [
          [o.triggerId, 'click'],
          [1, 'submit'],
        ],
        inputs: o.inputs.map((c) => c.id),
        outputs: seedOut ? [RESULT_ID, SEED_ID] : [RESULT_ID],
        api_name: 'infer',
        queue: true,
        types: { generator: o.generator, cancel: false },
      }),
    ],
    root: o.root,
    username: null,
  };
  return config;
}

/** routes.py api_info (`GET {P}/info`): the parameters @gradio/client reads at connect. */
export function infoJson(o: ConfigInput): Record<string, unknown> {
  const param = (c: InputSpec) => {
    const s = c.kind === 'slider' ? o.sliders[c.slider!] : null;
    const def = s ? s.value : c.default;
    return {
      label: c.label,
      parameter_name: c.name,
      parameter_has_default: c.name !== 'prompt',
      parameter_default: def,
      type: s ? sliderApiInfo(s) : { type: c.kind === 'checkbox' ? 'boolean' : 'string' },
      python_type: { type: c.kind === 'slider' ? 'float' : c.kind === 'checkbox' ? 'bool' : 'str', description: '' },
      component: c.kind === 'slider' ? 'Slider' : c.kind === 'checkbox' ? 'Checkbox' : 'Textbox',
      example_input: s ? s.minimum : c.kind === 'checkbox' ? true : 'Hello!!',
    };
  };
  return {
    named_endpoints: {
      '/infer': {
        parameters: o.inputs.map(param),
        returns: [
          { label: 'Result', type: { type: 'string' }, python_type: { type: 'filepath' }, component: 'Image' },
          { label: 'Seed', type: sliderApiInfo(o.sliders.seed), python_type: { type: 'float' }, component: 'Slider' },
        ],
        ...(o.rules.depVisibility === 'show_api' ? { show_api: true } : { api_visibility: 'public' }),
      },
    },
    unnamed_endpoints: {},
  };
}
