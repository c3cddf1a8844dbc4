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

/**
 * Limits for reading text chunks of files we did not write (dropped images, files found by
 * recovery): a zTXt/iTXt chunk is inflated only when its keyword is one asked for, into at most
 * MAX_TEXT_CHUNK_BYTES; all inflating for one file stops after MAX_TEXT_BYTES_PER_FILE (what failed
 * counts too), and a plain chunk larger than MAX_TEXT_CHUNK_BYTES is not read. A 1 MB "zip bomb"
 * of a PNG therefore costs a few milliseconds, not gigabytes.
 */
export const MAX_TEXT_CHUNK_BYTES = 1024 * 1024;
export const MAX_TEXT_BYTES_PER_FILE = 4 * 1024 * 1024;
/** Text chunks looked at per file (a real PNG has a handful). */
export const MAX_TEXT_CHUNKS = 1000;

export type TextChunks = Map<string, string>;

/** What may still be inflated for one file. */
interface Budget {
  left: number;
}
const newBudget = (): Budget => ({ left: MAX_TEXT_BYTES_PER_FILE });

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

const asBuffer = (b: Uint8Array) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** The keyword of a text chunk (the bytes before the first NUL, 1–79 of them); null when malformed. Inflates nothing. */
export function textKeyword(chunk: PngChunk): string | null {
  const data = asBuffer(chunk.data);
  const nul = data.subarray(0, 80).indexOf(0);
  if (nul < 1 || nul > 79) return null;
  return data.toString('latin1', 0, nul);
}

/** Inflates at most what the budget allows (and MAX_TEXT_CHUNK_BYTES); null when the text is bigger. */
function inflateCapped(body: Buffer, budget: Budget): Buffer | null {
  const cap = Math.min(MAX_TEXT_CHUNK_BYTES, budget.left);
  if (cap <= 0) return null;
  try {
    // zlib stops as soon as the output passes maxOutputLength: a bomb is never inflated whole.
    const out = inflateSync(body, { maxOutputLength: cap });
    budget.left -= out.length;
    return out;
  } catch {
    budget.left -= cap;
    return null;
  }
}

/**
 * Decodes one text chunk; null for a malformed one (a bad chunk must not hide the others), for one
 * whose keyword is not in `keywords` (checked before anything is inflated), and for one over the
 * limits above.
 */
export function decodeText(
  chunk: PngChunk,
  keywords?: ReadonlySet<string>,
  budget: Budget = newBudget(),
): { keyword: string; text: string } | null {
  const keyword = textKeyword(chunk);
  if (keyword === null || (keywords && !keywords.has(keyword))) return null;
  const data = asBuffer(chunk.data);
  const nul = keyword.length;
  if (chunk.name === 'tEXt') {
    if (data.length - nul - 1 > MAX_TEXT_CHUNK_BYTES) return null;
    return { keyword, text: data.toString('latin1', nul + 1) };
  }
  if (chunk.name === 'zTXt') {
    if (data[nul + 1] !== 0) return null; // compression method: only deflate (0) exists
    const text = inflateCapped(data.subarray(nul + 2), budget);
    return text && { keyword, text: text.toString('latin1') };
  }
  if (chunk.name === 'iTXt') {
    const compressed = data[nul + 1] === 1;
    if (compressed && data[nul + 2] !== 0) return null;
    const langEnd = data.indexOf(0, nul + 3);
    const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
    if (transEnd < 0) return null;
    const body = data.subarray(transEnd + 1);
    if (!compressed) return body.length > MAX_TEXT_CHUNK_BYTES ? null : { keyword, text: body.toString('utf8') };
    const text = inflateCapped(body, budget);
    return text && { keyword, text: text.toString('utf8') };
  }
  return null;
}

function collect(chunks: Iterable<PngChunk>, keywords?: ReadonlySet<string>): TextChunks {
  const out: TextChunks = new Map();
  const budget = newBudget();
  for (const chunk of chunks) {
    if (!TEXT_CHUNKS.has(chunk.name)) continue;
    // The first one wins: ours are written first, right after IHDR. Later ones are not even decoded.
    const keyword = textKeyword(chunk);
    if (keyword === null || out.has(keyword)) continue;
    const t = decodeText(chunk, keywords, budget);
    if (t) out.set(t.keyword, t.text);
  }
  return out;
}

