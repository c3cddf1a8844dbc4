/**
 * Who may talk to the core over IPC: only the main frame of our window, showing one of our pages.
 * Subframes, other windows and pages navigated elsewhere are refused before any handler runs.
 */
import type { IpcMainEvent, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { isAppUrl } from './security-policy';

export type SenderEvent = Pick<IpcMainEvent | IpcMainInvokeEvent, 'sender' | 'senderFrame'>;
export type FrameGuard = (event: SenderEvent) => boolean;

const sameFrame = (a: WebFrameMain, b: WebFrameMain) =>
  a === b || (a.processId === b.processId && a.routingId === b.routingId);

export function createFrameGuard(getWebContents: () => WebContents | null | undefined): FrameGuard {
  return (event) => {
    const contents = getWebContents();
    if (!contents || contents.isDestroyed() || event.sender !== contents) return false;
    // senderFrame is null once the frame has navigated away or been destroyed.
    const frame = event.senderFrame;
    const main = contents.mainFrame;
    if (!frame || !main || !sameFrame(frame, main) || frame.parent !== null) return false;
    return isAppUrl(frame.url);
  };
}
