import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, Dialog, NativeImage } from 'electron';
import { createElectronPlatform, DRAG_ICON_WIDTH } from '../../main/electron/electron-platform';
import { fakeContents } from './fakes';

function image(path: string, width: number) {
  const img = {
    path,
    width,
    isEmpty: () => width === 0,
    getSize: () => ({ width, height: width }),
    toPNG: () => Buffer.from(`png:${path}`),
    resize: vi.fn((o: { width: number }) => image(`${path}@${o.width}`, o.width)),
  };
  return img as typeof img & NativeImage;
}

function setup(sizes: Record<string, number>) {
  const contents = fakeContents();
  const shell = { trashItem: vi.fn(async () => {}), showItemInFolder: vi.fn() };
  const clipboard = { write: vi.fn(async (_items: unknown[]) => {}) };
  /** Electron 45's ClipboardItem, as far as the platform uses it: it keeps what it was given. */
  const ClipboardItem = class {
    constructor(readonly items: Record<string, Blob>) {}
  } as unknown as new (items: Record<string, Blob>) => Electron.ClipboardItem;
  const nativeImage = {
    createFromPath: vi.fn((p: string) => image(p, sizes[p] ?? 0)),
    createFromDataURL: vi.fn((u: string) => image(`data:${u.length}`, 32)),
  };
  let current: typeof contents | null = contents;
  const platform = createElectronPlatform({
    shell,
    clipboard,
    ClipboardItem,
    nativeImage,
    getWebContents: () => current,
  });
  return { platform, contents, shell, clipboard, nativeImage, close: () => (current = null) };
}

