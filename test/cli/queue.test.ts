/**
 * The CLI's `queue` command on the app's data folder: with no app (the file alone) and with the
 * app running the queue (a runner holding the queue's store in this process), which notices the
 * change and applies it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runCli } from '../../main/cli/run';
import { countdown } from '../../main/cli/queue';
import { createJobRunner, type JobRunner } from '../../main/jobs/job-runner';
import { readQueueFile } from '../../main/jobs/queue-file';
import { openQueueStore } from '../../main/jobs/queue-store';
import type { HistoryEntry } from '../../shared/library';
import type { JobState } from '../../shared/events';
import { tempDir } from '../library/helpers';
import { controllable, quotaError, req, resolveParams, until } from '../jobs/helpers';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (l: string) => void out.push(l), stderr: (l: string) => void err.push(l) } };
}
const run = async (...argv: string[]) => {
  const o = io();
  const code = await runCli(argv, o.io, {}, new AbortController().signal);
  return { code, ...o };
};

interface ListJson {
  dataDir: string;
  appRunning: { pid: number } | null;
  paused: boolean;
  quotaWaits: { providerId: string; until: number }[];
  active: number;
  jobs: { id: string; state: string; prompt: string; provider: string | null; waitSeconds: number | null }[];
}

describe('CLI queue', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let runner: JobRunner | null;
  let updates: JobState[];

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('fg-cli-queue-'));
    runner = null;
    updates = [];
  });
  afterEach(async () => {
    await runner?.dispose();
    await cleanup();
  });

  /** The app: a runner owning the queue in `dir`, its generations driven by the test. */
  const app = () => {
    const store = openQueueStore(dir, { pollMs: 20 });
    if (!store) throw new Error('queue owned elsewhere');
    const gen = controllable();
    runner = createJobRunner({
      generate: gen.generate,
      download: async () => ({ bytes: new Uint8Array([1]) }),
      save: async () => ({ id: 'entry' }) as HistoryEntry,
      resolveParams,
      onUpdate: (s) => updates.push(s),
    });
    runner.attachStore(store);
    return { runner, runs: gen.runs };
  };
  const last = (id: string) => updates.filter((u) => u.id === id).at(-1)!;

  it('lists an empty queue without making the folder', async () => {
    const missing = path.join(dir, 'none');
    const r = await run('queue', 'list', '--data', missing);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([]);
    expect(r.err.join('\n')).toMatch(/No jobs in the queue\..*not running/);
    const j = await run('queue', '--data', missing, '--json');
    expect(JSON.parse(j.out[0]!)).toEqual({
      dataDir: missing,
      appRunning: null,
      paused: false,
      quotaWaits: [],
      active: 0,
      jobs: [],
    });
    expect(existsSync(missing)).toBe(false);
  });

  it('lists state, wait countdown, provider and prompt while the app runs the queue', async () => {
    const { runner: r, runs } = app();
    r.start(req({}, { prompt: 'waits  for\nthe quota', provider: 'bfl-flux1-dev' }));
    r.start(req({}, { prompt: 'a schnell fox', model: 'flux-schnell', provider: 'bfl-flux1-schnell' }));
    r.start(req({}, { prompt: 'behind the fox', model: 'flux-schnell', provider: 'bfl-flux1-schnell' }));
    runs[0]!.end(quotaError('bfl-flux1-dev', 3 * 3600));
    await until(() => readQueueFile(dir).queue.quotaWaits.length === 1);
    const t = await run('queue', 'list', '--data', dir);
    expect(t.code).toBe(0);
    expect(t.out).toHaveLength(3);
    // Running jobs first, then the queue in the order it runs.
    expect(t.out[0]).toMatch(/^running +bfl-flux1-schnell +a schnell fox$/);
    expect(t.out[1]).toMatch(/^waits \d:\d\d:\d\d +bfl-flux1-dev +waits for the quota$/);
    expect(t.out[2]).toMatch(/^queued +bfl-flux1-schnell +behind the fox$/);
    expect(t.err.join('\n')).toMatch(
      new RegExp(
        `3 jobs in the queue\\. Waiting for the GPU quota: bfl-flux1-dev until .*Run by the app \\(pid ${process.pid}\\)`,
      ),
    );
    const j = JSON.parse((await run('queue', 'list', '--data', dir, '--json')).out[0]!) as ListJson;
    expect(j).toMatchObject({ appRunning: { pid: process.pid }, paused: false, active: 3 });
    expect(j.quotaWaits).toEqual([{ providerId: 'bfl-flux1-dev', until: expect.any(Number) }]);
    expect(j.jobs.map((x) => [x.state, x.provider, x.waitSeconds !== null])).toEqual([
      ['running', 'bfl-flux1-schnell', false],
      ['queued', 'bfl-flux1-dev', true],
      ['queued', 'bfl-flux1-schnell', false],
    ]);
    expect(j.jobs[1]!.waitSeconds).toBeGreaterThan(3 * 3600 - 60);
  });

  it('pause and resume reach the running app; clear removes queued jobs, not running ones', async () => {
    const { runner: r, runs } = app();
    const [a, b, c] = r.start(req({ count: 3 }, { provider: 'bfl-flux1-dev' }));
    const p = await run('queue', 'pause', '--data', dir);
    expect(p.code).toBe(0);
    expect(p.err[0]).toMatch(/Queue paused.*applies it now/);
    await until(() => r.queueState().paused, 10_000, 'paused in the app');
    // Running jobs finish; nothing new starts.
    runs[0]!.finish();
    await until(() => last(a!.id).state === 'done');
    expect(runs).toHaveLength(1);

    const cleared = await run('queue', 'clear', '--data', dir, '--json');
    expect(JSON.parse(cleared.out[0]!)).toEqual({ cleared: 2 });
    await until(() => last(c!.id).state === 'cancelled', 10_000, 'cancelled in the app');
    expect(last(b!.id).state).toBe('cancelled');

    const [d, e] = r.start(req({ count: 2 }, { provider: 'bfl-flux1-dev' }));
    const resumed = await run('queue', 'resume', '--data', dir, '--json');
    expect(JSON.parse(resumed.out[0]!)).toMatchObject({ paused: false, active: 2 });
    await until(() => runs.length === 2, 10_000, 'resumed in the app');
    // `clear` leaves the running job.
    expect(JSON.parse((await run('queue', 'clear', '--data', dir, '--json')).out[0]!)).toEqual({ cleared: 1 });
    await until(() => last(e!.id).state === 'cancelled');
    expect(last(d!.id).state).toBe('running');
    runs[1]!.finish();
    await r.idle();
    expect(last(d!.id).state).toBe('done');
  });

  it('changes the file when no app runs; the app starts with it', async () => {
    const first = app();
    first.runner.pause();
    first.runner.start(req({ count: 2 }));
    await first.runner.dispose();
    runner = null;
    expect((await run('queue', 'resume', '--data', dir)).err[0]).toMatch(/not running: it applies it when it starts/);
    expect(readQueueFile(dir).queue.paused).toBe(false);
    expect(JSON.parse((await run('queue', 'clear', '--data', dir, '--json')).out[0]!)).toEqual({ cleared: 2 });
    expect((await run('queue', 'pause', '--data', dir)).code).toBe(0);
    const { runner: r } = app();
    expect(r.queueState()).toEqual({ paused: true, quotaWaits: [], active: 0 });
  });

  it('says a job that ran when the app died is stopped (sent again when the app starts)', async () => {
    const store = openQueueStore(dir);
    const gen = controllable();
    runner = createJobRunner({
      generate: gen.generate,
      download: async () => ({ bytes: new Uint8Array([1]) }),
      save: async () => ({ id: 'entry' }) as HistoryEntry,
      resolveParams,
      onUpdate: () => {},
    });
    runner.attachStore(store!);
    runner.start(req({ count: 2 }, { prompt: 'cut off', provider: 'bfl-flux1-dev' }));
    // The app is gone (its lock with it); the file stays.
    store!.close();
    const t = await run('queue', 'list', '--data', dir);
    expect(t.out[0]).toMatch(/^stopped +bfl-flux1-dev +cut off$/);
    expect(t.out[1]).toMatch(/^queued +bfl-flux1-dev +cut off$/);
    expect(t.err.join(' ')).toMatch(/The app is not running/);
  });

  it('rejects bad arguments with exit code 2 and explains itself', async () => {
    expect((await run('queue', 'shuffle')).code).toBe(2);
    expect((await run('queue', 'list', 'extra')).code).toBe(2);
    expect((await run('queue', '--bogus')).code).toBe(2);
    const help = await run('queue', '--help');
    expect(help.code).toBe(0);
    expect(help.out[0]).toMatch(/queue list\|pause\|resume\|clear/);
    expect((await run('help')).out[0]).toMatch(/queue +The app's job queue/);
    expect(countdown(3_723_000)).toBe('1:02:03');
  });
});
