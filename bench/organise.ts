/**
 * Organise benchmark (issue 17): bulk actions on 10 000 images and exporting 1 000, each against
 * the time to copy the same image files (fs.copyFile, one after another), measured in the same run
 * on the same disk, so the ratios compare across machines.
 *
 *   npm run bench -- organise
 *   (or: node scripts/build.mjs --only=bench && node out/bench/organise.mjs [bulk-count] [export-count])
 *
 * Bulk: a library of N synthetic entries with a small PNG per image; each
 * action targets "everything the filter shows" (Ctrl+A) and runs as one library operation:
 *  - rate: every entry rated (one transaction per 500);
 *  - add to board: every entry put on a board;
 *  - delete: every image moved aside (one transaction per 500, the files parked), then undo.
 * Export: M photo-like 512² PNGs (about the size FLUX images have at that side); PNG as stored to a
 * folder and to a ZIP, JPEG to a ZIP, WebP to a folder (both with EXIF UserComment). Memory: the
 * peak of JS heap plus buffers while the PNG ZIP is written (streamed: a few images, never the archive).
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import { runExport, type ExportPlan } from '../main/export/export';
import { openLibrary, type Library } from '../main/library/library';
import { createNodePlatform } from '../main/platform';
import type { HistoryEntry } from '../shared/library';
import { makeSyntheticLibrary } from '../test/library/synthetic-library';
import { startMemorySampler } from './lib/memory';
import { bytes, markdownTable, median, ms, ratio } from './lib/report';

const [bulkArg, exportArg] = process.argv.slice(2).map(Number);
const BULK = bulkArg && bulkArg > 0 ? bulkArg : 10_000;
const EXPORTS = exportArg && exportArg > 0 ? exportArg : 1_000;
const RUNS = 3;

/** A gradient with fine noise: compresses like a generated image does. */
async function photoLike(side: number): Promise<Buffer> {
  const raw = Buffer.alloc(side * side * 3);
  let x32 = 0x9e3779b9;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = (y * side + x) * 3;
      x32 ^= x32 << 13;
      x32 ^= x32 >>> 17;
      x32 ^= x32 << 5;
      raw[i] = ((x * 255) / side + (x32 & 3)) & 255;
      raw[i + 1] = ((y * 255) / side + ((x32 >>> 8) & 3)) & 255;
      raw[i + 2] = (128 + ((x32 >>> 16) & 3)) & 255;
    }
  }
  return sharp(raw, { raw: { width: side, height: side, channels: 3 } })
    .png()
    .toBuffer();
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Copies each entry's image file into a fresh folder, one after another (the baseline). */
async function copyAll(libDir: string, entries: readonly HistoryEntry[], into: string): Promise<number> {
  await rm(into, { recursive: true, force: true });
  await mkdir(into, { recursive: true });
  const t = await time(async () => {
    for (const e of entries) await copyFile(path.join(libDir, e.file), path.join(into, `${e.id}.png`));
  });
  await rm(into, { recursive: true, force: true });
  return t;
}