/** The chunk types as big-endian numbers, so walking compares integers instead of making strings. */
const typeCode = (name: string) => Buffer.from(name, 'latin1').readUInt32BE(0);
const TEXT_CODES = new Set([...TEXT_CHUNKS].map(typeCode));
const IEND_CODE = typeCode('IEND');

/**
 * The text chunks of a PNG in memory, at most MAX_TEXT_CHUNKS of them, walking the others without
 * copying anything (a hostile file of millions of tiny chunks costs one pass over its bytes).
 */
function textChunksOf(png: Buffer): PngChunk[] {
  if (png.length < 8 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG file');
  const out: PngChunk[] = [];
  let pos = 8;
  while (pos + 12 <= png.length) {
    const length = png.readUInt32BE(pos);
    const end = pos + 12 + length;
    if (end > png.length) break;
    const type = png.readUInt32BE(pos + 4);
    if (TEXT_CODES.has(type)) {
      if (out.length < MAX_TEXT_CHUNKS) {
        out.push({ name: png.toString('latin1', pos + 4, pos + 8), data: png.subarray(pos + 8, pos + 8 + length) });
      }
    } else if (type === IEND_CODE) return out;
    pos = end;
  }
  throw new Error('PNG file is cut short (no IEND chunk)');
}

/**
 * Text chunks of a PNG in memory (anywhere in the file), within the limits above. `keywords`: read
 * only these (what the app uses); omitted, every keyword. Throws on a broken PNG.
 */
export function readTextChunks(png: Uint8Array, keywords?: Iterable<string>): TextChunks {
  return collect(textChunksOf(asBuffer(png)), keywords && new Set(keywords));
}

/** Replaces the text chunks with these keywords by the given ones, placed right after IHDR. */
export function setTextChunks(png: Uint8Array, entries: [keyword: string, text: string][]): Buffer {
  const replaced = new Set(entries.map(([k]) => k));
  const [ihdr, ...rest] = [...walkChunks(asBuffer(png))];
  if (!ihdr || ihdr.name !== 'IHDR') throw new Error('PNG without IHDR');
  // Decided by keyword alone: nothing of the incoming file is inflated.
  const kept = rest.filter((c) => {
    if (!TEXT_CHUNKS.has(c.name)) return true;
    const keyword = textKeyword(c);
    return keyword === null || !replaced.has(keyword);
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
 * `keywords`: read only these (recovery needs only ours); a chunk with another keyword is skipped
 * after reading its first 80 bytes. At most MAX_TEXT_CHUNKS chunks are walked.
 */
export async function readPngHead(
  file: string,
  opts: { keywords?: Iterable<string>; maxHeadBytes?: number } = {},
): Promise<PngHead | null> {
  const maxHeadBytes = opts.maxHeadBytes ?? 4 * 1024 * 1024;
  const keywords = opts.keywords && new Set(opts.keywords);
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
    const keyHead = Buffer.alloc(80);
    let pos = 8;
    for (let n = 0; pos < maxHeadBytes && n < MAX_TEXT_CHUNKS; n++) {
      const h = await fh.read(header, 0, 8, pos);
      if (h.bytesRead < 8) break;
      const length = header.readUInt32BE(0);
      const name = header.toString('latin1', 4, 8);
      if (name === 'IDAT' || name === 'IEND') break;
      if (TEXT_CHUNKS.has(name) && length <= MAX_TEXT_CHUNK_BYTES + 80) {
        const k = await fh.read(keyHead, 0, Math.min(80, length), pos + 8);
        const keyword = textKeyword({ name, data: keyHead.subarray(0, k.bytesRead) });
        if (keyword !== null && (!keywords || keywords.has(keyword))) {
          const data = Buffer.alloc(length);
          const d = await fh.read(data, 0, length, pos + 8);
          if (d.bytesRead < length) break;
          chunks.push({ name, data });
        }
      }
      pos += 12 + length;
    }
    return { width, height, text: collect(chunks, keywords) };
  } finally {
    await fh.close();
  }
}
