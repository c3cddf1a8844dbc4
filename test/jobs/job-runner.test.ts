import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import path from 'node:path';
import { createJobRunner, type DownloadFn, type GenerateFn, type JobRunnerOptions } from '../../main/jobs/job-runner';
import { expandRequest } from '../../main/jobs/expand';
import { openLibrary, type Library } from '../../main/library/library';
import { createNodePlatform } from '../../main/platform';
import type { RoutedEvent } from '../../shared/events';
import { StartJobsSchema } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { JobState } from '../../shared/events';
import type { GenerationParams, ProviderId, ResolvedParams } from '../../shared/params';
import { makeImage, tempDir } from '../library/helpers';

const req = (over: Record<string, unknown> = {}, params: Record<string, unknown> = {}) =>
  StartJobsSchema.parse({ params: { prompt: 'a fox', model: 'flux-dev', ...params }, ...over });

const resolveParams = (_id: ProviderId, p: GenerationParams): ResolvedParams => ({
  prompt: p.prompt,
  width: p.width ?? 1024,
  height: p.height ?? 1024,
  steps: p.steps ?? 28,
  guidance: p.guidance,
  seed: p.seed,
  randomizeSeed: p.randomizeSeed,
  aspectRatio: p.aspectRatio,
});

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** Waits until `cond` holds (the machine may be slow; fixed sleeps would be flaky). */
async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await tick(2);
  }
}

/** A generator that can be driven step by step from the test. */
function controllable() {
  const runs: {
    params: GenerationParams;
    signal: AbortSignal;
    push: (ev: RoutedEvent) => void;
    end: (err?: unknown) => void;
  }[] = [];
  const generate: GenerateFn = (params, { signal }) => {
    const queue: RoutedEvent[] = [];
    let done = false;
    let failure: unknown = null;
    let wake: (() => void) | null = null;
    const poke = () => wake?.();
    signal.addEventListener('abort', poke);
    runs.push({
      params,
      signal,
      push: (ev) => {
        queue.push(ev);
        poke();
      },
      end: (err) => {
        done = true;
        failure = err ?? null;
        poke();
      },
    });
    return (async function* () {
      for (;;) {
        if (signal.aborted) throw new AppError('cancelled', 'Cancelled.');
        const ev = queue.shift();
        if (ev) {
          yield ev;
          continue;
        }
        if (done) {
          if (failure) throw failure;
          return;
        }
        await new Promise<void>((r) => (wake = r));
      }
    })();
  };
  return { generate, runs };
}

/** A generator that plays a script of events for every job. */
const scripted =
  (events: (params: GenerationParams) => (RoutedEvent | Error)[], delayMs = 1): GenerateFn =>
  (params, { signal }) =>
    (async function* () {
      for (const ev of events(params)) {
        await tick(delayMs);
        if (signal.aborted) throw new AppError('cancelled', 'Cancelled.');
        if (ev instanceof Error) throw ev;
        yield ev;
      }
    })();

const P: ProviderId = 'bfl-flux1-dev';

