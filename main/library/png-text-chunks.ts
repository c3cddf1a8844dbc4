/**
 * PNG text chunks: read tEXt/zTXt/iTXt, write tEXt (Latin-1) or iTXt (UTF-8), and place them right
 * after IHDR so a reader only needs the head of a file (recovery reads thousands of files).
 */
import { open } from 'node:fs/promises';
import { crc32, inflateSync } from 'node:zlib';

/**
 * Chunks are walked and spliced here with Buffer slices rather than with png-chunks-extract/encode:
 * those check and recompute every chunk's CRC in JavaScript, which cost ~0.7 s per 8 MB image on the
 * main thread (npm run bench -- library). Only the new text chunks need a CRC (zlib's, native).
 * The bytes were decoded by sharp before, so the image data itself is known to be sound.
 */
export interface PngChunk {
  name: string;
  data: Uint8Array;
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const TEXT_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt']);
const isLatin1 = (s: string) => !/[\u0100-\uffff]/.test(s);

export type TextChunks = Map<string, string>;

interface RawChunk extends PngChunk {
  /** The whole chunk (length, name, data, CRC) as it is in the file. */
  raw: Buffer;
}

/** The chunks of a PNG in memory, up to IEND. Throws on a file that is not a whole PNG. */
function* walkChunks(png: Buffer): Generator<RawChunk> {
  if (png.length < 8 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG file');
  let pos = 8;
  while (pos + 12 <= png.length) {
    const length = png.readUInt32BE(pos);
    const end = pos + 12 + length;
    if (end > png.length) break;
    const name = png.toString('latin1', pos + 4, pos + 8);
    yield { name, data: png.subarray(pos + 8, pos + 8 + length), raw: png.subarray(pos, end) };
    if (name === 'IEND') return;
    pos = end;
  }
  throw new Error('PNG file is cut short (no IEND chunk)');
}

function encodeChunk(name: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(name, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** tEXt when the text is Latin-1 (what most tools read), iTXt (UTF-8) otherwise — as A1111 does. */
export function encodeText(keyword: string, text: string): PngChunk {
  const clean = text.replaceAll('\0', '');
  if (isLatin1(clean)) return { name: 'tEXt', data: Buffer.from(`${keyword}\0${clean}`, 'latin1') };
  const head = Buffer.from(`${keyword}\0\0\0\0\0`, 'latin1'); // keyword, flag 0, method 0, no language, no translation
  return { name: 'iTXt', data: Buffer.concat([head, Buffer.from(clean, 'utf8')]) };
}

/** Decodes one text chunk; null for a malformed one (a bad chunk must not hide the others). */
export function decodeText(chunk: PngChunk): { keyword: string; text: string } | null {
  const data = Buffer.from(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
  const nul = data.indexOf(0);
  if (nul < 1 || nul > 79) return null;
  const keyword = data.toString('latin1', 0, nul);
  try {
    if (chunk.name === 'tEXt') return { keyword, text: data.toString('latin1', nul + 1) };
    if (chunk.name === 'zTXt') return { keyword, text: inflateSync(data.subarray(nul + 2)).toString('latin1') };
    if (chunk.name === 'iTXt') {
      const compressed = data[nul + 1] === 1;
      const langEnd = data.indexOf(0, nul + 3);
      const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
      if (transEnd < 0) return null;
      const body = data.subarray(transEnd + 1);
      return { keyword, text: (compressed ? inflateSync(body) : body).toString('utf8') };
    }
  } catch {
    return null;
  }
  return null;
}

function collect(chunks: Iterable<PngChunk>): TextChunks {
  const out: TextChunks = new Map();
  for (const chunk of chunks) {
    if (!TEXT_CHUNKS.has(chunk.name)) continue;
    const t = decodeText(chunk);
    // The first one wins: ours are written first, right after IHDR.
    if (t && !out.has(t.keyword)) out.set(t.keyword, t.text);
  }
  return out;
}

const asBuffer = (b: Uint8Array) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** All text chunks of a PNG in memory (anywhere in the file). Throws on a broken PNG. */
export function readTextChunks(png: Uint8Array): TextChunks {
  return collect(walkChunks(asBuffer(png)));
}

/** Replaces the text chunks with these keywords by the given ones, placed right after IHDR. */
export function setTextChunks(png: Uint8Array, entries: [keyword: string, text: string][]): Buffer {
  const replaced = new Set(entries.map(([k]) => k));
  const [ihdr, ...rest] = [...walkChunks(asBuffer(png))];
  if (!ihdr || ihdr.name !== 'IHDR') throw new Error('PNG without IHDR');
  const kept = rest.filter((c) => {
    if (!TEXT_CHUNKS.has(c.name)) return true;
    const t = decodeText(c);
    return !t || !replaced.has(t.keyword);
  });
  const added = entries.map(([k, v]) => {
    const c = encodeText(k, v);
    return encodeChunk(c.name, c.data);
  });
  return Buffer.concat([PNG_SIGNATURE, ihdr.raw, ...added, ...kept.map((c) => c.raw)]);
}

export interface PngHead {
  width: number;
  height: number;
  /** Text chunks found before the image data. */
  text: TextChunks;
}

/**
 * Size and text chunks of a PNG file, reading only its head (our chunks and A1111's sit before the
 * image data), so scanning thousands of files stays fast. null when the file is not a PNG.
 */
export async function readPngHead(file: string, maxHeadBytes = 4 * 1024 * 1024): Promise<PngHead | null> {
  const fh = await open(file, 'r');
  try {
    const start = Buffer.alloc(24);
    const { bytesRead } = await fh.read(start, 0, 24, 0);
    if (bytesRead < 24 || !start.subarray(0, 8).equals(PNG_SIGNATURE)) return null;
    if (start.toString('latin1', 12, 16) !== 'IHDR') return null;
    const width = start.readUInt32BE(16);
    const height = start.readUInt32BE(20);
    const chunks: PngChunk[] = [];
    const header = Buffer.alloc(8);
    let pos = 8;
    while (pos < maxHeadBytes) {
      const h = await fh.read(header, 0, 8, pos);
      if (h.bytesRead < 8) break;
      const length = header.readUInt32BE(0);
      const name = header.toString('latin1', 4, 8);
      if (name === 'IDAT' || name === 'IEND') break;
      if (TEXT_CHUNKS.has(name) && length < maxHeadBytes) {
        const data = Buffer.alloc(length);
        const d = await fh.read(data, 0, length, pos + 8);
        if (d.bytesRead < length) break;
        chunks.push({ name, data });
      }
      pos += 12 + length;
    }
    return { width, height, text: collect(chunks) };
  } finally {
    await fh.close();
  }
}
