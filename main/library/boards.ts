/**
 * The boards of a library: `<library>/.flux-gallery/boards.json`, `{ "format": 1, "boards": Board[] }`
 * (id, name, createdAt, autoAdd). Only the boards' definitions: which images are on a board is kept
 * on the entries themselves (`HistoryEntry.boards`), see main/library/README.md for why.
 *
 * Written atomically under the library's index lock (`history.lock`), right after reading the file
 * again when another process changed it (a stamp of device, inode, size and times), so the app
 * and the CLI never undo each other's board changes. A file that cannot be read is kept aside as
 * `boards.json.corrupt-<time>` and the library goes on without boards; one written by a newer
 * version is left alone and board changes are refused in words.
 */
import { readFileSync, renameSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { AppError } from '../../shared/errors';
import { BoardIdSchema } from '../../shared/library';
import { BOARD_NAME_MAX, MAX_BOARDS, type Board } from '../../shared/organise';
import { writeFileAtomicSync } from './atomic-write';
import { LOCK_WAIT_MS, withLock } from './index-lock';
import { errnoCode, toIoError } from './io-errors';

export const BOARDS_FORMAT = 1;

export interface BoardStoreOptions {
  /** `<library>/.flux-gallery/boards.json`. */
  file: string;
  /** The index lock (`history.lock`): one lock for every index file of the library. */
  lockFile: string;
  readOnly?: boolean;
  lockWaitMs?: number;
  /** Runs before every write; throws to refuse it (the library checks its folder is still there). */
  beforeWrite?: () => void;
  log?: (message: string, err?: unknown) => void;
  now?: () => Date;
}

function stampOf(file: string): string | null {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return null;
  }
}

/** Names compare without case or accents: "Cats" and "cats" are one board. */
export const boardNameKey = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLocaleLowerCase('en')
    .trim();

function isBoard(x: unknown): x is Board {
  if (typeof x !== 'object' || x === null) return false;
  const b = x as Record<string, unknown>;
  return (
    typeof b.id === 'string' &&
    BoardIdSchema.safeParse(b.id).success &&
    typeof b.name === 'string' &&
    b.name.trim().length > 0 &&
    b.name.length <= BOARD_NAME_MAX &&
    typeof b.createdAt === 'string' &&
    typeof b.autoAdd === 'boolean'
  );
}

const timeTag = () => new Date().toISOString().replace(/[:.]/g, '-');

export class BoardStore {
  private boards: Board[] = [];
  /** The file as this process last read or wrote it; undefined before the first read. */
  private stamp: string | null | undefined;
  /** Set when the file was written by a newer version: read nothing, write nothing. */
  private newer: string | null = null;
  /** The file could not be read and is still there: the next write moves it aside first. */
  private damaged = false;
  private readonly log: (message: string, err?: unknown) => void;

  constructor(private readonly opts: BoardStoreOptions) {
    this.log = opts.log ?? (() => {});
  }

  /** The boards now (read again when another process changed the file), in creation order. */
  list(): Board[] {
    this.sync(false);
    return this.boards.map((b) => ({ ...b }));
  }

  get(id: string): Board | undefined {
    return this.list().find((b) => b.id === id);
  }

  /** Ids of the boards new images go on. */
  autoAddIds(): string[] {
    return this.list()
      .filter((b) => b.autoAdd)
      .map((b) => b.id);
  }

  create(name: string, autoAdd: boolean): Board {
    return this.writing((boards) => {
      if (boards.length >= MAX_BOARDS) {
        throw new AppError('invalid-argument', `A library holds at most ${MAX_BOARDS} boards.`);
      }
      this.checkUnique(boards, name, null);
      const board: Board = {
        id: `b${Date.now().toString(36)}${randomBytes(4).toString('hex')}`,
        name: name.trim(),
        createdAt: (this.opts.now?.() ?? new Date()).toISOString(),
        autoAdd,
      };
      return { boards: [...boards, board], result: board };
    });
  }

  rename(id: string, name: string): Board {
    return this.change(id, (b, boards) => {
      this.checkUnique(boards, name, id);
      return { ...b, name: name.trim() };
    });
  }

  setAutoAdd(id: string, autoAdd: boolean): Board {
    return this.change(id, (b) => ({ ...b, autoAdd }));
  }

