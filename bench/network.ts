/**
 * Network path benchmark, on loopback against the fake Space (test/fake-space) with no artificial
 * delays (stepMs 0: the Space sends its messages as fast as the event loop allows).
 *
 *   npm run bench -- network      (or: node bench/run.mjs network after a build)
 *
 * 1. complete → saved: from the Space's final `process_completed` reaching our provider (the
 *    `image` event) to the image saved with its history entry, through the job runner wired as
 *    main/core.ts wires it (download, PNG check, metadata, thumbnail, atomic writes, history), as a
 *    ratio to a bare download of the same bytes (undici `request` of the same /file= URL).
 * 2. Our client against the official `@gradio/client`, side by side: per job and per batch of 20
 *    concurrent jobs, median time and peak memory. Three ways to make one image:
 *    - app: the job runner as the app runs it (previews, download, library save with thumbnail);
 *    - ours: routeGeneration → downloadImage → writeFile (the same work as the next line);
 *    - @gradio/client: predict('/infer') → fetch(file url) → writeFile, on one connected Client.
 *
 * The fake Spaces run in this process; every measured client runs in a child process of its own,
 * so the peak memory of one never mixes with the server's or another client's.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { createJobRunner } from '../main/jobs/job-runner';
import { openLibrary } from '../main/library/library';
import { createNodePlatform } from '../main/platform';
import { downloadImage } from '../main/providers/download';
import { createFailureMemory } from '../main/providers/failure-memory';
import { resolveParams, routeGeneration, type RouteOptions } from '../main/providers/registry';
import type { JobState } from '../shared/events';
import { GenerationParamsSchema, type GenerationParams } from '../shared/params';
import { startFakeSpace, type FakeSpace } from '../test/fake-space';
import { sizedImage } from '../test/fake-space/images';
import { startMemorySampler, type MemoryPeaks } from './lib/memory';
import { MIB, bytes, markdownTable, median, ms, ratio } from './lib/report';

type Mode = 'ratio' | 'app' | 'ours' | 'gradio';

interface ChildSpec {
  mode: Mode;
  url: string;
  /** Jobs at once. */
  concurrency: number;
  /** Rounds measured (a round is one job, or one batch of `concurrency` jobs), after one warm-up job. */
  rounds: number;
}

interface ChildResult extends MemoryPeaks {
  /** Start → done of every measured job. */
  jobMs: number[];
  /** Start → last job done, per measured round. */
  roundMs: number[];
  /** ratio mode: per job, from the image event. */
  toBytesMs?: number[];
  toSavedMs?: number[];
  bareMs?: number[];
  /** downloadImage of the same URL, outside a job. */
  aloneMs?: number[];
  imageBytes?: number;
}

const SIZES = [
  { label: '1 MB', bytes: 1 * MIB },
  { label: '8 MB', bytes: 8 * MIB },
];
const PROVIDER = 'bfl-flux1-dev' as const;
const RATIO_JOBS = 9;
/** The Dev Space's layout: prompt, seed, randomize_seed, width, height, guidance_scale, steps. */
const gradioInputs = (n: number) => [`a red fox, number ${n}`, n, false, 1024, 1024, 3.5, 28];
const params = (n: number): GenerationParams =>
  GenerationParamsSchema.parse({
    prompt: `a red fox, number ${n}`,
    model: 'flux-dev',
    provider: PROVIDER,
    seed: n,
    randomizeSeed: false,
    width: 1024,
    height: 1024,
  });

// ---- child side: one client, one workload ------------------------------------------------------

