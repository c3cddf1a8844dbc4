import { describe, expect, it } from 'vitest';
import { readImageParams } from '../../main/import/metadata';
import {
  A1111_TEXT,
  COMFY_FLUX_PROMPT,
  COMFY_KSAMPLER_PROMPT,
  COMFY_WORKFLOW,
  DRAW_THINGS_JSON,
  DREAM_TEXT,
  FOOOCUS_JSON,
  FORGE_FLUX_TEXT,
  INVOKE_JSON,
  NOVELAI_COMMENT,
  OLD_INVOKE_JSON,
  SWARM_JSON,
  drawThingsXmp,
  jpegWithUserComment,
  pngWith,
  webpWithUserComment,
} from './fixtures';

describe('metadata readers (one fixture per tool, in its documented layout)', () => {
  it('A1111: multi-line negative prompt, quoted values, Size WxH, sampler + schedule, model name', async () => {
    const r = await readImageParams(await pngWith([['parameters', A1111_TEXT]]));
    expect(r).toMatchObject({
      source: 'a1111',
      prompt: 'a castle on a hill, "golden hour", (masterpiece:1.2)',
      params: {
        negativePrompt: 'blurry, lowres,\nugly hands',
        steps: 28,
        seed: 1234567,
        width: 832,
        height: 1216,
        cfgScale: 7,
        guidance: 7,
        sampler: 'DPM++ 2M Karras',
        modelName: 'juggernautXL_v9',
      },
    });
  });

  it('A1111 text in iTXt (non-Latin-1 prompt)', async () => {
    const r = await readImageParams(await pngWith([['parameters', 'кот в шляпе\nSteps: 10, Seed: 5, Size: 512x512']]));
    expect(r).toMatchObject({ source: 'a1111', prompt: 'кот в шляпе', params: { steps: 10, seed: 5, width: 512 } });
  });

  it('Forge FLUX: Distilled CFG Scale is the guidance, CFG scale kept apart', async () => {
    const r = await readImageParams(await pngWith([['parameters', FORGE_FLUX_TEXT]]));
    expect(r?.params).toMatchObject({
      guidance: 3.5,
      cfgScale: 1,
      seed: 42,
      steps: 20,
      modelName: 'flux1-dev-bnb-nf4-v2',
      sampler: 'Euler Simple',
    });
  });

  it('A1111 text in JPEG and WebP EXIF UserComment (UNICODE, UTF-16BE) through exifr', async () => {
    for (const bytes of [await jpegWithUserComment(A1111_TEXT), await webpWithUserComment(A1111_TEXT)]) {
      const r = await readImageParams(bytes);
      expect(r).toMatchObject({
        source: 'a1111',
        params: { seed: 1234567, negativePrompt: 'blurry, lowres,\nugly hands' },
      });
    }
  });

  it('Fooocus: fooocus_scheme + JSON parameters is read as fields, not as the prompt', async () => {
    const r = await readImageParams(
      await pngWith([
        ['parameters', FOOOCUS_JSON],
        ['fooocus_scheme', 'fooocus'],
      ]),
    );
    expect(r).toMatchObject({
      source: 'fooocus',
      prompt: 'a lighthouse at night',
      params: {
        negativePrompt: 'people',
        seed: 9876543210,
        steps: 30,
        cfgScale: 4,
        width: 1152,
        height: 896,
        sampler: 'dpmpp_2m_sde_gpu',
        modelName: 'juggernautXL_v8Rundiffusion.safetensors',
      },
    });
  });

  it('Fooocus with the a1111 scheme: A1111 text with its extra keys', async () => {
    const text =
      'a dune\nNegative prompt: sea\nSteps: 30, Sampler: dpmpp_2m_sde_gpu, Seed: 11, Size: 896x1152, Guidance Scale: 4, Sharpness: 2, Model: juggernautXL, Fooocus V2 Expansion: x, Version: Fooocus v2.5.5';
    const r = await readImageParams(
      await pngWith([
        ['parameters', text],
        ['fooocus_scheme', 'a1111'],
      ]),
    );
    expect(r).toMatchObject({
      source: 'fooocus',
      prompt: 'a dune',
      params: { negativePrompt: 'sea', seed: 11, width: 896, modelName: 'juggernautXL' },
    });
  });

  it('InvokeAI invokeai_metadata, old sd-metadata and Dream', async () => {
    expect(
      await readImageParams(
        await pngWith([
          ['invokeai_metadata', INVOKE_JSON],
          ['invokeai_graph', '{}'],
        ]),
      ),
    ).toMatchObject({
      source: 'invokeai',
      prompt: 'a red bicycle',
      params: {
        negativePrompt: 'rust',
        seed: 314159,
        steps: 25,
        cfgScale: 6.5,
        width: 768,
        height: 512,
        sampler: 'euler_a',
        modelName: 'dreamshaper-8',
      },
    });
    expect(
      await readImageParams(
        await pngWith([
          ['sd-metadata', OLD_INVOKE_JSON],
          ['Dream', DREAM_TEXT],
        ]),
      ),
    ).toMatchObject({
      source: 'invokeai',
      prompt: 'a quiet harbour',
      params: { negativePrompt: 'fog, boats', seed: 271828, steps: 50, modelName: 'stable-diffusion-1.5' },
    });
    expect(await readImageParams(await pngWith([['Dream', DREAM_TEXT]]))).toMatchObject({
      source: 'invokeai',
      prompt: 'an old map',
      params: {
        negativePrompt: 'torn',
        steps: 40,
        seed: 1618,
        width: 512,
        height: 768,
        cfgScale: 8,
        sampler: 'k_euler',
      },
    });
  });

  it('ComfyUI FLUX graph: noise seed, scheduler steps, FluxGuidance, text through the guider, latent size, UNET', async () => {
    const r = await readImageParams(
      await pngWith([
        ['prompt', COMFY_FLUX_PROMPT],
        ['workflow', COMFY_WORKFLOW],
      ]),
    );
    expect(r).toMatchObject({
      source: 'comfyui',
      prompt: 'a neon city in rain',
      params: {
        seed: 55555,
        steps: 24,
        guidance: 3.5,
        width: 1024,
        height: 768,
        sampler: 'euler',
        modelName: 'flux1-dev.safetensors',
      },
    });
  });

  it('ComfyUI KSampler graph: positive and negative through the sampler inputs', async () => {
    const r = await readImageParams(await pngWith([['prompt', COMFY_KSAMPLER_PROMPT]]));
    expect(r).toMatchObject({
      source: 'comfyui',
      prompt: 'beautiful scenery nature glass bottle',
      params: {
        negativePrompt: 'text, watermark',
        seed: 8566257,
        steps: 20,
        cfgScale: 8,
        width: 512,
        height: 512,
        sampler: 'euler normal',
        modelName: 'v1-5-pruned-emaonly.safetensors',
      },
    });
  });

  it('SwarmUI sui_image_params (in parameters, and in a JPEG UserComment)', async () => {
    const want = {
      source: 'swarmui',
      prompt: 'a glass teapot',
      params: {
        negativePrompt: 'cracks',
        seed: 777,
        steps: 4,
        guidance: 3.5,
        cfgScale: 1,
        width: 1024,
        height: 576,
        modelName: 'flux1-schnell',
      },
    };
    expect(await readImageParams(await pngWith([['parameters', SWARM_JSON]]))).toMatchObject(want);
    expect(await readImageParams(await jpegWithUserComment(SWARM_JSON))).toMatchObject(want);
  });

  it('NovelAI: Software, Description, Comment JSON', async () => {
    const r = await readImageParams(
      await pngWith([
        ['Software', 'NovelAI'],
        ['Description', '1girl, cherry blossoms'],
        ['Comment', NOVELAI_COMMENT],
        ['Source', 'Stable Diffusion XL C1E1DE52'],
      ]),
    );
    expect(r).toMatchObject({
      source: 'novelai',
      prompt: '1girl, cherry blossoms',
      params: {
        negativePrompt: 'lowres, bad anatomy',
        seed: 3141,
        steps: 28,
        cfgScale: 5,
        width: 832,
        height: 1216,
        modelName: 'Stable Diffusion XL C1E1DE52',
      },
    });
  });

  it('Draw Things: XMP exif:UserComment JSON in iTXt', async () => {
    const r = await readImageParams(await pngWith([['XML:com.adobe.xmp', drawThingsXmp(DRAW_THINGS_JSON)]]));
    expect(r).toMatchObject({
      source: 'draw-things',
      prompt: 'a paper boat on a pond',
      params: {
        negativePrompt: 'text',
        seed: 2025,
        steps: 20,
        guidance: 3.5,
        width: 768,
        height: 1024,
        modelName: 'flux_1_dev_q8p.ckpt',
      },
    });
  });

  it('no metadata: null; a big ComfyUI-looking graph is not walked', async () => {
    expect(await readImageParams(await pngWith([]))).toBeNull();
    const big: Record<string, unknown> = {};
    for (let i = 0; i < 6000; i++) big[String(i)] = { class_type: 'KSampler', inputs: {} };
    expect(await readImageParams(await pngWith([['prompt', JSON.stringify(big)]]))).toBeNull();
  });
});
