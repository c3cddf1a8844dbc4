/** Small, distinct PNGs for seeding the library (gradients, so thumbnails are recognisable in screenshots). */
import sharp from 'sharp';

const PALETTE: [string, string][] = [
  ['#ff7e5f', '#feb47b'],
  ['#6a82fb', '#fc5c7d'],
  ['#11998e', '#38ef7d'],
  ['#fc4a1a', '#f7b733'],
  ['#8e2de2', '#4a00e0'],
  ['#00c6ff', '#0072ff'],
  ['#f953c6', '#b91d73'],
  ['#43cea2', '#185a9d'],
  ['#ffd200', '#f7971e'],
  ['#e96443', '#904e95'],
  ['#3a7bd5', '#00d2ff'],
  ['#cc2b5e', '#753a88'],
];

export async function makePng(i: number, width = 512, height = 512): Promise<Buffer> {
  const [a, b] = PALETTE[i % PALETTE.length]!;
  const cx = 20 + ((i * 37) % 60);
  const cy = 25 + ((i * 53) % 50);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">` +
    `<stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs>` +
    `<rect width="100%" height="100%" fill="url(#g)"/>` +
    `<circle cx="${cx}%" cy="${cy}%" r="${18 + (i % 4) * 6}%" fill="#ffffff" fill-opacity="0.28"/>` +
    `<rect x="${(i * 29) % 70}%" y="62%" width="30%" height="30%" rx="12" fill="#000000" fill-opacity="0.18"/>` +
    `</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
