/**
 * The fault suite's harness: the real core (router → job runner → providers → library) against
 * three fake Spaces over real HTTP, with short timeouts, plus the invariants every fault must leave
 * true: the job ended in time with a clear error (or was saved), no partial file is left, and the
 * history matches the files on disk — also after a restart.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { expect } from 'vitest';
import { createCore, type Core } from '../../main/core';
import { isTempFileName } from '../../main/library/atomic-write';
import { LAYOUT } from '../../main/library/paths';
import { resolveInside } from '../../main/security/confine';
import { readImportedParams } from '../../main/library/png-metadata';
import type { InvokeChannel, InvokeResult } from '../../shared/contract';
import { ERROR_CODES, type ErrorInfo } from '../../shared/errors';
import type { JobState } from '../../shared/events';
import type { GenerationParamsInput, BuiltinProviderId as ProviderId } from '../../shared/params';
import { startFakeSpaces, type FakeSpaceOptions, type FakeSpaces, type GradioVersion } from '../fake-space';

/** Short enough that the timeouts fire quickly, long enough for a loaded 2-core machine's loopback. */
export const TIMEOUTS = { idleTimeoutMs: 1000, progressTimeoutMs: 1500 } as const;

/** A busy queue is retried twice, quickly (the app waits 2, 5 and 10 s). */
export const BUSY_RETRY_DELAYS_MS = [20, 40] as const;
/** A starting Space is polled often and waited for briefly (the app: every 2 s, up to 5 min). */
export const SPACE_STATES = { pollMs: 25, wakeTimeoutMs: 1500 } as const;

/** The core options every harness core gets (and a test that builds its own core can reuse). */
export const CORE_TEST_OPTIONS = {
  ...TIMEOUTS,
  busyRetryDelaysMs: BUSY_RETRY_DELAYS_MS,
  spaceStates: SPACE_STATES,
} as const;

/** Heartbeats well inside the idle timeout, so a healthy stream is never taken for a silent one. */
export const SPACE_OPTIONS: FakeSpaceOptions = {
  timing: { stepMs: 5, queueUpdates: 1, progressSteps: 2, previews: 1, heartbeatMs: 200 },
};

/**
 * The longest one provider attempt may take: each request that can stall is bounded by the idle
 * timeout (config, page, jwt, join, stream, cancel, download) — at most four of them stack before
 * an attempt fails — and a silent stream by the progress timeout; plus the busy retries' waits and
 * slack for a busy machine. (A join failure's one re-probe repeats only quick failures: HTTP
 * errors and protocol violations, never a timeout.)
 */
export const ATTEMPT_BOUND_MS =
  4 * TIMEOUTS.idleTimeoutMs + TIMEOUTS.progressTimeoutMs + BUSY_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) + 1500;

export const PINNED: Record<ProviderId, GenerationParamsInput> = {
  'bfl-flux1-dev': { prompt: 'fault suite', model: 'flux-dev', provider: 'bfl-flux1-dev' },
  'bfl-flux1-schnell': { prompt: 'fault suite', model: 'flux-schnell', provider: 'bfl-flux1-schnell' },
  'voodoohop-flux1-schnell': { prompt: 'fault suite', model: 'flux-schnell', provider: 'voodoohop-flux1-schnell' },
};
/**
 * Small images: the fake Space makes them quickly, and the suite is about faults, not pixels. 256 is
 * the FLUX Spaces' slider minimum (a smaller size is refused before anything is sent).
 */
const SMALL = { width: 256, height: 256, steps: 2 } as const;

export const SMALL_PARAMS = SMALL;
export const TERMINAL = new Set<JobState['state']>(['done', 'failed', 'cancelled']);

