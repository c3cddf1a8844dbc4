/**
 * The preload bridge (sandboxed, bundled to CommonJS): exposes exactly the contract's API
 * (`FluxGalleryApi`) as `window.fluxGallery`, nothing else — no ipcRenderer, no event objects.
 * Channel names are checked here as well, so the page cannot reach any other IPC channel.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
// Names only at runtime: the schemas (and zod) stay on the main side, which validates.
import { IPC, isEventChannel, isInvokeChannel, isSendChannel, type EventChannel } from '../shared/channel-names';
import type { Envelope, FluxGalleryApi, InvokeChannel, InvokeResult, MediaKind } from '../shared/contract';
import { toBridgeFailure, unwrapEnvelope } from '../shared/envelope';
import { createListenerRegistry, reportAsync } from '../shared/listeners';

const listeners = createListenerRegistry<EventChannel, unknown>(reportAsync);

ipcRenderer.on(IPC.event, (_event: IpcRendererEvent, channel: unknown, payload: unknown) => {
  if (isEventChannel(channel)) listeners.emit(channel, payload);
});

const MEDIA_KINDS: readonly MediaKind[] = ['image', 'thumb'];

const api: FluxGalleryApi = {
  transport: 'electron',
  async invoke<C extends InvokeChannel>(channel: C, args: unknown): Promise<InvokeResult<C>> {
    if (!isInvokeChannel(channel)) {
      throw toBridgeFailure({ code: 'unknown-channel', message: `Unknown channel "${String(channel)}".` });
    }
    return unwrapEnvelope((await ipcRenderer.invoke(IPC.invoke, channel, args)) as Envelope<InvokeResult<C>>);
  },
  send(channel, args) {
    if (!isSendChannel(channel)) throw new Error(`Unknown channel "${String(channel)}".`);
    ipcRenderer.send(IPC.send, channel, args);
  },
  on(event, listener) {
    if (!isEventChannel(event)) throw new Error(`Unknown event "${String(event)}".`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    return listeners.add(event, listener as (payload: unknown) => void);
  },
  mediaUrl(kind, id) {
    if (!MEDIA_KINDS.includes(kind)) throw new Error(`Unknown media kind "${String(kind)}".`);
    // The id becomes one encoded path segment; the main side accepts entry ids only.
    return `gallery://${kind}/${encodeURIComponent(String(id))}`;
  },
  pathForFile(file) {
    // Dropped files and folders (issue 18): only a real File has a path; the main side checks it again.
    if (!(file instanceof File)) return null;
    try {
      return webUtils.getPathForFile(file) || null;
    } catch {
      return null;
    }
  },
};

contextBridge.exposeInMainWorld('fluxGallery', Object.freeze(api));