  /** False when there was no such board. */
  delete(id: string): boolean {
    return this.writing((boards) => {
      const next = boards.filter((b) => b.id !== id);
      return next.length === boards.length ? { boards: null, result: false } : { boards: next, result: true };
    });
  }

  private change(id: string, fn: (b: Board, all: Board[]) => Board): Board {
    return this.writing((boards) => {
      const i = boards.findIndex((b) => b.id === id);
      if (i < 0) throw notFound();
      const next = fn(boards[i]!, boards);
      return { boards: boards.map((b, j) => (j === i ? next : b)), result: next };
    });
  }

  private checkUnique(boards: Board[], name: string, self: string | null): void {
    const key = boardNameKey(name);
    const other = boards.find((b) => b.id !== self && boardNameKey(b.name) === key);
    if (other) throw new AppError('invalid-argument', `There is already a board called "${other.name}".`);
  }

  /** Under the lock: the file read again if changed, `fn` decides, the file written (null: nothing to write). */
  private writing<T>(fn: (boards: Board[]) => { boards: Board[] | null; result: T }): T {
    if (this.opts.readOnly) throw new AppError('io', 'The library is open read-only here: boards cannot change.');
    this.opts.beforeWrite?.();
    return withLock(
      this.opts.lockFile,
      () => {
        this.sync(true);
        if (this.newer) throw new AppError('io', this.newer);
        const { boards, result } = fn(this.boards.map((b) => ({ ...b })));
        if (boards) {
          try {
            writeFileAtomicSync(this.opts.file, `${JSON.stringify({ format: BOARDS_FORMAT, boards }, undefined, 2)}\n`);
          } catch (err) {
            throw toIoError(err, 'save the boards', path.dirname(this.opts.file));
          }
          this.boards = boards;
          this.stamp = stampOf(this.opts.file);
        }
        return result;
      },
      this.opts.lockWaitMs ?? LOCK_WAIT_MS,
    );
  }

  /** Reads the file when it changed since this process last looked. `repair`: under the lock. */
  private sync(repair: boolean): void {
    const now = stampOf(this.opts.file);
    if (this.stamp !== undefined && now === this.stamp && !(repair && this.damaged)) return;
    this.newer = null;
    this.damaged = false;
    let raw: unknown;
    try {
      let text = readFileSync(this.opts.file, 'utf8');
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      raw = JSON.parse(text);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') {
        this.boards = [];
        this.stamp = null;
        return;
      }
      this.unreadable(repair, now, err instanceof Error ? err.message : String(err));
      return;
    }
    const { format, boards } = (typeof raw === 'object' && raw !== null ? raw : {}) as {
      format?: unknown;
      boards?: unknown;
    };
    if (typeof format === 'number' && Number.isInteger(format) && format > BOARDS_FORMAT) {
      this.newer =
        `The boards of this library were saved by a newer version of Flux Gallery (boards.json format ` +
        `${format}; this version reads format ${BOARDS_FORMAT}). Update Flux Gallery to change them.`;
      this.boards = [];
      this.stamp = now;
      return;
    }
    if (format !== BOARDS_FORMAT || !Array.isArray(boards)) {
      this.unreadable(repair, now, 'not a boards file of this version');
      return;
    }
    const seen = new Set<string>();
    this.boards = boards.filter((b): b is Board => {
      if (!isBoard(b) || seen.has(b.id)) return false;
      seen.add(b.id);
      return true;
    });
    if (this.boards.length < boards.length)
      this.log(`boards: ${boards.length - this.boards.length} malformed boards left out`);
    this.stamp = now;
  }

  private unreadable(repair: boolean, now: string | null, why: string): void {
    this.boards = [];
    if (!repair || this.opts.readOnly) {
      // Moved aside at the next write, under the lock.
      this.stamp = now;
      this.damaged = true;
      this.log(`boards: boards.json could not be read (${why})`);
      return;
    }
    const aside = `${this.opts.file}.corrupt-${timeTag()}`;
    try {
      renameSync(this.opts.file, aside);
      this.log(`boards: boards.json could not be read (${why}); kept as ${path.basename(aside)}`);
    } catch (err) {
      throw toIoError(err, 'move a damaged boards file aside', this.opts.file);
    }
    this.stamp = null;
  }
}

function notFound(): AppError {
  return new AppError('not-found', 'There is no such board (it may have been deleted).');
}
