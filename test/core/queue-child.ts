/**
 * Child process for queue-kill.test.ts, bundled there with esbuild and killed with SIGKILL. Modes:
 *   app <dataDir> <spaceUrl> <hfUrl> <count>  — a core with the persistent queue (the app) that
 *     starts <count> jobs pinned to bfl-flux1-schnell; prints one JSON line per job update
 *   write <dataDir> <jobs>                    — writes the queue file over and over (<jobs> jobs each
 *     time, the round number as every job's attempts); prints a line per write
 */
import path from 'node:path';
import { createCore } from '../../main/core';
import { updateQueueFile } from '../../main/jobs/queue-file';
import { GenerationParamsSchema } from '../../shared/params';

const [mode, dataDir, ...rest] = process.argv.slice(2);
const print = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

if (mode === 'app' && dataDir) {
  const [spaceUrl, hfUrl, count] = rest;
  const core = await createCore({
    dataDir,
    defaultLibraryDir: path.join(dataDir, 'library'),
    transport: 'web',
    appVersion: 'test',
    log: () => {},
    persistQueue: true,
  });
  core.events.subscribe((channel, payload) => {
    if (channel !== 'jobs:updated') return;
    const j = payload as { id: string; state: string; progress: { step: number } | null };
    print({ type: 'job', id: j.id, state: j.state, step: j.progress?.step ?? null });
  });
  const invoke = async (channel: string, args: unknown) => {
    const r = await core.router.invoke(channel, args, { transport: 'web' });
    if (!r.ok) throw new Error(`${channel}: ${r.error.message}`);
    return r.value as { jobs: { id: string }[] };
  };
  await invoke('settings:update', { providerUrls: { 'bfl-flux1-schnell': spaceUrl }, hfUrl });
  const { jobs } = await invoke('jobs:start', {
    params: { prompt: 'killed mid-queue', model: 'flux-schnell', provider: 'bfl-flux1-schnell' },
    count: Number(count),
  });
  print({ type: 'started', ids: jobs.map((j) => j.id) });
  // Runs until killed.
  setInterval(() => {}, 1000);
} else if (mode === 'write' && dataDir) {
  const n = Number(rest[0]);
  const params = GenerationParamsSchema.parse({ prompt: `a long prompt ${'x'.repeat(1500)}`, model: 'flux-dev' });
  for (let round = 1; ; round++) {
    updateQueueFile(dataDir, (q) => ({
      ...q,
      jobs: Array.from({ length: n }, (_, i) => ({
        id: `job-${i}`,
        batchId: 'batch',
        params,
        state: 'queued' as const,
        createdAt: 1,
        startedAt: null,
        attempts: round,
        appSeed: null,
        waitUntil: null,
        waitProvider: null,
        resubmitted: false,
        wasRunning: false,
      })),
    }));
    print({ type: 'written', round });
  }
} else {
  process.stderr.write('usage: queue-child app|write …\n');
  process.exit(2);
}
