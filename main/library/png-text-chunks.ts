/**
 * PNG text chunks: read tEXt/zTXt/iTXt, write tEXt (Latin-1) or iTXt (UTF-8), and place them right
 * after IHDR so a reader only needs the head of a file (recovery reads thousands of files).
 */
import { open } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import extractChunks, { type PngChunk } from 'png-chunks-extract';
import encodeChunks from 'png-chunks-encode';
import { encode as encodeTextChunk } from 'png-chunk-text';

const TEXT_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt']);
// Non-empty: png-chunk-text refuses empty text, which then goes as iTXt. (NULs are removed first.)
const isLatin1 = (s: string) => s.length > 0 && !/[\u0100-\uffff]/.test(s);

export type TextChunks = Map<string, string>;

/** tEXt when the text is Latin-1 (what most tools read), iTXt (UTF-8) otherwise — as A1111 does. */
export function encodeText(keyword: string, text: string): PngChunk {
  const clean = text.replaceAll('\0', '');
  if (isLatin1(clean)) return encodeTextChunk(keyword, clean);
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

/** All text chunks of a PNG in memory (anywhere in the file). Throws on a broken PNG. */
export function readTextChunks(png: Uint8Array): TextChunks {
  return collect(extractChunks(png));
}

/** Replaces the text chunks with these keywords by the given ones, placed right after IHDR. */
export function setTextChunks(png: Uint8Array, entries: [keyword: string, text: string][]): Buffer {
  const replaced = new Set(entries.map(([k]) => k));
  const kept = extractChunks(png).filter((c) => {
    if (!TEXT_CHUNKS.has(c.name)) return true;
    const t = decodeText(c);
    return !t || !replaced.has(t.keyword);
  });
  const [ihdr, ...rest] = kept;
  if (!ihdr || ihdr.name !== 'IHDR') throw new Error('PNG without IHDR');
  const added = entries.map(([k, v]) => encodeText(k, v));
  return Buffer.from(encodeChunks([ihdr, ...added, ...rest]));
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
    if (bytesRead < 24 || start.readUInt32BE(0) !== 0x89504e47 || start.readUInt32BE(4) !== 0x0d0a1a0a) return null;
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
