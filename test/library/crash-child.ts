/**
 * Child process for crash.test.ts, bundled by the test with esbuild and killed with SIGKILL while
 * it writes. Modes:
 *   atomic <file> <bytes>  — writeFileAtomic of uniform buffers (byte = round % 251), forever
 *   library <dir>          — Library.saveImage of noisy images, forever
 * Prints one line per step so the parent can time the kill.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import { writeFileAtomic } from '../../main/library/atomic-write';
import { openLibrary } from '../../main/library/library';
import { createNodePlatform } from '../../main/platform';
import { GenerationParamsSchema } from '../../shared/params';

const [mode, target, size] = process.argv.slice(2);

if (mode === 'atomic' && target && size) {
  for (let round = 0; ; round++) {
    const data = Buffer.alloc(Number(size), round % 251);
    process.stdout.write(`writing ${round}\n`);
    await writeFileAtomic(target, data);
  }
} else if (mode === 'library' && target) {
  const lib = await openLibrary({ dir: target, platform: createNodePlatform(path.join(target, '..', 'trash')) });
  process.stdout.write(`open ${lib.size}\n`);
  const request = GenerationParamsSchema.parse({ prompt: 'crash test', model: 'flux-dev' });
  for (let i = 0; ; i++) {
    const bytes = await sharp(randomBytes(1024 * 1024 * 3), { raw: { width: 1024, height: 1024, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    const entry = await lib.saveImage({
      bytes,
      request,
      providerId: 'bfl-flux1-dev',
      resolved: {
        prompt: request.prompt,
        width: 1024,
        height: 1024,
        steps: 28,
        seed: i,
        randomizeSeed: false,
        aspectRatio: '1:1',
      },
      seed: i,
      durationMs: 1,
    });
    process.stdout.write(`saved ${entry.id}\n`);
  }
} else {
  process.stderr.write('usage: crash-child atomic <file> <bytes> | library <dir>\n');
  process.exit(2);
}
