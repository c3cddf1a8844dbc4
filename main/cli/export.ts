/**
 * `export`: images of the library to a folder or one ZIP file, as the app's Export does.
 *   flux-gallery export [filters] [--ids ID,…] --to DIR|FILE.zip [--format png|jpeg|webp]
 *                       [--quality N] [--sidecar] [--csv] [--pattern P] [--overwrite]
 *                       [--library DIR] [--json]
 * The library is opened read-only: an export changes nothing in it (the app may be running).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toErrorInfo } from '../../shared/errors';
import { EntryIdSchema } from '../../shared/library';
import { DEFAULT_EXPORT_PATTERN, EXPORT_FORMATS, type ExportFormat } from '../../shared/organise';
import { checkDestination, runExport } from '../export/export';
import { checkPattern } from '../export/names';
import { openLibrary } from '../library/library';
import { LAYOUT } from '../library/paths';
import { createNodePlatform } from '../platform';
import { EXIT } from './generate';
import {
  FILTER_OPTIONS,
  FILTER_USAGE,
  LIBRARY_USAGE,
  OptionError,
  argsMessage,
  filterOf,
  libraryDirOf,
  resolveBoard,
} from './organise-options';
import type { CliIo } from './output';

export const EXPORT_USAGE = `export: images of the library to a folder or one ZIP file
  flux-gallery export [filters] --to DIR|FILE.zip [options]

Which images (default: all of them, newest first):
${FILTER_USAGE}
  --ids ID,ID…          These images (ids as "history" lists them), in this order

Options:
  --to DIR|FILE.zip     A folder (made when missing; nothing in it is overwritten) or a .zip file
  --format FORMAT       png (default: the files as stored, with their parameters), jpeg or webp
                        (the A1111 parameters in EXIF UserComment)
  --quality N           JPEG/WebP quality, 1–100 (default 90)
  --sidecar             A .txt beside each image with its parameters (A1111 text)
  --csv                 A parameters.csv of every image
  --pattern P           File names (default ${DEFAULT_EXPORT_PATTERN}); tokens {date} {time} {seed}
                        {prompt} {prompt:N} {id} {index} {model} {rating} {width} {height}
  --overwrite           Replace the .zip file if it exists
${LIBRARY_USAGE}
  --json                One JSON object per line: {"type":"progress",…} while it runs, then
                        {"type":"finished","status":"done"|"cancelled"|"failed",…}

A cancelled (Ctrl+C) or failed export leaves nothing behind.
Exit codes: 0 exported, 1 failed, 2 bad arguments, 130 cancelled.`;

const OPTIONS = {
  ...FILTER_OPTIONS,
  ids: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
  quality: { type: 'string' },
  sidecar: { type: 'boolean' },
  csv: { type: 'boolean' },
  pattern: { type: 'string' },
  overwrite: { type: 'boolean' },
  library: { type: 'string' },
  data: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runExportCommand(
  argv: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    return usage(io, argsMessage(err));
  }
  if (values.help) {
    io.stdout(EXPORT_USAGE);
    return EXIT.ok;
  }
  if (!values.to) return usage(io, '--to DIR or --to FILE.zip is required.');
  const format = (values.format ?? 'png') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) return usage(io, `--format must be one of ${EXPORT_FORMATS.join(', ')}.`);
  const quality = values.quality === undefined ? 90 : Number(values.quality);
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) return usage(io, '--quality must be 1 to 100.');
  const pattern = values.pattern ?? DEFAULT_EXPORT_PATTERN;
  const ids = values.ids
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    checkPattern(pattern);
    if (ids?.some((id) => !EntryIdSchema.safeParse(id).success))
      throw new OptionError('--ids: not a list of image ids.');
    filterOf(values); // the options are checked before the library is opened
  } catch (err) {
    return usage(io, err instanceof Error ? err.message : String(err));
  }
  const to = path.resolve(values.to);
  const zip = /\.zip$/i.test(to);
  const { dir, exists } = await libraryDirOf(values, env);
  const fail = (message: string, code = 'io') => {
    if (values.json) io.stdout(JSON.stringify({ type: 'finished', status: 'failed', error: { code, message } }));
    io.stderr(`Error: ${message}`);
    return EXIT.failed;
  };
  if (!exists) return fail(`There is no library folder at "${dir}".`, 'file-missing');

  let lib;
  try {
    lib = await openLibrary({
      dir,
      platform: createNodePlatform(path.join(dir, LAYOUT.localTrash)),
      readOnly: true,
      scanOnOpen: false,
      purgeLeftoversOnOpen: false,
    });
  } catch (err) {
    return fail(toErrorInfo(err).message);
  }
  try {
    let boardId: string | undefined;
    if (values.board !== undefined) {
      const board = resolveBoard(lib, values.board);
      if (!board) return usage(io, `--board: there is no board called "${values.board}".`);
      boardId = board.id;
    }
    const target = ids
      ? ({ kind: 'ids', ids } as const)
      : ({ kind: 'query', query: filterOf(values, boardId) } as const);
    const { entries, missing } = lib.resolveTarget(target);
    if (missing > 0) io.stderr(`${missing} of the ids given are not in the library; exporting the others.`);
    if (entries.length === 0) return fail('There are no images to export.', 'invalid-argument');
    const destination = zip
      ? ({ kind: 'zip', file: to, overwrite: values.overwrite ?? false } as const)
      : ({ kind: 'folder', dir: to } as const);
    try {
      await checkDestination(destination, lib.dir);
    } catch (err) {
      const info = toErrorInfo(err);
      return fail(info.message, info.code);
    }
    const outcome = await runExport(
      {
        libraryDir: lib.dir,
        entries,
        destination,
        format,
        quality,
        sidecar: values.sidecar ?? false,
        csv: values.csv ?? false,
        pattern,
        boardNames: new Map(lib.boards().boards.map((b) => [b.id, b.name])),
      },
      {
        signal,
        onProgress: (p) => {
          if (values.json) io.stdout(JSON.stringify({ type: 'progress', ...p }));
          else if (p.done < p.total) io.stderr(`Exported ${p.done} of ${p.total}`);
        },
      },
    );
    if (values.json) io.stdout(JSON.stringify({ type: 'finished', ...outcome }));
    for (const s of outcome.skipped) io.stderr(`Skipped ${s.id}: ${s.error.message}`);
    if (outcome.status === 'done') {
      if (!values.json) {
        io.stderr(`Exported ${outcome.written} of ${outcome.total} images.`);
        io.stdout(outcome.destination);
      }
      return EXIT.ok;
    }
    if (outcome.status === 'cancelled') {
      io.stderr('Cancelled: nothing was left behind.');
      return EXIT.cancelled;
    }
    io.stderr(`Error: ${outcome.error?.message ?? 'the export failed.'} Nothing was left behind.`);
    return EXIT.failed;
  } finally {
    await lib.dispose();
  }
}

function usage(io: CliIo, message: string): number {
  io.stderr(`Error: ${message}\nRun "flux-gallery export --help" for the options.`);
  return EXIT.usage;
}