async function child(spec: ChildSpec): Promise<ChildResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fg-bench-net-'));
  try {
    const job = await makeJob(spec, dir);
    let n = 0;
    const round = async (jobMs: number[]) => {
      const t0 = performance.now();
      const ends = await Promise.all(
        Array.from({ length: spec.concurrency }, async () => {
          const t = performance.now();
          await job(n++);
          return performance.now() - t;
        }),
      );
      jobMs.push(...ends);
      return performance.now() - t0;
    };
    // Warm-up, one job: config cached, a connection open, code paths compiled, for every client alike.
    await job(n++);
    job.reset?.();
    const memory = startMemorySampler();
    const jobMs: number[] = [];
    const roundMs: number[] = [];
    for (let r = 0; r < spec.rounds; r++) roundMs.push(await round(jobMs));
    return { ...memory.stop(), jobMs, roundMs, ...job.extra?.() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Job = ((n: number) => Promise<void>) & { reset?: () => void; extra?: () => Partial<ChildResult> };

async function makeJob(spec: ChildSpec, dir: string): Promise<Job> {
  const route: RouteOptions = {
    providerUrls: { [PROVIDER]: spec.url },
    hfUrl: spec.url,
    failures: createFailureMemory(),
  };
  if (spec.mode === 'gradio') {
    const { Client } = await import('@gradio/client');
    const client = await Client.connect(spec.url);
    return async (n) => {
      const result = await client.predict('/infer', gradioInputs(n));
      const [file] = result.data as [{ url: string }, number];
      const res = await fetch(file.url);
      if (!res.ok) throw new Error(`@gradio/client file download: HTTP ${res.status}`);
      await writeFile(path.join(dir, `${n}.png`), Buffer.from(await res.arrayBuffer()));
    };
  }
  if (spec.mode === 'ours') {
    return async (n) => {
      let url: string | null = null;
      for await (const ev of routeGeneration(params(n), route)) if (ev.type === 'image') url = ev.url;
      if (!url) throw new Error('no image');
      const { bytes } = await downloadImage(url);
      await writeFile(path.join(dir, `${n}.png`), bytes);
    };
  }
  return appJob(spec, dir, route);
}

/** The job runner with the core's wiring (concurrency raised: the app's setting stops at 4). */
async function appJob(spec: ChildSpec, dir: string, route: RouteOptions): Promise<Job> {
  const library = await openLibrary({ dir, platform: createNodePlatform(path.join(dir, '.trash')), log: () => {} });
  const waiting = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  // ratio mode runs one job at a time: when its image event passed, its bytes were in, it was saved.
  let marks: { url: string; image: number; bytes?: number; saved?: number } | null = null;
  const runner = createJobRunner({
    generate: (p, { signal }) => {
      const inner = routeGeneration(p, { ...route, signal });
      return (async function* () {
        for await (const ev of inner) {
          if (ev.type === 'image') marks = { url: ev.url, image: performance.now() };
          yield ev;
        }
      })();
    },
    download: async (url, signal, o) => {
      const got = await downloadImage(url, { signal, ...o });
      if (marks?.url === url) marks.bytes = performance.now();
      return got;
    },
    save: async (input) => {
      const entry = await library.saveImage(input);
      if (marks) marks.saved = performance.now();
      return entry;
    },
    resolveParams,
    onUpdate: (job: JobState) => {
      const w = waiting.get(job.id);
      if (!w) return;
      if (job.state === 'done') w.resolve();
      else if (job.state === 'failed' || job.state === 'cancelled')
        w.reject(new Error(job.error?.message ?? job.state));
    },
    concurrency: () => spec.concurrency,
    log: () => {},
  });

  const toBytesMs: number[] = [];
  const toSavedMs: number[] = [];
  const bareMs: number[] = [];
  const aloneMs: number[] = [];
  let imageBytes = 0;
  const job: Job = async (n) => {
    const [state] = runner.start({ params: params(n), count: 1 });
    await new Promise<void>((resolve, reject) => waiting.set(state!.id, { resolve, reject }));
    waiting.delete(state!.id);
    if (spec.mode !== 'ratio') return;
    const m = marks as { url: string; image: number; bytes?: number; saved?: number } | null;
    if (!m?.bytes || !m.saved) throw new Error('ratio: missing marks');
    toBytesMs.push(m.bytes - m.image);
    toSavedMs.push(m.saved - m.image);
    // The bare download: the same URL, the same bytes, nothing else. Then downloadImage alone on
    // it, to tell our download code from what runs beside it in a job (stream wind-down, previews).
    // Their order alternates so neither always gets the warmer connection.
    const bare = async () => {
      const t = performance.now();
      const res = await request(m.url);
      const body = await res.body.arrayBuffer();
      bareMs.push(performance.now() - t);
      if (res.statusCode !== 200 || body.byteLength === 0) throw new Error(`bare download: HTTP ${res.statusCode}`);
      imageBytes = body.byteLength;
    };
    const alone = async () => {
      const t = performance.now();
      await downloadImage(m.url);
      aloneMs.push(performance.now() - t);
    };
    if (n % 2) await bare().then(alone);
    else await alone().then(bare);
  };
  job.reset = () => {
    toBytesMs.length = toSavedMs.length = bareMs.length = aloneMs.length = 0;
  };
  job.extra = () => (spec.mode === 'ratio' ? { toBytesMs, toSavedMs, bareMs, aloneMs, imageBytes } : {});
  return job;
}

// ---- parent side: the fake Spaces, the children, the tables ------------------------------------

function runChild(spec: ChildSpec): Promise<ChildResult> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    // Asynchronous spawn: the fake Spaces in this process must keep serving meanwhile.
    const p = spawn(process.execPath, ['--expose-gc', self, '--child', JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${spec.mode} child exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult);
      } catch (err) {
        reject(new Error(`${spec.mode} child printed no result: ${String(err)}`));
      }
    });
  });
}

