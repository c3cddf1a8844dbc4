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
import { findByName, readSavedPresets } from '../prompts/presets';
import { presetParams } from '../prompts/apply';
import type { PresetsState } from '../../shared/queue';
import type { GenerationParams } from '../../shared/params';
import { baseUrlTargets, generationParams, UsageError, type GenerateCommand } from './args';
import { createReporter, type CliIo } from './output';

export const EXIT = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

export async function runGenerate(
  given: GenerateCommand,
  io: CliIo,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<number> {
  const report = createReporter(io, given.json);
  let cmd: GenerateCommand;
  try {
    // The preset's parameters under the options given; the style itself is applied by the core.
    cmd = { ...given, params: paramsForRun(given, readSavedPresets(given.dataDir)) };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    report.failed({ code: 'invalid-argument', message: err.message });
    return EXIT.usage;
  }
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

/**
 * The run's parameters: with --preset, the preset's parameters under the options given (the seed
 * mode too: --seed or --randomize win, else the preset's, else a random seed); the style named
 * (by --style or the preset) must be one saved in the data folder.
 */
export function paramsForRun(cmd: GenerateCommand, saved: PresetsState): GenerationParams {
  let params = cmd.params;
  if (cmd.preset !== null) {
    const preset = findByName(saved.presets, cmd.preset);
    if (!preset) {
      const names = saved.presets.map((p) => `"${p.name}"`).join(', ');
      throw new UsageError(
        `--preset: there is no preset "${cmd.preset}" in ${cmd.dataDir}${names ? ` (saved: ${names})` : ' (none is saved)'}.`,
      );
    }
    const input: Record<string, unknown> = { ...presetParams(preset), ...cmd.given };
    if (input.randomizeSeed === undefined) input.randomizeSeed = input.seed === undefined;
    params = generationParams(input);
  }
  if (params.style !== undefined && !findByName(saved.styles, params.style)) {
    const names = saved.styles.map((x) => `"${x.name}"`).join(', ');
    throw new UsageError(
      `--style: there is no style "${params.style}" in ${cmd.dataDir}${names ? ` (saved: ${names})` : ' (none is saved)'}.`,
    );
  }
  return params;
}

/**
 * Starts the job through the core's `jobs:start`, as the app does (the style applied, the prompt
 * recorded in the prompt history), and resolves with its final state; a cancel of the run cancels
 * the job.
 */
async function runOneJob(core: Core, cmd: GenerateCommand, signal: AbortSignal): Promise<JobState> {
  const ctx = { transport: 'cli' } as const;
  /** Jobs seen ending, by id (one might end before its id is known here). */
  const ended = new Map<string, JobState>();
  let jobId: string | null = null;
  let settle: (job: JobState) => void = () => {};
  const done = new Promise<JobState>((resolve) => (settle = resolve));
  const stop = core.events.subscribe((channel, payload) => {
    if (channel !== 'jobs:updated') return;
    const job = payload as JobState;
    if (isActiveState(job.state)) return;
    ended.set(job.id, job);
    if (job.id === jobId) settle(job);
  });
  const onAbort = () => {
    if (jobId) void core.router.invoke('jobs:cancel', { jobId }, ctx);
  };
  try {
    const r = await core.router.invoke('jobs:start', { params: cmd.params, count: 1 }, ctx);
    if (!r.ok) throw toAppError(r.error);
    const [job] = (r.value as { jobs: JobState[] }).jobs;
    if (!job) throw unknownFailure();
    jobId = job.id;
    const early = ended.get(job.id);
    if (early) settle(early);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    return await done;
  } finally {
    stop();
    signal.removeEventListener('abort', onAbort);
  }
}

const toAppError = (e: NonNullable<JobState['error']>) =>
  new AppError(e.code, e.message, {
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.providerId !== undefined ? { providerId: e.providerId } : {}),
  });

const unknownFailure = () => new AppError('internal', 'The job ended without an image.');
