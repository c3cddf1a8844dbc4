// `npm run bench`: runs every built benchmark (out/bench/*.mjs) one after the other, each in its
// own process so memory figures do not mix, and lets each print its table.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../out/bench/', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n## ${f.replace(/\.mjs$/, '')}\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', dir + f], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
