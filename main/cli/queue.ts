/**
 * `queue`: the app's persistent job queue (queue.json in its data folder), whether the app runs or
 * not. Changes are made under the queue's write lock; a running app notices them (it watches the
 * file) and applies them: paused, jobs removed (cancelled).
 *   flux-gallery queue list|pause|resume|clear [--data DIR] [--json]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toErrorInfo } from '../../shared/errors';
import { defaultDataDir } from '../app-dirs';
import {
  emptyQueue,
  readQueueFile,
  updateQueueFile,
  withQueueLock,
  type QueueFile,
  type QueueFileJob,
} from '../jobs/queue-file';
import { queueOwner, type OwnerInfo } from '../jobs/queue-owner';
import type { CliIo } from './output';

export const QUEUE_USAGE = `Usage: flux-gallery queue list|pause|resume|clear [--data DIR] [--json]

  list      The jobs queued and running: state, wait, provider (or model), prompt ("stopped":
            it ran when the app stopped, and is sent again when the app starts)
  pause     No queued job starts until "queue resume"; running ones finish
  resume    Queued jobs start again
  clear     Removes the queued jobs (running ones finish)

options:
  --data DIR            The app's data folder (default: the desktop app's own)
  --json                One JSON object: {"dataDir", "appRunning", "paused", "quotaWaits", "jobs"}
                        (list), the queue's state (pause, resume), {"cleared": N} (clear)

Works whether the app runs or not; a running app applies the change within a second or so.`;

const OPTIONS = {
  data: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const ACTIONS = ['list', 'pause', 'resume', 'clear'] as const;
type Action = (typeof ACTIONS)[number];

/** Exit codes as the rest of the CLI: 0 ok, 1 failed, 2 bad arguments. */
export function runQueue(argv: string[], io: CliIo, env: NodeJS.ProcessEnv, now: () => number = Date.now): number {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true }));
  } catch (err) {
    io.stderr(`Error: ${err instanceof Error ? err.message.replace(/\. To specify.*$/s, '.') : String(err)}`);
    return 2;
  }
  if (values.help || positionals[0] === 'help') {
    io.stdout(QUEUE_USAGE);
    return 0;
  }
  const [action = 'list', ...extra] = positionals;
  if (!(ACTIONS as readonly string[]).includes(action)) {
    io.stderr(`Error: Unknown queue command "${action}" (list, pause, resume or clear).`);
    return 2;
  }
  if (extra.length > 0) {
    io.stderr(`Error: Unexpected argument "${extra[0]}".`);
    return 2;
  }
  const dataDir = path.resolve(values.data ?? defaultDataDir(env));
  const json = values.json ?? false;
  try {
    return act(action as Action, dataDir, json, io, now);
  } catch (err) {
    io.stderr(`Error: ${toErrorInfo(err).message}`);
    return 1;
  }
}

function act(action: Action, dataDir: string, json: boolean, io: CliIo, now: () => number): number {
  const owner = queueOwner(dataDir);
  switch (action) {
    case 'list': {
      // Under the lock when there is a folder: a damaged file is set aside by one process only.
      const { queue } = existsSync(dataDir)
        ? withQueueLock(dataDir, () => readQueueFile(dataDir))
        : { queue: emptyQueue() };
      if (json) io.stdout(JSON.stringify(listJson(queue, dataDir, owner, now())));
      else printList(io, queue, dataDir, owner, now());
      return 0;
    }
    case 'pause':
    case 'resume': {
      const paused = action === 'pause';
      const q = updateQueueFile(dataDir, (cur) => (cur.paused === paused ? null : { ...cur, paused }));
      if (json) io.stdout(JSON.stringify(stateJson(q, now())));
      else
        io.stderr(
          paused
            ? `Queue paused: no queued job starts until "queue resume"; running ones finish. ${whereWords(dataDir, owner)}`
            : `Queue resumed: queued jobs start again. ${whereWords(dataDir, owner)}`,
        );
      return 0;
    }
    case 'clear': {
      let cleared = 0;
      updateQueueFile(dataDir, (cur) => {
        const keep = cur.jobs.filter((j) => j.state !== 'queued');
        cleared = cur.jobs.length - keep.length;
        return cleared > 0 ? { ...cur, jobs: keep } : null;
      });
      if (json) io.stdout(JSON.stringify({ cleared }));
      else io.stderr(`${cleared} queued job${cleared === 1 ? '' : 's'} removed. ${whereWords(dataDir, owner)}`);
      return 0;
    }
  }
}

const activeWaits = (q: QueueFile, t: number) => q.quotaWaits.filter((w) => w.until > t);

/** When a job starts at the earliest: its own quota wait or its pinned provider's. */
function waitOf(job: QueueFileJob, q: QueueFile, t: number): number | null {
  let until = job.waitUntil !== null && job.waitUntil > t ? job.waitUntil : 0;
  const p = job.params.provider;
  for (const w of activeWaits(q, t)) if (w.providerId === p && w.until > until) until = w.until;
  return job.state === 'queued' && until > t ? until : null;
}

function stateJson(q: QueueFile, t: number) {
  return { paused: q.paused, quotaWaits: activeWaits(q, t), active: q.jobs.length };
}

function listJson(q: QueueFile, dataDir: string, owner: OwnerInfo | null, t: number) {
  return {
    dataDir,
    appRunning: owner ? { pid: owner.pid } : null,
    ...stateJson(q, t),
    jobs: q.jobs.map((j) => {
      const until = waitOf(j, q, t);
      return {
        id: j.id,
        state: j.state,
        prompt: j.params.prompt,
        model: j.params.model,
        provider: j.params.provider ?? null,
        waitUntil: until,
        waitSeconds: until === null ? null : Math.ceil((until - t) / 1000),
        attempts: j.attempts,
        resubmitted: j.resubmitted,
        createdAt: j.createdAt,
      };
    }),
  };
}

/** `1:02:03` */
export function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function whereWords(dataDir: string, owner: OwnerInfo | null): string {
  return owner
    ? `The app running the queue (pid ${owner.pid}) applies it now.`
    : `The app is not running: it applies it when it starts (${dataDir}).`;
}

function printList(io: CliIo, q: QueueFile, dataDir: string, owner: OwnerInfo | null, t: number): void {
  for (const j of q.jobs) {
    const until = waitOf(j, q, t);
    // Running in the file with no app: it stopped with the app, and is sent again when the app starts.
    const running = owner ? 'running' : 'stopped';
    const state = j.state === 'running' ? running : until !== null ? `waits ${countdown(until - t)}` : 'queued';
    const prompt = j.params.prompt.replace(/\s+/g, ' ');
    const short = prompt.length > 60 ? `${prompt.slice(0, 59)}…` : prompt;
    io.stdout(`${state.padEnd(15)} ${(j.params.provider ?? j.params.model).padEnd(26)} ${short}`);
  }
  const waits = activeWaits(q, t).map((w) => `${w.providerId} until ${new Date(w.until).toLocaleTimeString()}`);
  io.stderr(
    [
      `${q.jobs.length === 0 ? 'No jobs' : `${q.jobs.length} job${q.jobs.length === 1 ? '' : 's'}`} in the queue${q.paused ? ' (paused)' : ''}.`,
      waits.length > 0 ? `Waiting for the GPU quota: ${waits.join(', ')}.` : '',
      owner ? `Run by the app (pid ${owner.pid}).` : `The app is not running (${dataDir}).`,
    ]
      .filter(Boolean)
      .join(' '),
  );
}
