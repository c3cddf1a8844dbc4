/**
 * `GET /config` and `GET {P}/info` of the non-FLUX layouts (apps.ts), per version:
 * blocks.py get_config_file + BlocksConfig.get_config (+ routes.py get_config: username, root),
 * BlockFunction.get_config (4.44 blocks.py, 5+ block_function.py) and Blocks.get_api_info.
 */
import type { App, Endpoint } from './apps';
import { apiInfo, blockConfig, componentProps, exampleInputs, pythonType } from './components';
import type { GradioRules, GradioVersion } from './gradio-rules';

export interface AppConfigInput {
  version: GradioVersion;
  rules: GradioRules;
  prefix: string;
  root: string;
  spaceId: string | null;
  app: App;
  /** types.generator of an endpoint (the function yields previews). */
  generator(ep: Endpoint): boolean;
}

/** BlockFunction.get_config: field order per version; defaults of an event listener. */
function dependency(o: AppConfigInput, ep: Endpoint): Record<string, unknown> {
  const { version } = o;
  const head = {
    id: ep.fnIndex,
    targets: ep.targets,
    inputs: ep.inputs,
    outputs: ep.outputs,
    backend_fn: true,
    js: null,
    queue: true,
    api_name: ep.apiName,
  };
  const types = { generator: o.generator(ep), cancel: false };
  if (version === '4.44') {
    return {
      ...head,
      scroll_to_output: false,
      show_progress: 'full',
      batch: false,
      max_batch_size: 4,
      cancels: [],
      types,
      collects_event_data: false,
      trigger_after: null,
      trigger_only_on_success: false,
      trigger_mode: 'once',
      show_api: true,
      // `hasattr(fn, "zerogpu")`: the spaces package marks @spaces.GPU functions on ZeroGPU.
      zerogpu: ep.gpu,
      rendered_in: null,
    };
  }
  const v5 = version === '5.49';
  return {
    ...head,
    api_description: null,
    scroll_to_output: false,
    show_progress: 'full',
    show_progress_on: null,
    batch: false,
    max_batch_size: 4,
    cancels: [],
    types,
    collects_event_data: false,
    trigger_after: null,
    trigger_only_on_success: false,
    trigger_only_on_failure: false,
    trigger_mode: 'once',
    ...(v5 ? { show_api: true } : { api_visibility: 'public' }),
    rendered_in: null,
    render_id: null,
    connection: 'sse',
    time_limit: null,
    stream_every: 0.5,
    ...(v5 ? { like_user_message: false } : {}),
    event_specific_args: null,
    ...(v5 ? {} : { component_prop_inputs: [] }),
    js_implementation: null,
  };
}

const BODY_CSS = {
  body_background_fill: 'white',
  body_text_color: '#1f2937',
  body_background_fill_dark: '#0b0f19',
  body_text_color_dark: '#f3f4f6',
};
/** Blocks.theme_hash: a hash of the theme's CSS (not computable here: a fixed value). */
const THEME_HASH = '3e0d4ed8c8a5d1b8d4a6a0f0c6d83b7a2b0e7d2b3d1c4e5f6a7b8c9d0e1f2a3b';

