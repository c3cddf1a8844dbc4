/**
 * `import`: image files or folders (recursive) into the library, with their original bytes and the
 * parameters any known tool wrote in them (issue 18).
 *   flux-gallery import PATH… [--library DIR] [--data DIR] [--json]
 * The library is made when missing; it is written under the index lock, beside a running app.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toErrorInfo } from '../../shared/errors';
import { importPaths, type ImportFileResult } from '../import/importer';
import { openLibrary } from '../library/library';
import { LAYOUT } from '../library/paths';
import { createNodePlatform } from '../platform';
import { EXIT } from './generate';
import { LIBRARY_USAGE, argsMessage, libraryDirOf } from './organise-options';
import type { CliIo } from './output';

export const IMPORT_USAGE = `import: image files or folders (searched recursively) into the library
  flux-gallery import PATH… [options]

PNG, JPEG and WebP files are copied as they are (their metadata kept) and indexed with the prompt,
negative prompt, seed, size, steps, guidance/CFG, sampler and model that A1111/Forge, Fooocus,
InvokeAI, ComfyUI, Draw Things, SwarmUI, NovelAI or Flux Gallery wrote in them. An image already in
the library (same bytes, or made by Flux Gallery) is skipped as a duplicate.

Options:
${LIBRARY_USAGE}
  --json                One JSON object per line: {"type":"progress",…} while it runs, then
                        {"type":"finished","counts":{…},"files":[…]}

Exit codes: 0 every file imported or a duplicate, 1 some could not be imported, 2 bad arguments,
130 cancelled (what was imported stays, nothing is half-written).`;

const OPTIONS = {
  library: { type: 'string' },
  data: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const seconds = (ms: number) =>
  ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.max(1, Math.round(ms / 1000))} s`;

export async function runImport(
  argv: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true }));
  } catch (err) {
    return usage(io, argsMessage(err));
  }
  if (values.help) {
    io.stdout(IMPORT_USAGE);
    return EXIT.ok;
  }
  if (positionals.length === 0) return usage(io, 'Name at least one file or folder to import.');
  const { dir } = await libraryDirOf(values, env);
  let lib;
  try {
    lib = await openLibrary({
      dir,
      platform: createNodePlatform(path.join(dir, LAYOUT.localTrash)),
      scanOnOpen: false,
      purgeLeftoversOnOpen: false,
    });
  } catch (err) {
    const info = toErrorInfo(err);
    if (values.json) io.stdout(JSON.stringify({ type: 'finished', status: 'failed', error: info }));
    io.stderr(`Error: ${info.message}`);
    return EXIT.failed;
  }
  try {
    let lastLine = 0;
    const report = await importPaths(lib, positionals, {
      signal,
      // The id and path of each imported file as it is done (the report lists only the first few hundred).
      onFile: (f) => {
        if (!values.json && f.status === 'imported') io.stdout(`${f.id}\t${f.path}`);
      },
      onProgress: (p) => {
        if (values.json) {
          io.stdout(JSON.stringify({ type: 'progress', ...p, rate: Math.round(p.rate * 10) / 10 }));
          return;
        }
        const now = Date.now();
        if (p.done < p.total && now - lastLine < 250) return;
        lastLine = now;
        const eta = p.etaMs === null || p.done === p.total ? '' : `, about ${seconds(p.etaMs)} left`;
        io.stderr(`Imported ${p.done} of ${p.total} files (${p.rate.toFixed(1)}/s${eta})`);
      },
    });
    const c = report.counts;
    if (values.json) {
      io.stdout(JSON.stringify({ type: 'finished', status: report.cancelled ? 'cancelled' : 'done', ...report }));
    } else {
      for (const f of report.files) if (f.status !== 'imported' || f.message) io.stderr(line(f));
      io.stderr(
        `${c.imported} imported, ${c.duplicate} duplicate, ${c.unreadable} unreadable, ${c['not-image']} not an image, ` +
          `${c['too-large']} too large, ${c.failed} failed${c.cancelled ? `, ${c.cancelled} cancelled` : ''}` +
          `${report.notScanned ? `; ${report.notScanned} more files not looked at` : ''}.`,
      );
      if (report.omitted) io.stderr(`(${report.omitted} more files are counted above but not listed.)`);
    }
    if (report.cancelled) {
      io.stderr('Cancelled: what was imported stays; nothing was half-written.');
      return EXIT.cancelled;
    }
    const bad = c.unreadable + c['not-image'] + c['too-large'] + c.failed;
    return bad > 0 || report.notScanned > 0 ? EXIT.failed : EXIT.ok;
  } catch (err) {
    const info = toErrorInfo(err);
    if (values.json) io.stdout(JSON.stringify({ type: 'finished', status: 'failed', error: info }));
    io.stderr(`Error: ${info.message}`);
    return EXIT.failed;
  } finally {
    await lib.dispose();
  }
}

function line(f: ImportFileResult): string {
  const what = f.status === 'not-image' ? 'not an image' : f.status;
  return `${what}: ${f.path}${f.message ? ` — ${f.message}` : ''}`;
}

function usage(io: CliIo, message: string): number {
  io.stderr(`Error: ${message}\nRun "flux-gallery import --help" for the options.`);
  return EXIT.usage;
}
