import { describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { buildMenuTemplate } from '../../main/electron/menu';

const flatten = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
  items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);

describe('application menu', () => {
  it('has the usual menus and roles on Windows/Linux', () => {
    const openLibraryFolder = vi.fn();
    const t = buildMenuTemplate({ isMac: false, appName: 'Flux Gallery', dev: false, actions: { openLibraryFolder } });
    const all = flatten(t);
    const roles = all.map((i) => i.role).filter(Boolean);
    expect(roles).toEqual(
      expect.arrayContaining(['quit', 'editMenu', 'windowMenu', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']),
    );
    expect(roles).not.toContain('appMenu');
    expect(roles).not.toContain('toggleDevTools');
    const open = all.find((i) => i.label === 'Open Library Folder')!;
    expect(open.accelerator).toBe('CmdOrCtrl+Shift+O');
    (open.click as () => void)();
    expect(openLibraryFolder).toHaveBeenCalled();
  });

  it('has File → Import Images… (Ctrl/Cmd+O) when the window can import (issue 18)', () => {
    const importImages = vi.fn();
    const items = flatten(
      buildMenuTemplate({
        isMac: false,
        appName: 'Flux Gallery',
        dev: false,
        actions: { openLibraryFolder: () => {}, importImages },
      }),
    );
    const item = items.find((i) => i.label === 'Import Images…')!;
    expect(item.accelerator).toBe('CmdOrCtrl+O');
    (item.click as () => void)();
    expect(importImages).toHaveBeenCalled();
  });

  it('uses the app menu on macOS and adds developer items only in development', () => {
    const t = buildMenuTemplate({
      isMac: true,
      appName: 'Flux Gallery',
      dev: true,
      actions: { openLibraryFolder: () => {} },
    });
    expect(t[0]).toMatchObject({ role: 'appMenu' });
    const roles = flatten(t).map((i) => i.role);
    expect(roles).toEqual(expect.arrayContaining(['close', 'reload', 'toggleDevTools']));
    expect(roles).not.toContain('quit');
  });
});
