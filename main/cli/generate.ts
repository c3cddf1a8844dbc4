/**
 * `generate`: one job through the same core as the app (routing with fallback, the job runner's
 * download and the library's save), reporting every provider event as it comes. Settings are the
 * app's own (`--data`, default the app's data folder), so the image lands in the library folder
 * chosen in Settings unless `--library` says otherwise; the command-line options apply to this run
 * only and are never saved.
 */
import path from 'node:path';
import { AppError, toErrorInfo } from '../../shared/errors';
import { isActiveState, type JobState } from '../../shared/events';
import { defaultLibraryDir, homeOf } from '../app-dirs';
import { createCore, type Core, type CoreOverrides } from '../core';
import { PROVIDERS, type ProviderUrls } from '../providers/registry';
import { savedSpaceFrom } from '../providers/saved-space';
import { INFERENCE_PROVIDER_PREFIX, SPACE_PROVIDER_PREFIX, type SpaceProviderId } from '../../shared/params';
import { baseUrlTargets, type GenerateCommand } from './args';
import { createReporter, type CliIo } from './output';

export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

export async function runGenerate(
  cmd: GenerateCommand,
  io: CliIo,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<number> {
  const report = createReporter(io, cmd.json);
  const providerUrls: ProviderUrls = {};
  if (cmd.baseUrl) for (const id of baseUrlTargets(cmd.params, PROVIDERS)) providerUrls[id] = cmd.baseUrl;
  const overrides: CoreOverrides = { providerUrls };
  if (cmd.inferenceUrl) overrides.inferenceUrl = cmd.inferenceUrl;
  const pinned = cmd.params.provider;
  // Any model id may be pinned for a run; Settings keep the ones the user added.
  if (pinned?.startsWith(INFERENCE_PROVIDER_PREFIX))
    overrides.inferenceModels = [pinned.slice(INFERENCE_PROVIDER_PREFIX.length)];
  if (cmd.libraryDir) overrides.libraryDir = cmd.libraryDir;
  if (cmd.hfUrl) overrides.hfUrl = cmd.hfUrl;
  if (cmd.proxy) overrides.proxy = cmd.proxy;
  const token = env.HF_TOKEN?.trim();
  if (token) overrides.hfToken = token;

  let core: Core | null = null;
  try {
    core = await createCore({
      dataDir: cmd.dataDir,
      defaultLibraryDir: defaultLibraryDir({ home: homeOf(env) }),
      transport: 'cli',
      appVersion: process.env.npm_package_version ?? '0.0.0',
      overrides,
      observe: (ev) => report.event(ev),
      // A one-shot run neither walks a large library nor touches what a running app left pending.
      libraryOpen: { scanOnOpen: false, purgeLeftoversOnOpen: false },
      ...(cmd.idleTimeoutMs !== null ? { idleTimeoutMs: cmd.idleTimeoutMs } : {}),
      log: () => {},
    });
    if (pinned?.startsWith(SPACE_PROVIDER_PREFIX))
      await useSpaceForRun(core, overrides, pinned as SpaceProviderId, cmd);
    const job = await runOneJob(core, cmd, signal);
    if (job.state === 'cancelled') throw new AppError('cancelled', 'Cancelled.');
    if (job.state !== 'done' || !job.entryId) throw job.error ? toAppError(job.error) : unknownFailure();
    const entry = core.library().get(job.entryId);
    report.saved({
      id: entry.id,
      file: path.join(core.library().dir, entry.file),
      provider: entry.providerId,
      seed: entry.seed,
      model: cmd.params.model,
      prompt: entry.prompt,
      width: entry.params.width,
      height: entry.params.height,
      steps: entry.params.steps,
      bytes: entry.bytes,
      contentType: 'image/png',
      durationMs: entry.durationMs,
    });
    return EXIT.ok;
  } catch (err) {
    const info = signal.aborted ? { code: 'cancelled' as const, message: 'Cancelled.' } : toErrorInfo(err);
    report.failed(info);
    return info.code === 'cancelled' ? EXIT.cancelled : EXIT.failed;
  } finally {
    await core?.dispose();
  }
}

/**
 * A pinned Space: a saved one runs as saved (at --base-url when given); one not saved is read from
 * --base-url and used for this run with the mapping `spaces inspect` proposes. Nothing is saved.
 */
async function useSpaceForRun(
  core: Core,
  overrides: CoreOverrides,
  id: SpaceProviderId,
  cmd: GenerateCommand,
): Promise<void> {
  if (core.settings.get().customSpaces.some((s) => s.id === id)) return;
  if (!cmd.baseUrl) {
    throw new AppError(
      'invalid-argument',
      `No Space "${id}" has been added: add it with "spaces add URL", or give its URL with --base-url.`,
    );
  }
  const inspection = await core.inspectSpace(cmd.baseUrl);
  const space = { ...savedSpaceFrom(inspection, { url: cmd.baseUrl }, Date.now()), id };
  // The core reads its overrides at every use: the Space joins this run's providers.
  overrides.spaces = [space];
}

/** Starts the job and resolves with its final state; a cancel of the run cancels the job. */
function runOneJob(core: Core, cmd: GenerateCommand, signal: AbortSignal): Promise<JobState> {
  return new Promise<JobState>((resolve, reject) => {
    let jobId: string | null = null;
    const stop = core.events.subscribe((channel, payload) => {
      if (channel !== 'jobs:updated') return;
      const job = payload as JobState;
      if (job.id !== jobId || isActiveState(job.state)) return;
      finish();
      resolve(job);
    });
    const onAbort = () => {
      if (jobId) core.jobs.cancel(jobId);
    };
    const finish = () => {
      stop();
      signal.removeEventListener('abort', onAbort);
    };
    try {
      const [job] = core.jobs.start({ params: cmd.params, count: 1 });
      jobId = job!.id;
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();
    } catch (err) {
      finish();
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

const toAppError = (e: NonNullable<JobState['error']>) =>
  new AppError(e.code, e.message, {
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.providerId !== undefined ? { providerId: e.providerId } : {}),
  });

const unknownFailure = () => new AppError('internal', 'The job ended without an image.');
