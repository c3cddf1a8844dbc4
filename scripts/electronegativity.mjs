// `npm run security`: Electronegativity over the Electron-facing sources and the built bundles.
// Fails (exit 1) on any HIGH-severity finding; prints a summary of everything it found.
// Usage: node scripts/electronegativity.mjs [--verbose]   (FLUX_SECURITY_ROOT=dir scans another tree; tests)
//
// Electronegativity only reads .js/.ts/.html files outside node_modules, so the inputs (sources,
// plus out/ bundles renamed to .js when they exist) are staged into a temporary folder first.
import { cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(process.env.FLUX_SECURITY_ROOT ?? fileURLToPath(new URL('..', import.meta.url)));
const require = createRequire(import.meta.url);
const verbose = process.argv.includes('--verbose');

/** [source, staged name]; directories are copied whole. Missing optional inputs are skipped. */
const INPUTS = [
  ['package.json', 'package.json', { required: true }],
  ['main/electron', 'src/main/electron', { required: true }],
  ['preload', 'src/preload', { required: true }],
  ['renderer/index.html', 'src/renderer/index.html', { required: true }],
  ['renderer/src', 'src/renderer/src', { required: true }],
  ['out/main/index.mjs', 'bundle/main/index.js', {}],
  ['out/preload/index.cjs', 'bundle/preload/index.js', {}],
  ['out/renderer', 'bundle/renderer', {}],
];

const exists = (p) =>
  stat(p).then(
    () => true,
    () => false,
  );

async function stage() {
  const dir = await mkdtemp(path.join(tmpdir(), 'flux-electronegativity-'));
  const staged = [];
  for (const [from, to, { required }] of INPUTS) {
    const src = path.join(root, from);
    if (!(await exists(src))) {
      if (required) throw new Error(`missing input: ${from}`);
      continue;
    }
    // Source maps duplicate the sources as JSON strings: not useful to scan.
    await cp(src, path.join(dir, to), { recursive: true, filter: (f) => !f.endsWith('.map') });
    staged.push(from);
  }
  return { dir, staged };
}

async function countFiles(dir) {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n++;
  return n;
}

const { dir, staged } = await stage();
let result;
try {
  // Its locale fetch times out quickly offline and falls back to the bundled English texts.
  const quietLog = console.log;
  console.log = () => {};
  try {
    const run = require('@doyensec/electronegativity');
    result = await run({
      input: dir,
      output: undefined,
      isSarif: false,
      customScan: [],
      excludeFromScan: [],
      severitySet: undefined,
      confidenceSet: undefined,
      isRelative: true,
      isVerbose: false,
      electronUpgrade: undefined,
      electronVersionOverride: require('electron/package.json').version,
      parserPlugins: [],
    });
  } finally {
    console.log = quietLog;
  }
  console.log(`Electronegativity: scanned ${await countFiles(dir)} files from ${staged.join(', ')}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

const { issues, errors } = result;
const sev = (i) => i.severity.name;
const bySeverity = {};
for (const i of issues) bySeverity[sev(i)] = (bySeverity[sev(i)] ?? 0) + 1;
const line = (i) =>
  `  ${sev(i).padEnd(13)} ${i.confidence.name.padEnd(10)} ${i.id.padEnd(40)} ${i.file}:${i.location.line}:${i.location.column}` +
  (i.manualReview ? '  (manual review)' : '') +
  (verbose && i.description ? `\n      ${i.description} ${i.shortenedURL ?? ''}` : '');

const order = ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'];
const shown = issues
  .filter((i) => verbose || sev(i) !== 'INFORMATIONAL')
  .sort((a, b) => order.indexOf(sev(a)) - order.indexOf(sev(b)));
for (const i of shown) console.log(line(i));
for (const e of errors.filter((e) => !e.tolerable)) console.log(`  parse error: ${e.file}: ${e.message}`);

const summary = order.map((s) => `${s.toLowerCase()} ${bySeverity[s] ?? 0}`).join(', ');
console.log(`Electronegativity summary: ${issues.length} findings (${summary})`);
const high = issues.filter((i) => sev(i) === 'HIGH');
if (high.length > 0) {
  console.error(`FAILED: ${high.length} high-severity finding(s). See the list above.`);
  process.exit(1);
}
console.log('OK: no high-severity findings.');
