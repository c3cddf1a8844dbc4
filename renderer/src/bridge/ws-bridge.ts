/** The same FluxGalleryApi over WebSocket, used when the page is not inside Electron (tests, web preview). */
import type {
  EventChannel,
  EventPayloads,
  FluxGalleryApi,
  InvokeChannel,
  InvokeResult,
} from '../../../shared/contract';
import { toBridgeFailure, unwrapEnvelope } from '../../../shared/envelope';
import { createListenerRegistry, reportAsync } from '../../../shared/listeners';
import {
  WEB_BRIDGE_PATH,
  WEB_MEDIA_PATH,
  WEB_TOKEN_PARAM,
  type WebClientMessage,
  type WebServerMessage,
} from '../../../shared/web-bridge-protocol';

export function createWsBridge(location: Location): FluxGalleryApi {
  // The first handshake proves the token and answers with a session cookie, so the token leaves the
  // address bar (a reload connects with the cookie); media are authorised by the cookie alone.
  const token = new URLSearchParams(location.hash.slice(1)).get(WEB_TOKEN_PARAM) ?? '';
  if (token && typeof history !== 'undefined') history.replaceState(null, '', location.pathname + location.search);
  const wsUrl = () =>
    `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WEB_BRIDGE_PATH}` +
    (token ? `?${WEB_TOKEN_PARAM}=${encodeURIComponent(token)}` : '');
  const pending = new Map<number, (m: Extract<WebServerMessage, { type: 'result' }>) => void>();
  const listeners = createListenerRegistry<string, unknown>(reportAsync);
  let nextId = 1;
  let socket: WebSocket;
  let opened: Promise<void>;

  const connect = () => {
    socket = new WebSocket(wsUrl());
    opened = new Promise((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener(
        'error',
        () => reject(toBridgeFailure({ code: 'network', message: 'Cannot reach the app service.' })),
        { once: true },
      );
    });
    socket.addEventListener('message', (ev) => {
      const msg = JSON.parse(String(ev.data)) as WebServerMessage;
      if (msg.type === 'result') {
        pending.get(msg.id)?.(msg);
        pending.delete(msg.id);
      } else if (msg.type === 'event') {
        listeners.emit(msg.channel, msg.payload);
      }
    });
    socket.addEventListener('close', () => {
      for (const resolve of pending.values()) {
        resolve({
          type: 'result',
          id: -1,
          envelope: { ok: false, error: { code: 'network', message: 'Lost the connection to the app service.' } },
        });
      }
      pending.clear();
    });
  };
  connect();

  const post = async (m: WebClientMessage) => {
    if (socket.readyState === WebSocket.CLOSED || socket.readyState === WebSocket.CLOSING) connect();
    await opened;
    socket.send(JSON.stringify(m));
  };

  return {
    transport: 'web',
    async invoke<C extends InvokeChannel>(channel: C, args: unknown): Promise<InvokeResult<C>> {
      const id = nextId++;
      const answer = new Promise<Extract<WebServerMessage, { type: 'result' }>>((resolve) => pending.set(id, resolve));
      await post({ type: 'invoke', id, channel, args });
      return unwrapEnvelope((await answer).envelope) as InvokeResult<C>;
    },
    send(channel, args) {
      void post({ type: 'send', channel, args });
    },
    on<E extends EventChannel>(event: E, listener: (payload: EventPayloads[E]) => void) {
      return listeners.add(event, listener as (p: unknown) => void);
    },
    mediaUrl(kind, id) {
      // Authorised by the session cookie (HttpOnly, SameSite=Strict), never by a token in the URL.
      return `${WEB_MEDIA_PATH}/${kind}/${encodeURIComponent(id)}`;
    },
  };
}
