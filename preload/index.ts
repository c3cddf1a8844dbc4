/**
 * The preload bridge: exposes exactly the contract's API (`FluxGalleryApi`) as `window.fluxGallery`.
 * Channel names are checked here too, so the page cannot reach any other IPC channel.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC,
  isEventChannel,
  isInvokeChannel,
  isSendChannel,
  unwrapEnvelope,
  type Envelope,
  type EventChannel,
  type FluxGalleryApi,
  type InvokeChannel,
  type InvokeResult,
} from '../shared/contract';

const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();
ipcRenderer.on(IPC.event, (_event: IpcRendererEvent, channel: unknown, payload: unknown) => {
  if (!isEventChannel(channel)) return;
  for (const l of listeners.get(channel) ?? []) l(payload);
});

const api: FluxGalleryApi = {
  transport: 'electron',
  async invoke<C extends InvokeChannel>(channel: C, args: unknown): Promise<InvokeResult<C>> {
    if (!isInvokeChannel(channel)) throw new Error(`Unknown channel "${String(channel)}".`);
    const envelope = (await ipcRenderer.invoke(IPC.invoke, channel, args)) as Envelope<InvokeResult<C>>;
    return unwrapEnvelope(envelope);
  },
  send(channel, args) {
    if (!isSendChannel(channel)) throw new Error(`Unknown channel "${String(channel)}".`);
    ipcRenderer.send(IPC.send, channel, args);
  },
  on(event, listener) {
    if (!isEventChannel(event)) throw new Error(`Unknown event "${String(event)}".`);
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  },
  mediaUrl(kind, id) {
    return `gallery://${kind}/${encodeURIComponent(id)}`;
  },
};

contextBridge.exposeInMainWorld('fluxGallery', api);
