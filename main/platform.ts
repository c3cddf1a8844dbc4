/**
 * What the library needs from the desktop shell. The Electron glue implements it with `shell` and
 * `clipboard`; the CLI, tests and the web preview use `createNodePlatform` (no desktop integration).
 */
import { mkdir, rename, cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface Platform {
  /** Move a file to the OS trash (recoverable by the user). */
  trashItem(absPath: string): Promise<void>;
  /** Show the file in the OS file manager; false when not available. */
  showItemInFolder(absPath: string): Promise<boolean> | boolean;
  /** Put the image on the clipboard; false when not available. */
  copyImageToClipboard(absPath: string): Promise<boolean>;
  /** Start a native drag of the file (must run while the renderer's dragstart is being handled). */
  startDrag(filePath: string, iconPath: string): void;
  /**
   * The OS folder dialog: the folder picked, or null when the user cancelled. Absent where there is
   * no such dialog (the web preview, the CLI): the user types the path instead.
   */
  chooseFolder?(opts: { title?: string; defaultPath?: string }): Promise<string | null>;
  /**
   * The OS open dialog of "Import images…" (issue 18): image files or folders, several at once; an
   * empty list when the user cancelled. Absent without a desktop: the user types the paths.
   */
  chooseImportPaths?(opts: { kind: 'files' | 'folders'; title?: string }): Promise<string[]>;
  /** The OS save dialog (export to a .zip file): the path chosen, or null. Absent without a desktop. */
  chooseSaveFile?(opts: {
    title?: string;
    defaultPath?: string;
    filters?: { name: string; extensions: string[] }[];
  }): Promise<string | null>;
  /**
   * The taskbar/dock progress bar: 0–1, or null to hide it (the running jobs' mean progress; the
   * notifier calls it). Absent without a desktop.
   */
  setProgress?(fraction: number | null): void;
  /** The app icon's badge: the number of running jobs, 0 to clear it. Absent without a desktop. */
  setBadge?(count: number): void;
}

export interface NodePlatform extends Platform {
  readonly trashDir: string;
  /** Drag requests seen so far (there is no native drag without Electron; tests read this). */
  readonly dragRequests: { filePath: string; iconPath: string }[];
}

/** A platform without a desktop: "trash" is a folder, reveal and copy are not available. */
export function createNodePlatform(trashDir: string): NodePlatform {
  const dragRequests: { filePath: string; iconPath: string }[] = [];
  return {
    trashDir,
    dragRequests,
    async trashItem(absPath) {
      await mkdir(trashDir, { recursive: true });
      // A unique prefix: trashing two files with the same name must not overwrite the first.
      const dest = path.join(trashDir, `${Date.now()}-${randomBytes(3).toString('hex')}-${path.basename(absPath)}`);
      try {
        await rename(absPath, dest);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        // The trash folder is on another volume: copy, then remove the original.
        await cp(absPath, dest, { recursive: true, errorOnExist: true, force: false });
        await rm(absPath, { recursive: true, force: true });
      }
    },
    showItemInFolder: () => false,
    copyImageToClipboard: async () => false,
    startDrag(filePath, iconPath) {
      dragRequests.push({ filePath, iconPath });
    },
  };
}
