/**
 * Starts fake Spaces standalone for manual runs and prints their URLs.
 *
 *   npx esbuild test/fake-space/cli.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=.tmp/fake-space.mjs && node .tmp/fake-space.mjs [--step-ms 300] [--bytes 1048576] [--port 7860] \
 *     [--gradio 4.44|5.49|6.17|6.25] [--layout dev|schnell|sd|gallery|two-endpoints|file-input|ws]
 *
 * Without --port, three servers (one per provider, with their layouts) on random ports; with it, one
 * server on that port (both APIs, Dev layout: the Schnell providers need a 'schnell' layout).
 */
import { parseArgs } from 'node:util';
import {
  GRADIO_VERSIONS,
  startFakeSpace,
  startFakeSpaces,
  type FakeSpaceOptions,
  type GradioVersion,
  type Layout,
} from './index';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'step-ms': { type: 'string' },
    bytes: { type: 'string' },
    format: { type: 'string' },
    bare: { type: 'boolean' },
    gradio: { type: 'string' },
    layout: { type: 'string' },
  },
});
const gradio = values.gradio as GradioVersion | undefined;
if (gradio && !GRADIO_VERSIONS.includes(gradio)) throw new Error(`--gradio: one of ${GRADIO_VERSIONS.join(', ')}`);
const options: FakeSpaceOptions = {
  timing: { stepMs: Number(values['step-ms'] ?? 200), heartbeatMs: 1000 },
  image: {
    format: values.format === 'png' ? 'png' : 'webp',
    ...(values.bytes ? { bytes: Number(values.bytes) } : {}),
  },
  ...(values.bare ? { apiPrefix: '' as const } : {}),
  ...(gradio ? { gradioVersion: gradio } : {}),
  ...(values.layout ? { layout: values.layout as Layout } : {}),
};

if (values.port) {
  const space = await startFakeSpace({ ...options, port: Number(values.port) });
  console.log(`fake Space: ${space.url}`);
  console.log(`try: npm run cli -- generate --prompt "a red fox" --base-url ${space.url} --hf-url ${space.url}`);
} else {
  const all = await startFakeSpaces(options);
  for (const [id, url] of Object.entries(all.providerUrls)) console.log(`${id}: ${url}`);
  console.log(`hf-url: ${all.hfUrl}`);
}
console.log('Ctrl+C to stop.');
