// Builds the bundles: esbuild for the Node/Electron side, Vite for the renderer.
// Usage: node scripts/build.mjs [--only=main|preload|cli|preview|worker|bench|renderer[,…]] [--watch-free]
import { build } from 'esbuild';
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ensureNativeForNode } from './native-deps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (name) =>
  !only || only.includes(name) || (name === 'worker' && ['main', 'preview', 'cli'].some((n) => only.includes(n)));

// Dependencies stay in node_modules (electron-builder packs them); only our code is bundled.
const nodeCommon = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

const targets = {
  main: { entryPoints: { index: 'main/electron/main.ts' }, outdir: 'out/main', outExtension: { '.js': '.mjs' } },
  preview: {
    entryPoints: { 'preview-web': 'main/web/main.ts' },
    outdir: 'out/main',
    outExtension: { '.js': '.mjs' },
  },
  cli: { entryPoints: { cli: 'main/cli/main.ts' }, outdir: 'out/main', outExtension: { '.js': '.mjs' } },
  // The import pool's worker (main/import/worker-pool.ts): its own file next to the entry bundles,
  // built with any of them (the app, the web preview and the CLI all import).
  worker: {
    entryPoints: { 'import-worker': 'main/import/import-worker.ts' },
    outdir: 'out/main',
    outExtension: { '.js': '.mjs' },
  },
  // Sandboxed preloads must be CommonJS and may only require('electron'): bundle everything else.
  preload: {
    entryPoints: { index: 'preload/index.ts' },
    outdir: 'out/preload',
    format: 'cjs',
    packages: undefined,
    external: ['electron'],
    outExtension: { '.js': '.cjs' },
    platform: 'node',
  },
};

async function buildBench() {
  const dir = path.join(root, 'bench');
  const entries = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')) : [];
  if (entries.length === 0) return;
  await build({
    ...nodeCommon,
    entryPoints: entries.map((f) => `bench/${f}`),
    outdir: 'out/bench',
    outExtension: { '.js': '.mjs' },
  });
}

async function buildRenderer() {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
}

// The history index's SQLite addon, built for this Node when missing (see native-deps.mjs).
// The import worker alone (Vitest's global setup) needs no addon.
if (!only || only.some((n) => n !== 'renderer' && n !== 'worker')) {
  try {
    ensureNativeForNode();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}

const jobs = [];
for (const [name, opts] of Object.entries(targets)) {
  if (!wanted(name)) continue;
  if (!existsSync(path.join(root, Object.values(opts.entryPoints)[0]))) continue;
  jobs.push(build({ ...nodeCommon, ...opts }));
}
if (wanted('bench')) jobs.push(buildBench());
if (wanted('renderer')) jobs.push(buildRenderer());
try {
  await Promise.all(jobs);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
