/**
 * Import benchmark (issue 18): images per second of an import of mixed images, against a bare sharp
 * decode-and-thumbnail loop over the same files on all cores, in the same run.
 *
 *   npm run bench -- import            2 000 images
 *   node out/bench/import.mjs --quick  400 images (or BENCH_QUICK=1; --count=N for any number)
 *
 * Images: PNG (half), JPEG and WebP (a quarter each), photo-like pixels at 512² to 1216×832, with
 * the metadata of A1111/Forge, ComfyUI (with its workflow), Fooocus, InvokeAI, SwarmUI, NovelAI and
 * Draw Things (PNG text chunks; EXIF UserComment in the JPEG and WebP files), each file unique.
 *  - bare: `sharp(file).resize(256, 256, inside).webp()` with availableParallelism() files in flight;
 *  - import: importPaths into an empty library (walk, read, hash, metadata, decode, thumbnail,
 *    fsynced atomic writes of image and thumbnail, index entry), its own worker pool included;
 *  - main thread: the event loop's delay while the import runs (what IPC would wait).
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { jpegWithExif, userCommentTiff, webpWithExif } from '../main/export/exif';
import { importPaths } from '../main/import/importer';
import { createImportPool } from '../main/import/worker-pool';
import { detectImageType } from '../main/library/image-bytes';
import { openLibrary } from '../main/library/library';
import { setTextChunks } from '../main/library/png-text-chunks';
import { createNodePlatform } from '../main/platform';
import {
  A1111_TEXT,
  COMFY_FLUX_PROMPT,
  COMFY_WORKFLOW,
  DRAW_THINGS_JSON,
  FOOOCUS_JSON,
  FORGE_FLUX_TEXT,
  INVOKE_JSON,
  NOVELAI_COMMENT,
  SWARM_JSON,
} from '../test/import/fixtures';
import { bytes, markdownTable, ms } from './lib/report';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}`));
const quick = arg('quick') !== undefined || process.env.BENCH_QUICK === '1';
const COUNT = Number(arg('count')?.split('=')[1] ?? (quick ? 400 : 2000));
const CORES = os.availableParallelism();

const SIZES: [number, number][] = [
  [512, 512],
  [768, 768],
  [832, 1216],
  [1024, 1024],
  [1216, 832],
];

/** A gradient with fine noise (compresses like a photo, not like a flat colour). */
async function photoLike(w: number, h: number, seed: number): Promise<Buffer> {
  const raw = Buffer.alloc(w * h * 3);
  let x32 = 0x9e3779b9 ^ seed;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      x32 ^= x32 << 13;
      x32 ^= x32 >>> 17;
      x32 ^= x32 << 5;
      raw[i] = ((x * 255) / w + (x32 & 7) + seed * 37) & 255;
      raw[i + 1] = ((y * 255) / h + ((x32 >>> 8) & 7)) & 255;
      raw[i + 2] = (96 + seed * 11 + ((x32 >>> 16) & 7)) & 255;
    }
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toBuffer();
}

/** PNG text chunks of each tool (keyword, text), varied per image so every file is unique. */
const PNG_METADATA: ((i: number) => [string, string][])[] = [
  (i) => [['parameters', A1111_TEXT.replace('Seed: 1234567', `Seed: ${i}`)]],
  (i) => [['parameters', FORGE_FLUX_TEXT.replace('Seed: 42', `Seed: ${i}`)]],
  (i) => [
    ['prompt', COMFY_FLUX_PROMPT.replace('55555', String(i))],
    ['workflow', COMFY_WORKFLOW],
  ],
  (i) => [
    ['parameters', FOOOCUS_JSON.replace('"seed":', `"bench":${i},"seed":`)],
    ['fooocus_scheme', 'fooocus'],
  ],
  (i) => [['invokeai_metadata', INVOKE_JSON.replace('{', `{"bench":${i},`)]],
  (i) => [['parameters', SWARM_JSON.replace('{', `{"bench":${i},`)]],
  (i) => [
    ['Software', 'NovelAI'],
    ['Comment', NOVELAI_COMMENT.replace('{', `{"bench":${i},`)],
  ],
];
/** EXIF UserComment texts for JPEG and WebP. */
const EXIF_TEXT: ((i: number) => string)[] = [
  (i) => A1111_TEXT.replace('Seed: 1234567', `Seed: ${i}`),
  (i) => FORGE_FLUX_TEXT.replace('Seed: 42', `Seed: ${i}`),
  (i) => DRAW_THINGS_JSON.replace('{', `{"bench":${i},`),
  (i) => SWARM_JSON.replace('{', `{"bench":${i},`),
];

