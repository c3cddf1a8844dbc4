/**
 * A writer process killed with SIGKILL mid-write: no half file, no entry pointing at nothing, and
 * the next start cleans up. The child runs our real code, bundled with esbuild (Node 20 cannot run
 * TypeScript directly).
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { existsSync, watch } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import sharp from 'sharp';
import { isTempFileName, removeTempFiles } from '../../main/library/atomic-write';
import { openLibrary } from '../../main/library/library';
import { LAYOUT, relPathsFor } from '../../main/library/paths';
import { createNodePlatform } from '../../main/platform';
import { tempDir } from './helpers';

const repo = fileURLToPath(new URL('../../', import.meta.url));
// Inside the repo so the bundle's bare imports (sharp, conf, zod) resolve from node_modules.
const bundle = path.join(repo, 'node_modules/.cache/flux-gallery-tests/crash-child.mjs');

beforeAll(async () => {
  await build({
    entryPoints: [path.join(repo, 'test/library/crash-child.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
}, 60_000);

/** Starts the child and resolves with it once `ready(lines)` is true. */
function startChild(
  args: string[],
  ready: (lines: string[]) => boolean,
): Promise<{ child: ChildProcess; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let err = '';
    let buf = '';
    let done = false;
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      lines.push(...parts);
      if (!done && ready(lines)) {
        done = true;
        resolve({ child, lines });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      if (!done) reject(new Error(`child exited early (${code ?? signal}): ${err}`));
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash safety (SIGKILL)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('fg-crash-'));
  });
  afterAll(() => cleanup());

  it('an atomic write killed midway leaves the old file or the new one, never a mix', async () => {
    const target = path.join(dir, 'atomic', 'big.bin');
    await mkdir(path.dirname(target), { recursive: true });
    const size = 48 * 1024 * 1024;
    let killedMidWrite = 0;
    for (let attempt = 0; attempt < 12 && killedMidWrite < 2; attempt++) {
      const { child } = await startChild(['atomic', target, String(size)], (l) => l.length >= 2);
      await sleep(Math.random() * 40);
      await kill(child);
      const names = await readdir(path.dirname(target));
      const temps = names.filter(isTempFileName);
      if (temps.length > 0) killedMidWrite++;
      if (existsSync(target)) {
        const data = await readFile(target);
        expect(data.length).toBe(size);
        const first = data[0];
        expect(data.every((b) => b === first)).toBe(true);
      }
      expect(await removeTempFiles(path.dirname(target))).toBe(temps.length);
      expect((await readdir(path.dirname(target))).filter(isTempFileName)).toEqual([]);
    }
    // The kills really landed during writes (temp files were left behind).
    expect(killedMidWrite).toBeGreaterThan(0);
  }, 120_000);

  it('a library killed while saving keeps a consistent history', async () => {
    const libDir = path.join(dir, 'library');
    const monthDir = path.dirname(path.join(libDir, relPathsFor('x', new Date()).file));
    const indexDir = path.join(libDir, LAYOUT.index);
    await mkdir(monthDir, { recursive: true });
    await mkdir(indexDir, { recursive: true });
    const reported = new Set<string>();
    let tempsRemoved = 0;
    let recovered = 0;
    // Kill when an image temp file appears, when an index temp file appears, or at a random time.
    const plans = ['image', 'index', 'random', 'image', 'index', 'random'] as const;
    for (const plan of plans) {
      const { child, lines } = await startChild(['library', libDir], (l) =>
        plan === 'random' ? l.filter((x) => x.startsWith('saved')).length >= 2 : l.length >= 1,
      );
      if (plan === 'random') {
        await sleep(Math.random() * 150);
        await kill(child);
      } else {
        const watched = plan === 'image' ? monthDir : indexDir;
        // Images are written through a temp file named after its writer; the SQLite index through
        // its rollback journal, there only while a transaction writes.
        const isTemp = (name: string) => (plan === 'image' ? isTempFileName(name) : name === 'history.sqlite-journal');
        await new Promise<void>((resolve) => {
          const w = watch(watched, (_ev, name) => {
            if (name && isTemp(String(name))) {
              w.close();
              void kill(child).then(resolve);
            }
          });
        });
      }
      for (const l of lines) if (l.startsWith('saved ')) reported.add(l.slice(6));

      const lib = await openLibrary({ dir: libDir, platform: createNodePlatform(path.join(dir, 'trash')) });
      tempsRemoved += lib.report.tempFilesRemoved;
      recovered += lib.report.recovered;
      // Every save the child reported is in the history.
      for (const id of reported) expect(lib.get(id).id).toBe(id);
      // Every entry points at a whole, decodable image; every image file is in the history.
      const entries = lib.query({ limit: 5000 }).items;
      for (const e of entries) {
        const file = path.join(libDir, e.file);
        expect((await stat(file)).size).toBe(e.bytes);
        const { info } = await sharp(file, { failOn: 'error' }).raw().toBuffer({ resolveWithObject: true });
        expect([info.width, info.height]).toEqual([1024, 1024]);
      }
      const files = (await readdir(path.join(libDir, 'images'), { recursive: true })).filter((f) => f.endsWith('.png'));
      expect(files.length).toBe(entries.length);
      const all = await readdir(libDir, { recursive: true });
      expect(all.filter((f) => isTempFileName(path.basename(f)) || /\.tmp-\d/.test(f))).toEqual([]);
      await lib.dispose();
    }
    // The kills really interrupted writes: half-written temp files were cleaned up, and images
    // whose entry was being written when the process died were re-indexed from their metadata.
    expect(tempsRemoved).toBeGreaterThan(0);
    expect(recovered).toBeGreaterThan(0);
  }, 180_000);
});
