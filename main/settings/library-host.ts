/**
 * The library folder's life cycle, for the core: the library in use, or "unavailable" with the
 * reason (a missing folder, an unplugged drive, a read-only volume, a folder that does not answer)
 * so the app starts and says so instead of stopping before any window. Opening (the initial one, a
 * switch, a retry) is bounded in time; switches run one after another, so two quick changes cannot
 * open folders out of order. A late open that finishes after its time ran out is used if its folder
 * is still the one wanted, else closed.
 */
import path from 'node:path';
import type { LibraryStatus } from '../../shared/contract';
import { AppError, toErrorInfo } from '../../shared/errors';
import { checkLibraryFolder, withinTime } from './library-folder';

export interface HostedLibrary {
  readonly dir: string;
  dispose(): Promise<void>;
}

export interface LibraryHostOptions<L extends HostedLibrary> {
  open(dir: string): Promise<L>;
  /** The default folder (or one given for this run) may be created when missing; no other. */
  mayCreate(dir: string): boolean;
  defaultDir: string;
  /** Checking and opening a folder, together (default 30 s). */
  timeoutMs?: number;
  /** Another library is open (after a switch, or when one became available). */
  onSwitched(dir: string): void;
  onStatus(status: LibraryStatus): void;
  log(message: string, err?: unknown): void;
}

export interface LibraryHost<L extends HostedLibrary> {
  /** The library in use; throws the reason (`file-missing`, `io`) while there is none. */
  current(): L;
  status(): LibraryStatus;
  /** Opens `dir` (when it is not the folder already wanted); never throws: failure is a status. */
  switchTo(dir: string): Promise<void>;
  /** Tries the wanted folder again. */
  retry(): Promise<LibraryStatus>;
  /** Resolves once every switch asked for so far has finished. */
  settled(): Promise<void>;
  dispose(): Promise<void>;
}

export const LIBRARY_OPEN_TIMEOUT_MS = 30_000;

export function createLibraryHost<L extends HostedLibrary>(opts: LibraryHostOptions<L>): LibraryHost<L> {
  const timeoutMs = opts.timeoutMs ?? LIBRARY_OPEN_TIMEOUT_MS;
  let wanted: string | null = null;
  let library: L | null = null;
  let problem: AppError | null = null;
  let disposed = false;
  let chain: Promise<void> = Promise.resolve();

  const status = (): LibraryStatus => ({
    state: library ? 'ready' : 'unavailable',
    libraryDir: wanted ?? path.resolve(opts.defaultDir),
    defaultLibraryDir: path.resolve(opts.defaultDir),
    error: library ? null : problem ? problem.toInfo() : null,
  });

  const use = async (next: L) => {
    const previous = library;
    library = next;
    problem = null;
    if (previous && previous !== next)
      await previous.dispose().catch((err: unknown) => opts.log('library: close failed', err));
    opts.onSwitched(next.dir);
    opts.onStatus(status());
  };

  const fail = async (dir: string, err: unknown) => {
    opts.log(`library: could not open ${dir}`, err);
    const previous = library;
    library = null;
    const info = toErrorInfo(err);
    problem =
      err instanceof AppError
        ? err
        : new AppError(
            info.code === 'internal' ? 'io' : info.code,
            `Could not open the library in "${dir}": ${info.message}`,
          );
    if (previous) await previous.dispose().catch((e: unknown) => opts.log('library: close failed', e));
    opts.onStatus(status());
  };

  /** Checks and opens `dir` within the time bound. */
  const attempt = async (dir: string): Promise<L> => {
    const opening = (async () => {
      await checkLibraryFolder(dir, { mayCreate: opts.mayCreate(dir), timeoutMs });
      return opts.open(dir);
    })();
    try {
      return await withinTime(opening, timeoutMs, `The library folder "${dir}"`);
    } catch (err) {
      // Still opening when the time ran out: used if it is still wanted and nothing else is open.
      opening.then(
        (late) => {
          if (!disposed && wanted === dir && library === null) {
            chain = chain.then(() => (!disposed && wanted === dir && library === null ? use(late) : late.dispose()));
          } else void late.dispose();
        },
        () => {},
      );
      throw err;
    }
  };

  const openWanted = async (dir: string) => {
    try {
      const next = await attempt(dir);
      if (disposed || wanted !== dir) return void (await next.dispose());
      await use(next);
    } catch (err) {
      if (!disposed && wanted === dir) await fail(dir, err);
    }
  };

  return {
    current() {
      if (library) return library;
      throw problem ? new AppError(problem.code, problem.message) : new AppError('io', 'The library is not open yet.');
    },
    status,
    switchTo(dir) {
      chain = chain.then(async () => {
        const target = path.resolve(dir);
        if (disposed || (target === wanted && (library || problem))) return;
        wanted = target;
        await openWanted(target);
      });
      return chain;
    },
    async retry() {
      chain = chain.then(async () => {
        if (disposed || wanted === null || library) return;
        await openWanted(wanted);
      });
      await chain;
      return status();
    },
    settled: () => chain,
    async dispose() {
      disposed = true;
      await chain;
      const last = library;
      library = null;
      await last?.dispose();
    },
  };
}