/** The files: pixels encoded once per size and type, then each file gets its own metadata. */
async function makeImages(dir: string): Promise<{ total: number; files: string[] }> {
  const bases = new Map<string, Buffer>();
  for (const [si, [w, h]] of SIZES.entries()) {
    const png = await photoLike(w, h, si);
    bases.set(`png${si}`, png);
    bases.set(`jpeg${si}`, await sharp(png).jpeg({ quality: 90 }).toBuffer());
    bases.set(`webp${si}`, await sharp(png).webp({ quality: 85 }).toBuffer());
  }
  let total = 0;
  const files: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const si = i % SIZES.length;
    const [w, h] = SIZES[si]!;
    const kind = i % 4 < 2 ? 'png' : i % 4 === 2 ? 'jpeg' : 'webp';
    const base = bases.get(`${kind}${si}`)!;
    let out: Buffer;
    if (kind === 'png') out = setTextChunks(base, PNG_METADATA[i % PNG_METADATA.length]!(i));
    else {
      const tiff = userCommentTiff(EXIF_TEXT[i % EXIF_TEXT.length]!(i));
      out =
        kind === 'jpeg' ? jpegWithExif(base, tiff) : webpWithExif(base, tiff, { width: w, height: h, alpha: false });
    }
    const sub = path.join(dir, `set-${i % 8}`);
    await mkdir(sub, { recursive: true });
    const file = path.join(sub, `img-${String(i).padStart(5, '0')}.${kind === 'jpeg' ? 'jpg' : kind}`);
    await writeFile(file, out);
    files.push(file);
    total += out.length;
  }
  return { total, files };
}

async function bareLoop(files: string[]): Promise<number> {
  const t = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const f = files[next++]!;
      await sharp(f)
        .resize(256, 256, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 78, effort: 3 })
        .toBuffer();
    }
  };
  await Promise.all(Array.from({ length: CORES }, lane));
  return performance.now() - t;
}

/** The import's CPU part alone: read, then the pool's two tasks (hash + metadata, decode + thumbnail); no library writes. */
async function poolLoop(files: string[]): Promise<number> {
  const pool = createImportPool();
  const t = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < files.length) {
      const bytes = await readFile(files[next++]!);
      const type = detectImageType(bytes)!;
      await pool.inspect(bytes, type, { timeLimitMs: 5000, what: 'read' });
      await pool.image(bytes, type, { timeLimitMs: 60_000, what: 'decode' });
    }
  };
  await Promise.all(Array.from({ length: pool.threads * 2 }, lane));
  const took = performance.now() - t;
  await pool.close();
  return took;
}

const root = await mkdtemp(path.join(tmpdir(), 'fg-bench-import-'));
try {
  const src = path.join(root, 'src');
  const t0 = performance.now();
  const { total, files } = await makeImages(src);
  const made = performance.now() - t0;
  // Files are read from the page cache in both runs: read them all once first.
  await bareLoop(files.slice(0, Math.min(50, files.length)));
  for (const d of await readdir(src)) await readdir(path.join(src, d));

  const bare = await bareLoop(files);
  const pooled = await poolLoop(files);

  const dir = path.join(root, 'lib');
  const library = await openLibrary({ dir, platform: createNodePlatform(path.join(root, 'trash')), log: () => {} });
  const delay = monitorEventLoopDelay({ resolution: 5 });
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  delay.enable();
  const t1 = performance.now();
  const report = await importPaths(library, [src], {
    onProgress: (p) => {
      if (p.done % 50 === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    },
  });
  const imported = performance.now() - t1;
  delay.disable();
  await library.dispose();
  if (report.counts.imported !== COUNT)
    throw new Error(`imported ${report.counts.imported} of ${COUNT}: ${JSON.stringify(report.counts)}`);

  const rate = (n: number, msTotal: number) => `${((n * 1000) / msTotal).toFixed(1)}/s`;
  console.log(
    markdownTable(
      ['run', 'images', 'time', 'images per second', '÷ bare'],
      [
        ['bare sharp decode + thumbnail', String(COUNT), ms(bare), rate(COUNT, bare), '1.00×'],
        [
          'pool only (no library writes)',
          String(COUNT),
          ms(pooled),
          rate(COUNT, pooled),
          `${(bare / pooled).toFixed(2)}×`,
        ],
        [
          'import (pool, library writes)',
          String(COUNT),
          ms(imported),
          rate(COUNT, imported),
          `${(bare / imported).toFixed(2)}×`,
        ],
      ],
      [false, true, true, true, true],
    ),
  );
  console.log(
    `\n${COUNT} files (${bytes(total)}; PNG ½, JPEG ¼, WebP ¼; ${SIZES.map(([w, h]) => `${w}×${h}`).join(', ')}), made in ${ms(made)}.` +
      `\n${CORES} cores; the import's pool had ${Math.min(CORES, 16)} worker threads.` +
      `\nMain thread during the import: event-loop delay p50 ${ms(delay.percentile(50) / 1e6)}, ` +
      `p99 ${ms(delay.percentile(99) / 1e6)}, max ${ms(delay.max / 1e6)}; RSS +${bytes(rssPeak - rssBefore)} at its peak.` +
      "\n÷ bare: import rate over the bare loop's (1.00× would be import at the cost of decoding and thumbnails alone).",
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
