/**
 * Image fixtures in each tool's documented layout (from the open-source readers enslo/sd-metadata
 * and d3x-at/sd-parsers), built here: tiny real images with the tool's text chunks or EXIF/XMP.
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { jpegWithExif, userCommentTiff, webpWithExif } from '../../main/export/exif';
import { PNG_SIGNATURE, setTextChunks } from '../../main/library/png-text-chunks';

export async function plainPng(width = 64, height = 48, colour = { r: 200, g: 30, b: 90 }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
}

export async function pngWith(
  chunks: [string, string][],
  size: [number, number] = [64, 48],
  colour?: { r: number; g: number; b: number },
): Promise<Buffer> {
  return setTextChunks(await plainPng(size[0], size[1], colour), chunks);
}

/** A chunk added raw (e.g. zTXt) right before IEND. */
export function withRawChunk(png: Buffer, name: string, data: Buffer): Buffer {
  const iend = png.length - 12;
  const c = Buffer.alloc(12 + data.length);
  c.writeUInt32BE(data.length, 0);
  c.write(name, 4, 'latin1');
  data.copy(c, 8);
  // CRC is not checked by our reader; fill with zeros.
  return Buffer.concat([png.subarray(0, iend), c, png.subarray(iend)]);
}

export function zTxtBomb(keyword: string, inflatedBytes: number): Buffer {
  return Buffer.concat([
    Buffer.from(`${keyword}\0\0`, 'latin1'),
    deflateSync(Buffer.alloc(inflatedBytes, 0x41), { level: 9 }),
  ]);
}

export async function jpegWithUserComment(text: string, colour = { r: 10, g: 120, b: 40 }): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 40, height: 30, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();
  return jpegWithExif(jpeg, userCommentTiff(text));
}

export async function webpWithUserComment(text: string): Promise<Buffer> {
  const webp = await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 1, g: 2, b: 250 } } })
    .webp()
    .toBuffer();
  return webpWithExif(webp, userCommentTiff(text), { width: 40, height: 30, alpha: false });
}

export const A1111_TEXT =
  'a castle on a hill, "golden hour", (masterpiece:1.2)\n' +
  'Negative prompt: blurry, lowres,\nugly hands\n' +
  'Steps: 28, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 7, Seed: 1234567, Size: 832x1216, ' +
  'Model hash: abc123, Model: juggernautXL_v9, Lora hashes: "detail: 1a2b, style: 3c4d", Version: v1.10.1';

export const FORGE_FLUX_TEXT =
  'a fox in snow\nSteps: 20, Sampler: Euler, Schedule type: Simple, CFG scale: 1, Distilled CFG Scale: 3.5, ' +
  'Seed: 42, Size: 1024x1024, Model: flux1-dev-bnb-nf4-v2, Version: f2.0.1v1.10.1-previous-313';

export const FOOOCUS_JSON = JSON.stringify({
  prompt: 'a lighthouse at night',
  negative_prompt: 'people',
  styles: "['Fooocus V2']",
  performance: 'Speed',
  resolution: '(1152, 896)',
  guidance_scale: 4,
  sharpness: 2,
  adm_guidance: '(1.5, 0.8, 0.3)',
  base_model: 'juggernautXL_v8Rundiffusion.safetensors',
  refiner_model: 'None',
  sampler: 'dpmpp_2m_sde_gpu',
  scheduler: 'karras',
  seed: '9876543210',
  steps: 30,
  version: 'Fooocus v2.5.5',
});

export const INVOKE_JSON = JSON.stringify({
  generation_mode: 'txt2img',
  positive_prompt: 'a red bicycle',
  negative_prompt: 'rust',
  width: 768,
  height: 512,
  seed: 314159,
  steps: 25,
  cfg_scale: 6.5,
  scheduler: 'euler_a',
  model: { key: 'x', hash: 'blake3:1', name: 'dreamshaper-8', base: 'sd-1', type: 'main' },
  app_version: '4.2.0',
});

export const OLD_INVOKE_JSON = JSON.stringify({
  model: 'stable diffusion',
  model_weights: 'stable-diffusion-1.5',
  app_id: 'invoke-ai/InvokeAI',
  app_version: '2.2.4',
  image: {
    prompt: [{ prompt: 'a quiet harbour [fog, boats]', weight: 1 }],
    steps: 50,
    cfg_scale: 7.5,
    seed: 271828,
    width: 512,
    height: 512,
    sampler: 'k_lms',
    type: 'txt2img',
  },
});

export const DREAM_TEXT = '"an old map [torn]" -s 40 -S 1618 -W 512 -H 768 -C 8 -A k_euler';

