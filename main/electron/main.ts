/** Electron entry: thin glue around the plain-Node core (hardened further in main/electron/*). */
import { app, BrowserWindow, ipcMain } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC, EVENT_CHANNELS } from '../../shared/contract';
import { createCore } from '../core';

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  await app.whenReady();
  const core = await createCore({
    dataDir: app.getPath('userData'),
    defaultLibraryDir: path.join(app.getPath('pictures'), 'Flux Gallery'),
    transport: 'electron',
    appVersion: app.getVersion(),
  });
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  ipcMain.handle(IPC.invoke, (event, channel: unknown, args: unknown) => {
    if (event.senderFrame !== win.webContents.mainFrame)
      return { ok: false, error: { code: 'forbidden', message: 'Not our window.' } };
    return core.router.invoke(channel, args, { transport: 'electron' });
  });
  core.events.subscribe((channel, payload) => {
    if (EVENT_CHANNELS.includes(channel) && !win.isDestroyed()) win.webContents.send(IPC.event, channel, payload);
  });
  await win.loadFile(path.join(here, '../renderer/index.html'));
}

void main();
