/**
 * The desktop side of the library's Platform: OS trash, reveal in the file manager, image to the
 * clipboard and native drag out of the window. Paths come from the core, already confined.
 */
import type { App, BrowserWindow, Clipboard, ClipboardItem, Dialog, NativeImage, Shell, WebContents } from 'electron';
import type { Platform } from '../platform';

type NativeImageModule = {
  createFromPath(path: string): NativeImage;
  createFromDataURL(dataURL: string): NativeImage;
};

export interface ElectronPlatformDeps {
  shell: Pick<Shell, 'trashItem' | 'showItemInFolder'>;
  /** Electron 45's clipboard: W3C-style `write([ClipboardItem])`. */
  clipboard: Pick<Clipboard, 'write'>;
  ClipboardItem: new (items: Record<string, Blob>) => ClipboardItem;
  nativeImage: NativeImageModule;
  /** Our window's contents: drags start there (the sender was checked by the IPC glue). */
  getWebContents(): WebContents | null | undefined;
  /** The folder dialog (Settings → Library folder → Choose…), shown over `getWindow()`. */
  dialog?: Pick<Dialog, 'showOpenDialog'> & Partial<Pick<Dialog, 'showSaveDialog'>>;
  getWindow?(): BrowserWindow | null | undefined;
  /** The dock/taskbar badge (macOS, Linux with a Unity launcher). */
  app?: Pick<App, 'setBadgeCount'>;
  log?: (message: string, err?: unknown) => void;
}

/** Drag images wider than this are scaled down: the OS shows them under the pointer. */
export const DRAG_ICON_WIDTH = 128;

/** The app icon (build/icons/32x32.png), used when the thumbnail cannot be decoded (e.g. WebP). */
const FALLBACK_ICON =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAACXBIWXMAAC4jAAAuIwF4pT92AAAFMElEQVR42u2X6VMTZxzH7R9g/65OBVRIQEigGo+2L/qOsR1Hx2nHFqxoW3VQq61jW4oH5ICEhDMcRkByElFybE7IsbmzuaCSb3cf6M5mtlqsx5v2mfm+2Znf7/Pd5/fdZ3f37Pl/iRbeO/lhqfnUvuLo6X1M4mx9Dl/VZ3CuPoWuhgS+bYijpyGK7/av44f9YVw9EMS1A37cOEDh1kEPbh904c7BZ/itcQW/Nzpxr9GRGGi0jiolZinY3i9Ff/YB3j+5r6Q/VVfEmToGrw1vcmCgyQZlkwUayRKGJQsj6oaHe198528Brmm17cAXMSKdx6j0ofZvd+KLulLLm4arpFZQurgAbsK4dA6TLdNSkQF25mNvetvnv3Zja3ML44eXePhU8wymm6f0IgOn65iUEP69PAW7oYSoexNxL6cN0DtKeCtESW+ZKEVUQpriVEQ+XMZm4TlQBVmbzB8I6SOYU5hYuBFz0omEyMDZ+mxVeOcB+waY1BYsGgbmwTwsgzlYB7OwDWbgUKaxrEzBqUxiRZlgReOZisaqKg6XKgaPKorQJI1CpEwMFKNlmD6e34Y3T8LUMlYVGRDCL0loVFn3+kvpf5n27ZlPn1hCJb2B6lYVs7IZAn/UMo6FllGIDAhnfqU1Tpxrv0nuGj5yfBm2Xj9mOp01gaP6faTX/JEZHr50SC82IAxcb1uUFI100buCD3fYUclukhrubhfPOPnAPbngJNcfK4w83HJIJzYgTPv1tnVSZOiK72rbTV+6IFy+gdBO2o14emGZXFtSTPJw+6FhsQHho3ZTFiZFo12xXc3c8JEFlczODjyvwnLGxgdutcdOrlsVEzzc2aoRGxA+5z/LgqRovDvySoFb6XVjsdPMw7mZu3pspJddMcbDV1pVYgPCtN+W+UnRZPf6ruC1h4yxJu2eHivp5VQYePhq66DYgDDtv8gpUjTVvSaCGz51YqHLvSs4N3Oqx0x6PT06wsM9bQ/EBoRp75N7SNFMd6j2xdJmQ8KZR4muYK7TUQM3f26GSWasgXMz9/cskV6rR7U8nGq7JzYgTHu/3E2KZruDNdvuHY6hlNhgVUHOy2D2xCKB287aUIoUQc9G8Fg+XpP24MVF0st9dIiHB2T9YgPCtN9vXyVFD8/7ebj1qo8crZyKkRIRvZiA45wdhSCDMmuAU2IqDGu7ng9c6OIC6UUdU/PwkKxPbECY9oH2p6To0XkfgU93riBLFZAPFImYQAFMsEDAnIpE7Gh2lJwI4EnHMJn52sV50st/TMnD12W/ig0I067seLJ9fJ6noD9iQ9ySQdbDEOU8eaK8J0fEEGVR8HLKoMiq5E0jZaDg6lAhcslEeoWOD/LwmPyO2IAw7apWB3kZWS77YO/1wa+NIKBdR1C7hhCrsDaMNW0IEV0QUV0AMZ0fcZ0PtI5CUuclSus8iF5eQLyXHQF7PIcP3+XhtPy22EBf43JVGDjakWPfZJsE7lOvwa8OI6gOIaQOIqwOYE3jx7rGh6iGQkzjRZwVPeRBYsiN1JAL6aFVZPUuPM+UUHZEauBJ+S3x6/hukz0pPGRGj1gQHIttbzvFIE+UB8OqQOWIij5OWZSIMijvqOJLb8ubBDPuRvST+zw8Jf8JafmPtMjAgyar4VVOOOGjJjzhhI+acOZ/wTPtN5GXXx8RGVA2mZvfCbz9Bood1yTij3L2U5n7bn8H8OEX/qBwPw0GiUn31uDt17RQ3Nr78h8z1p1ROiuZlhoNc80T9OvCucCxcD237f/4a/afXH8Ch5kXtmPiAmIAAAAASUVORK5CYII=';