const root = await mkdtemp(path.join(tmpdir(), 'fg-bench-organise-'));
const libs: Library[] = [];
try {
  // ---- bulk -----------------------------------------------------------------------------------
  const bulkDir = path.join(root, 'bulk');
  const small = await photoLike(96);
  const bulkEntries = await makeSyntheticLibrary(bulkDir, BULK, { fileBytes: small });
  const bulk = await openLibrary({
    dir: bulkDir,
    platform: createNodePlatform(path.join(root, 'trash')),
    scanOnOpen: false,
    purgeDelayMs: 600_000,
  });
  libs.push(bulk);
  await copyAll(bulkDir, bulkEntries, path.join(root, 'copy')); // warm-up
  const bulkCopies: number[] = [];
  for (let i = 0; i < RUNS; i++) bulkCopies.push(await copyAll(bulkDir, bulkEntries, path.join(root, `copy${i}`)));
  const bulkCopy = median(bulkCopies);
  const all = { kind: 'query', query: {} } as const;
  const rates: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    rates.push(await time(() => bulk.bulk({ target: all, action: { type: 'rate', rating: (i % 5) + 1 } })));
  }
  const board = bulk.createBoard('Everything');
  const addTime = await time(() => bulk.bulk({ target: all, action: { type: 'addToBoard', boardId: board.id } }));
  let opId = '';
  const delTime = await time(async () => {
    opId = (await bulk.bulk({ target: all, action: { type: 'delete' } })).operationId;
  });
  const undoTime = await time(() => bulk.undoBulkDelete(opId));
  const rows = [
    ['copy the image files (baseline)', ms(bulkCopy), '1.00×'],
    ['rate all', ms(median(rates)), ratio(median(rates), bulkCopy)],
    ['add all to a board', ms(addTime), ratio(addTime, bulkCopy)],
    ['delete all (entries out, files parked)', ms(delTime), ratio(delTime, bulkCopy)],
    ['undo that delete', ms(undoTime), ratio(undoTime, bulkCopy)],
  ];
  console.log(`### Bulk actions on ${BULK.toLocaleString('en-US')} images (history committed 500 at a time)\n`);
  console.log(markdownTable(['operation', 'time', 'vs copying the files'], rows, [false, true, true]));
  console.log(
    `\nBaseline: fs.copyFile of the ${BULK.toLocaleString('en-US')} image files (${bytes(small.length)} each), ` +
      `median of ${RUNS} after a warm-up. Rate: median of ${RUNS}; the others once. Each action is one library ` +
      'operation on "everything the filter shows": one history transaction per 500 images.',
  );
  await bulk.dispose();
  libs.pop();
  await rm(bulkDir, { recursive: true, force: true });

  // ---- export ---------------------------------------------------------------------------------
  const exportDir = path.join(root, 'export');
  const photo = await photoLike(512);
  const exportEntries = await makeSyntheticLibrary(exportDir, EXPORTS, { fileBytes: photo });
  const lib = await openLibrary({
    dir: exportDir,
    platform: createNodePlatform(path.join(root, 'trash')),
    scanOnOpen: false,
  });
  libs.push(lib);
  await copyAll(exportDir, exportEntries, path.join(root, 'copy')); // warm-up
  const copies: number[] = [];
  for (let i = 0; i < RUNS; i++) copies.push(await copyAll(exportDir, exportEntries, path.join(root, `copy${i}`)));
  const exportCopy = median(copies);
  const out = path.join(root, 'out');
  const plan = (over: Partial<ExportPlan>): ExportPlan => ({
    libraryDir: exportDir,
    entries: exportEntries,
    destination: { kind: 'folder', dir: path.join(out, 'x') },
    format: 'png',
    quality: 90,
    sidecar: false,
    csv: true,
    pattern: '{date}_{time}_{prompt}_{seed}',
    boardNames: new Map(),
    ...over,
  });
  const cases: { label: string; plan: ExportPlan; memory?: boolean }[] = [
    { label: 'PNG as stored → folder', plan: plan({ destination: { kind: 'folder', dir: path.join(out, 'png') } }) },
    {
      label: 'PNG as stored → ZIP',
      plan: plan({ destination: { kind: 'zip', file: path.join(out, 'png.zip'), overwrite: false } }),
      memory: true,
    },
    {
      label: 'JPEG (EXIF UserComment) → ZIP',
      plan: plan({ format: 'jpeg', destination: { kind: 'zip', file: path.join(out, 'jpeg.zip'), overwrite: false } }),
    },
    {
      label: 'WebP (EXIF UserComment) → folder',
      plan: plan({ format: 'webp', destination: { kind: 'folder', dir: path.join(out, 'webp') } }),
    },
  ];
  const exportRows: string[][] = [['copy the image files (baseline)', ms(exportCopy), '1.00×', '–']];
  for (const c of cases) {
    await rm(out, { recursive: true, force: true });
    await mkdir(out, { recursive: true });
    const sampler = c.memory ? startMemorySampler() : null;
    let status = '';
    const t = await time(async () => {
      status = (await runExport(c.plan)).status;
    });
    const mem = sampler?.stop();
    if (status !== 'done') throw new Error(`${c.label}: ${status}`);
    exportRows.push([c.label, ms(t), ratio(t, exportCopy), mem ? bytes(mem.peakHeapAndBuffers) : '–']);
  }
  console.log(`\n### Exporting ${EXPORTS.toLocaleString('en-US')} images\n`);
  console.log(
    markdownTable(['export', 'time', 'vs copying the files', 'peak heap + buffers'], exportRows, [
      false,
      true,
      true,
      true,
    ]),
  );
  console.log(
    `\nImages: ${EXPORTS.toLocaleString('en-US')} photo-like 512² PNGs of ${bytes(photo.length)} ` +
      `(${bytes(photo.length * EXPORTS)} in all); a CSV with every export. Baseline: fs.copyFile of the same files, ` +
      `median of ${RUNS} after a warm-up. Exports once each. Memory: sampled every 10 ms while the PNG ZIP is ` +
      'written; it stays near a few images, not the archive.',
  );
} finally {
  for (const l of libs) await l.dispose();
  await rm(root, { recursive: true, force: true });
}
