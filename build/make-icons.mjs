// Regenerates the app icons from icon.svg: `node build/make-icons.mjs`. The PNGs are committed, so
// packaging needs no image tools; electron-builder derives .icns/.ico from icon.png.
import sharp from 'sharp';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const svg = await readFile(`${dir}icon.svg`);
const render = (size) => sharp(svg, { density: 300 }).resize(size, size).png({ compressionLevel: 9 });

await render(512).toFile(`${dir}icon.png`);
await mkdir(`${dir}icons`, { recursive: true });
for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
  await render(size).toFile(`${dir}icons/${size}x${size}.png`);
}
console.log('icons written to', dir);