export function createElectronPlatform(deps: ElectronPlatformDeps): Platform {
  const { nativeImage } = deps;

  // The thumbnail only: decoding the full image for a drag icon could cost seconds (a huge image).
  const dragIcon = (iconPath: string): NativeImage => {
    const img = nativeImage.createFromPath(iconPath);
    if (!img.isEmpty()) return img.getSize().width > DRAG_ICON_WIDTH ? img.resize({ width: DRAG_ICON_WIDTH }) : img;
    // nativeImage reads no WebP on Windows and Linux; macOS refuses a drag with an empty icon.
    return nativeImage.createFromDataURL(FALLBACK_ICON);
  };

  const { dialog } = deps;
  const chooseFolder = dialog
    ? async (opts: { title?: string; defaultPath?: string }): Promise<string | null> => {
        const options: Electron.OpenDialogOptions = {
          // createDirectory: macOS offers "New Folder"; promptToCreate: Windows accepts a typed new name.
          properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
          ...(opts.title ? { title: opts.title } : {}),
          ...(opts.defaultPath ? { defaultPath: opts.defaultPath } : {}),
        };
        const win = deps.getWindow?.();
        const result =
          win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      }
    : undefined;

  // Import images… (issue 18): files or folders, several at once, over our window.
  const chooseImportPaths = dialog
    ? async (opts: { kind: 'files' | 'folders'; title?: string }): Promise<string[]> => {
        const options: Electron.OpenDialogOptions = {
          properties: opts.kind === 'files' ? ['openFile', 'multiSelections'] : ['openDirectory', 'multiSelections'],
          ...(opts.kind === 'files'
            ? { filters: [{ name: 'Images', extensions: ['png', 'jpg', 'jpeg', 'webp'] }] }
            : {}),
          ...(opts.title ? { title: opts.title } : {}),
        };
        const win = deps.getWindow?.();
        const result =
          win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        return result.canceled ? [] : result.filePaths;
      }
    : undefined;

  // Export → a .zip file (issue 17): the save dialog, over our window.
  const chooseSaveFile = dialog?.showSaveDialog
    ? async (opts: {
        title?: string;
        defaultPath?: string;
        filters?: { name: string; extensions: string[] }[];
      }): Promise<string | null> => {
        const options: Electron.SaveDialogOptions = {
          properties: ['createDirectory', 'showOverwriteConfirmation'],
          ...(opts.title ? { title: opts.title } : {}),
          ...(opts.defaultPath ? { defaultPath: opts.defaultPath } : {}),
          ...(opts.filters ? { filters: opts.filters } : {}),
        };
        const win = deps.getWindow?.();
        const result =
          win && !win.isDestroyed()
            ? await dialog.showSaveDialog!(win, options)
            : await dialog.showSaveDialog!(options);
        return result.canceled ? null : (result.filePath ?? null);
      }
    : undefined;

  // The taskbar (Windows), dock (macOS) or launcher (Linux) progress bar of our window; -1 removes it.
  const setProgress = deps.getWindow
    ? (fraction: number | null) => {
        const win = deps.getWindow?.();
        if (!win || win.isDestroyed()) return;
        win.setProgressBar(fraction === null ? -1 : Math.min(1, Math.max(0, fraction)));
      }
    : undefined;
  const { app } = deps;
  const setBadge = app
    ? (count: number) => {
        // False where the desktop has no badge (Windows, most Linux desktops): nothing to do then.
        app.setBadgeCount(Math.max(0, Math.round(count)));
      }
    : undefined;

  return {
    ...(chooseFolder ? { chooseFolder } : {}),
    ...(chooseSaveFile ? { chooseSaveFile } : {}),
    ...(chooseImportPaths ? { chooseImportPaths } : {}),
    ...(setProgress ? { setProgress } : {}),
    ...(setBadge ? { setBadge } : {}),
    trashItem: (absPath) => deps.shell.trashItem(absPath),
    showItemInFolder(absPath) {
      deps.shell.showItemInFolder(absPath);
      return true;
    },
    async copyImageToClipboard(absPath) {
      const img = nativeImage.createFromPath(absPath);
      if (img.isEmpty()) return false;
      const png = new Blob([new Uint8Array(img.toPNG())], { type: 'image/png' });
      await deps.clipboard.write([new deps.ClipboardItem({ 'image/png': png })]);
      return true;
    },
    startDrag(filePath, iconPath) {
      const contents = deps.getWebContents();
      if (!contents || contents.isDestroyed()) return;
      contents.startDrag({ file: filePath, icon: dragIcon(iconPath) });
    },
  };
}
