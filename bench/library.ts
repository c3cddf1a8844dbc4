/**
 * Library benchmark: thumbnail time per image, and what saving one image costs in all.
 *
 *   npm run bench -- library
 *
 * Images: photo-like PNGs at 1024² and 2048² (a smooth gradient with fine noise: about 1.4 and
 * 7 MB, what FLUX returns at those sizes), and the incompressible noise PNGs of 1 and 8 MB that the
 * network benchmark downloads. For each, medians of:
 *  - thumbnail: makeThumbnail (decode, 256 px resize, WebP), as the library calls it;
 *  - metadata: embedMetadata (the two text chunks written into the PNG);
 *  - saveImage: the whole save (check, metadata, thumbnail, fsynced atomic writes, history entry).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { openLibrary } from '../main/library/library';
import { embedMetadata, toEmbeddedRecord } from '../main/library/png-metadata';
import { makeThumbnail } from '../main/library/thumbnails';
import { createNodePlatform } from '../main/platform';
import { GenerationParamsSchema } from '../shared/params';
import { sizedImage } from '../test/fake-space/images';
import { MIB, bytes, markdownTable, median, ms } from './lib/report';

const THUMB_RUNS = 7;
const SAVE_RUNS = 5;

/** A left-to-right, top-to-bottom gradient with `noiseBits` of noise per channel (deterministic). */
async function photoLike(side: number, noiseBits: number): Promise<Buffer> {
  const raw = Buffer.alloc(side * side * 3);
  const mask = (1 << noiseBits) - 1;
  let x32 = 0x9e3779b9;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = (y * side + x) * 3;
      x32 ^= x32 << 13;
      x32 ^= x32 >>> 17;
      x32 ^= x32 << 5;
      raw[i] = ((x * 255) / side + (x32 & mask)) & 255;
      raw[i + 1] = ((y * 255) / side + ((x32 >>> 8) & mask)) & 255;
      raw[i + 2] = (128 + ((x32 >>> 16) & mask)) & 255;
    }
  }
  return sharp(raw, { raw: { width: side, height: side, channels: 3 } })
    .png()
    .toBuffer();
}

async function timed(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

const images: { label: string; png: () => Promise<Buffer> }[] = [
  { label: 'photo-like 1024²', png: () => photoLike(1024, 1) },
  { label: 'photo-like 2048²', png: () => photoLike(2048, 2) },
  { label: 'noise 1 MB', png: () => sizedImage(1 * MIB, 'png') },
  { label: 'noise 8 MB', png: () => sizedImage(8 * MIB, 'png') },
];

const request = GenerationParamsSchema.parse({ prompt: 'a lighthouse at dusk', model: 'flux-dev', seed: 7 });
const resolved = {
  prompt: request.prompt,
  width: 1024,
  height: 1024,
  steps: 28,
  guidance: 3.5,
  seed: 7,
  randomizeSeed: false,
  aspectRatio: '1:1' as const,
};
const record = toEmbeddedRecord(
  {
    id: 'bench00000000a1',
    prompt: request.prompt,
    model: request.model,
    providerId: 'bfl-flux1-dev',
    params: { aspectRatio: '1:1', width: 1024, height: 1024, steps: 28, guidance: 3.5, seed: 7, randomizeSeed: false },
    seed: 7,
    createdAt: new Date().toISOString(),
    durationMs: 9000,
  },
  request,
);

const dir = await mkdtemp(path.join(tmpdir(), 'fg-bench-library-'));
try {
  const library = await openLibrary({ dir, platform: createNodePlatform(path.join(dir, '.trash')), log: () => {} });
  const rows: string[][] = [];
  for (const img of images) {
    const png = await img.png();
    const meta = await sharp(png).metadata();
    const thumb = await timed(THUMB_RUNS, () => makeThumbnail(png));
    const embed = await timed(SAVE_RUNS, () => embedMetadata(png, record));
    const save = await timed(SAVE_RUNS, () =>
      library.saveImage({ bytes: png, request, providerId: 'bfl-flux1-dev', resolved, seed: 7, durationMs: 9000 }),
    );
    rows.push([img.label, `${meta.width}×${meta.height}`, bytes(png.length), ms(thumb), ms(embed), ms(save)]);
  }
  await library.dispose();
  console.log(
    markdownTable(['image', 'pixels', 'PNG', 'thumbnail', 'metadata', 'saveImage (all)'], rows, [
      false,
      true,
      true,
      true,
      true,
      true,
    ]),
  );
  console.log(
    `\nMedians: thumbnail of ${THUMB_RUNS} runs, metadata and saveImage of ${SAVE_RUNS}, each after one warm-up run.` +
      '\nThumbnail: makeThumbnail (decode, 256 px, WebP). Metadata: embedMetadata (two PNG text chunks).' +
      '\nsaveImage: type check, metadata, thumbnail, fsynced atomic writes of both files, history entry.',
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
