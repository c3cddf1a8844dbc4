/** The security gate itself: scripts/electronegativity.mjs must fail on a known-bad app. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/electronegativity.mjs', import.meta.url));
const run = promisify(execFile);

async function scan(root: string) {
  try {
    const { stdout } = await run(process.execPath, [script], { env: { ...process.env, FLUX_SECURITY_ROOT: root } });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

describe('Electronegativity gate', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'flux-eneg-'));
    for (const d of ['main/electron', 'preload', 'renderer/src']) await mkdir(path.join(root, d), { recursive: true });
    await writeFile(path.join(root, 'package.json'), JSON.stringify({ devDependencies: { electron: '38.0.0' } }));
    await writeFile(
      path.join(root, 'main/electron/main.ts'),
      `import { BrowserWindow } from 'electron';
export const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false, sandbox: false } });
win.loadURL('http://example.com/');\n`,
    );
    await writeFile(path.join(root, 'preload/index.ts'), 'export {};\n');
    await writeFile(
      path.join(root, 'renderer/index.html'),
      '<!doctype html><script src="http://cdn.example/x.js"></script>',
    );
    await writeFile(path.join(root, 'renderer/src/main.tsx'), 'export {};\n');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('fails with a summary when an app has high-severity findings', async () => {
    const { code, out } = await scan(root);
    expect(code).toBe(1);
    expect(out).toMatch(/NODE_INTEGRATION|CONTEXT_ISOLATION/);
    expect(out).toMatch(/Electronegativity summary: \d+ findings \(high [1-9]/);
    expect(out).toContain('FAILED');
  }, 60_000);
});
