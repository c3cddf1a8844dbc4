/** Shared fixtures for library tests: temp folders, real images, save inputs. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { GenerationParamsSchema, type GenerationParamsInput, type ResolvedParams } from '../../shared/params';
import type { SaveImageInput } from '../../main/library/library';

export async function tempDir(prefix = 'fg-lib-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A real image with some structure (a gradient), so encoders do real work. */
export async function makeImage(format: 'png' | 'jpeg' | 'webp', width = 64, height = 48, seed = 1): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * 4 + seed * 31) & 255;
      raw[i + 1] = (y * 5 + seed * 17) & 255;
      raw[i + 2] = (x * y + seed) & 255;
    }
  }
  const img = sharp(raw, { raw: { width, height, channels: 3 } });
  return img[format]().toBuffer();
}

export function params(over: GenerationParamsInput | Partial<GenerationParamsInput> = {}) {
  return GenerationParamsSchema.parse({ prompt: 'a red fox in the snow', model: 'flux-dev', ...over });
}

export function resolvedFor(p: ReturnType<typeof params>, over: Partial<ResolvedParams> = {}): ResolvedParams {
  return {
    prompt: p.prompt,
    width: p.width ?? 1024,
    height: p.height ?? 1024,
    steps: p.steps ?? 28,
    // Flux-1-Dev's default, as its provider sends it.
    guidance: p.guidance ?? 3.5,
    seed: p.seed,
    randomizeSeed: p.randomizeSeed,
    aspectRatio: p.aspectRatio,
    ...over,
  };
}

export async function saveInput(over: Partial<SaveImageInput> & { prompt?: string } = {}): Promise<SaveImageInput> {
  const { prompt, ...rest } = over;
  const request = rest.request ?? params(prompt ? { prompt } : {});
  return {
    bytes: await makeImage('png'),
    request,
    providerId: 'bfl-flux1-dev',
    resolved: resolvedFor(request),
    seed: 12345,
    durationMs: 4200,
    ...rest,
  };
}

/** The pid of a process that has ended (a child run to completion), for "abandoned by a dead writer". */
export function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  if (r.pid === undefined) throw new Error('could not start a child process');
  return r.pid;
}

/** Writes a history shard as versions before the SQLite index did (`history-00000n.json`). */
export async function writeLegacyShard(
  indexDir: string,
  n: number,
  entries: unknown[],
  format: unknown = 1,
): Promise<string> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(indexDir, { recursive: true });
  const file = path.join(indexDir, `history-${String(n).padStart(6, '0')}.json`);
  await writeFile(file, JSON.stringify({ format, entries }));
  return file;
}

/** The SQLite file change counter (header bytes 24–27): one more for every committed write transaction. */
export async function changeCounter(dbFile: string): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  return (await readFile(dbFile)).readUInt32BE(24);
}

/**
 * Another process holding a write transaction on a SQLite database (`BEGIN IMMEDIATE` in a child
 * process, as the CLI or the app would while writing) until `release` is called, or for
 * `releaseAfterMs` (the other process ends it by itself: this one may be blocked in a wait).
 */
export async function holdWriteLock(
  dbFile: string,
  releaseAfterMs?: number,
): Promise<{ release: () => Promise<void> }> {
  const { spawn } = await import('node:child_process');
  const { createRequire } = await import('node:module');
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const script = `
    const Database = require(${JSON.stringify(sqlite)});
    const db = new Database(${JSON.stringify(dbFile)});
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('held\\n');
    process.stdin.on('data', () => {});
    const release = () => { db.exec('ROLLBACK'); db.close(); process.exit(0); };
    process.stdin.on('end', release);
    ${releaseAfterMs !== undefined ? `setTimeout(release, ${releaseAfterMs});` : ''}
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    void exited.then((code) => reject(new Error(`the lock holder exited (${code}): ${stderr}`)));
  });
  return {
    release: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
