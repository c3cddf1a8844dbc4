/** The renderer's only door to the app: Electron's preload bridge, or the WebSocket transport outside Electron. */
import type { FluxGalleryApi } from '../../../shared/contract';
import { createWsBridge } from './ws-bridge';

declare global {
  interface Window {
    fluxGallery?: FluxGalleryApi;
  }
}

export const api: FluxGalleryApi = window.fluxGallery ?? createWsBridge(window.location);
