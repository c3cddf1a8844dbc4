/**
 * The non-FLUX layouts of the fake Space ('sd', 'gallery', 'two-endpoints', 'file-input', 'ws') on
 * every Gradio version it plays: /config and /info as that version serialises them, jobs on both
 * APIs, Gradio's refusals, and the official @gradio/client against two of them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fetch, FormData } from 'undici';
import { Client, handle_file } from '@gradio/client';
import sharp from 'sharp';
import {
  GRADIO_VERSIONS,
  RULES,
  startFakeSpace,
  type FakeSpace,
  type FakeSpaceOptions,
  type GradioVersion,
} from './index';

const open: FakeSpace[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const FAST = { stepMs: 1, heartbeatMs: 60_000, queueUpdates: 1, progressSteps: 2, previews: 1 };

async function space(version: GradioVersion, o: FakeSpaceOptions): Promise<FakeSpace> {
  const s = await startFakeSpace({ gradioVersion: version, ...o, timing: { ...FAST, ...o.timing } });
  open.push(s);
  return s;
}

interface Sse {
  event: string | null;
  data: string;
}

async function readSse(url: string): Promise<Sse[]> {
  const res = await fetch(url);
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((b) => b.trim())
    .map((block) => {
      let event: string | null = null;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      return { event, data: data.join('\n') };
    });
}

async function post(url: string, body: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

type Json = Record<string, unknown>;
type Component = { id: number; type: string; props: Json; api_info?: Json; example_inputs?: unknown };
type Dependency = Json & { id: number; api_name: string; inputs: number[]; outputs: number[] };

async function config(s: FakeSpace): Promise<Json & { components: Component[]; dependencies: Dependency[] }> {
  return (await (await fetch(`${s.url}/config`)).json()) as Json & {
    components: Component[];
    dependencies: Dependency[];
  };
}

const P = (v: GradioVersion) => RULES[v].apiPrefix;

/** A queue job by fn_index; returns the job's messages (until close_stream). */
async function queueJob(s: FakeSpace, v: GradioVersion, fnIndex: number, data: unknown[], session = 'sess') {
  const r = await post(`${s.url}${P(v)}/queue/join`, {
    data,
    fn_index: fnIndex,
    trigger_id: null,
    session_hash: session,
  });
  expect(r.status).toBe(200);
  const events = await readSse(`${s.url}${P(v)}/queue/data?session_hash=${session}`);
  return events.map((e) => JSON.parse(e.data) as Json & { msg: string });
}

const completed = (m: (Json & { msg: string })[]) => m.find((x) => x.msg === 'process_completed')!;

async function callJob(s: FakeSpace, v: GradioVersion, api: string, data: unknown[]) {
  const r = await post(`${s.url}${P(v)}/call/${api}`, { data });
  expect(r.status).toBe(200);
  const id = (r.json as { event_id: string }).event_id;
  return readSse(`${s.url}${P(v)}/call/${api}/${id}`);
}

const SD = (o: { width?: number; scheduler?: unknown } = {}) => [
  'a castle',
  'blurry',
  7,
  2,
  o.width ?? 256,
  256,
  42,
  o.scheduler ?? 'DDIM',
  false,
];
const GALLERY = (n: number) => ['a cat', n, 5, false];

const isFileData = (x: unknown) =>
  typeof x === 'object' && x !== null && typeof (x as Json).path === 'string' && typeof (x as Json).url === 'string';

