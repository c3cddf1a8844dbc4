import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// Plain Vite (esbuild/oxc handles TSX with the automatic runtime): no React plugin needed for a build.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    // Electron's Chromium and Debian's are recent: no legacy transforms.
    target: 'chrome120',
    // Chromium preloads modules natively: the polyfill would only cost the entry time.
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
  oxc: { jsx: { runtime: 'automatic' } },
});
