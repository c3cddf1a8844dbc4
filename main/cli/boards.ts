/**
 * `boards`: the library's boards.
 *   flux-gallery boards list [--json]
 *   flux-gallery boards create NAME [--auto-add]
 *   flux-gallery boards rename NAME NEW-NAME
 *   flux-gallery boards auto-add NAME on|off
 *   flux-gallery boards delete NAME
 *   flux-gallery boards add NAME (ID… | [filters] | --all)
 *   flux-gallery boards remove NAME (ID… | [filters] | --all)
 * A board is named by its name (case ignored) or its id. `add`/`remove` run as one library
 * operation (one history transaction per 500 images), as the app's bulk actions do; safe while the app runs.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { toErrorInfo } from '../../shared/errors';
import { EntryIdSchema } from '../../shared/library';
import type { BulkTarget } from '../../shared/organise';
import { openLibrary, type Library } from '../library/library';
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
  hasFilter,
  libraryDirOf,
  resolveBoard,
} from './organise-options';
import type { CliIo } from './output';

export const BOARDS_USAGE = `boards commands:
  boards list                      The boards, with how many images each holds
  boards create NAME [--auto-add]  A new board (--auto-add: new images go on it too)
  boards rename NAME NEW-NAME
  boards auto-add NAME on|off      Whether new images go on the board
  boards delete NAME               The board goes; its images stay
  boards add NAME ID…              Put images on the board: ids as "history" lists them,
  boards add NAME [filters]        or every image the filters pick (--all: every image)
  boards remove NAME ID… | [filters] | --all

A board is named by its name (case ignored) or its id.

Filters:
${FILTER_USAGE}
  --all                 Every image (add/remove without ids or filters)

Options:
${LIBRARY_USAGE}
  --json                One JSON object`;

const OPTIONS = {
  ...FILTER_OPTIONS,
  all: { type: 'boolean' },
  'auto-add': { type: 'boolean' },
  library: { type: 'string' },
  data: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMANDS = ['list', 'create', 'rename', 'auto-add', 'delete', 'add', 'remove'] as const;
type Sub = (typeof COMMANDS)[number];

export async function runBoards(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true }));
  } catch (err) {
    return usage(io, argsMessage(err));
  }
  const [sub, ...args] = positionals;
  if (values.help || !sub || sub === 'help') {
    io.stdout(BOARDS_USAGE);
    return EXIT.ok;
  }
  if (!(COMMANDS as readonly string[]).includes(sub)) return usage(io, `Unknown boards command "${sub}".`);
  const cmd = sub as Sub;
  const arity: Record<Sub, [number, number]> = {
    list: [0, 0],
    create: [1, 1],
    rename: [2, 2],
    'auto-add': [2, 2],
    delete: [1, 1],
    add: [1, Infinity],
    remove: [1, Infinity],
  };
  const [min, max] = arity[cmd];
  if (args.length < min) return usage(io, `boards ${cmd} needs ${min === 1 ? 'a board name' : `${min} arguments`}.`);
  if (args.length > max) return usage(io, `Unexpected argument "${args[max]}".`);
  if (cmd === 'auto-add' && !['on', 'off'].includes(args[1]!)) return usage(io, 'boards auto-add takes on or off.');
  const ids = cmd === 'add' || cmd === 'remove' ? args.slice(1) : [];
  if (ids.some((id) => !EntryIdSchema.safeParse(id).success)) {
    return usage(io, `"${ids.find((id) => !EntryIdSchema.safeParse(id).success)}" is not an image id.`);
  }
  if (cmd === 'add' || cmd === 'remove') {
    const filtered = hasFilter(values) || values.all === true;
    if (ids.length === 0 && !filtered) {
      return usage(io, `boards ${cmd} needs image ids, filters (--search …) or --all.`);
    }
    if (ids.length > 0 && filtered) return usage(io, 'Give either image ids or filters, not both.');
  }
  try {
    filterOf(values);
  } catch (err) {
    return usage(io, err instanceof Error ? err.message : String(err));
  }

  const { dir, exists } = await libraryDirOf(values, env);
  if (!exists) {
    // Never made just to list nothing.
    if (cmd === 'list') {
      if (values.json) io.stdout(JSON.stringify({ libraryDir: dir, boards: [], unboarded: 0 }));
      else io.stderr(`No boards: there is no library at ${dir}.`);
      return EXIT.ok;
    }
    io.stderr(`Error: There is no library folder at "${dir}".`);
    return EXIT.failed;
  }
  let lib: Library;
  try {
    lib = await openLibrary({
      dir,
      platform: createNodePlatform(path.join(dir, LAYOUT.localTrash)),
      // Listing changes nothing; the others write, under the index lock, beside a running app.
      readOnly: cmd === 'list',
      scanOnOpen: false,
      purgeLeftoversOnOpen: false,
    });
  } catch (err) {
    io.stderr(`Error: ${toErrorInfo(err).message}`);
    return EXIT.failed;
  }
  try {
    return await run(cmd, args, ids, values, lib, io);
  } catch (err) {
    if (err instanceof OptionError) return usage(io, err.message);
    io.stderr(`Error: ${toErrorInfo(err).message}`);
    return EXIT.failed;
  } finally {
    await lib.dispose();
  }
}

async function run(
  cmd: Sub,
  args: string[],
  ids: string[],
  values: Parameters<typeof filterOf>[0] & { all?: boolean; 'auto-add'?: boolean; json?: boolean },
  lib: Library,
  io: CliIo,
): Promise<number> {
  const out = (value: unknown, line: string) => io.stdout(values.json ? JSON.stringify(value) : line);
  if (cmd === 'list') {
    const state = lib.boards();
    if (values.json) io.stdout(JSON.stringify({ libraryDir: lib.dir, ...state }));
    else {
      for (const b of state.boards) {
        io.stdout(`${b.id}  ${String(b.count).padStart(6)}  ${b.name}${b.autoAdd ? '  (auto-add)' : ''}`);
      }
      io.stderr(`${state.boards.length} boards; ${state.unboarded} images on none, in ${lib.dir}`);
    }
    return EXIT.ok;
  }
  if (cmd === 'create') {
    const board = lib.createBoard(args[0]!, values['auto-add'] ?? false);
    out(board, board.id);
    return EXIT.ok;
  }
  const board = resolveBoard(lib, args[0]!);
  if (!board) throw new OptionError(`There is no board called "${args[0]}".`);
  switch (cmd) {
    case 'rename': {
      const b = lib.renameBoard(board.id, args[1]!);
      out(b, `${b.id}  ${b.name}`);
      return EXIT.ok;
    }
    case 'auto-add': {
      const b = lib.setBoardAutoAdd(board.id, args[1] === 'on');
      out(b, `${b.id}  ${b.name}${b.autoAdd ? '  (auto-add)' : ''}`);
      return EXIT.ok;
    }
    case 'delete': {
      const r = await lib.deleteBoard(board.id);
      out({ id: board.id, ...r }, `Deleted the board "${board.name}" (its images stay).`);
      return EXIT.ok;
    }
    case 'add':
    case 'remove': {
      const target: BulkTarget =
        ids.length > 0 ? { kind: 'ids', ids } : { kind: 'query', query: filterOf(values, boardFilter(values, lib)) };
      const r = await lib.bulk({
        target,
        action: { type: cmd === 'add' ? 'addToBoard' : 'removeFromBoard', boardId: board.id },
      });
      out(
        { board: { id: board.id, name: board.name }, ...r },
        `${cmd === 'add' ? 'Added' : 'Removed'} ${r.changed} of ${r.matched} images ${cmd === 'add' ? 'to' : 'from'} "${board.name}".`,
      );
      if (r.missing > 0) io.stderr(`${r.missing} of the ids given are not in the library.`);
      return EXIT.ok;
    }
  }
}

/** `--board NAME` as a filter of add/remove (images of another board). */
function boardFilter(values: { board?: string | undefined }, lib: Library): string | undefined {
  if (values.board === undefined) return undefined;
  const b = resolveBoard(lib, values.board);
  if (!b) throw new OptionError(`--board: there is no board called "${values.board}".`);
  return b.id;
}

function usage(io: CliIo, message: string): number {
  io.stderr(`Error: ${message}\nRun "flux-gallery boards --help" for the options.`);
  return EXIT.usage;
}
