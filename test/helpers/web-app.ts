/** Starts the real core + WebSocket transport + built renderer in temp folders, for e2e tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core, type CoreOptions } from '../../main/core';
import { startWebBridge, type WebBridgeServer } from '../../main/web/bridge-server';

/** The built renderer; FLUX_RENDERER_DIR points the e2e tests at another build (e.g. an older one, to see a test fail). */
export const RENDERER_DIR =
  process.env.FLUX_RENDERER_DIR ?? fileURLToPath(new URL('../../out/renderer', import.meta.url));

export interface WebApp {
  core: Core;
  server: WebBridgeServer;
  dataDir: string;
  libraryDir: string;
  close(): Promise<void>;
}

export async function startWebApp(overrides: Partial<CoreOptions> = {}): Promise<WebApp> {
  const root = await mkdtemp(path.join(tmpdir(), 'flux-gallery-e2e-'));
  const dataDir = overrides.dataDir ?? path.join(root, 'data');
  const libraryDir = overrides.defaultLibraryDir ?? path.join(root, 'library');
  const core = await createCore({
    dataDir,
    defaultLibraryDir: libraryDir,
    transport: 'web',
    appVersion: 'test',
    log: () => {},
    ...overrides,
  });
  const server = await startWebBridge({ core, rendererDir: RENDERER_DIR });
  return {
    core,
    server,
    dataDir,
    libraryDir,
    async close() {
      await server.close();
      await core.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}
