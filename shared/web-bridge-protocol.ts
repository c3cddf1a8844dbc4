/** Messages of the WebSocket transport of the IPC contract (the same channels as Electron IPC). */
import type { Envelope } from './contract';

export type WebClientMessage =
  { type: 'invoke'; id: number; channel: string; args: unknown } | { type: 'send'; channel: string; args: unknown };

export type WebServerMessage =
  { type: 'result'; id: number; envelope: Envelope<unknown> } | { type: 'event'; channel: string; payload: unknown };

/** Query parameter that carries the session token (the page reads it from its URL fragment). */
export const WEB_TOKEN_PARAM = 'token';
export const WEB_BRIDGE_PATH = '/bridge';
export const WEB_MEDIA_PATH = '/media';
