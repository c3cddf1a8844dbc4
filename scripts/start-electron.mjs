// `npm start` (after the build): runs the app with the Electron binary from node_modules/electron.
// Installs skip Electron's download (.npmrc ignore-scripts), so the binary is fetched here on first
// use; offline, this explains how to get it and exits non-zero.
// Usage: node scripts/start-electron.mjs [electron args…]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNativeForElectron } from './native-deps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const INSTALL_TIMEOUT_MS = 5 * 60_000;

/** Path of the Electron executable, or null when the package has no binary yet. */
export function electronBinary() {
  try {
    // node_modules/electron/index.js reads path.txt (written by its install script).
    const bin = require('electron');
    return typeof bin === 'string' && existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function installBinary() {
  const installer = path.join(root, 'node_modules/electron/install.js');
  if (!existsSync(installer)) return false;
  console.log('Electron binary not found: downloading it once (node node_modules/electron/install.js)…');
  const r = spawnSync(process.execPath, [installer], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
  });
  // The installer prints a whole stack trace when offline: its first line says enough.
  if (r.status !== 0)
    console.error(`Download failed: ${(r.stderr || r.error?.message || 'unknown error').trim().split('\n')[0]}`);
  // require() caches index.js's answer; drop it so the retry reads the new path.txt.
  delete require.cache[require.resolve('electron')];
  return r.status === 0;
}

function explainAndExit() {
  const { version } = require('electron/package.json');
  console.error(`
Flux Gallery needs the Electron ${version} binary, which is not installed and could not be downloaded.
Get it in one of these ways, then run \`npm start\` again:
  • With internet access:   node node_modules/electron/install.js
  • Through a mirror:       ELECTRON_MIRROR=https://your.mirror/electron/ node node_modules/electron/install.js
  • An unpacked Electron:   ELECTRON_OVERRIDE_DIST_PATH=/path/to/electron-folder npm start
Without Electron, the same app runs in a browser: npm run preview:web
`);
  process.exit(1);
}

async function main() {
  let bin = electronBinary();
  if (!bin && installBinary()) bin = electronBinary();
  if (!bin) explainAndExit();

  if (!existsSync(path.join(root, 'out/main/index.mjs'))) {
    console.error('The app is not built yet: run `npm run build` (npm start does it for you).');
    process.exit(1);
  }
  // The SQLite addon of the history index, compiled for Electron's ABI (the tests' build is for
  // Node's). FLUX_SKIP_NATIVE_REBUILD=1: the launcher's own test, with a stand-in binary.
  if (process.env.FLUX_SKIP_NATIVE_REBUILD !== '1') {
    try {
      await ensureNativeForElectron();
    } catch (err) {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    }
  }
  const env = { ...process.env };
  // Would turn the binary into plain Node.js (the packaged app has this fuse off anyway).
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(bin, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (!child.killed) child.kill(signal);
    });
  }
  child.on('error', (err) => {
    console.error(`Could not start Electron (${bin}): ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
