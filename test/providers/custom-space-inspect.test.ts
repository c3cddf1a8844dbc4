/**
 * "Add any Gradio Space", inspecting: the input forms (id, Hugging Face page, `*.hf.space` host,
 * local URL), the endpoints found in /config + /info and how their inputs map to the app's
 * parameters. Unit tests on /config and /info JSON built as Gradio serialises them (blocks.py
 * `get_config_file`, block_function.py `get_config`, `get_api_info`), then every layout of the
 * strict fake Space on every Gradio version mode, over real HTTP.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseApiInfo } from '../../main/providers/gradio/api-info';
import { parseConfig } from '../../main/providers/gradio/config';
import { findTextToImageEndpoints } from '../../main/providers/custom-space/endpoints';
import { inspectSpace, parseSpaceInput, spaceHost } from '../../main/providers/custom-space/inspect';
import { proposeMapping } from '../../main/providers/custom-space/mapping';
import { AppError } from '../../shared/errors';
import { SpaceEndpointSchema, type SpaceInput, type SpaceInspection } from '../../shared/spaces';
import {
  GRADIO_VERSIONS,
  startFakeSpace,
  type FakeSpace,
  type FakeSpaceOptions,
  type GradioVersion,
} from '../fake-space';

const spaces: FakeSpace[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(spaces.splice(0).map((s) => s.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function space(o: FakeSpaceOptions = {}): Promise<FakeSpace> {
  const s = await startFakeSpace({ ...o, timing: { stepMs: 1, heartbeatMs: 50, ...o.timing } });
  spaces.push(s);
  return s;
}

const inspect = (input: string, s: { url: string }, o: Parameters<typeof inspectSpace>[1] = { idleTimeoutMs: 2000 }) =>
  inspectSpace(input, { hfUrl: s.url, ...o, idleTimeoutMs: o.idleTimeoutMs });

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

const mappingOf = (i: SpaceInspection, n = 0) =>
  Object.fromEntries(i.endpoints[n]!.mapping.map((m) => [m.param, i.endpoints[n]!.inputs[m.index]!.key]));

// ---- Gradio's JSON, as 5.49.1 serialises it (fixtures) ----

type Props = Record<string, unknown>;
const component = (id: number, type: string, props: Props = {}) => ({
  id,
  type,
  props: { ...props, name: type },
  // Block.skip_api: State and layout-ish blocks are not API parameters.
  skip_api: type === 'state' || type === 'button',
  component_class_id: `${type}-class`,
  key: null,
});
const dependency = (
  id: number,
  apiName: string | false | null,
  inputs: number[],
  outputs: number[],
  extra: Props = {},
) => ({
  id,
  targets: [[900 + id, 'click']],
  inputs,
  outputs,
  backend_fn: true,
  js: null,
  queue: true,
  api_name: apiName,
  show_api: apiName !== false,
  types: { generator: false, cancel: false },
  ...extra,
});
const gradioConfig = (components: unknown[], dependencies: unknown[], extra: Props = {}) => ({
  version: '5.49.1',
  api_prefix: '/gradio_api',
  mode: 'blocks',
  components,
  dependencies,
  title: 'Gradio',
  space_id: null,
  protocol: 'sse_v3',
  ...extra,
});
const param = (name: string, label: string, componentName: string, def: unknown = null) => ({
  label,
  parameter_name: name,
  parameter_has_default: def !== null,
  parameter_default: def,
  type: { type: 'string' },
  python_type: { type: 'str', description: '' },
  component: componentName,
  example_input: null,
});
const apiInfo = (endpoints: Record<string, ReturnType<typeof param>[]>) => ({
  named_endpoints: Object.fromEntries(
    Object.entries(endpoints).map(([name, parameters]) => [`/${name}`, { parameters, returns: [], show_api: true }]),
  ),
  unnamed_endpoints: {},
});

describe('parseSpaceInput: what the user typed', () => {
  it('a Space id goes to its *.hf.space host by Hugging Face’s subdomain rule', () => {
    expect(parseSpaceInput('black-forest-labs/FLUX.1-dev')).toEqual({
      baseUrl: 'https://black-forest-labs-flux-1-dev.hf.space',
      spaceId: 'black-forest-labs/FLUX.1-dev',
      hubKey: 'black-forest-labs/FLUX.1-dev',
    });
    expect(spaceHost('My_Org/Some.Space_v2')).toBe('https://my-org-some-space-v2.hf.space');
  });

  it('a Space page on huggingface.co (any tab, query or fragment) is the Space', () => {
    for (const url of [
      'https://huggingface.co/spaces/black-forest-labs/FLUX.1-dev',
      'https://huggingface.co/spaces/black-forest-labs/FLUX.1-dev/tree/main?x=1#top',
      'huggingface.co/spaces/black-forest-labs/FLUX.1-dev/',
    ]) {
      expect(parseSpaceInput(url)).toMatchObject({
        baseUrl: 'https://black-forest-labs-flux-1-dev.hf.space',
        spaceId: 'black-forest-labs/FLUX.1-dev',
      });
    }
    expect(() => parseSpaceInput('https://huggingface.co/black-forest-labs/FLUX.1-dev')).toThrow(/not a Space's page/);
  });

  it('a *.hf.space URL is its origin; the Hub is asked by subdomain', () => {
    expect(parseSpaceInput('https://Black-Forest-Labs-FLUX-1-dev.hf.space/?__theme=light')).toEqual({
      baseUrl: 'https://black-forest-labs-flux-1-dev.hf.space',
      spaceId: null,
      hubKey: 'by-subdomain/black-forest-labs-flux-1-dev',
    });
  });

  it('another app keeps its path (a mounted app); http only on this computer', () => {
    expect(parseSpaceInput('http://127.0.0.1:7860/')).toEqual({
      baseUrl: 'http://127.0.0.1:7860',
      spaceId: null,
      hubKey: null,
    });
    expect(parseSpaceInput('http://localhost:8000/gradio/?view=api').baseUrl).toBe('http://localhost:8000/gradio');
    expect(parseSpaceInput('example.com/app/config').baseUrl).toBe('https://example.com/app');
    expect(() => parseSpaceInput('http://example.com')).toThrow(/must be https/);
    expect(() => parseSpaceInput('ftp://example.com')).toThrow(AppError);
    expect(() => parseSpaceInput('https://user:pw@example.com')).toThrow(/user name or password/);
    expect(() => parseSpaceInput('  ')).toThrow(/Give a Space/);
    expect(() => parseSpaceInput('not a url at all')).toThrow(/neither a Space/);
  });
});

describe('proposeMapping: names first, then labels', () => {
  const input = (index: number, key: string, label: string | null, kind: SpaceInput['kind']): SpaceInput => ({
    index,
    key,
    label,
    kind,
    component: kind === 'text' ? 'textbox' : kind,
    default: null,
  });

  it('maps the usual Python names, each parameter once', () => {
    const m = proposeMapping([
      input(0, 'prompt', null, 'text'),
      input(1, 'negative_prompt', null, 'text'),
      input(2, 'cfg_scale', null, 'slider'),
      input(3, 'steps', null, 'slider'),
      input(4, 'seed', null, 'number'),
      input(5, 'randomize_seed', null, 'checkbox'),
      input(6, 'image_width', null, 'slider'),
      input(7, 'image_height', null, 'slider'),
      input(8, 'seed_2', 'Second seed', 'number'),
    ]);
    expect(m).toEqual([
      { index: 0, param: 'prompt' },
      { index: 1, param: 'negativePrompt' },
      { index: 2, param: 'guidance' },
      { index: 3, param: 'steps' },
      { index: 4, param: 'seed' },
      { index: 5, param: 'randomizeSeed' },
      { index: 6, param: 'width' },
      { index: 7, param: 'height' },
    ]);
  });

  it('without names (no /info), by label; kinds must fit', () => {
    const m = proposeMapping([
      input(0, 'arg0', 'What do you want to see?', 'text'),
      input(1, 'arg1', 'Negative Prompt', 'text'),
      input(2, 'arg2', 'CFG', 'number'),
      input(3, 'arg3', 'Sampling steps', 'slider'),
      input(4, 'arg4', 'Seed', 'text'),
      input(5, 'arg5', 'Random seed', 'checkbox'),
    ]);
    // The first text box left is the prompt; a seed in a text box is not mapped.
    expect(m).toEqual([
      { index: 0, param: 'prompt' },
      { index: 1, param: 'negativePrompt' },
      { index: 2, param: 'guidance' },
      { index: 3, param: 'steps' },
      { index: 5, param: 'randomizeSeed' },
    ]);
  });
});

describe('findTextToImageEndpoints (Gradio 5.49 JSON)', () => {
  it('a State input is skipped by /info: names line up with the other inputs, state is sent as null', () => {
    const config = parseConfig(
      gradioConfig(
        [
          component(1, 'textbox', { label: 'Prompt', value: '' }),
          component(2, 'state', {}),
          component(3, 'slider', { label: 'Steps', minimum: 1, maximum: 8, step: 1, value: 4 }),
          component(4, 'image', { label: 'Out' }),
        ],
        [dependency(0, 'generate', [1, 2, 3], [4])],
      ),
    );
    const info = parseApiInfo(
      apiInfo({ generate: [param('prompt', 'Prompt', 'Textbox'), param('num_inference_steps', 'Steps', 'Slider', 4)] }),
    );
    const { endpoints } = findTextToImageEndpoints(config, info);
    expect(endpoints).toHaveLength(1);
    const ep = SpaceEndpointSchema.parse(endpoints[0]);
    expect(ep.inputs.map((i) => [i.key, i.kind, i.component, i.default])).toEqual([
      ['prompt', 'text', 'textbox', ''],
      ['arg1', 'other', 'state', null],
      ['num_inference_steps', 'slider', 'slider', 4],
    ]);
    expect(ep.inputs[2]).toMatchObject({ minimum: 1, maximum: 8, step: 1 });
    expect(ep.mapping).toEqual([
      { index: 0, param: 'prompt' },
      { index: 2, param: 'steps' },
    ]);
  });

  it('Dropdown and Radio choices are [label, value] pairs; a multiselect dropdown is not a choice', () => {
    const config = parseConfig(
      gradioConfig(
        [
          component(1, 'textbox', { label: 'Prompt' }),
          component(2, 'dropdown', {
            label: 'Speed',
            choices: [
              ['Fast (4 steps)', 'fast'],
              ['Slow', 'slow'],
            ],
            value: 'fast',
          }),
          component(3, 'radio', {
            label: 'Style',
            choices: [
              ['One', 1],
              ['Two', 2],
            ],
            value: 2,
          }),
          component(4, 'dropdown', { label: 'Loras', choices: [['a', 'a']], value: ['a'], multiselect: true }),
          component(5, 'gallery', { label: 'Images' }),
        ],
        [dependency(0, 'go', [1, 2, 3, 4], [5])],
      ),
    );
    const [ep] = findTextToImageEndpoints(config, null).endpoints;
    expect(ep!.inputs[1]).toMatchObject({
      kind: 'dropdown',
      default: 'fast',
      choices: [
        { label: 'Fast (4 steps)', value: 'fast' },
        { label: 'Slow', value: 'slow' },
      ],
    });
    expect(ep!.inputs[2]).toMatchObject({ kind: 'dropdown', component: 'radio', default: 2 });
    expect(ep!.inputs[3]).toMatchObject({ kind: 'other', default: null });
    expect(ep!.outputs[0]).toMatchObject({ kind: 'gallery' });
    // Without /info the keys are positional.
    expect(ep!.inputs.map((i) => i.key)).toEqual(['arg0', 'arg1', 'arg2', 'arg3']);
  });

  it('ranks public before hidden, more mapped first, named before unnamed; leaves out private, JS-only and non-image endpoints', () => {
    const comps = [
      component(1, 'textbox', { label: 'Prompt' }),
      component(2, 'slider', { label: 'Seed', minimum: 0, maximum: 100, value: 0 }),
      component(3, 'slider', { label: 'Steps', minimum: 1, maximum: 50, value: 20 }),
      component(4, 'image', { label: 'Out' }),
      component(5, 'textbox', { label: 'Caption' }),
    ];
    const config = parseConfig(
      gradioConfig(comps, [
        dependency(0, 'small', [1], [4]),
        dependency(1, 'big', [1, 2, 3], [4]),
        // Hidden from the docs (show_api=False): callable, offered last even with more mapped.
        dependency(2, 'hidden', [1, 2, 3], [4], { show_api: false }),
        // api_name=False (≤ 5.x): no name, called by fn_index; after the named ones.
        dependency(3, false, [1, 2], [4]),
        // JavaScript only.
        dependency(4, 'js_fn', [1], [4], { backend_fn: false }),
        // No image out.
        dependency(5, 'caption', [1], [5]),
        // 6.x private (not callable by clients).
        dependency(6, 'private_one', [1, 2, 3], [4], { show_api: undefined, api_visibility: 'private' }),
      ]),
    );
    const { endpoints } = findTextToImageEndpoints(config, null);
    expect(endpoints.map((e) => e.apiName ?? `#${e.fnIndex}`)).toEqual(['big', 'small', 'hidden', '#3']);
  });

  it('an image input without a None default makes a file-input endpoint; an optional one does not', () => {
    const config = parseConfig(
      gradioConfig(
        [
          component(1, 'image', { label: 'Input image', type: 'pil' }),
          component(2, 'textbox', { label: 'Prompt' }),
          component(3, 'image', { label: 'Out' }),
          component(4, 'image', { label: 'Reference (optional)' }),
        ],
        [dependency(0, 'img2img', [1, 2], [3]), dependency(1, 'txt2img', [2, 4], [3])],
      ),
    );
    const info = parseApiInfo(
      apiInfo({
        img2img: [param('image', 'Input image', 'Image'), param('prompt', 'Prompt', 'Textbox')],
        // `def txt2img(prompt, reference=None)`: parameter_has_default with a None default.
        txt2img: [
          param('prompt', 'Prompt', 'Textbox'),
          { ...param('reference', 'Reference', 'Image'), parameter_has_default: true },
        ],
      }),
    );
    const found = findTextToImageEndpoints(config, info);
    expect(found.fileInputEndpoints).toEqual(['img2img']);
    expect(found.endpoints.map((e) => e.apiName)).toEqual(['txt2img']);
    expect(found.endpoints[0]!.inputs[1]).toMatchObject({ kind: 'file', default: null });
  });
});

describe.each(GRADIO_VERSIONS)('inspecting the fake Space, Gradio %s', (version: GradioVersion) => {
  it('FLUX.1-dev: infer with all 7 parameters mapped, image and seed outputs', async () => {
    const s = await space({ gradioVersion: version, layout: 'dev' });
    const r = await inspect(s.url, s);
    expect(r).toMatchObject({
      baseUrl: s.url,
      spaceId: null,
      gradioVersion: expect.stringMatching(new RegExp(`^${version.replace('.', '\\.')}\\.`)),
      fileInputEndpoints: [],
    });
    expect(r.providerId).toMatch(/^space:local\/127\.0\.0\.1-\d+$/);
    expect(r.endpoints).toHaveLength(1);
    const ep = SpaceEndpointSchema.parse(r.endpoints[0]);
    expect(ep).toMatchObject({ apiName: 'infer', fnIndex: 2, imageOutput: 0, seedOutput: 1 });
    expect(mappingOf(r)).toEqual({
      prompt: 'prompt',
      seed: 'seed',
      randomizeSeed: 'randomize_seed',
      width: 'width',
      height: 'height',
      guidance: 'guidance_scale',
      steps: 'num_inference_steps',
    });
    expect(ep.inputs[3]).toMatchObject({ kind: 'slider', minimum: 256, maximum: 2048, step: 32, default: 1024 });
    expect(ep.inputs[2]).toMatchObject({ kind: 'checkbox', default: true });
    // The hidden endpoints are asked for too (a Space's show_api=False endpoint is still callable).
    const infoReq = s.requests.find((q) => q.path.endsWith('/info'));
    expect(infoReq?.query).toEqual({ all_endpoints: 'true' });
  });

  it('FLUX.1-schnell: infer with all 6 parameters mapped', async () => {
    const s = await space({ gradioVersion: version, layout: 'schnell' });
    const r = await inspect(s.url, s);
    expect(r.endpoints.map((e) => e.apiName)).toEqual(['infer']);
    expect(r.endpoints[0]!.mapping).toHaveLength(6);
    expect(r.endpoints[0]!.inputs[5]).toMatchObject({ key: 'num_inference_steps', default: 4 });
  });

  it('sd: negative prompt, CFG, steps, sizes and a Number seed mapped; scheduler and upscale left as extras', async () => {
    const s = await space({ gradioVersion: version, layout: 'sd' });
    const r = await inspect(s.url, s);
    const ep = SpaceEndpointSchema.parse(r.endpoints[0]);
    expect(ep).toMatchObject({ apiName: 'generate', fnIndex: 0, imageOutput: 0, seedOutput: null });
    expect(mappingOf(r)).toEqual({
      prompt: 'prompt',
      negativePrompt: 'negative_prompt',
      guidance: 'guidance_scale',
      steps: 'num_inference_steps',
      width: 'width',
      height: 'height',
      seed: 'seed',
    });
    expect(ep.inputs[6]).toMatchObject({ kind: 'number', default: -1 });
    expect(ep.inputs[7]).toMatchObject({
      key: 'scheduler',
      kind: 'dropdown',
      default: 'Euler a',
      choices: [
        { label: 'Euler a', value: 'Euler a' },
        { label: 'DPM++ 2M', value: 'DPM++ 2M' },
        { label: 'DDIM', value: 'DDIM' },
      ],
    });
    expect(ep.inputs[8]).toMatchObject({ key: 'upscale', kind: 'checkbox', default: false });
  });

  it('gallery: a Gallery output and a Number seed output', async () => {
    const s = await space({ gradioVersion: version, layout: 'gallery' });
    const r = await inspect(s.url, s);
    const ep = SpaceEndpointSchema.parse(r.endpoints[0]);
    expect(ep).toMatchObject({ apiName: 'run', imageOutput: 0, seedOutput: 1 });
    expect(ep.outputs.map((o) => o.kind)).toEqual(['gallery', 'number']);
    expect(mappingOf(r)).toEqual({ prompt: 'prompt', seed: 'seed', randomizeSeed: 'randomize_seed' });
    expect(ep.inputs[1]).toMatchObject({ key: 'num_images', kind: 'slider', minimum: 1, maximum: 4, default: 2 });
  });

  it('two endpoints: both offered, the better mapped first; the prompt enhancer (no image) is not', async () => {
    const s = await space({ gradioVersion: version, layout: 'two-endpoints' });
    const r = await inspect(s.url, s);
    expect(r.endpoints.map((e) => [e.apiName, e.fnIndex, e.mapping.length])).toEqual([
      ['infer', 0, 6],
      ['infer_hd', 1, 5],
    ]);
    expect(mappingOf(r, 1)).toEqual({
      prompt: 'prompt',
      negativePrompt: 'negative_prompt',
      width: 'width',
      height: 'height',
      steps: 'steps',
    });
  });

  it('img2img only: needs-file-input, naming the endpoint', async () => {
    const s = await space({ gradioVersion: version, layout: 'file-input' });
    const err = await failure(inspect(s.url, s));
    expect(err.code).toBe('needs-file-input');
    expect(err.message).toContain('/img2img');
  });

  it('Gradio 3 (websocket protocol): gradio-too-old', async () => {
    const s = await space({ gradioVersion: version, layout: 'ws' });
    const err = await failure(inspect(s.url, s));
    expect(err.code).toBe('gradio-too-old');
    expect(err.message).toContain('3.50.2');
  });

  it('by Space id and by its Hugging Face page: the Hub names the host (the fake’s own)', async () => {
    const s = await space({ gradioVersion: version, layout: 'sd' });
    for (const input of ['fake-org/stable-diffusion', `${s.url}/spaces/fake-org/stable-diffusion`]) {
      const r = await inspect(input, s);
      expect(r).toMatchObject({
        baseUrl: s.url,
        spaceId: 'fake-org/stable-diffusion',
        providerId: 'space:fake-org/stable-diffusion',
        label: 'stable-diffusion',
      });
    }
    expect(s.requestsTo('hub').map((q) => q.path)).toEqual([
      '/api/spaces/fake-org/stable-diffusion',
      '/api/spaces/fake-org/stable-diffusion',
    ]);
  });
});

describe('inspecting: what is not a usable Gradio app', () => {
  it('no /config (404) or an HTML page there: not-gradio', async () => {
    const s = await space({ serveConfig: false });
    expect(await failure(inspect(s.url, s))).toMatchObject({ code: 'not-gradio' });
    const t = await space();
    t.setFault({ route: 'config', kind: 'wrong-content-type' }, { times: 1 });
    const err = await failure(inspect(t.url, t));
    expect(err.code).toBe('not-gradio');
    expect(err.message).toContain(t.url);
  });

  it('JSON that is not Gradio’s: not-gradio', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok' }));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await failure(inspect(url, { url }))).toMatchObject({ code: 'not-gradio' });
  });

  it('a Space with no prompt → image endpoint: no-text-to-image', async () => {
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const config = gradioConfig(
        [component(1, 'textbox', { label: 'Question' }), component(2, 'textbox', { label: 'Answer' })],
        [dependency(0, 'chat', [1], [2])],
      );
      res.end(JSON.stringify(req.url?.startsWith('/config') ? config : apiInfo({})));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await failure(inspect(url, { url }))).toMatchObject({ code: 'no-text-to-image' });
  });

  it('nothing listening: network, naming the URL', async () => {
    const s = await space();
    const url = s.url;
    await s.close();
    spaces.splice(spaces.indexOf(s), 1);
    const err = await failure(inspect(url, { url }));
    expect(err.code).toBe('network');
    expect(err.message).toContain(url);
  });

  it('an HTTP error on /config: http, naming the URL and status', async () => {
    const s = await space();
    s.setFault({ route: 'config', kind: 'http', status: 500, body: 'json', message: 'boom' });
    const err = await failure(inspect(s.url, s));
    expect(err).toMatchObject({ code: 'http', status: 500 });
    expect(err.message).toContain(`${s.url}/config`);
  });

  it('a Space that does not answer: timeout', async () => {
    const s = await space();
    s.setFault({ route: 'config', kind: 'hang' });
    const err = await failure(inspect(s.url, s, { idleTimeoutMs: 300 }));
    expect(err.code).toBe('timeout');
    expect(err.message).toContain(s.url);
  });

  it('the Hub says paused: space-paused at once; asleep: space-asleep, and the visit wakes it', async () => {
    const s = await space({ layout: 'schnell' });
    s.setStage('PAUSED');
    const paused = await failure(inspect('black-forest-labs/FLUX.1-schnell', s));
    expect(paused.code).toBe('space-paused');
    expect(s.requestsTo('config')).toHaveLength(0);
    s.setStage('SLEEPING', { wakeAfterMs: 50 });
    const asleep = await failure(inspect('black-forest-labs/FLUX.1-schnell', s));
    expect(asleep.code).toBe('space-asleep');
    expect(asleep.message).toMatch(/waking up/);
    await new Promise((r) => setTimeout(r, 150));
    const r = await inspect('black-forest-labs/FLUX.1-schnell', s);
    expect(r.endpoints[0]!.apiName).toBe('infer');
  });

  it('a Space the Hub knows as another SDK: not-gradio without asking it', async () => {
    let asked = 0;
    const server = createServer((req, res) => {
      asked++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'me/dashboard',
          sdk: 'streamlit',
          host: 'https://me-dashboard.hf.space',
          runtime: { stage: 'RUNNING' },
        }),
      );
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const err = await failure(inspect('me/dashboard', { url }));
    expect(err).toMatchObject({ code: 'not-gradio', message: 'me/dashboard is a streamlit Space, not a Gradio one.' });
    expect(asked).toBe(1);
  });

  it('a private Space without the token (401 on /config): forbidden, with the advice', async () => {
    const s = await space();
    s.setFault({ route: 'config', kind: 'http', status: 401, body: 'json', message: 'Unauthorized' });
    const err = await failure(inspect(s.url, s));
    expect(err.code).toBe('forbidden');
    expect(err.message).toMatch(/needs your Hugging Face token\.$/);
  });

  it('an unknown Space id: not-found from the Hub', async () => {
    const s = await space();
    expect(await failure(inspect('nobody/nothing', s))).toMatchObject({ code: 'not-found' });
  });

  it('the token goes to the Hub (Authorization) and to the Space (X-HF-Authorization)', async () => {
    const s = await space({ layout: 'sd' });
    await inspect('fake-org/stable-diffusion', s, { idleTimeoutMs: 2000, hfToken: 'hf_secret' });
    expect(s.requestsTo('hub')[0]!.headers.authorization).toBe('Bearer hf_secret');
    expect(s.requestsTo('config')[0]!.headers['x-hf-authorization']).toBe('Bearer hf_secret');
    expect(s.requests.find((q) => q.path.endsWith('/info'))!.headers['x-hf-authorization']).toBe('Bearer hf_secret');
  });
});