export interface Harness {
  root: string;
  dataDir: string;
  libraryDir: string;
  spaces: FakeSpaces;
  core: Core;
  /** Messages the core logged (errors it swallowed on purpose, e.g. a lost preview). */
  logs: string[];
  /** Invokes a channel the way a transport does; throws with the error's words when it fails. */
  call<C extends InvokeChannel>(channel: C, args?: unknown): Promise<InvokeResult<C>>;
  /** Every jobs:update event, in order. */
  updates: JobState[];
  /** Starts one job and waits for its end; `boundMs` is how long it may take. */
  generate(params: GenerationParamsInput, boundMs?: number): Promise<{ job: JobState; ms: number }>;
  /** Resolves with a job's final state, or rejects after `boundMs`. */
  ended(jobId: string, boundMs: number): Promise<JobState>;
  /** Restarts the core on the same folders (what a user does after a crash or a bad day). */
  restart(): Promise<Core>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  hfToken?: string;
  /** The Gradio release every fake Space plays (default: the fake's, 5.49). */
  gradioVersion?: GradioVersion;
  /** Options of all three Spaces (default SPACE_OPTIONS); `gradioVersion` above wins. */
  spaces?: FakeSpaceOptions;
  /** Per-provider options merged over them (e.g. `serveConfig: false` for the call API). */
  per?: Partial<Record<ProviderId, FakeSpaceOptions>>;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const root = await mkdtemp(path.join(tmpdir(), 'fg-faults-'));
  const dataDir = path.join(root, 'data');
  const libraryDir = path.join(root, 'library');
  const common: FakeSpaceOptions = {
    ...(opts.spaces ?? SPACE_OPTIONS),
    ...(opts.gradioVersion ? { gradioVersion: opts.gradioVersion } : {}),
  };
  const spaces = await startFakeSpaces(common, opts.per ?? {});
  const logs: string[] = [];
  const updates: JobState[] = [];
  const latest = new Map<string, JobState>();
  const waiters = new Map<string, (j: JobState) => void>();

  const open = async () => {
    const core = await createCore({
      dataDir,
      defaultLibraryDir: libraryDir,
      transport: 'web',
      appVersion: 'fault-suite',
      log: (m, e) => logs.push(e instanceof Error ? `${m}: ${e.message}` : m),
      ...CORE_TEST_OPTIONS,
    });
    core.events.subscribe((channel, payload) => {
      if (channel !== 'jobs:updated') return;
      const job = payload as JobState;
      updates.push(job);
      latest.set(job.id, job);
      if (TERMINAL.has(job.state)) waiters.get(job.id)?.(job);
    });
    return core;
  };

