import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import extractChunks from 'png-chunks-extract';
import sharp from 'sharp';
import {
  A1111_KEYWORD,
  EMBED_KEYWORD,
  embedMetadata,
  formatParameters,
  parseParameters,
  readImportedParams,
  recordFromChunks,
  toEmbeddedRecord,
  type EmbeddedRecord,
} from '../../main/library/png-metadata';
import { readPngHead, readTextChunks, setTextChunks } from '../../main/library/png-text-chunks';
import { makeImage, tempDir } from './helpers';

const base = {
  id: 'm3abcdef0123456789',
  prompt: 'a red fox in the snow',
  model: 'flux-dev' as const,
  providerId: 'bfl-flux1-dev' as const,
  params: {
    aspectRatio: '16:9' as const,
    width: 1024,
    height: 576,
    steps: 28,
    guidance: 3.5,
    seed: 42,
    randomizeSeed: true,
  },
  seed: 42,
  createdAt: '2025-01-02T03:04:05.000Z',
  durationMs: 5000,
};

describe('PNG metadata', () => {
  it('writes the A1111 parameters line', () => {
    expect(formatParameters(base)).toBe(
      'a red fox in the snow\nSteps: 28, Seed: 42, Size: 1024x576, Model: flux-dev, Guidance: 3.5, Distilled CFG Scale: 3.5, Provider: bfl-flux1-dev',
    );
    const schnell = { ...base, model: 'flux-schnell' as const, providerId: 'bfl-flux1-schnell' as const };
    const { guidance: _g, ...noGuidance } = base.params;
    expect(formatParameters({ ...schnell, params: noGuidance })).toBe(
      'a red fox in the snow\nSteps: 28, Seed: 42, Size: 1024x576, Model: flux-schnell, Provider: bfl-flux1-schnell',
    );
  });

  it('embeds both chunks after IHDR and reads them back', async () => {
    const png = embedMetadata(await makeImage('png'), toEmbeddedRecord(base));
    const names = extractChunks(png).map((c) => c.name);
    expect(names.slice(0, 3)).toEqual(['IHDR', 'tEXt', 'tEXt']);
    const chunks = readTextChunks(png);
    expect(chunks.get(A1111_KEYWORD)).toBe(formatParameters(base));
    expect(recordFromChunks(chunks)).toMatchObject({ ...base, app: 'flux-gallery', v: 1 });
  });

  it('splices chunks without touching the image data, and refuses a cut or foreign file', async () => {
    const original = await makeImage('png');
    const png = setTextChunks(original, [['note', 'hello']]);
    const dataOf = (b: Uint8Array) => extractChunks(b).filter((c) => c.name !== 'tEXt');
    expect(dataOf(png)).toEqual(dataOf(original));
    expect((await sharp(png).metadata()).width).toBe((await sharp(original).metadata()).width);
    expect(() => readTextChunks(png.subarray(0, png.length - 20))).toThrow(/cut short/);
    expect(() => setTextChunks(Buffer.from('GIF89a not a png at all'), [['a', 'b']])).toThrow(/not a PNG/);
  });

  it('replaces old chunks instead of piling them up', async () => {
    let png = await makeImage('png');
    png = setTextChunks(png, [
      ['parameters', 'old'],
      ['Software', 'x'],
    ]);
    png = embedMetadata(png, toEmbeddedRecord(base));
    png = embedMetadata(png, toEmbeddedRecord({ ...base, prompt: 'second' }));
    const texts = extractChunks(png).filter((c) => c.name === 'tEXt' || c.name === 'iTXt');
    expect(texts).toHaveLength(3);
    expect(readTextChunks(png).get('Software')).toBe('x');
    expect(recordFromChunks(readTextChunks(png))?.prompt).toBe('second');
  });

  it('keeps non-Latin-1 prompts intact (iTXt for A1111, escaped JSON for ours)', async () => {
    const prompt = 'Лиса в снегу, 雪の中の狐 🦊';
    const png = embedMetadata(await makeImage('png'), toEmbeddedRecord({ ...base, prompt }));
    const chunks = extractChunks(png);
    expect(chunks[1]?.name).toBe('iTXt');
    const json = chunks[2];
    expect(json?.name).toBe('tEXt');
    expect([...json!.data].every((b) => b < 0x80)).toBe(true);
    expect(readImportedParams(png).prompt).toBe(prompt);
    expect(parseParameters(readTextChunks(png).get('parameters')!)?.prompt).toBe(prompt);
  });

  it('round-trips any prompt through both chunks (property)', async () => {
    const image = await makeImage('png', 8, 8);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }), (prompt) => {
        const rec: EmbeddedRecord = toEmbeddedRecord({ ...base, prompt });
        const png = embedMetadata(image, rec);
        const chunks = readTextChunks(png);
        expect(recordFromChunks(chunks)?.prompt).toBe(prompt);
        const a1111 = chunks.get('parameters')!;
        expect(a1111.endsWith('Provider: bfl-flux1-dev')).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('reads the head of a file only, with the same result', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const png = embedMetadata(await makeImage('png', 300, 200), toEmbeddedRecord(base));
      const file = path.join(dir, 'x.png');
      await writeFile(file, png);
      const head = await readPngHead(file);
      expect(head?.width).toBe(300);
      expect(head?.height).toBe(200);
      expect(head?.text).toEqual(readTextChunks(png));
      await writeFile(file, 'not a png');
      expect(await readPngHead(file)).toBeNull();
    } finally {
      await cleanup();
    }
  });

  it('parses A1111 and Forge parameters', () => {
    const text = [
      'masterpiece, a castle',
      'on a hill',
      'Negative prompt: blurry, ugly',
      'Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 1234, Size: 832x1040, Model hash: abc, Model: sdxl, Lora hashes: "a: 1, b: 2", Distilled CFG Scale: 3.5',
    ].join('\n');
    expect(parseParameters(text)).toEqual({
      source: 'a1111',
      prompt: 'masterpiece, a castle\non a hill',
      params: { steps: 20, seed: 1234, width: 832, height: 1040, aspectRatio: '4:5', guidance: 3.5 },
    });
    expect(parseParameters('just a prompt')).toEqual({ source: 'a1111', prompt: 'just a prompt', params: {} });
    expect(parseParameters('Steps: 999, Seed: -1, Size: 5x5')?.params).toEqual({});
  });

  it('imports from our chunk first, then A1111, else explains', async () => {
    const ours = embedMetadata(await makeImage('png'), toEmbeddedRecord(base));
    expect(readImportedParams(ours)).toEqual({
      source: 'flux-gallery',
      prompt: base.prompt,
      params: {
        model: 'flux-dev',
        provider: 'bfl-flux1-dev',
        aspectRatio: '16:9',
        width: 1024,
        height: 576,
        steps: 28,
        guidance: 3.5,
        seed: 42,
      },
    });
    const a1111 = setTextChunks(await makeImage('png'), [['parameters', 'a cat\nSteps: 4, Seed: 7, Size: 512x512']]);
    expect(readImportedParams(a1111)).toMatchObject({
      source: 'a1111',
      prompt: 'a cat',
      params: { steps: 4, seed: 7 },
    });
    await expect(async () => readImportedParams(await makeImage('png'))).rejects.toMatchObject({
      code: 'bad-image',
      message: expect.stringContaining('no generation parameters'),
    });
    await expect(async () => readImportedParams(await makeImage('jpeg'))).rejects.toMatchObject({ code: 'bad-image' });
    expect(() => readImportedParams(Buffer.from('hello'))).toThrowError(expect.objectContaining({ code: 'bad-image' }));
  });

  it('ignores a tampered JSON chunk and falls back to A1111', async () => {
    const png = setTextChunks(await makeImage('png'), [
      ['parameters', 'a dog\nSteps: 4, Seed: 7, Size: 512x512'],
      [EMBED_KEYWORD, '{"app":"flux-gallery","v":1,"id":"../../etc"}'],
    ]);
    expect(readImportedParams(png).source).toBe('a1111');
  });
});