const LABEL: Record<Exclude<Mode, 'ratio'>, string> = {
  app: 'app: job runner → library save',
  ours: 'ours: route → download → write',
  gradio: '@gradio/client: predict → fetch → write',
};

async function main(): Promise<void> {
  const spaces: FakeSpace[] = [];
  try {
    for (const size of SIZES) {
      spaces.push(
        await startFakeSpace({
          image: { format: 'png', bytes: size.bytes },
          // Jobs at once are what is measured: no queue in front of them (real Spaces set their own).
          concurrencyLimit: null,
          // No sleeps between messages; heartbeats far apart so they never interleave a job.
          timing: { stepMs: 0, joinDelayMs: 0, heartbeatMs: 30_000 },
        }),
      );
      await sizedImage(size.bytes, 'png'); // made once, before any client waits for it
    }

    const ratioRows: string[][] = [];
    for (const [i, size] of SIZES.entries()) {
      const r = await runChild({ mode: 'ratio', url: spaces[i]!.url, concurrency: 1, rounds: RATIO_JOBS });
      const bare = median(r.bareMs!);
      const toBytes = median(r.toBytesMs!);
      const toSaved = median(r.toSavedMs!);
      ratioRows.push([
        `${size.label} (${bytes(r.imageBytes!)} PNG)`,
        ms(bare),
        ms(median(r.aloneMs!)),
        ms(toBytes),
        ms(toSaved),
        ratio(toBytes, bare),
        ratio(toSaved, bare),
      ]);
    }
    console.log('### complete → saved, against a bare download of the same bytes\n');
    console.log(
      markdownTable(
        [
          'image',
          'bare download',
          'downloadImage alone',
          'complete → bytes',
          'complete → saved',
          'bytes ÷ bare',
          'saved ÷ bare',
        ],
        ratioRows,
        [false, true, true, true, true, true, true],
      ),
    );
    console.log(
      `\nMedians of ${RATIO_JOBS} sequential jobs.` +
        ' "complete → bytes": the image event to the download done; "complete → saved":' +
        '\nto the history entry written (PNG check, metadata, 256 px WebP thumbnail, fsynced atomic writes, index).\n',
    );

    const rows: string[][] = [];
    for (const [i, size] of SIZES.entries()) {
      for (const concurrency of [1, 20]) {
        for (const mode of ['app', 'ours', 'gradio'] as const) {
          const r = await runChild({ mode, url: spaces[i]!.url, concurrency, rounds: concurrency === 1 ? 10 : 3 });
          rows.push([
            size.label,
            String(concurrency),
            LABEL[mode],
            ms(median(r.jobMs)),
            concurrency === 1 ? '' : ms(median(r.roundMs)),
            bytes(r.peakRss),
            bytes(r.idleRss),
            bytes(r.peakHeapAndBuffers),
          ]);
        }
      }
    }
    console.log('### our client against @gradio/client\n');
    console.log(
      markdownTable(
        ['image', 'jobs at once', 'client', 'median job', 'median batch', 'peak RSS', 'idle RSS', 'peak heap+buffers'],
        rows,
        [false, true, false, true, true, true, true, true],
      ),
    );
    console.log(
      '\nEach row is its own process (fake Space in the parent), after one warm-up job: 10 single jobs, or 3' +
        '\nbatches of 20 started at once (median job over all 60, median batch = until the last of 20 is done).' +
        '\nPeak RSS: the kernel high-water mark of that process; heap+buffers: sampled every 10 ms.' +
        '\nOurs also fetches the Space page per job (ZeroGPU token), which @gradio/client in Node does not;' +
        '\nthe app row also downloads the preview images and saves through the library (see library bench).',
    );
  } finally {
    await Promise.all(spaces.map((s) => s.close()));
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) {
  const result = await child(JSON.parse(process.argv[at + 1]!) as ChildSpec);
  console.log(JSON.stringify(result));
  // Keep-alive sockets (both HTTP clients pool them) would hold the process open.
  process.exit(0);
} else {
  await main();
}