  const h: Harness = {
    root,
    dataDir,
    libraryDir,
    spaces,
    core: await open(),
    logs,
    updates,
    async call(channel, args) {
      const r = await h.core.router.invoke(channel, args, { transport: 'web' });
      if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
      return r.value as InvokeResult<typeof channel>;
    },
    ended(id, boundMs) {
      return new Promise<JobState>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(id);
          reject(new Error(`job did not end within ${boundMs} ms (last state: ${latest.get(id)?.state})`));
        }, boundMs);
        const done = (j: JobState) => {
          clearTimeout(timer);
          waiters.delete(id);
          resolve(j);
        };
        const seen = latest.get(id);
        if (seen && TERMINAL.has(seen.state)) done(seen);
        else waiters.set(id, done);
      });
    },
    async generate(params, boundMs = ATTEMPT_BOUND_MS) {
      const t0 = performance.now();
      const { jobs } = await h.call('jobs:start', { params: { ...SMALL, ...params }, count: 1 });
      const job = await h.ended(jobs[0]!.id, boundMs);
      const ms = performance.now() - t0;
      // The job's state is final; its slot must free too (the provider really stopped).
      await withTimeout(h.core.jobs.idle(), 3000, 'the job runner did not become idle');
      return { job, ms };
    },
    async restart() {
      await h.core.dispose();
      h.core = await open();
      await h.core.settings.update({ providerUrls: spaces.providerUrls, hfUrl: spaces.hfUrl });
      return h.core;
    },
    async close() {
      await h.core.dispose();
      await spaces.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  // The fake Spaces stand in for Hugging Face through the settings a user would change.
  await h.call('settings:update', {
    providerUrls: spaces.providerUrls,
    hfUrl: spaces.hfUrl,
    ...(opts.hfToken ? { hfToken: opts.hfToken } : {}),
  });
  return h;
}

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} (after ${ms} ms)`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What a person reads: a known code that is not the catch-all `internal` (that would be an
 * unhandled case), one or two sentences, no markup, no raw JSON, no leaked `undefined`.
 */
export function expectClearError(error: ErrorInfo | null | undefined): asserts error is ErrorInfo {
  expect(error, 'a failed job carries an error').toBeTruthy();
  const e = error!;
  expect(ERROR_CODES).toContain(e.code);
  expect(e.code, e.message).not.toBe('internal');
  expect(e.message.length, e.message).toBeGreaterThan(10);
  expect(e.message.length, e.message).toBeLessThanOrEqual(700);
  expect(e.message, 'starts like a sentence').toMatch(/^[A-Z]/);
  expect(e.message, 'ends like a sentence').toMatch(/[.!?)]$/);
  expect(e.message, 'no HTML').not.toMatch(/<\/?[a-z!][^>]*>|&lt;|&quot;|DOCTYPE/i);
  expect(e.message, 'no raw JSON').not.toMatch(/[{[]\s*"/);
  expect(e.message, 'no leaked values').not.toMatch(/\bundefined\b|\bnull\b|\[object |NaN/);
  expect(e.message, 'one paragraph').not.toMatch(/\n/);
}

/** Every file below `dir`, relative, with forward slashes. */
export async function listFiles(dir: string, rel = ''): Promise<string[]> {
  let dirents;
  try {
    dirents = await readdir(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const d of dirents) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) out.push(...(await listFiles(dir, r)));
    else out.push(r);
  }
  return out;
}

/** A write that never finished: our atomic writer's temp names, or conf's (`….json.tmp-…`). */
const isPartial = (rel: string) => {
  const name = rel.split('/').at(-1)!;
  return isTempFileName(name) || /\.tmp(-|$)/.test(name);
};

/**
 * The library after any number of faults: exactly `entries` history entries, each pointing at a
 * whole PNG (with our metadata) and its WebP thumbnail; no image or thumbnail without an entry;
 * no temp file anywhere under the data or library folder.
 */
export async function expectLibraryIntact(
  h: Pick<Harness, 'core' | 'libraryDir' | 'dataDir'>,
  entries: number,
): Promise<void> {
  const files = await listFiles(h.libraryDir);
  expect(files.filter(isPartial), 'partial files in the library').toEqual([]);
  expect((await listFiles(h.dataDir)).filter(isPartial), 'partial files in the data folder').toEqual([]);

  const page = h.core.library().query({ limit: 5000 });
  expect(page.total, 'history entries').toBe(entries);
  const expected = new Set<string>();
  for (const e of page.items) {
    expected.add(e.file).add(e.thumb);
    const image = resolveInside(h.libraryDir, e.file);
    const thumb = resolveInside(h.libraryDir, e.thumb);
    expect(image.exists, `${e.file} exists`).toBe(true);
    expect(thumb.exists, `${e.thumb} exists`).toBe(true);
    const png = await readFile(image.abs);
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', e.width, e.height]);
    // Decoding every pixel proves the file is whole, not only its header.
    await sharp(png, { failOn: 'error' }).raw().toBuffer();
    expect(readImportedParams(png)).toMatchObject({ source: 'flux-gallery', prompt: e.prompt });
    expect((await sharp(thumb.abs).metadata()).format).toBe('webp');
  }
  const media = files.filter((f) => f.startsWith(`${LAYOUT.images}/`) || f.startsWith(`${LAYOUT.thumbs}/`));
  expect(
    media.filter((f) => !expected.has(f)),
    'images or thumbnails without a history entry',
  ).toEqual([]);
}

/**
 * Restarts the core on the same folders: the history must load as it was — no damaged shard
 * moved aside, no entry dropped, nothing to rebuild from orphan images.
 */
export async function expectHistorySurvivesRestart(h: Harness, entries: number): Promise<void> {
  await h.restart();
  const report = h.core.library().report;
  expect(report).toMatchObject({ entries, corruptBackups: [], droppedEntries: 0, recovered: 0, unreadable: [] });
  await expectLibraryIntact(h, entries);
}

/** No event stream left open on any fake Space: a failed or finished job closed its connections. */
export async function expectNoOpenStreams(h: Harness): Promise<void> {
  const open = () => Object.values(h.spaces.spaces).reduce((n, s) => n + s.openStreams(), 0);
  // The server notices a client's close a moment later.
  const until = Date.now() + 2000;
  while (open() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  expect(open(), 'event streams still open').toBe(0);
}

/** Collects unhandled rejections and uncaught exceptions for the duration of a test file. */
export function trackProcessErrors(): { errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const onError = (err: unknown) => errors.push(err);
  process.on('unhandledRejection', onError);
  process.on('uncaughtException', onError);
  return {
    errors,
    stop() {
      process.off('unhandledRejection', onError);
      process.off('uncaughtException', onError);
    },
  };
}

/** A job ends once: no update follows its first final state (no "failed" turning into "done"). */
export function expectEndedOnce(h: Harness, jobId: string): void {
  const mine = h.updates.filter((u) => u.id === jobId);
  const end = mine.findIndex((u) => TERMINAL.has(u.state));
  expect(end, 'the job reached a final state').toBeGreaterThanOrEqual(0);
  expect(
    mine.slice(end + 1).map((u) => u.state),
    'updates after the job ended',
  ).toEqual([]);
}