export function appConfigJson(o: AppConfigInput): Record<string, unknown> {
  const { version, app } = o;
  const onSpace = o.spaceId !== null;
  const components = app.components.map((c) => blockConfig(c, version, onSpace));
  const layout = { id: 0, children: app.components.map((c) => ({ id: c.id })) };
  const dependencies = app.endpoints.map((ep) => dependency(o, ep));
  if (version === '4.44') {
    return {
      version: o.rules.release,
      mode: 'blocks',
      app_id: 1234567890,
      dev_mode: false,
      analytics_enabled: true,
      components,
      css: null,
      connect_heartbeat: false,
      js: null,
      head: null,
      title: 'Gradio',
      space_id: o.spaceId,
      enable_queue: true,
      show_error: false,
      show_api: true,
      is_colab: false,
      max_file_size: null,
      stylesheets: [],
      theme: 'default',
      protocol: 'sse_v3',
      body_css: BODY_CSS,
      fill_height: false,
      fill_width: false,
      theme_hash: THEME_HASH,
      // config.update(default_config.get_config()): layout and dependencies are new keys.
      layout,
      dependencies,
      // routes.py get_config: update_root_in_config, then username.
      root: o.root,
      username: null,
    };
  }
  const v6 = version !== '5.49';
  return {
    version: o.rules.release,
    // route_utils.API_PREFIX is always announced from 5.0 (an explicit '' override of the fake drops it).
    ...(o.prefix ? { api_prefix: o.prefix } : {}),
    mode: 'blocks',
    app_id: 1234567890,
    dev_mode: false,
    vibe_mode: false,
    analytics_enabled: true,
    components,
    css: null,
    connect_heartbeat: false,
    js: null,
    head: null,
    title: 'Gradio',
    space_id: o.spaceId,
    enable_queue: true,
    show_error: false,
    ...(v6
      ? {
          footer_links: version === '6.17' ? ['api', 'gradio', 'settings'] : ['api', 'gradio', 'settings', 'runs'],
          ...(version === '6.25' ? { run_history: true } : {}),
        }
      : { show_api: true }),
    is_colab: false,
    max_file_size: null,
    stylesheets: [],
    theme: 'default',
    protocol: 'sse_v3',
    body_css: BODY_CSS,
    fill_height: false,
    fill_width: false,
    theme_hash: THEME_HASH,
    // `utils.get_space() is not None if pwa is None`.
    pwa: onSpace,
    pages: [['', 'Home', true]],
    page: {
      '': {
        layout: { id: 0, children: layout.children },
        components: app.components.map((c) => c.id),
        dependencies: app.endpoints.map((e) => e.fnIndex),
      },
    },
    mcp_server: false,
    i18n_translations: null,
    dependencies,
    layout,
    username: null,
    root: o.root,
  };
}

/**
 * Blocks.get_api_info: named endpoints `/{api_name}` with parameters (label, parameter_name,
 * parameter_has_default/default from the component's config value, type = api_info (5+:
 * api_info_as_input), python_type {type, description}, component, example_input) and returns;
 * `show_api` (≤ 5.x) / `api_visibility` (6.x); 5+ adds `description` (the function's docstring: "").
 * Python type descriptions: 4.44 `info.get("description")`, 5+ `additional_description` for
 * parameters. 6.x routes.py api_info also adds `code_snippets` per endpoint (not ported).
 */
export function appInfoJson(o: AppConfigInput): Record<string, unknown> {
  const { version, app } = o;
  const named: Record<string, unknown> = {};
  const comp = (id: number) => app.components.find((c) => c.id === id)!;
  for (const ep of app.endpoints) {
    const parameters = ep.inputs.map((id, i) => {
      const c = comp(id);
      const info = apiInfo(c, version);
      const value = componentProps(c, version, o.spaceId !== null).value;
      const has = value !== undefined && value !== null;
      const description =
        version === '4.44' ? (info.description ?? '') : ((info.additional_description as string | null) ?? '');
      return {
        label: c.args.label ?? `parameter_${id}`,
        parameter_name: ep.params[i],
        parameter_has_default: has,
        parameter_default: has ? value : null,
        type: info,
        python_type: { type: pythonType(info, version), description },
        component: c.kind.charAt(0).toUpperCase() + c.kind.slice(1),
        example_input: exampleInputs(c, version),
      };
    });
    const returns = ep.outputs.map((id) => {
      const c = comp(id);
      const info = apiInfo(c, version);
      return {
        label: c.args.label ?? `value_${id}`,
        type: info,
        python_type: { type: pythonType(info, version), description: (info.description as string | undefined) ?? '' },
        component: c.kind.charAt(0).toUpperCase() + c.kind.slice(1),
      };
    });
    named[`/${ep.apiName}`] = {
      parameters,
      returns,
      ...(version === '4.44' || version === '5.49' ? { show_api: true } : { api_visibility: 'public' }),
      ...(version === '4.44' ? {} : { description: '' }),
    };
  }
  return { named_endpoints: named, unnamed_endpoints: {} };
}
