/**
 * The job runner with the real provider registry, downloader and library against fake Spaces, for
 * every Gradio version the fake plays.
 */
import { describe, expect, it, beforeAll, afterAll, beforeEach } from 'vitest';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { createJobRunner, type JobRunner } from '../../main/jobs/job-runner';
import { openLibrary, type Library } from '../../main/library/library';
import { readImportedParams } from '../../main/library/png-metadata';
import { createNodePlatform } from '../../main/platform';
import { downloadImage } from '../../main/providers/download';
import { createFailureMemory } from '../../main/providers/failure-memory';
import { resolveParams, routeGeneration } from '../../main/providers/registry';
import { StartJobsSchema } from '../../shared/contract';
import type { JobState } from '../../shared/events';
import { GRADIO_VERSIONS, startFakeSpaces, type FakeSpaces } from '../fake-space';
import { tempDir } from '../library/helpers';

describe.each(GRADIO_VERSIONS)('job runner × registry × fake Spaces (Gradio %s)', (gradioVersion) => {
  let spaces: FakeSpaces;
  let root: string;
  let cleanup: () => Promise<void>;
  let library: Library;
  let updates: JobState[];
  let runner: JobRunner;

  beforeAll(async () => {
    spaces = await startFakeSpaces({ gradioVersion, timing: { stepMs: 5, heartbeatMs: 1000 } });
    ({ dir: root, cleanup } = await tempDir('fg-jobs-space-'));
  });
  afterAll(async () => {
    await library?.dispose();
    await spaces.close();
    await cleanup();
  });
  beforeEach(async () => {
    for (const s of Object.values(spaces.spaces)) {
      s.clearFaults();
      s.setTiming({ stepMs: 5 });
    }
    await library?.dispose();
    library = await openLibrary({
      dir: path.join(root, `lib-${Date.now()}`),
      platform: createNodePlatform(path.join(root, 'trash')),
    });
    updates = [];
    const failures = createFailureMemory();
    runner = createJobRunner({
      generate: (params, { signal }) =>
        routeGeneration(params, { signal, providerUrls: spaces.providerUrls, hfUrl: spaces.hfUrl, failures }),
      download: (url, signal, o) => downloadImage(url, { signal, ...o }),
      save: (input) => library.saveImage(input),
      resolveParams,
      onUpdate: (s) => updates.push(s),
    });
  });

  const last = (id: string) => updates.filter((u) => u.id === id).at(-1)!;

  it('generates, previews and saves real images with the seeds the Space used', async () => {
    const jobs = runner.start(
      StartJobsSchema.parse({ params: { prompt: 'a fox', model: 'flux-dev', aspectRatio: '16:9' }, count: 2 }),
    );
    await runner.idle();
    const dev = spaces.spaces['bfl-flux1-dev'];
    for (const [i, j] of jobs.entries()) {
      const done = last(j.id);
      expect(done).toMatchObject({ state: 'done', providerId: 'bfl-flux1-dev', error: null });
      const entry = library.get(done.entryId!);
      const sent = dev.jobs[dev.jobs.length - 2 + i]!;
      expect(entry.seed).toBe(sent.seed);
      expect([entry.params.width, entry.params.height, entry.params.steps]).toEqual([1024, 576, 28]);
      // What went on the wire (Dev's layout: prompt, seed, randomize, width, height, guidance, steps).
      expect([sent.data[3], sent.data[4], sent.data[6]]).toEqual([1024, 576, 28]);
      const png = await readFile(path.join(library.dir, entry.file));
      // The fake Space sends WebP, like the real ones: stored as PNG with our metadata.
      expect((await sharp(png).metadata()).format).toBe('png');
      expect(readImportedParams(png)).toMatchObject({ source: 'flux-gallery', params: { seed: entry.seed } });
    }
    expect(updates.some((u) => u.previewDataUrl?.startsWith('data:image/'))).toBe(true);
    expect(updates.some((u) => u.progress !== null)).toBe(true);
  });

  it('runs one job at a time per route by default', async () => {
    runner.start(
      StartJobsSchema.parse({
        params: { prompt: 'one at a time', model: 'flux-schnell', provider: 'bfl-flux1-schnell' },
        count: 3,
      }),
    );
    const running = new Set<string>();
    let most = 0;
    await runner.idle();
    for (const u of updates) {
      if (u.state === 'running' || u.state === 'saving') running.add(u.id);
      else running.delete(u.id);
      most = Math.max(most, running.size);
    }
    expect(most).toBe(1);
    expect(library.size).toBe(3);
  });

  it('shows the fallback trail when the first Space fails', async () => {
    spaces.spaces['bfl-flux1-dev'].setFault({ route: 'join', kind: 'http', status: 503 });
    const [job] = runner.start(StartJobsSchema.parse({ params: { prompt: 'fallback', model: 'flux' } }));
    await runner.idle();
    const done = last(job!.id);
    expect(done.state).toBe('done');
    expect(done.providerId).not.toBe('bfl-flux1-dev');
    expect(done.failedProviders).toEqual([expect.objectContaining({ providerId: 'bfl-flux1-dev' })]);
    expect(library.get(done.entryId!).providerId).toBe(done.providerId);
  });

  it('fails with the Space error when a pinned provider fails', async () => {
    spaces.spaces['bfl-flux1-dev'].setFault({ route: 'stream', kind: 'quota' });
    const [job] = runner.start(
      StartJobsSchema.parse({ params: { prompt: 'quota', model: 'flux-dev', provider: 'bfl-flux1-dev' } }),
    );
    await runner.idle();
    expect(last(job!.id)).toMatchObject({ state: 'failed', error: { code: 'quota' } });
    expect(library.size).toBe(0);
  });

  it('cancels a running generation', async () => {
    spaces.spaces['bfl-flux1-dev'].setTiming({ stepMs: 300 });
    const [job] = runner.start(StartJobsSchema.parse({ params: { prompt: 'slow', model: 'flux-dev' } }));
    await new Promise((r) => setTimeout(r, 200));
    expect(runner.cancel(job!.id)).toBe(true);
    await runner.idle();
    expect(last(job!.id).state).toBe('cancelled');
    expect(library.size).toBe(0);
  });
});