describe('job runner', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let library: Library;
  let files: Map<string, Uint8Array>;
  let updates: JobState[];
  let downloadLimits: (number | undefined)[] = [];
  const download: DownloadFn = async (url, signal, o) => {
    downloadLimits.push(o?.maxBytes);
    await tick(1);
    if (signal.aborted) throw new AppError('cancelled', 'Cancelled.');
    const bytes = files.get(url);
    if (!bytes) throw new AppError('http', `404 for ${url}`, { status: 404 });
    return { bytes, contentType: 'image/png' };
  };
  const runner = (over: Partial<JobRunnerOptions> & Pick<JobRunnerOptions, 'generate'>) =>
    createJobRunner({
      download,
      save: (input) => library.saveImage(input),
      resolveParams,
      onUpdate: (s) => updates.push(s),
      ...over,
    });
  const statesOf = (id: string) => updates.filter((u) => u.id === id).map((u) => u.state);
  const last = (id: string) => updates.filter((u) => u.id === id).at(-1)!;

  beforeEach(async () => {
    ({ dir: root, cleanup } = await tempDir('fg-jobs-'));
    library = await openLibrary({
      dir: path.join(root, 'lib'),
      platform: createNodePlatform(path.join(root, 'trash')),
    });
    files = new Map([
      ['http://space/final.png', await makeImage('png', 64, 64)],
      ['http://space/preview.webp', await makeImage('webp', 16, 16)],
      ['http://space/huge.png', Buffer.concat([await makeImage('png', 8, 8), Buffer.alloc(3 * 1024 * 1024)])],
      ['http://space/html', Buffer.from('<html></html>')],
    ]);
    updates = [];
    downloadLimits = [];
  });
  afterEach(async () => {
    await library.dispose();
    await cleanup();
  });

  it('expands count × prompts, seeds step up when fixed', () => {
    const fixed = expandRequest(req({ count: 3, extraPrompts: ['a cat'] }, { seed: 10, randomizeSeed: false }));
    expect(fixed.map((p) => [p.prompt, p.seed])).toEqual([
      ['a fox', 10],
      ['a fox', 11],
      ['a fox', 12],
      ['a cat', 10],
      ['a cat', 11],
      ['a cat', 12],
    ]);
    const random = expandRequest(req({ count: 2 }, { seed: 5 }));
    expect(random.map((p) => p.seed)).toEqual([5, 5]);
    expect(expandRequest(req({ count: 2 }, { seed: 2_147_483_647, randomizeSeed: false })).map((p) => p.seed)).toEqual([
      2_147_483_647, 0,
    ]);
  });

  it('runs a job through every state and saves the image', async () => {
    const r = runner({
      generate: scripted(() => [
        { type: 'status', status: { code: 'sent' }, providerId: P },
        { type: 'queue', position: 2, size: 5, eta: 3, providerId: P },
        { type: 'progress', step: 1, total: 4, providerId: P },
        { type: 'preview', url: 'http://space/preview.webp', providerId: P },
        { type: 'progress', step: 4, total: 4, providerId: P },
        { type: 'image', url: 'http://space/final.png', seed: 4242, providerId: P },
      ]),
    });
    const [job] = r.start(req());
    // Returned after scheduling: with a free slot the job is already running.
    expect(job).toMatchObject({ state: 'running', providerId: null, entryId: null });
    await r.idle();
    const id = job!.id;
    expect([...new Set(statesOf(id))]).toEqual(['queued', 'running', 'saving', 'done']);
    const seen = updates.filter((u) => u.id === id);
    expect(seen.some((u) => u.queue?.position === 2 && u.queue.size === 5)).toBe(true);
    expect(seen.some((u) => u.progress?.step === 4)).toBe(true);
    expect(seen.some((u) => u.status?.code === 'sent')).toBe(true);
    expect(seen.some((u) => u.previewDataUrl?.startsWith('data:image/webp;base64,'))).toBe(true);
    const done = last(id);
    expect(done).toMatchObject({ state: 'done', providerId: P, error: null, previewDataUrl: null });
    expect(done.startedAt).not.toBeNull();
    expect(done.endedAt).not.toBeNull();
    const entry = library.get(done.entryId!);
    expect(entry).toMatchObject({ seed: 4242, prompt: 'a fox', providerId: P });
    expect(r.list()).toEqual([done]);
  });

  it('saves the image a provider answered with (no download), with what it reported as sent', async () => {
    const bytes = await makeImage('png', 48, 32);
    const inference: ProviderId = 'hf-inference:black-forest-labs/FLUX.1-schnell';
    const r = runner({
      generate: scripted((p) => [
        {
          type: 'image',
          url: 'http://router/fal-ai/models/black-forest-labs/FLUX.1-schnell',
          seed: 77,
          bytes,
          resolved: { ...resolveParams(inference, p), steps: 4, servedBy: 'fal-ai' },
          providerId: inference,
        },
      ]),
    });
    const [job] = r.start(req({}, { provider: inference, model: 'flux-schnell' }));
    await r.idle();
    const done = last(job!.id);
    expect(done).toMatchObject({ state: 'done', providerId: inference });
    expect(downloadLimits).toEqual([]);
    const entry = library.get(done.entryId!);
    expect(entry).toMatchObject({ providerId: inference, model: 'flux-schnell', seed: 77, width: 48, height: 32 });
    expect(entry.params.servedBy).toBe('fal-ai');
  });

  it('saves every image of a gallery as its own entry; one that cannot be fetched is skipped', async () => {
    files.set('http://space/second.png', await makeImage('png', 20, 20));
    files.set('http://space/third.png', await makeImage('png', 24, 24));
    const space: ProviderId = 'space:someone/sdxl';
    const r = runner({
      generate: scripted(() => [
        {
          type: 'image',
          url: 'http://space/final.png',
          moreUrls: ['http://space/second.png', 'http://space/gone.png', 'http://space/third.png'],
          seed: 5,
          providerId: space,
        },
      ]),
    });
    const [job] = r.start(req({}, { provider: space }));
    await r.idle();
    const done = last(job!.id);
    expect(done.state).toBe('done');
    expect(done.moreEntryIds).toHaveLength(2);
    const sizes = [done.entryId!, ...done.moreEntryIds!].map((id) => library.get(id).width);
    expect(sizes).toEqual([64, 20, 24]);
    expect(library.query({ offset: 0, limit: 10 }).total).toBe(3);
  });

  it('skips previews that are too big or not images', async () => {
    const r = runner({
      generate: scripted(() => [
        { type: 'preview', url: 'http://space/huge.png', providerId: P },
        { type: 'preview', url: 'http://space/html', providerId: P },
        { type: 'preview', url: 'http://space/missing', providerId: P },
        { type: 'image', url: 'http://space/final.png', seed: 1, providerId: P },
      ]),
    });
    r.start(req());
    await r.idle();
    expect(updates.every((u) => u.previewDataUrl === null)).toBe(true);
    expect(updates.at(-1)?.state).toBe('done');
    // Previews are fetched with a small size limit, the final image with the default one.
    // (Previews arriving during a preview download are coalesced: only the newest is fetched.)
    const previews = downloadLimits.filter((m) => m !== undefined);
    expect(previews.length).toBeGreaterThanOrEqual(1);
    expect(previews.every((m) => m === 2 * 1024 * 1024)).toBe(true);
    expect(downloadLimits.filter((m) => m === undefined)).toHaveLength(1);
  });

  it('fetches only the newest preview when previews come faster than downloads', async () => {
    const { generate, runs } = controllable();
    const fetched: string[] = [];
    let release: () => void = () => {};
    const gated: DownloadFn = async (url, signal, o) => {
      fetched.push(url);
      if (url.includes('preview') && fetched.length === 1) await new Promise<void>((r) => (release = r));
      return download(url.replace(/\?.*$/, ''), signal, o);
    };
    const r = runner({ generate, download: gated });
    r.start(req());
    await tick(5);
    const run = runs[0]!;
    run.push({ type: 'preview', url: 'http://space/preview.webp?1', providerId: P });
    await until(() => fetched.length === 1);
    run.push({ type: 'preview', url: 'http://space/preview.webp?2', providerId: P });
    run.push({ type: 'preview', url: 'http://space/preview.webp?3', providerId: P });
    // Events are handled in order: once this status shows, both previews were seen.
    run.push({
      type: 'status',
      status: { code: 'space-log', params: { text: 'after previews' } },
      providerId: P,
    });
    await until(() => updates.at(-1)?.status?.params?.text === 'after previews');
    release();
    await until(() => updates.some((u) => u.previewDataUrl !== null) && fetched.length === 2);
    await tick(20);
    expect(fetched).toEqual(['http://space/preview.webp?1', 'http://space/preview.webp?3']);
    run.push({ type: 'image', url: 'http://space/final.png', seed: 1, providerId: P });
    run.end();
    await r.idle();
    expect(updates.at(-1)?.state).toBe('done');
  });

  it('stops a preview download still running when the job ends', async () => {
    const { generate, runs } = controllable();
    let previewSignal: AbortSignal | null = null;
    const hanging: DownloadFn = async (url, signal, o) => {
      if (!url.includes('preview')) return download(url, signal, o);
      previewSignal = signal;
      // A stalled file server: only an abort ends it.
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      throw new AppError('cancelled', 'Cancelled.');
    };
    const r = runner({ generate, download: hanging });
    r.start(req());
    await until(() => runs.length === 1);
    const run = runs[0]!;
    run.push({ type: 'preview', url: 'http://space/preview.webp', providerId: P });
    await until(() => previewSignal !== null);
    run.push({ type: 'image', url: 'http://space/final.png', seed: 1, providerId: P });
    run.end();
    await r.idle();
    expect(updates.at(-1)?.state).toBe('done');
    await until(() => previewSignal!.aborted);
  });

  it('reports failures with their ErrorInfo, and the fallback trail', async () => {
    const r = runner({
      generate: scripted((p) =>
        p.prompt === 'quota'
          ? [
              { type: 'error', error: { code: 'quota', message: 'GPU quota used up.' }, providerId: 'bfl-flux1-dev' },
              {
                type: 'status',
                status: { code: 'generating' },
                providerId: 'bfl-flux1-schnell',
              },
              new AppError('all-providers-failed', 'No provider could make the image.'),
            ]
          : p.prompt === 'noimage'
            ? [{ type: 'status', status: { code: 'space-log', params: { text: 'x' } }, providerId: P }]
            : p.prompt === 'badbytes'
              ? [{ type: 'image', url: 'http://space/html', seed: 1, providerId: P }]
              : [{ type: 'image', url: 'http://space/gone', seed: 1, providerId: P }],
      ),
      concurrency: () => 4,
    });
    const jobs = r.start(req({ extraPrompts: ['noimage', 'badbytes', 'gone'] }, { prompt: 'quota' }));
    await r.idle();
    const [quota, noimage, badbytes, gone] = jobs.map((j) => last(j.id));
    expect(quota).toMatchObject({
      state: 'failed',
      providerId: 'bfl-flux1-schnell',
      error: { code: 'all-providers-failed' },
      failedProviders: [{ providerId: 'bfl-flux1-dev', error: { code: 'quota', message: 'GPU quota used up.' } }],
    });
    expect(noimage).toMatchObject({ state: 'failed', error: { code: 'protocol' } });
    expect(badbytes).toMatchObject({ state: 'failed', error: { code: 'bad-image' } });
    expect(gone).toMatchObject({ state: 'failed', error: { code: 'http', status: 404 } });
    expect(library.size).toBe(0);
  });

  it('limits concurrency per route, and routes run side by side', async () => {
    const { generate, runs } = controllable();
    let limit = 1;
    const r = runner({ generate, concurrency: () => limit });
    const dev = r.start(req({ count: 3 }));
    const pinned = r.start(req({}, { model: 'flux-schnell', provider: 'bfl-flux1-schnell' }));
    await tick(5);
    // One flux-dev job and the pinned schnell job: different routes.
    expect(runs.map((x) => x.params.model)).toEqual(['flux-dev', 'flux-schnell']);
    expect(r.list().filter((j) => j.state === 'running')).toHaveLength(2);
    limit = 2;
    r.reschedule();
    await tick(5);
    expect(runs).toHaveLength(3);
    runs[0]!.push({ type: 'image', url: 'http://space/final.png', seed: 1, providerId: P });
    runs[0]!.end();
    await until(() => runs.length === 4);
    for (const run of runs.slice(1)) {
      run.push({ type: 'image', url: 'http://space/final.png', seed: 2, providerId: P });
      run.end();
    }
    await r.idle();
    expect([...dev, ...pinned].map((j) => last(j.id).state)).toEqual(['done', 'done', 'done', 'done']);
    expect(library.size).toBe(4);
  });

  it('cancels a queued job without running it, and a running one through its signal', async () => {
    const { generate, runs } = controllable();
    const r = runner({ generate });
    const [a, b, c] = r.start(req({ count: 3 }));
    await tick(5);
    expect(runs).toHaveLength(1);
    expect(r.cancel(b!.id)).toBe(true);
    expect(last(b!.id).state).toBe('cancelled');
    expect(r.cancel(a!.id)).toBe(true);
    expect(runs[0]!.signal.aborted).toBe(true);
    expect(last(a!.id)).toMatchObject({ state: 'cancelled', error: null });
    // The slot frees once the first generator has stopped: then c runs; b never does.
    await until(() => runs.length === 2);
    expect(last(c!.id).state).toBe('running');
    expect(r.cancel(a!.id)).toBe(false);
    expect(r.cancel('nope')).toBe(false);
    expect(r.cancelAll()).toBe(1);
    await r.idle();
    expect(r.list().map((j) => j.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    // No late update overrides a cancel.
    expect(statesOf(a!.id).at(-1)).toBe('cancelled');
    expect(library.size).toBe(0);
  });

  it('cancels during the download', async () => {
    const slowDownload: DownloadFn = (_url, signal) =>
      new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(new AppError('cancelled', 'Cancelled.'))),
      );
    const r = runner({
      generate: scripted(() => [{ type: 'image', url: 'http://space/final.png', seed: 1, providerId: P }]),
      download: slowDownload,
    });
    const [job] = r.start(req());
    await until(() => last(job!.id).state === 'saving');
    expect(r.cancelAll()).toBe(1);
    await r.idle();
    expect(last(job!.id).state).toBe('cancelled');
    expect(library.size).toBe(0);
  });

  it('keeps a bounded list of finished jobs and shuts down cleanly', async () => {
    const r = runner({
      generate: scripted(() => [{ type: 'image', url: 'http://space/final.png', seed: 1, providerId: P }], 0),
      keepFinished: 2,
      concurrency: () => 4,
    });
    r.start(req({ count: 5 }));
    await r.idle();
    expect(r.list()).toHaveLength(2);
    const { generate } = controllable();
    const r2 = runner({ generate });
    const [j] = r2.start(req());
    await tick(5);
    await r2.dispose();
    expect(last(j!.id).state).toBe('cancelled');
    expect(() => r2.start(req())).toThrowError(expect.objectContaining({ code: 'internal' }));
  });

  it('survives a throwing update listener', async () => {
    const r = runner({
      generate: scripted(() => [{ type: 'image', url: 'http://space/final.png', seed: 1, providerId: P }]),
      onUpdate: () => {
        throw new Error('listener bug');
      },
    });
    r.start(req());
    await r.idle();
    expect(r.list()[0]?.state).toBe('done');
  });
});
