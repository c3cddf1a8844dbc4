/** Electron entry (bundled to out/main/index.mjs): everything happens in bootstrap.ts. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootstrap } from './bootstrap';

const here = path.dirname(fileURLToPath(import.meta.url));

void bootstrap({
  preload: path.join(here, '../preload/index.cjs'),
  rendererDir: path.join(here, '../renderer'),
});
