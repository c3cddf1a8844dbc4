import { describe, expect, it, vi } from 'vitest';
import type { NativeImage } from 'electron';
import { createElectronPlatform, DRAG_ICON_WIDTH } from '../../main/electron/electron-platform';
import { fakeContents } from './fakes';

function image(path: string, width: number) {
  const img = {
    path,
    width,
    isEmpty: () => width === 0,
    getSize: () => ({ width, height: width }),
    resize: vi.fn((o: { width: number }) => image(`${path}@${o.width}`, o.width)),
  };
  return img as typeof img & NativeImage;
}

function setup(sizes: Record<string, number>) {
  const contents = fakeContents();
  const shell = { trashItem: vi.fn(async () => {}), showItemInFolder: vi.fn() };
  const clipboard = { writeImage: vi.fn() };
  const nativeImage = {
    createFromPath: vi.fn((p: string) => image(p, sizes[p] ?? 0)),
    createFromDataURL: vi.fn((u: string) => image(`data:${u.length}`, 32)),
  };
  let current: typeof contents | null = contents;
  const platform = createElectronPlatform({ shell, clipboard, nativeImage, getWebContents: () => current });
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

  it('falls back to the image, then to the app icon, when the thumbnail cannot be decoded (WebP)', () => {
    const a = setup({ '/i.png': 1024 });
    a.platform.startDrag('/i.png', '/t.webp');
    expect((a.contents.drags[0] as { icon: { path: string } }).icon.path).toBe(`/i.png@${DRAG_ICON_WIDTH}`);

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
    expect(clipboard.writeImage).toHaveBeenCalledWith(expect.objectContaining({ path: '/i.png' }));
    expect(await platform.copyImageToClipboard('/broken.png')).toBe(false);
    expect(clipboard.writeImage).toHaveBeenCalledTimes(1);
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
});
