/**
 * `queue.json` in the app's data folder (beside settings.json): the jobs queued and running, the
 * paused flag and the Spaces waiting for their GPU quota. Written atomically (temp file, fsync,
 * rename: main/library/atomic-write.ts) under a short write lock (`queue.lock`, the library's index
 * lock: main/library/index-lock.ts), so the app and the CLI's `queue` commands never write it from a
 * stale read. `rev` counts writes: a process sees that another one wrote since its own last write.
 */
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import { GenerationParamsSchema, LIMITS, ProviderIdSchema, type ProviderId } from '../../shared/params';
import { writeFileAtomicSync } from '../library/atomic-write';
import { withLock } from '../library/index-lock';
import { errnoCode, toIoError } from '../library/io-errors';

export const QUEUE_FILE = 'queue.json';
export const QUEUE_LOCK_FILE = 'queue.lock';
export const QUEUE_FORMAT = 1;

const FileJobSchema = z.object({
  id: z.string().min(1).max(64),
  batchId: z.string().min(1).max(64),
  params: GenerationParamsSchema,
  /** `running`: sent to a provider (or saving) when this was written. */
  state: z.enum(['queued', 'running']),
  createdAt: z.number(),
  startedAt: z.number().nullable().default(null),
  /** Times it was sent to a provider. */
  attempts: z.number().int().min(0).default(0),
  /** A random-seed job's seed, chosen by the app when it first started, so a re-run uses the same one. */
  appSeed: z.number().int().min(LIMITS.seed.min).max(LIMITS.seed.max).nullable().default(null),
  /** Not started before this time (a GPU quota wait; ms since epoch). */
  waitUntil: z.number().nullable().default(null),
  /** Its provider's quota it waits for. */
  waitProvider: ProviderIdSchema.nullable().default(null),
  /** Sent again once after a crash; the next crash while it runs marks it failed (`interrupted`). */
  resubmitted: z.boolean().default(false),
  /** It ran when the app closed (cleanly): sent again at the next start, not counted as a resubmit. */
  wasRunning: z.boolean().default(false),
});
export type QueueFileJob = z.output<typeof FileJobSchema>;

export interface QueueFile {
  rev: number;
  paused: boolean;
  quotaWaits: { providerId: ProviderId; until: number }[];
  jobs: QueueFileJob[];
}

/** What the file holds besides `rev` (two states with the same content need no write). */
export type QueueContent = Omit<QueueFile, 'rev'>;

const HeaderSchema = z.object({
  app: z.literal('flux-gallery'),
  kind: z.literal('queue'),
  format: z.number().int(),
});

const BodySchema = z.object({
  rev: z.number().int().min(0),
  paused: z.boolean().default(false),
  quotaWaits: z.array(z.object({ providerId: ProviderIdSchema, until: z.number() })).default([]),
  jobs: z.array(z.unknown()).default([]),
});

export const emptyQueue = (): QueueFile => ({ rev: 0, paused: false, quotaWaits: [], jobs: [] });

export const queueFilePath = (dir: string) => path.join(dir, QUEUE_FILE);

export interface ReadResult {
  queue: QueueFile;
  /** False when there is no file (nothing queued yet, or the user deleted it). */
  exists: boolean;
}

/**
 * Reads the queue file. A missing file is an empty queue; an unreadable one (cut, not ours) is kept
 * aside as `queue.json.corrupt-<time>` and read as empty (call under the lock: it renames). A job
 * whose parameters this version cannot read is left out and logged. A newer format (a newer Flux
 * Gallery wrote it) throws an `io` AppError and changes nothing.
 */
export function readQueueFile(dir: string, log: (m: string, e?: unknown) => void = () => {}): ReadResult {
  const file = queueFilePath(dir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return { queue: emptyQueue(), exists: false };
    throw toIoError(err, 'read the job queue', file);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return setAside(file, 'not JSON', err, log);
  }
  const header = HeaderSchema.safeParse(raw);
  if (!header.success) return setAside(file, 'not a queue file', header.error, log);
  if (header.data.format > QUEUE_FORMAT) {
    throw new AppError(
      'io',
      `The job queue in "${file}" was written by a newer version of Flux Gallery: update the app to run it.`,
    );
  }
  if (header.data.format !== QUEUE_FORMAT) return setAside(file, `format ${header.data.format}`, null, log);
  const body = BodySchema.safeParse(raw);
  if (!body.success) return setAside(file, 'damaged', body.error, log);
  const jobs: QueueFileJob[] = [];
  const seen = new Set<string>();
  for (const j of body.data.jobs) {
    const parsed = FileJobSchema.safeParse(j);
    if (parsed.success && !seen.has(parsed.data.id)) {
      seen.add(parsed.data.id);
      jobs.push(parsed.data);
    } else log(`jobs: a queued job in ${file} could not be read and is left out`, parsed.error);
  }
  return { queue: { ...body.data, jobs }, exists: true };
}

function setAside(file: string, why: string, err: unknown, log: (m: string, e?: unknown) => void): ReadResult {
  const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(file, aside);
    log(`jobs: the queue file was unreadable (${why}); kept as ${aside}`, err);
  } catch (e) {
    log(`jobs: the queue file was unreadable (${why}) and could not be set aside`, e);
  }
  return { queue: emptyQueue(), exists: false };
}

/** Writes the whole queue file atomically (call under the lock). */
export function writeQueueFile(dir: string, queue: QueueFile): void {
  const file = queueFilePath(dir);
  const body = {
    app: 'flux-gallery',
    kind: 'queue',
    format: QUEUE_FORMAT,
    rev: queue.rev,
    paused: queue.paused,
    quotaWaits: queue.quotaWaits,
    jobs: queue.jobs,
  };
  try {
    writeFileAtomicSync(file, `${JSON.stringify(body, null, 1)}\n`);
  } catch (err) {
    throw toIoError(err, 'save the job queue', file);
  }
}

/** Runs `fn` holding the queue's write lock (milliseconds; the app and the CLI both take it). */
export function withQueueLock<T>(dir: string, fn: () => T): T {
  if (!existsSync(dir)) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw toIoError(err, 'create the data folder', dir);
    }
  }
  try {
    return withLock(path.join(dir, QUEUE_LOCK_FILE), fn);
  } catch (err) {
    // The library's lock words its timeout for the history; this is the queue.
    if (err instanceof AppError && err.code === 'io' && /held its lock/.test(err.message)) {
      throw new AppError(
        'io',
        `Could not change the job queue in "${dir}": another Flux Gallery process has held its lock for too long.`,
        { cause: err },
      );
    }
    throw err;
  }
}

/**
 * Reads, changes and writes the queue file under the lock (the CLI's commands). `change` returns
 * the new content, or null to leave the file as it is. Returns the queue as it now stands.
 */
export function updateQueueFile(
  dir: string,
  change: (q: QueueFile) => QueueContent | null,
  log?: (m: string, e?: unknown) => void,
): QueueFile {
  return withQueueLock(dir, () => {
    const { queue } = readQueueFile(dir, log);
    const next = change(queue);
    if (!next) return queue;
    const written = { ...next, rev: queue.rev + 1 };
    writeQueueFile(dir, written);
    return written;
  });
}

export const sameContent = (a: QueueContent, b: QueueContent): boolean =>
  stableJson([a.paused, a.quotaWaits, a.jobs]) === stableJson([b.paused, b.quotaWaits, b.jobs]);

/** JSON with object keys sorted (a parsed file and the runner's memory list keys in different orders). */
function stableJson(v: unknown): string {
  return JSON.stringify(v, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}
