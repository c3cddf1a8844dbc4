/** Small stand-ins for Electron objects: just the members the glue touches. */
import { EventEmitter } from 'node:events';
import type { WebContents, WebFrameMain } from 'electron';
import { APP_ENTRY_URL } from '../../main/electron/security-policy';

let nextRoutingId = 1;

export interface FakeFrame {
  processId: number;
  routingId: number;
  url: string;
  parent: FakeFrame | null;
}

export function fakeFrame(url = APP_ENTRY_URL, parent: FakeFrame | null = null, processId = 7): FakeFrame {
  return { processId, routingId: nextRoutingId++, url, parent };
}

export interface FakeContents extends EventEmitter {
  mainFrame: FakeFrame;
  destroyed: boolean;
  url: string;
  sent: unknown[][];
  drags: unknown[];
  windowOpenHandler?: (details: { url: string }) => { action: string };
}

export function fakeContents(url = APP_ENTRY_URL): FakeContents & WebContents {
  const ee = new EventEmitter() as FakeContents;
  ee.mainFrame = fakeFrame(url);
  ee.destroyed = false;
  ee.url = url;
  ee.sent = [];
  ee.drags = [];
  Object.assign(ee, {
    isDestroyed: () => ee.destroyed,
    getURL: () => ee.url,
    send: (...args: unknown[]) => ee.sent.push(args),
    startDrag: (item: unknown) => ee.drags.push(item),
    setWindowOpenHandler: (h: FakeContents['windowOpenHandler']) => {
      ee.windowOpenHandler = h;
    },
  });
  return ee as FakeContents & WebContents;
}

/** An IPC event as Electron builds it: the sending WebContents and the frame. */
export function ipcEvent(sender: unknown, senderFrame: FakeFrame | null) {
  return { sender: sender as WebContents, senderFrame: senderFrame as unknown as WebFrameMain | null };
}

/** A navigation event: `url`, `isMainFrame`, and preventDefault bookkeeping. */
export function navEvent(url: string, isMainFrame = true) {
  const e = {
    url,
    isMainFrame,
    defaultPrevented: false,
    preventDefault() {
      e.defaultPrevented = true;
    },
  };
  return e;
}