describe('Electron platform', () => {
  it('starts a native drag of the file with the thumbnail as icon', () => {
    const { platform, contents } = setup({ '/lib/thumbs/a.png': 96 });
    platform.startDrag('/lib/images/a.png', '/lib/thumbs/a.png');
    expect(contents.drags).toHaveLength(1);
    const item = contents.drags[0] as { file: string; icon: { path: string } };
    expect(item.file).toBe('/lib/images/a.png');
    expect(item.icon.path).toBe('/lib/thumbs/a.png');
  });

  it('scales a large icon down', () => {
    const { platform, contents } = setup({ '/t.png': 512 });
    platform.startDrag('/i.png', '/t.png');
    expect((contents.drags[0] as { icon: { width: number } }).icon.width).toBe(DRAG_ICON_WIDTH);
  });

  it('falls back to the app icon, never the full image, when the thumbnail cannot be decoded (WebP)', () => {
    const a = setup({ '/i.png': 16383 });
    a.platform.startDrag('/i.png', '/t.webp');
    expect(a.nativeImage.createFromPath).not.toHaveBeenCalledWith('/i.png');
    expect(a.nativeImage.createFromDataURL).toHaveBeenCalledWith(expect.stringMatching(/^data:image\/png;base64,/));

    const b = setup({});
    b.platform.startDrag('/i.webp', '/t.webp');
    const icon = (b.contents.drags[0] as { icon: NativeImage }).icon;
    expect(icon.isEmpty()).toBe(false);
    expect(b.nativeImage.createFromDataURL).toHaveBeenCalledWith(expect.stringMatching(/^data:image\/png;base64,/));
  });

  it('does nothing once the window is gone', () => {
    const { platform, contents, close } = setup({ '/t.png': 64 });
    close();
    platform.startDrag('/i.png', '/t.png');
    expect(contents.drags).toHaveLength(0);
  });

  it('moves files to the OS trash and reveals them', async () => {
    const { platform, shell } = setup({});
    await platform.trashItem('/lib/.trash-pending/a.png');
    expect(shell.trashItem).toHaveBeenCalledWith('/lib/.trash-pending/a.png');
    expect(await platform.showItemInFolder('/lib/images/a.png')).toBe(true);
    expect(shell.showItemInFolder).toHaveBeenCalledWith('/lib/images/a.png');
  });

  it('propagates a failed trash (the library keeps the file)', async () => {
    const { platform, shell } = setup({});
    shell.trashItem.mockRejectedValueOnce(new Error('no trash'));
    await expect(platform.trashItem('/x.png')).rejects.toThrow('no trash');
  });

  it('copies a decodable image to the clipboard, reports false otherwise', async () => {
    const { platform, clipboard } = setup({ '/i.png': 800 });
    expect(await platform.copyImageToClipboard('/i.png')).toBe(true);
    expect(clipboard.write).toHaveBeenCalledTimes(1);
    const [item] = clipboard.write.mock.calls[0]![0] as unknown as { items: Record<string, Blob> }[];
    const png = item!.items['image/png']!;
    expect(png.type).toBe('image/png');
    // The bytes are the image's PNG encoding (the fake image's toPNG()).
    expect(Buffer.from(await png.arrayBuffer()).toString()).toBe('png:/i.png');
    expect(await platform.copyImageToClipboard('/broken.png')).toBe(false);
    expect(clipboard.write).toHaveBeenCalledTimes(1);
  });

  it('embeds a real PNG as the fallback drag icon', async () => {
    const { nativeImage, platform } = setup({});
    platform.startDrag('/x', '/y');
    const url = nativeImage.createFromDataURL.mock.calls[0]![0];
    const bytes = Buffer.from(url.split(',')[1]!, 'base64');
    const { default: sharp } = await import('sharp');
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 32, 32]);
  });

  describe('the folder dialog (Settings → Library folder → Choose…)', () => {
    function withDialog(answer: { canceled: boolean; filePaths: string[] }, window: { isDestroyed(): boolean } | null) {
      const contents = fakeContents();
      const dialog = { showOpenDialog: vi.fn(async (..._args: unknown[]) => answer) };
      const platform = createElectronPlatform({
        shell: { trashItem: vi.fn(async () => {}), showItemInFolder: vi.fn() },
        clipboard: { write: vi.fn() },
        ClipboardItem: class {} as never,
        nativeImage: { createFromPath: vi.fn(), createFromDataURL: vi.fn() },
        getWebContents: () => contents,
        dialog: dialog as unknown as Pick<Dialog, 'showOpenDialog'>,
        getWindow: () => window as unknown as BrowserWindow | null,
      });
      return { platform, dialog };
    }

    it('opens a folder-only dialog over the window, starting at the current folder', async () => {
      const win = { isDestroyed: () => false };
      const { platform, dialog } = withDialog({ canceled: false, filePaths: ['/home/u/Pictures/Flux'] }, win);
      expect(await platform.chooseFolder!({ title: 'Library folder', defaultPath: '/home/u/lib' })).toBe(
        '/home/u/Pictures/Flux',
      );
      expect(dialog.showOpenDialog).toHaveBeenCalledTimes(1);
      const [parent, options] = dialog.showOpenDialog.mock.calls[0]! as [unknown, Record<string, unknown>];
      expect(parent).toBe(win);
      expect(options).toMatchObject({ title: 'Library folder', defaultPath: '/home/u/lib' });
      expect(options.properties).toEqual(expect.arrayContaining(['openDirectory', 'createDirectory']));
      expect(options.properties).not.toContain('openFile');
      expect(options.properties).not.toContain('multiSelections');
    });

    it('answers null when the user cancels', async () => {
      const { platform } = withDialog({ canceled: true, filePaths: [] }, { isDestroyed: () => false });
      expect(await platform.chooseFolder!({})).toBeNull();
    });

    it('still opens (without a parent) when the window is gone', async () => {
      const { platform, dialog } = withDialog({ canceled: false, filePaths: ['/x'] }, null);
      expect(await platform.chooseFolder!({})).toBe('/x');
      expect(dialog.showOpenDialog.mock.calls[0]).toHaveLength(1);
    });

    it('is absent without a dialog module, so the renderer offers typing only', () => {
      expect(setup({}).platform.chooseFolder).toBeUndefined();
    });
  });

  describe('the open dialog of Import images… (issue 18)', () => {
    function withDialog(answer: { canceled: boolean; filePaths: string[] }) {
      const dialog = { showOpenDialog: vi.fn(async (..._args: unknown[]) => answer) };
      const win = { isDestroyed: () => false };
      const platform = createElectronPlatform({
        shell: { trashItem: vi.fn(async () => {}), showItemInFolder: vi.fn() },
        clipboard: { write: vi.fn() },
        ClipboardItem: class {} as never,
        nativeImage: { createFromPath: vi.fn(), createFromDataURL: vi.fn() },
        getWebContents: () => fakeContents(),
        dialog: dialog as unknown as Pick<Dialog, 'showOpenDialog'>,
        getWindow: () => win as unknown as BrowserWindow,
      });
      return { platform, dialog, win };
    }

    it('picks several image files (PNG, JPEG, WebP) over the window', async () => {
      const { platform, dialog, win } = withDialog({ canceled: false, filePaths: ['/p/a.png', '/p/b.webp'] });
      expect(await platform.chooseImportPaths!({ kind: 'files' })).toEqual(['/p/a.png', '/p/b.webp']);
      const [parent, options] = dialog.showOpenDialog.mock.calls[0]! as [unknown, Record<string, unknown>];
      expect(parent).toBe(win);
      expect(options.properties).toEqual(['openFile', 'multiSelections']);
      expect(options.filters).toEqual([{ name: 'Images', extensions: ['png', 'jpg', 'jpeg', 'webp'] }]);
    });

    it('picks several folders, and answers none when cancelled', async () => {
      const { platform, dialog } = withDialog({ canceled: true, filePaths: ['/ignored'] });
      expect(await platform.chooseImportPaths!({ kind: 'folders' })).toEqual([]);
      const options = dialog.showOpenDialog.mock.calls[0]![1] as Record<string, unknown>;
      expect(options.properties).toEqual(['openDirectory', 'multiSelections']);
      expect(options.filters).toBeUndefined();
    });

    it('is absent without a dialog module', () => {
      expect(setup({}).platform.chooseImportPaths).toBeUndefined();
    });
  });
});
