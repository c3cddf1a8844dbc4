/**
 * What `export` and `boards` share: the library folder to use, and the filter options that pick
 * images (the same filters as the gallery's: text, board, favourites, stars, model, provider, dates).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { HistoryFilterSchema, type HistoryFilter } from '../../shared/library';
import { defaultDataDir, defaultLibraryDir, homeOf } from '../app-dirs';
import { boardNameKey } from '../library/boards';
import type { Library } from '../library/library';
import { readSavedLibraryDir } from '../settings/saved-settings';

export const FILTER_OPTIONS = {
  search: { type: 'string' },
  board: { type: 'string' },
  favourites: { type: 'boolean' },
  'min-rating': { type: 'string' },
  model: { type: 'string' },
  provider: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  sort: { type: 'string' },
} as const;

export const FILTER_USAGE = `  --search TEXT         Words that must all appear in the prompt
  --board NAME          Images on this board (its name, case ignored, or its id)
  --favourites          Favourites only
  --min-rating N        At least N stars (1–5)
  --model ALIAS         flux, flux-dev or flux-schnell
  --provider ID         The provider that made the image
  --since DATE --until DATE  Made in this date range, inclusive (YYYY-MM-DD or an ISO date-time)
  --sort ORDER          newest (default), oldest, rating or prompt`;

export const LIBRARY_USAGE = `  --library DIR         The library folder (default: the one chosen in the app's Settings,
                        else ~/Pictures/Flux Gallery)
  --data DIR            The app's settings folder to read (default: the desktop app's own)`;

export class OptionError extends Error {}

export interface FilterValues {
  search?: string | undefined;
  board?: string | undefined;
  favourites?: boolean | undefined;
  'min-rating'?: string | undefined;
  model?: string | undefined;
  provider?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  sort?: string | undefined;
}

/** Whether any filter option was given. */
export function hasFilter(v: FilterValues): boolean {
  return (Object.keys(FILTER_OPTIONS) as (keyof FilterValues)[]).some((k) => k !== 'sort' && v[k] !== undefined);
}

const FLAG_OF: Record<string, string> = {
  text: 'search',
  providerId: 'provider',
  favourite: 'favourites',
  minRating: 'min-rating',
  from: 'since',
  to: 'until',
};

/** The filter the options name (the board still as given: `resolveBoard` turns a name into its id). */
export function filterOf(v: FilterValues, boardId?: string): HistoryFilter {
  const input: Record<string, unknown> = {};
  if (v.search !== undefined) input.text = v.search;
  if (v.model !== undefined) input.model = v.model;
  if (v.provider !== undefined) input.providerId = v.provider;
  if (v.favourites) input.favourite = true;
  if (v['min-rating'] !== undefined) input.minRating = Number(v['min-rating']);
  if (v.since !== undefined) input.from = v.since;
  if (v.until !== undefined) input.to = v.until;
  if (v.sort !== undefined) input.sort = v.sort;
  if (boardId !== undefined) input.board = boardId;
  const parsed = HistoryFilterSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    throw new OptionError(`--${FLAG_OF[key] ?? key}: ${issue?.message ?? 'invalid value'}.`);
  }
  return parsed.data;
}

/** A board by id or by name (case and accents ignored); null when there is none. */
export function resolveBoard(lib: Library, nameOrId: string): { id: string; name: string } | null {
  const boards = lib.boards().boards;
  return (
    boards.find((b) => b.id === nameOrId) ?? boards.find((b) => boardNameKey(b.name) === boardNameKey(nameOrId)) ?? null
  );
}

/** `--library`, else the folder the app's Settings name, else the default. Null when it does not exist. */
export async function libraryDirOf(
  values: { library?: string | undefined; data?: string | undefined },
  env: NodeJS.ProcessEnv,
): Promise<{ dir: string; exists: boolean }> {
  const saved = values.library ? null : await readSavedLibraryDir(path.resolve(values.data ?? defaultDataDir(env)));
  const dir = path.resolve(values.library ?? saved ?? defaultLibraryDir({ home: homeOf(env) }));
  return { dir, exists: existsSync(dir) };
}

/** The message of a parseArgs error, without its hint about `--` (ours is the help). */
export const argsMessage = (err: unknown): string =>
  err instanceof Error ? err.message.replace(/\. To specify.*$/s, '.') : String(err);
