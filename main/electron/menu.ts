/** The application menu: the platform's usual roles and shortcuts, plus the app's own actions. */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openLibraryFolder(): void;
  /** File → Import Images… (issue 18): the window opens its import dialog. */
  importImages?(): void;
}

export interface MenuOptions {
  isMac: boolean;
  appName: string;
  /** Reload and developer tools only in development builds. */
  dev: boolean;
  actions: MenuActions;
}

export function buildMenuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const { isMac, dev, actions } = opts;
  const template: MenuItemConstructorOptions[] = [];
  if (isMac) template.push({ label: opts.appName, role: 'appMenu' });
  template.push(
    {
      label: '&File',
      submenu: [
        ...(actions.importImages
          ? ([
              { label: 'Import Images…', accelerator: 'CmdOrCtrl+O', click: () => actions.importImages?.() },
            ] satisfies MenuItemConstructorOptions[])
          : []),
        { label: 'Open Library Folder', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openLibraryFolder() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { label: '&Edit', role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        ...(dev
          ? ([
              { role: 'reload' },
              { role: 'forceReload' },
              { role: 'toggleDevTools' },
              { type: 'separator' },
            ] satisfies MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: '&Window', role: 'windowMenu' },
  );
  if (!isMac) template.push({ label: '&Help', submenu: [{ role: 'about' }] });
  return template;
}