describe.each(GRADIO_VERSIONS.map((v) => [v] as const))('Gradio %s', (v) => {
  const rules = RULES[v];
  const v4 = v === '4.44';
  const v6 = v.startsWith('6.');
  const visibility = v6 ? { api_visibility: 'public' } : { show_api: true };

  describe("layout 'sd'", () => {
    it('/config: generate with the nine inputs and real props', async () => {
      const s = await space(v, { layout: 'sd' });
      const c = await config(s);
      expect(c.version).toBe(rules.release);
      expect(c.api_prefix).toBe(v4 ? undefined : '/gradio_api');
      expect(c.protocol).toBe('sse_v3');
      expect(v6 ? 'footer_links' in c : c.show_api).toBe(true);
      expect(c.dependencies).toHaveLength(1);
      const dep = c.dependencies[0]!;
      expect(dep).toMatchObject({ id: 0, api_name: 'generate', queue: true, backend_fn: true, ...visibility });
      expect(v6 ? 'show_api' in dep : 'api_visibility' in dep).toBe(false);
      expect(dep.targets).toEqual([
        [10, 'click'],
        [1, 'submit'],
      ]);
      const byId = new Map(c.components.map((x) => [x.id, x]));
      const inputs = dep.inputs.map((id) => byId.get(id)!);
      expect(inputs.map((x) => x.type)).toEqual([
        'textbox',
        'textbox',
        'slider',
        'slider',
        'slider',
        'slider',
        'number',
        'dropdown',
        'checkbox',
      ]);
      expect(inputs.map((x) => x.props.label)).toEqual([
        'Prompt',
        'Negative prompt',
        'Guidance scale',
        'Steps',
        'Width',
        'Height',
        'Seed',
        'Scheduler',
        'Upscale',
      ]);
      expect(inputs[2]!.props).toMatchObject({ minimum: 0, maximum: 20, step: 0.1, value: 7, name: 'slider' });
      expect(inputs[3]!.props).toMatchObject({ minimum: 1, maximum: 100, step: 1, value: 30 });
      expect(inputs[4]!.props).toMatchObject({ minimum: 256, maximum: 1536, step: 64, value: 1024 });
      expect(inputs[6]!.props).toMatchObject({ value: -1, precision: 0, step: 1 });
      expect(inputs[7]!.props.choices).toEqual([
        ['Euler a', 'Euler a'],
        ['DPM++ 2M', 'DPM++ 2M'],
        ['DDIM', 'DDIM'],
      ]);
      expect(inputs[7]!.props.value).toBe('Euler a');
      expect(inputs[8]!.props.value).toBe(false);
      // Block.get_config per version: 5+ preserved_by_key, 6.x buttons, None deleted.
      expect(inputs[0]!.props.preserved_by_key).toEqual(v4 ? undefined : ['value']);
      expect(inputs[0]!.props.max_lines).toBe(v4 ? 20 : undefined);
      expect(inputs[0]!.props.buttons).toEqual(v6 ? [] : undefined);
      expect(inputs[0]!.props.show_copy_button).toBe(v6 ? undefined : false);
      expect(inputs[2]!.api_info).toEqual({ type: 'number', description: 'numeric value between 0 and 20' });
      expect(inputs[6]!.api_info).toEqual({ type: v4 ? 'number' : 'integer' });
      expect(inputs[7]!.api_info).toEqual({ type: 'string', enum: ['Euler a', 'DPM++ 2M', 'DDIM'] });
      expect('api_info_as_input' in inputs[0]!).toBe(!v4);
      const out = byId.get(dep.outputs[0]!)!;
      expect(out.type).toBe('image');
      expect(out.props.streamable).toBe(false);
      expect(Object.keys(out.props)[0]).toBe('streamable');
      expect(out.props.buttons).toEqual(v6 ? ['download', 'share', 'fullscreen'] : undefined);
      expect((out.api_info as Json).title).toBe(v4 ? 'FileData' : 'ImageData');
      expect(byId.get(10)!).toMatchObject({ type: 'button', skip_api: true, props: { value: 'Generate' } });
      expect('api_info' in byId.get(10)!).toBe(false);
    });

    it('/info: /generate with parameter names, defaults and python types', async () => {
      const s = await space(v, { layout: 'sd' });
      const info = (await (await fetch(`${s.url}${P(v)}/info`)).json()) as {
        named_endpoints: Record<string, Json & { parameters: Json[]; returns: Json[] }>;
        unnamed_endpoints: Json;
      };
      expect(Object.keys(info.named_endpoints)).toEqual(['/generate']);
      expect(info.unnamed_endpoints).toEqual({});
      const ep = info.named_endpoints['/generate']!;
      expect(ep).toMatchObject(visibility);
      expect('description' in ep).toBe(!v4);
      expect(ep.parameters.map((p) => p.parameter_name)).toEqual([
        'prompt',
        'negative_prompt',
        'guidance_scale',
        'num_inference_steps',
        'width',
        'height',
        'seed',
        'scheduler',
        'upscale',
      ]);
      expect(ep.parameters[0]).toMatchObject({
        label: 'Prompt',
        parameter_has_default: false,
        parameter_default: null,
        python_type: { type: 'str', description: '' },
        component: 'Textbox',
        example_input: 'Hello!!',
      });
      expect(ep.parameters[2]).toMatchObject({
        parameter_has_default: true,
        parameter_default: 7,
        // 4.44: info.get("description"); 5+: additional_description (none for a Slider).
        python_type: { type: 'float', description: v4 ? 'numeric value between 0 and 20' : '' },
        component: 'Slider',
        example_input: 0,
      });
      expect(ep.parameters[6]).toMatchObject({ parameter_default: -1, python_type: { type: v4 ? 'float' : 'int' } });
      expect(ep.parameters[7]).toMatchObject({
        parameter_default: 'Euler a',
        python_type: { type: "Literal['Euler a', 'DPM++ 2M', 'DDIM']" },
        component: 'Dropdown',
      });
      expect(ep.parameters[8]).toMatchObject({ parameter_default: false, python_type: { type: 'bool' } });
      expect(ep.returns).toHaveLength(1);
      expect(ep.returns[0]).toMatchObject({ label: 'Result', component: 'Image' });
      // json_schema_to_python_type: FileData → filepath (4.x); ImageData is only recognised in 6.x.
      const py = (ep.returns[0]!.python_type as Json).type as string;
      if (v === '5.49') expect(py).toMatch(/^dict\(path: str \| None \(Path to a local file\)/);
      else expect(py).toBe('filepath');
    });

    it('runs on the queue API and the call API: one image of the asked size', async () => {
      const s = await space(v, { layout: 'sd', image: { format: 'png' } });
      const m = await queueJob(s, v, 0, SD());
      const done = completed(m);
      expect(done.success).toBe(true);
      const data = (done.output as Json).data as unknown[];
      expect(data).toHaveLength(1);
      expect(isFileData(data[0])).toBe(true);
      const bytes = Buffer.from(await (await fetch((data[0] as Json).url as string)).arrayBuffer());
      expect(await sharp(bytes).metadata()).toMatchObject({ width: 256, height: 256, format: 'png' });
      expect(m.some((x) => x.msg === 'log')).toBe(true);
      expect(s.jobs[0]!.seed).toBe(42);

      const call = await callJob(s, v, 'generate', SD());
      const complete = call.find((e) => e.event === 'complete')!;
      const out = JSON.parse(complete.data) as unknown[];
      expect(out).toHaveLength(1);
      expect(isFileData(out[0])).toBe(true);
    });

    it('seed -1 is random; an unknown api name is a 500; an unknown fn_index a 500', async () => {
      const s = await space(v, { layout: 'sd' });
      const args = SD();
      args[6] = -1;
      expect(completed(await queueJob(s, v, 0, args)).success).toBe(true);
      expect(s.jobs[0]!.seed).toBeGreaterThanOrEqual(0);
      expect((await post(`${s.url}${P(v)}/call/infer`, { data: SD() })).status).toBe(500);
      const bad = await post(`${s.url}${P(v)}/queue/join`, { data: SD(), fn_index: 2, session_hash: 'x' });
      expect(bad.status).toBe(500);
    });

    it(`slider bounds ${rules.sliderBounds ? 'fail the job (gr.Error)' : 'are not checked'}`, async () => {
      const s = await space(v, { layout: 'sd' });
      const done = completed(await queueJob(s, v, 0, SD({ width: 128 })));
      if (!rules.sliderBounds) return expect(done.success).toBe(true);
      expect(done.success).toBe(false);
      expect(done.output).toEqual({
        error: 'Value 128 is less than minimum value 256.',
        duration: 10,
        visible: true,
        title: 'Error',
      });
    });

    it(`a scheduler outside the choices ${v4 ? 'passes (4.x Dropdown does not check)' : 'is a gr.Error'}`, async () => {
      const s = await space(v, { layout: 'sd' });
      const done = completed(await queueJob(s, v, 0, SD({ scheduler: 'PLMS' })));
      if (v4) return expect(done.success).toBe(true);
      expect(done.success).toBe(false);
      expect((done.output as Json).error).toBe(
        "Value: PLMS is not in the list of choices: ['Euler a', 'DPM++ 2M', 'DDIM']",
      );
    });

    it('too few inputs fail inside the job with error null', async () => {
      const s = await space(v, { layout: 'sd' });
      const done = completed(await queueJob(s, v, 0, SD().slice(0, 7)));
      expect(done).toMatchObject({ success: false, output: { error: null } });
    });
  });

  describe("layout 'gallery'", () => {
    it('/config and /info: run with prompt, num_images, seed, randomize_seed → Gallery, Number', async () => {
      const s = await space(v, { layout: 'gallery' });
      const c = await config(s);
      const dep = c.dependencies[0]!;
      expect(dep).toMatchObject({ id: 0, api_name: 'run', ...visibility });
      const byId = new Map(c.components.map((x) => [x.id, x]));
      expect(dep.inputs.map((id) => byId.get(id)!.props.label)).toEqual([
        'Prompt',
        'Number of images',
        'Seed',
        'Randomize seed',
      ]);
      expect(byId.get(dep.inputs[1]!)!.props).toMatchObject({ minimum: 1, maximum: 4, step: 1, value: 2 });
      expect(dep.outputs.map((id) => byId.get(id)!.type)).toEqual(['gallery', 'number']);
      const gallery = byId.get(dep.outputs[0]!)!;
      expect(gallery.props.value).toEqual([]);
      expect((gallery.api_info as Json).title).toBe('GalleryData');
      const info = (await (await fetch(`${s.url}${P(v)}/info`)).json()) as {
        named_endpoints: Record<string, { parameters: Json[]; returns: Json[] }>;
      };
      const ep = info.named_endpoints['/run']!;
      expect(ep.parameters.map((p) => p.parameter_name)).toEqual(['prompt', 'num_images', 'seed', 'randomize_seed']);
      expect(ep.returns.map((r) => r.component)).toEqual(['Gallery', 'Number']);
      const py = (ep.returns[0]!.python_type as Json).type as string;
      if (v4) expect(py).toBe('List[Dict(image: filepath, caption: str | None)]');
      else if (v6)
        expect(py).toBe(
          'list[dict(image: filepath, caption: str | None) | dict(video: filepath, caption: str | None)]',
        );
      else expect(py).toMatch(/^list\[dict\(image: dict\(path: str \| None/);
    });

    it('returns num_images images as the version serialises a Gallery (queue and call APIs)', async () => {
      const s = await space(v, { layout: 'gallery' });
      const done = completed(await queueJob(s, v, 0, GALLERY(3)));
      expect(done.success).toBe(true);
      const [items, seed] = (done.output as Json).data as [Json[], number];
      expect(seed).toBe(5);
      expect(items).toHaveLength(3);
      for (const item of items) {
        expect(Object.keys(item)).toEqual(['image', 'caption']);
        expect(item.caption).toBeNull();
        expect(isFileData(item.image)).toBe(true);
        expect((await fetch((item.image as Json).url as string)).status).toBe(200);
      }
      const call = await callJob(s, v, 'run', GALLERY(4));
      const [callItems] = JSON.parse(call.find((e) => e.event === 'complete')!.data) as [Json[], number];
      expect(callItems).toHaveLength(4);
    });

    it(`num_images 5 ${rules.sliderBounds ? 'is refused by the slider' : 'passes (no bounds in 4.x)'}`, async () => {
      const s = await space(v, { layout: 'gallery' });
      const done = completed(await queueJob(s, v, 0, GALLERY(5)));
      if (!rules.sliderBounds) return expect(((done.output as Json).data as unknown[][])[0]).toHaveLength(5);
      expect((done.output as Json).error).toBe('Value 5 is greater than maximum value 4.');
    });
  });

  describe("layout 'two-endpoints'", () => {
    it('/config: infer, infer_hd, enhance_prompt in dependency order', async () => {
      const s = await space(v, { layout: 'two-endpoints' });
      const c = await config(s);
      expect(c.dependencies.map((d) => [d.id, d.api_name])).toEqual([
        [0, 'infer'],
        [1, 'infer_hd'],
        [2, 'enhance_prompt'],
      ]);
      const byId = new Map(c.components.map((x) => [x.id, x]));
      const [infer, hd, enhance] = c.dependencies as [Dependency, Dependency, Dependency];
      expect(infer.inputs.map((id) => byId.get(id)!.props.label)).toEqual([
        'Prompt',
        'Seed',
        'Randomize seed',
        'Width',
        'Height',
        'Number of inference steps',
      ]);
      expect(hd.inputs.map((id) => byId.get(id)!.type)).toEqual(['textbox', 'textbox', 'slider', 'slider', 'slider']);
      expect(enhance.inputs).toEqual(enhance.outputs);
      expect(byId.get(enhance.outputs[0]!)!.type).toBe('textbox');
      expect((enhance.types as Json).generator).toBe(false);
      const info = (await (await fetch(`${s.url}${P(v)}/info`)).json()) as {
        named_endpoints: Record<string, { parameters: Json[] }>;
      };
      expect(Object.keys(info.named_endpoints)).toEqual(['/infer', '/infer_hd', '/enhance_prompt']);
      expect(info.named_endpoints['/infer_hd']!.parameters.map((p) => p.parameter_name)).toEqual([
        'prompt',
        'negative_prompt',
        'width',
        'height',
        'steps',
      ]);
    });

    it('each endpoint runs by api name and by fn_index', async () => {
      const s = await space(v, { layout: 'two-endpoints' });
      const a = completed(await queueJob(s, v, 0, ['a fox', 3, false, 256, 256, 2], 'a'));
      expect((a.output as Json).data).toEqual([expect.objectContaining({ path: expect.any(String) }), 3]);
      const b = completed(await queueJob(s, v, 1, ['a fox', 'ugly', 512, 512, 2], 'b'));
      expect((b.output as Json).data).toHaveLength(1);
      const e = await callJob(s, v, 'enhance_prompt', ['a fox']);
      expect(JSON.parse(e.find((x) => x.event === 'complete')!.data)).toEqual([
        'a fox, highly detailed, cinematic lighting',
      ]);
      const hd = await callJob(s, v, 'infer_hd', ['a fox', '', 512, 512, 2]);
      expect(JSON.parse(hd.find((x) => x.event === 'complete')!.data)).toHaveLength(1);
    });
  });

  describe("layout 'file-input'", () => {
    async function upload(s: FakeSpace): Promise<string> {
      const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#336699' } })
        .png()
        .toBuffer();
      const form = new FormData();
      form.append('files', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'input.png');
      const res = await fetch(`${s.url}${P(v)}/upload`, { method: 'POST', body: form });
      expect(res.status).toBe(200);
      const paths = (await res.json()) as string[];
      expect(paths).toHaveLength(1);
      expect(paths[0]).toMatch(/^\/tmp\/gradio\/[0-9a-f]+\/input\.png$/);
      return paths[0]!;
    }
    const fileData = (path: string) => ({ path, meta: { _type: 'gradio.FileData' }, orig_name: 'input.png' });

    it('/config: img2img with Image, Textbox, Slider → Image', async () => {
      const s = await space(v, { layout: 'file-input' });
      const c = await config(s);
      const byId = new Map(c.components.map((x) => [x.id, x]));
      expect(c.dependencies.map((d) => d.api_name)).toEqual(['img2img']);
      expect(c.dependencies[0]!.inputs.map((id) => byId.get(id)!.type)).toEqual(['image', 'textbox', 'slider']);
      expect(byId.get(1)!.props).toMatchObject({
        label: 'Input image',
        type: 'pil',
        sources: ['upload', 'webcam', 'clipboard'],
      });
    });

    it('an uploaded file (FileData) runs on both APIs; the result has the input size', async () => {
      const s = await space(v, { layout: 'file-input', image: { format: 'png' } });
      const path = await upload(s);
      const done = completed(await queueJob(s, v, 0, [fileData(path), 'make it red', 0.5]));
      expect(done.success).toBe(true);
      const [img] = (done.output as Json).data as [Json];
      const bytes = Buffer.from(await (await fetch(img.url as string)).arrayBuffer());
      expect(await sharp(bytes).metadata()).toMatchObject({ width: 40, height: 30 });
      const call = await callJob(s, v, 'img2img', [fileData(path), 'again', 0.5]);
      expect(call.some((e) => e.event === 'complete')).toBe(true);
    });

    it('a bare string, a path outside the upload folder or an unknown file fail with error null', async () => {
      const s = await space(v, { layout: 'file-input' });
      for (const [i, arg] of [
        '/tmp/gradio/x.png',
        fileData('/etc/passwd'),
        fileData('/tmp/gradio/nope/input.png'),
        null,
      ].entries()) {
        const done = completed(await queueJob(s, v, 0, [arg, 'p', 0.5], `s${i}`));
        expect(done).toMatchObject({ success: false, output: { error: null } });
      }
    });

    it(`strength 2 ${rules.sliderBounds ? 'is refused' : 'passes'}`, async () => {
      const s = await space(v, { layout: 'file-input' });
      const path = await upload(s);
      const done = completed(await queueJob(s, v, 0, [fileData(path), 'p', 2]));
      expect(done.success).toBe(!rules.sliderBounds);
      if (rules.sliderBounds) expect((done.output as Json).error).toBe('Value 2 is greater than maximum value 1.');
    });
  });

  describe("layout 'ws' (Gradio 3.50.2 whatever the version)", () => {
    it('/config has no protocol (the client reads ws) and no api_prefix; /info is at /info', async () => {
      const s = await space(v, { layout: 'ws' });
      const c = await config(s);
      expect(c.version).toBe('3.50.2');
      expect('protocol' in c).toBe(false);
      expect('api_prefix' in c).toBe(false);
      expect(c.dependencies[0]).toMatchObject({ api_name: 'infer', inputs: [1, 2, 3, 4, 5, 6], outputs: [8, 2] });
      expect('id' in c.dependencies[0]!).toBe(false);
      expect(c.components[0]).toMatchObject({ type: 'textbox', serializer: 'StringSerializable' });
      const info = (await (await fetch(`${s.url}/info`)).json()) as {
        named_endpoints: Record<string, { parameters: Json[] }>;
      };
      expect(info.named_endpoints['/infer']!.parameters[0]).toMatchObject({
        label: 'Prompt',
        serializer: 'StringSerializable',
      });
      expect('parameter_name' in info.named_endpoints['/infer']!.parameters[0]!).toBe(false);
      expect((await fetch(`${s.url}/gradio_api/info`)).status).toBe(404);
    });

    it('HTTP to the WebSocket route /queue/join is a 404 {"detail": "Not Found"}, as are the SSE routes', async () => {
      const s = await space(v, { layout: 'ws' });
      const get = await fetch(`${s.url}/queue/join`);
      expect(get.status).toBe(404);
      expect(await get.json()).toEqual({ detail: 'Not Found' });
      const join = await post(`${s.url}/queue/join`, { data: ['x'], fn_index: 0, session_hash: 's' });
      expect(join).toMatchObject({ status: 404, json: { detail: 'Not Found' } });
      expect((await post(`${s.url}/gradio_api/queue/join`, { data: [], fn_index: 0, session_hash: 's' })).status).toBe(
        404,
      );
      expect((await post(`${s.url}/call/infer`, { data: [] })).status).toBe(404);
      expect((await fetch(`${s.url}/queue/data?session_hash=s`)).status).toBe(404);
      expect(s.jobs).toHaveLength(0);
    });
  });
});

describe('@gradio/client against the new layouts (Gradio 5.49)', () => {
  it("predicts /generate on an 'sd' Space by name with keyword arguments", async () => {
    const s = await space('5.49', { layout: 'sd' });
    const client = await Client.connect(s.url);
    const result = await client.predict('/generate', {
      prompt: 'a castle',
      negative_prompt: 'blurry',
      width: 512,
      height: 256,
      num_inference_steps: 2,
      seed: 9,
    });
    const [file] = result.data as [{ url: string }];
    expect(file.url).toContain('/gradio_api/file=');
    expect((await fetch(file.url)).status).toBe(200);
    // Defaults filled from /info: guidance 7, scheduler "Euler a", upscale false.
    expect(s.requestsTo('join')[0]!.body).toMatchObject({
      fn_index: 0,
      data: ['a castle', 'blurry', 7, 2, 512, 256, 9, 'Euler a', false],
    });
  });

  it("predicts /run on a 'gallery' Space and gets num_images images", async () => {
    const s = await space('5.49', { layout: 'gallery' });
    const client = await Client.connect(s.url);
    const result = await client.predict('/run', { prompt: 'a cat', num_images: 3, seed: 1, randomize_seed: false });
    const [items, seed] = result.data as [{ image: { url: string }; caption: null }[], number];
    expect(seed).toBe(1);
    expect(items).toHaveLength(3);
    for (const item of items) expect((await fetch(item.image.url)).status).toBe(200);
  });

  it("uploads a file with handle_file and runs /img2img on a 'file-input' Space", async () => {
    const s = await space('5.49', { layout: 'file-input' });
    const png = await sharp({ create: { width: 20, height: 24, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const client = await Client.connect(s.url);
    const result = await client.predict('/img2img', {
      image: handle_file(new Blob([new Uint8Array(png)], { type: 'image/png' })),
      prompt: 'x',
      strength: 0.3,
    });
    const [file] = result.data as [{ url: string }];
    const bytes = Buffer.from(await (await fetch(file.url)).arrayBuffer());
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 20, height: 24 });
  });

  it("refuses a 'ws' Space as the client does for Gradio 3", async () => {
    const s = await space('5.49', { layout: 'ws' });
    await expect(Client.connect(s.url).then((c) => c.predict('/infer', ['x']))).rejects.toBeTruthy();
  });
});
