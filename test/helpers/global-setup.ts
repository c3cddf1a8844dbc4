/** Builds the bundles once when they are missing, so `vitest run` alone works too (e2e needs them). */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  if (!existsSync(`${root}out/renderer/index.html`) || !existsSync(`${root}out/main/preview-web.mjs`)) {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
  }
  // The import pool's worker runs bundled code even under Vitest (a worker thread is not
  // transformed): build it every time so it matches the sources (a fraction of a second).
  execFileSync(process.execPath, ['scripts/build.mjs', '--only=worker'], { cwd: root, stdio: 'inherit' });
}
