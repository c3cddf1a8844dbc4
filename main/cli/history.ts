/**
 * `history`: list and search the library's history.
 *   flux-gallery history [--search TEXT] [--model M] [--provider ID] [--favourites] [--from DATE]
 *                        [--to DATE] [--limit N] [--offset N] [--library DIR] [--json]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toErrorInfo } from '../../shared/errors';
import { HistoryQuerySchema, isImportedEntry, type HistoryEntry, type HistoryQueryInput } from '../../shared/library';
import { openLibrary } from '../library/library';
import { LAYOUT } from '../library/paths';
import { createNodePlatform } from '../platform';
import { defaultDataDir, defaultLibraryDir, homeOf } from '../app-dirs';
import { readSavedLibraryDir } from '../settings/saved-settings';
import type { CliIo } from './output';

export const HISTORY_USAGE = `history options:
  --search TEXT         Words that must all appear in the prompt
  --model ALIAS         flux, flux-dev or flux-schnell
  --provider ID         bfl-flux1-dev, bfl-flux1-schnell or voodoohop-flux1-schnell
  --favourites          Favourites only
  --from DATE --to DATE Date range, inclusive (YYYY-MM-DD, or an ISO date-time)
  --limit N             At most N entries (default 20, up to 5000); newest first
  --offset N            Skip the N newest matches
  --library DIR         The library folder (default: the one chosen in the app's Settings,
                        else ~/Pictures/Flux Gallery)
  --data DIR            The app's settings folder to read (default: the desktop app's own)
  --json                One JSON object: {"libraryDir": …, "total": …, "items": [entries]};
                        entries' file and thumb paths are relative to libraryDir`;

const OPTIONS = {
  search: { type: 'string' },
  model: { type: 'string' },
  provider: { type: 'string' },
  favourites: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  limit: { type: 'string' },
  offset: { type: 'string' },
  library: { type: 'string' },
  data: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Exit codes as the rest of the CLI: 0 ok, 1 failed, 2 bad arguments. */
export async function runHistory(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    io.stderr(`Error: ${err instanceof Error ? err.message.replace(/\. To specify.*$/s, '.') : String(err)}`);
    return 2;
  }
  if (values.help) {
    io.stdout(HISTORY_USAGE);
    return 0;
  }
  const input: Record<string, unknown> = { limit: 20 };
  if (values.search !== undefined) input.text = values.search;
  if (values.model !== undefined) input.model = values.model;
  if (values.provider !== undefined) input.providerId = values.provider;
  if (values.favourites) input.favourite = true;
  if (values.from !== undefined) input.from = values.from;
  if (values.to !== undefined) input.to = values.to;
  if (values.limit !== undefined) input.limit = Number(values.limit);
  if (values.offset !== undefined) input.offset = Number(values.offset);
  const query = HistoryQuerySchema.safeParse(input satisfies HistoryQueryInput);
  if (!query.success) {
    const issue = query.error.issues[0];
    const flag = FLAG_OF[String(issue?.path[0] ?? '')] ?? String(issue?.path[0] ?? '');
    io.stderr(`Error: --${flag}: ${issue?.message ?? 'invalid value'}.`);
    return 2;
  }

  const saved = values.library ? null : await readSavedLibraryDir(path.resolve(values.data ?? defaultDataDir(env)));
  const dir = path.resolve(values.library ?? saved ?? defaultLibraryDir({ home: homeOf(env) }));
  if (!existsSync(dir)) {
    // A read-only command: do not create a library just to say it is empty.
    if (values.json) io.stdout(JSON.stringify({ libraryDir: dir, items: [], total: 0 }));
    else io.stderr(`No images found in ${dir}.`);
    return 0;
  }
  try {
    const lib = await openLibrary({
      dir,
      platform: createNodePlatform(path.join(dir, LAYOUT.localTrash)),
      // Read-only: the app may be running with deletes still undoable, and a listing repairs nothing.
      readOnly: true,
      purgeLeftoversOnOpen: false,
      scanOnOpen: false,
    });
    try {
      const page = lib.query(query.data);
      if (values.json) io.stdout(JSON.stringify({ libraryDir: lib.dir, ...page }));
      else printTable(io, page.items, page.total, query.data.offset, dir);
    } finally {
      await lib.dispose();
    }
    return 0;
  } catch (err) {
    io.stderr(`Error: ${toErrorInfo(err).message}`);
    return 1;
  }
}

const FLAG_OF: Record<string, string> = { text: 'search', providerId: 'provider', favourite: 'favourites' };

function printTable(io: CliIo, items: HistoryEntry[], total: number, offset: number, dir: string): void {
  if (total === 0) {
    io.stderr(`No images found in ${dir}.`);
    return;
  }
  for (const e of items) {
    const when = e.createdAt.slice(0, 16).replace('T', ' ');
    const star = e.favourite ? '*' : ' ';
    const prompt = e.prompt.replace(/\s+/g, ' ');
    const short = prompt.length > 60 ? `${prompt.slice(0, 59)}…` : prompt;
    // An imported image's model is the one its tool recorded (ours is only where it is filed).
    const named = isImportedEntry(e) ? (e.params.modelName ?? '?') : e.model;
    const model = named.length > 12 ? `${named.slice(0, 11)}…` : named;
    io.stdout(
      `${when}  ${star} ${e.id}  ${model.padEnd(12)} ${e.providerId.padEnd(23)} seed ${String(e.seed).padEnd(10)} ${e.width}x${e.height}  ${short}`,
    );
  }
  io.stderr(`${offset + 1}–${offset + items.length} of ${total} (newest first) in ${dir}`);
}