/** ComfyUI's API graph of a FLUX workflow (SamplerCustomAdvanced) and of a classic KSampler one. */
export const COMFY_FLUX_PROMPT = JSON.stringify({
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a neon city in rain', clip: ['11', 0] } },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['13', 0], vae: ['10', 0] } },
  '9': { class_type: 'SaveImage', inputs: { images: ['8', 0], filename_prefix: 'ComfyUI' } },
  '10': { class_type: 'VAELoader', inputs: { vae_name: 'ae.safetensors' } },
  '11': {
    class_type: 'DualCLIPLoader',
    inputs: { clip_name1: 't5xxl_fp16.safetensors', clip_name2: 'clip_l.safetensors', type: 'flux' },
  },
  '12': { class_type: 'UNETLoader', inputs: { unet_name: 'flux1-dev.safetensors', weight_dtype: 'default' } },
  '13': {
    class_type: 'SamplerCustomAdvanced',
    inputs: { noise: ['25', 0], guider: ['22', 0], sampler: ['16', 0], sigmas: ['17', 0], latent_image: ['27', 0] },
  },
  '16': { class_type: 'KSamplerSelect', inputs: { sampler_name: 'euler' } },
  '17': { class_type: 'BasicScheduler', inputs: { scheduler: 'simple', steps: 24, denoise: 1, model: ['30', 0] } },
  '22': { class_type: 'BasicGuider', inputs: { model: ['30', 0], conditioning: ['26', 0] } },
  '25': { class_type: 'RandomNoise', inputs: { noise_seed: 55555 } },
  '26': { class_type: 'FluxGuidance', inputs: { guidance: 3.5, conditioning: ['6', 0] } },
  '27': { class_type: 'EmptySD3LatentImage', inputs: { width: 1024, height: 768, batch_size: 1 } },
  '30': {
    class_type: 'ModelSamplingFlux',
    inputs: { model: ['12', 0], max_shift: 1.15, base_shift: 0.5, width: 1024, height: 768 },
  },
});

export const COMFY_KSAMPLER_PROMPT = JSON.stringify({
  '3': {
    class_type: 'KSampler',
    inputs: {
      seed: 8566257,
      steps: 20,
      cfg: 8,
      sampler_name: 'euler',
      scheduler: 'normal',
      denoise: 1,
      model: ['4', 0],
      positive: ['6', 0],
      negative: ['7', 0],
      latent_image: ['5', 0],
    },
  },
  '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
  '5': { class_type: 'EmptyLatentImage', inputs: { width: 512, height: 512, batch_size: 1 } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'beautiful scenery nature glass bottle', clip: ['4', 1] } },
  '7': { class_type: 'CLIPTextEncode', inputs: { text: 'text, watermark', clip: ['4', 1] } },
  '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
  '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'ComfyUI', images: ['8', 0] } },
});

export const COMFY_WORKFLOW = JSON.stringify({
  last_node_id: 9,
  nodes: [{ id: 3, type: 'KSampler' }],
  links: [],
  version: 0.4,
});

export const SWARM_JSON = JSON.stringify({
  sui_image_params: {
    prompt: 'a glass teapot',
    negativeprompt: 'cracks',
    model: 'flux1-schnell',
    seed: 777,
    steps: 4,
    cfgscale: 1,
    fluxguidancescale: 3.5,
    width: 1024,
    height: 576,
    sampler: 'euler',
    swarm_version: '0.9.5',
  },
  sui_models: [],
});

export const NOVELAI_COMMENT = JSON.stringify({
  prompt: '1girl, cherry blossoms',
  steps: 28,
  height: 1216,
  width: 832,
  scale: 5,
  uncond_scale: 1,
  cfg_rescale: 0,
  seed: 3141,
  n_samples: 1,
  noise_schedule: 'native',
  sampler: 'k_euler_ancestral',
  uc: 'lowres, bad anatomy',
});

export const DRAW_THINGS_JSON = JSON.stringify({
  c: 'a paper boat on a pond',
  uc: 'text',
  model: 'flux_1_dev_q8p.ckpt',
  sampler: 'Euler A Trailing',
  scale: 1,
  guidance_embed: 3.5,
  seed: 2025,
  steps: 20,
  strength: 1,
  size: '768x1024',
});

export function drawThingsXmp(json: string): string {
  const esc = json.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 6.0.0"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">' +
    `<exif:UserComment><rdf:Alt><rdf:li xml:lang="x-default">${esc}</rdf:li></rdf:Alt></exif:UserComment>` +
    '<xmp:CreatorTool>Draw Things</xmp:CreatorTool>' +
    '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">a paper boat on a pond</rdf:li></rdf:Alt></dc:description>' +
    '</rdf:Description></rdf:RDF></x:xmpmeta>'
  );
}

export { PNG_SIGNATURE };
