/**
 * IPC glue: the two request channels of the contract go to the core's router (which validates every
 * argument with the contract's schemas), and core events go to the window. The sender is checked
 * here first, so a foreign frame never reaches a handler.
 */
import type { IpcMain, WebContents } from 'electron';
import { IPC, isEventChannel, isInvokeChannel, isSendChannel, type Envelope } from '../../shared/contract';
import type { EventBus } from '../event-bus';
import type { Router } from '../ipc/router';
import type { FrameGuard } from './frame-guard';
import { isAppUrl } from './security-policy';

const CTX = { transport: 'electron' } as const;

export const FORBIDDEN: Envelope<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This frame may not use the app bridge.' },
};

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'on' | 'removeHandler' | 'removeListener'>,
  router: Router,
  isOurFrame: FrameGuard,
  log: (message: string) => void = () => {},
): () => void {
  ipcMain.handle(IPC.invoke, async (event, channel: unknown, args: unknown) => {
    if (!isOurFrame(event)) {
      log(`IPC invoke refused: foreign sender (${describe(channel)})`);
      return FORBIDDEN;
    }
    if (!isInvokeChannel(channel)) {
      return { ok: false, error: { code: 'unknown-channel', message: `Unknown channel "${describe(channel)}".` } };
    }
    return router.invoke(channel, args, CTX);
  });

  const onSend = (event: Parameters<FrameGuard>[0], channel: unknown, args: unknown) => {
    if (!isOurFrame(event)) {
      log(`IPC send refused: foreign sender (${describe(channel)})`);
      return;
    }
    if (!isSendChannel(channel)) {
      log(`IPC send refused: unknown channel (${describe(channel)})`);
      return;
    }
    router.send(channel, args, CTX);
  };
  ipcMain.on(IPC.send, onSend);

  return () => {
    ipcMain.removeHandler(IPC.invoke);
    ipcMain.removeListener(IPC.send, onSend);
  };
}

/** Core events reach our window only while it shows our page. */
export function forwardEvents(events: EventBus, getWebContents: () => WebContents | null | undefined): () => void {
  return events.subscribe((channel, payload) => {
    const contents = getWebContents();
    if (!contents || contents.isDestroyed() || !isEventChannel(channel) || !isAppUrl(contents.getURL())) return;
    contents.send(IPC.event, channel, payload);
  });
}

/** Channel names from the page are untrusted: keep log lines short and printable. */
function describe(channel: unknown): string {
  return typeof channel === 'string' ? channel.replace(/[^\w:.-]/g, '?').slice(0, 64) : typeof channel;
}
