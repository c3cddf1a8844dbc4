/** `generate`: route the job, download the image at once, save it, report every step. */
import { AppError, toErrorInfo } from '../../shared/errors';
import type { ProviderId, ResolvedParams } from '../../shared/params';
import { createProxyDispatchers } from '../providers/dispatcher';
import { createFailureMemory } from '../providers/failure-memory';
import { downloadImage } from '../providers/download';
import { PROVIDERS, resolveParams, routeGeneration, type ProviderUrls } from '../providers/registry';
import { baseUrlTargets, type GenerateCommand } from './args';
import { createReporter, type CliIo } from './output';
import { saveImage } from './save';

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
  const started = Date.now();
  const proxies = createProxyDispatchers();
  try {
    const dispatcher = proxies.forProxy(cmd.proxy);
    let image: { url: string; seed: number | null; providerId: ProviderId; resolved?: ResolvedParams } | null = null;
    for await (const ev of routeGeneration(cmd.params, {
      signal,
      providerUrls,
      hfUrl: cmd.hfUrl,
      hfToken: env.HF_TOKEN?.trim() || null,
      failures: createFailureMemory(),
      ...(dispatcher ? { dispatcher } : {}),
      ...(cmd.idleTimeoutMs !== null ? { idleTimeoutMs: cmd.idleTimeoutMs } : {}),
    })) {
      report.event(ev);
      if (ev.type === 'image') image = ev;
    }
    if (!image) throw new AppError('protocol', 'No image was produced.');

    const { bytes, contentType } = await downloadImage(image.url, {
      signal,
      providerId: image.providerId,
      ...(dispatcher ? { dispatcher } : {}),
      // --timeout means a silent Space, and a silent file server is one too.
      ...(cmd.idleTimeoutMs !== null ? { idleTimeoutMs: cmd.idleTimeoutMs } : {}),
    });
    const resolved = image.resolved ?? resolveParams(image.providerId, cmd.params);
    const saved = await saveImage({
      bytes,
      contentType,
      libraryDir: cmd.libraryDir,
      params: cmd.params,
      resolved,
      providerId: image.providerId,
      seed: image.seed,
      durationMs: Date.now() - started,
    });
    report.saved({
      id: saved.id,
      file: saved.file,
      provider: image.providerId,
      seed: image.seed,
      model: cmd.params.model,
      prompt: cmd.params.prompt,
      width: resolved.width,
      height: resolved.height,
      steps: resolved.steps,
      bytes: bytes.length,
      contentType,
      durationMs: Date.now() - started,
    });
    return EXIT.ok;
  } catch (err) {
    const info = signal.aborted ? { code: 'cancelled' as const, message: 'Cancelled.' } : toErrorInfo(err);
    report.failed(info);
    return info.code === 'cancelled' ? EXIT.cancelled : EXIT.failed;
  } finally {
    await proxies.close();
  }
}
