/**
 * The preload bridge (sandboxed, bundled to CommonJS): exposes exactly the contract's API
 * (`FluxGalleryApi`) as `window.fluxGallery`, nothing else — no ipcRenderer, no event objects.
 * Channel names are checked here as well, so the page cannot reach any other IPC channel.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
// Names only at runtime: the schemas (and zod) stay on the main side, which validates.
import { IPC, isEventChannel, isInvokeChannel, isSendChannel, type EventChannel } from '../shared/channel-names';
import type { Envelope, FluxGalleryApi, InvokeChannel, InvokeResult, MediaKind } from '../shared/contract';
import type { ErrorInfo } from '../shared/errors';

/**
 * What a failed invoke rejects with in Electron. contextBridge copies only the message of an Error
 * object, so the code would be lost; a plain object crosses with all its fields. It still reads like
 * an error (`name`, `message`, `toString`) for code that only logs it.
 */
export interface BridgeFailure extends ErrorInfo {
  name: 'BridgeError';
  toString(): string;
}

export function toBridgeFailure(info: ErrorInfo): BridgeFailure {
  const failure: BridgeFailure = {
    name: 'BridgeError',
    code: info.code,
    message: info.message,
    toString: () => info.message,
  };
  if (info.status !== undefined) failure.status = info.status;
  if (info.providerId !== undefined) failure.providerId = info.providerId;
  return failure;
}

const listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();

ipcRenderer.on(IPC.event, (_event: IpcRendererEvent, channel: unknown, payload: unknown) => {
  if (!isEventChannel(channel)) return;
  for (const listener of [...(listeners.get(channel) ?? [])]) {
    try {
      listener(payload);
    } catch (err) {
      // One failing listener must not keep the others from hearing the event; report it async.
      queueMicrotask(() => {
        throw err;
      });
    }
  }
});

const MEDIA_KINDS: readonly MediaKind[] = ['image', 'thumb'];

const api: FluxGalleryApi = {
  transport: 'electron',
  async invoke<C extends InvokeChannel>(channel: C, args: unknown): Promise<InvokeResult<C>> {
    if (!isInvokeChannel(channel)) {
      throw toBridgeFailure({ code: 'unknown-channel', message: `Unknown channel "${String(channel)}".` });
    }
    const envelope = (await ipcRenderer.invoke(IPC.invoke, channel, args)) as Envelope<InvokeResult<C>>;
    if (envelope?.ok === true) return envelope.value;
    throw toBridgeFailure(envelope?.ok === false ? envelope.error : { code: 'internal', message: 'No answer.' });
  },
  send(channel, args) {
    if (!isSendChannel(channel)) throw new Error(`Unknown channel "${String(channel)}".`);
    ipcRenderer.send(IPC.send, channel, args);
  },
  on(event, listener) {
    if (!isEventChannel(event)) throw new Error(`Unknown event "${String(event)}".`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => {
      set.delete(l);
    };
  },
  mediaUrl(kind, id) {
    if (!MEDIA_KINDS.includes(kind)) throw new Error(`Unknown media kind "${String(kind)}".`);
    // The id becomes one encoded path segment; the main side accepts entry ids only.
    return `gallery://${kind}/${encodeURIComponent(String(id))}`;
  },
};

contextBridge.exposeInMainWorld('fluxGallery', Object.freeze(api));
