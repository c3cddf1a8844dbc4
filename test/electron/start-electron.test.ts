/** scripts/start-electron.mjs: finds the binary, passes the app folder, reports a missing binary clearly. */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = path.join(root, 'scripts/start-electron.mjs');
const run = promisify(execFile);

async function start(env: Record<string, string>, args: string[] = []) {
  // The launcher would build the SQLite addon for Electron (downloading its headers): not for a stand-in.
  const clean: NodeJS.ProcessEnv = { ...process.env, FLUX_SKIP_NATIVE_REBUILD: '1' };
  delete clean.ELECTRON_OVERRIDE_DIST_PATH;
  try {
    const r = await run(process.execPath, [script, ...args], { env: { ...clean, ...env }, cwd: root });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

describe.skipIf(process.platform === 'win32')('npm start launcher', () => {
  let fake: string;
  beforeAll(async () => {
    fake = await mkdtemp(path.join(tmpdir(), 'flux-fake-electron-'));
    // Stands in for the Electron executable: prints what it was given, exits with a chosen code.
    await writeFile(
      path.join(fake, 'electron'),
      '#!/bin/sh\necho "ARGS:$*"\necho "RUN_AS_NODE:${ELECTRON_RUN_AS_NODE:-unset}"\nexit ${FAKE_EXIT:-0}\n',
    );
    await chmod(path.join(fake, 'electron'), 0o755);
  });
  afterAll(() => rm(fake, { recursive: true, force: true }));

  it('runs the binary on the app folder, forwarding arguments and the exit code', async () => {
    const ok = await start({ ELECTRON_OVERRIDE_DIST_PATH: fake, ELECTRON_RUN_AS_NODE: '1' }, ['--trace-warnings']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(`ARGS:${root.replace(/\/$/, '')}`);
    expect(ok.out).toContain('--trace-warnings');
    expect(ok.out).toContain('RUN_AS_NODE:unset');
    const failed = await start({ ELECTRON_OVERRIDE_DIST_PATH: fake, FAKE_EXIT: '3' });
    expect(failed.code).toBe(3);
  });

  it('explains how to get Electron and exits non-zero when the binary is missing', async () => {
    // Makes the installer a no-op, so this test never downloads anything, online or not.
    const r = await start({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ELECTRON_OVERRIDE_DIST_PATH: path.join(fake, 'nope') });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/needs the Electron [\d.]+ binary/);
    expect(r.err).toContain('node node_modules/electron/install.js');
    expect(r.err).toContain('npm run preview:web');
  });
});
