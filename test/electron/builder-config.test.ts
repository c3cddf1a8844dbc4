/** electron-builder.yml, checked with electron-builder's own loader and schema (no packaging). */
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { beforeAll, describe, expect, it, vi } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let config: Record<string, any>;
let files: string[];

beforeAll(async () => {
  // app-builder-lib ships with electron-builder; its loader validates against the real schema.
  const { getConfig, validateConfiguration } = await import('app-builder-lib/out/util/config/config.js');
  const { DebugLogger } = await import('builder-util');
  vi.spyOn(console, 'log').mockImplementation(() => {});
  config = await getConfig(root, 'electron-builder.yml', null);
  // The loader normalizes `files` to [{ filter: [...] }].
  files = (config.files as (string | { filter: string[] })[]).flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
  await validateConfiguration(config, new DebugLogger(false));
  vi.restoreAllMocks();
});

describe('electron-builder.yml', () => {
  it('names the app and builds the four installer kinds', () => {
    expect(config.productName).toBe('Flux Gallery');
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.publish).toBeNull();
  });

  it('packs into asar, only the built app, with sharp unpacked', () => {
    expect(config.asar).toBe(true);
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'out/main/index.mjs', 'out/preload/index.cjs', 'out/renderer/**']),
    );
    expect(files).not.toContain('out/**');
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/sharp/**/*', 'node_modules/@img/**/*']));
  });

  it('sets the production fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
  });

  it('points at icons that exist at the sizes the packagers need', async () => {
    const icon = await sharp(`${root}build/icon.png`).metadata();
    expect([icon.format, icon.width, icon.height]).toEqual(['png', 512, 512]);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      const m = await sharp(`${root}build/icons/${size}x${size}.png`).metadata();
      expect([m.width, m.height]).toEqual([size, size]);
    }
    await access(`${root}${config.linux.icon}`);
    await access(`${root}${config.win.icon}`);
    await access(`${root}${config.mac.icon}`);
  });

  it('uses the package entry the build produces', async () => {
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default;
    expect(pkg.main).toBe('out/main/index.mjs');
    expect(files).toContain(pkg.main);
  });
});
