/**
 * A second process on one library, for two-processes.test.ts (bundled there with esbuild, as the
 * CLI is): says `{"open":n}`, then saves `count` images, stars every third one it saved and deletes
 * every fourth, printing one JSON line per finished step, then `{"done":true}`.
 *
 *   writer-child <libraryDir> <count> <tag>
 */
import path from 'node:path';
import { openLibrary } from '../../main/library/library';
import { LAYOUT } from '../../main/library/paths';
import { createNodePlatform } from '../../main/platform';
import { GenerationParamsSchema } from '../../shared/params';
import { makeImage } from './helpers';

const [dir, countArg, tag] = process.argv.slice(2);
if (!dir || !countArg || !tag) {
  process.stderr.write('usage: writer-child <libraryDir> <count> <tag>\n');
  process.exit(2);
}
const say = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

// As the CLI opens it: no scan, no purge of what the app has pending.
const lib = await openLibrary({
  dir,
  platform: createNodePlatform(path.join(dir, LAYOUT.localTrash)),
  scanOnOpen: false,
  purgeLeftoversOnOpen: false,
  purgeDelayMs: 0,
});
say({ open: lib.size });
const request = GenerationParamsSchema.parse({ prompt: `${tag} picture`, model: 'flux-dev' });
const saved: string[] = [];
for (let i = 0; i < Number(countArg); i++) {
  const e = await lib.saveImage({
    bytes: await makeImage('png', 24, 16, i + 1),
    request: { ...request, prompt: `${tag} picture ${i}` },
    providerId: 'bfl-flux1-dev',
    resolved: {
      prompt: request.prompt,
      width: 1024,
      height: 1024,
      steps: 4,
      seed: i,
      randomizeSeed: false,
      aspectRatio: '1:1',
    },
    seed: i,
    durationMs: 1,
  });
  saved.push(e.id);
  say({ saved: e.id });
  if (i % 3 === 2) {
    lib.setFavourite(saved[i - 1]!, true);
    say({ starred: saved[i - 1] });
  }
  if (i % 4 === 3) {
    await lib.delete(saved[i - 3]!);
    say({ deleted: saved[i - 3] });
  }
}
await lib.dispose();
say({ done: true });
