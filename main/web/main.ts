/**
 * `npm run preview:web`: the real main-process services plus the built renderer, over the WebSocket
 * transport, for any Chromium. Electron is not needed.
 *   node out/main/preview-web.mjs [--data DIR] [--library DIR] [--port N]
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore } from '../core';
import { startWebBridge } from './bridge-server';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    library: { type: 'string' },
    port: { type: 'string' },
  },
});

const dataDir = path.resolve(values.data ?? path.join(homedir(), '.flux-gallery-preview'));
const here = path.dirname(fileURLToPath(import.meta.url));
// The preview has no OS keychain: a token from the environment is used and never stored. A token
// typed in Settings is kept until the preview stops, or stored in plain text if the user agrees.
const envToken = process.env.HF_TOKEN?.trim();
const core = await createCore({
  dataDir,
  defaultLibraryDir: path.resolve(values.library ?? path.join(dataDir, 'library')),
  transport: 'web',
  appVersion: process.env.npm_package_version ?? '0.0.0',
  // The preview runs the queue like the app: kept in the data folder across restarts.
  persistQueue: true,
  ...(envToken ? { overrides: { hfToken: envToken } } : {}),
});
const server = await startWebBridge({
  core,
  rendererDir: path.join(here, '../renderer'),
  port: values.port ? Number(values.port) : 0,
});
console.log(
  `Flux Gallery (web preview) is running.\nOpen: ${server.url}\nData: ${dataDir}\n` +
    `HF token: ${envToken ? 'from HF_TOKEN (not stored)' : 'none from the environment (set HF_TOKEN to use one without storing it)'}\n` +
    'Press Ctrl+C to stop.',
);

const stop = async () => {
  await server.close();
  await core.dispose();
  process.exit(0);
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
