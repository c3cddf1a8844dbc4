// Builds better-sqlite3's native addon (the history index, main/library/history-db.ts).
// Installs run with scripts off (.npmrc: Electron's postinstall needs the internet), so the addon is
// compiled here, from the sources in its package, with node-gyp and the running Node's own headers
// (no download). `scripts/build.mjs` calls this first, so `npm test`, `npm run cli` and the web
// preview always have an addon for this Node. `--electron` builds it for the Electron in
// node_modules instead (`npm start`, `npm run dist`), which needs Electron's headers (the network).
// Usage: node scripts/native-deps.mjs [--electron] [--force]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const moduleDir = path.join(root, 'node_modules/better-sqlite3');

/** Whether this Node can load the addon (a missing build or another ABI both fail here). */
function loadsInNode() {
  const r = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
    cwd: root,
    stdio: 'ignore',
  });
  return r.status === 0;
}

/** node-gyp as npm ships it (npm's own dependency: present wherever npm is). */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
    path.join(path.dirname(process.execPath), 'node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  for (const c of candidates) if (c && existsSync(c)) return c;
  try {
    return require.resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return null;
  }
}

/** Node's headers next to the running binary (Debian, nvm, the official tarballs): no download. */
function localNodeDir() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return existsSync(path.join(prefix, 'include/node/node.h')) ? prefix : null;
}

const LOCK = path.join(root, 'node_modules/.flux-native-build.lock');
const STALE_LOCK_MS = 15 * 60_000;
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Which runtime the addon in build/Release was made for (`node-<abi>` or `electron-<version>`). */
const MARK = path.join(moduleDir, 'build/Release/.flux-target');
const readMark = () => {
  try {
    return readFileSync(MARK, 'utf8').trim();
  } catch {
    return '';
  }
};
const writeMark = (target) => writeFileSync(MARK, `${target}\n`);

/** One build at a time: two builds in the same folder (two `npm run build`s at once) break each other. */
function lockBuilds() {
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if (err?.code !== 'EEXIST') throw err;
      let age = 0;
      try {
        age = Date.now() - statSync(LOCK).mtimeMs;
      } catch {
        continue;
      }
      if (age > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else sleep(1000);
    }
  }
  return () => rmSync(LOCK, { recursive: true, force: true });
}

function withBuildLock(fn) {
  const unlock = lockBuilds();
  try {
    return fn();
  } finally {
    unlock();
  }
}

export function ensureNativeForNode({ force = false } = {}) {
  if (!existsSync(moduleDir)) return; // not installed (yet): the build's own import errors say so
  if (!force && loadsInNode()) return;
  withBuildLock(() => build(force));
}

function build(force) {
  // Another process may have built it while this one waited for the lock.
  if (!force && loadsInNode()) return;
  const gyp = nodeGyp();
  if (!gyp) throw new Error('better-sqlite3 needs building, and node-gyp (shipped with npm) was not found.');
  const nodedir = process.env.npm_config_nodedir || localNodeDir();
  console.log('Building better-sqlite3 for this Node (once, about two minutes)…');
  const args = [gyp, 'rebuild', '--release', `--jobs=max`];
  if (nodedir) args.push(`--nodedir=${nodedir}`);
  const r = spawnSync(process.execPath, args, { cwd: moduleDir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0 || !loadsInNode()) {
    console.error(`${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n').slice(-30).join('\n'));
    throw new Error('Could not build better-sqlite3: python3, make and a C++ compiler are needed.');
  }
  writeMark(`node-${process.versions.modules}`);
}

/**
 * For `npm start` / `npm run dist`: the addon for the Electron in node_modules (@electron/rebuild,
 * which fetches Electron's headers). Done once per Electron version; the next `npm run build` makes
 * it for Node again. When it fails (offline), the addon is made for Node again, so the tests and
 * the web preview keep working, and the error says why.
 */
export async function ensureNativeForElectron() {
  if (!existsSync(moduleDir)) return;
  const electronVersion = require('electron/package.json').version;
  const target = `electron-${electronVersion}`;
  if (readMark() === target) return;
  const unlock = lockBuilds();
  try {
    if (readMark() === target) return;
    console.log(`Building better-sqlite3 for Electron ${electronVersion} (once)…`);
    const { rebuild } = await import('@electron/rebuild');
    try {
      await rebuild({ buildPath: root, electronVersion, onlyModules: ['better-sqlite3'], force: true });
      writeMark(target);
    } catch (err) {
      build(true);
      throw new Error(
        `Could not build better-sqlite3 for Electron ${electronVersion} (its headers are downloaded once): ` +
          `${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
      );
    }
  } finally {
    unlock();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--electron')) await ensureNativeForElectron();
  else ensureNativeForNode({ force: process.argv.includes('--force') });
}
