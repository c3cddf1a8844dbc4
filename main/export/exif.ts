/**
 * The A1111 parameters text in EXIF `UserComment`, for JPEG and WebP exports: what A1111's PNG Info
 * reads from a JPEG/WebP (piexif: `exif["Exif"][UserComment]`, then `UserComment.load`), and what
 * exifr and exiftool show.
 *
 * Written here, not by sharp: sharp's `withExif({ IFD2: { UserComment } })` goes through libvips,
 * which always writes UserComment with the `ASCII\0\0\0` prefix and transliterates the text to
 * ASCII (`café ☕` becomes `cafe ?`): a prompt in any other script would be lost. piexifjs, the JS
 * port of A1111's piexif, has had no release since 2019. What is needed is small: a TIFF block with
 * IFD0 → Exif IFD → UserComment, exactly as A1111 writes it (`piexif.dump` of
 * `UserComment.dump(text, encoding="unicode")`: big-endian "MM", the `UNICODE\0` prefix, UTF-16BE;
 * piexif decodes UNICODE as UTF-16BE whatever the byte order, exiftool by the TIFF byte order, and
 * big-endian satisfies both), then put into the file: a JPEG APP1 `Exif\0\0` segment, or a WebP
 * `EXIF` chunk with the VP8X header that announces it.
 */

/** One JPEG segment holds at most 65 533 bytes; the text is cut to fit (A1111's own limit is the same). */
const MAX_JPEG_SEGMENT = 0xffff - 2;
const UNICODE_PREFIX = Buffer.from('UNICODE\0', 'latin1');
const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1');
const TIFF_OVERHEAD = 56;
/** UTF-16 code units that fit one APP1 segment with the TIFF block around them. */
export const MAX_USER_COMMENT_UNITS = Math.floor(
  (MAX_JPEG_SEGMENT - EXIF_HEADER.length - TIFF_OVERHEAD - UNICODE_PREFIX.length) / 2,
);

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) {
    const a = le[i]!;
    le[i] = le[i + 1]!;
    le[i + 1] = a;
  }
  return le;
}

/** Cut to `max` UTF-16 units without splitting a surrogate pair. */
function cutUnits(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end);
}

/**
 * A big-endian TIFF block: IFD0 with the Exif IFD pointer, the Exif IFD with ExifVersion 0232 and
 * UserComment (`UNICODE\0` + UTF-16BE).
 */
export function userCommentTiff(text: string): Buffer {
  const comment = Buffer.concat([UNICODE_PREFIX, utf16be(cutUnits(text, MAX_USER_COMMENT_UNITS))]);
  const ifd0 = 8;
  const exifIfd = ifd0 + 2 + 12 + 4; // 26
  const data = exifIfd + 2 + 2 * 12 + 4; // 56
  const out = Buffer.alloc(data + comment.length);
  out.write('MM', 0, 'latin1');
  out.writeUInt16BE(42, 2);
  out.writeUInt32BE(ifd0, 4);
  // IFD0: one entry, ExifIFDPointer (0x8769, LONG).
  out.writeUInt16BE(1, ifd0);
  out.writeUInt16BE(0x8769, ifd0 + 2);
  out.writeUInt16BE(4, ifd0 + 4);
  out.writeUInt32BE(1, ifd0 + 6);
  out.writeUInt32BE(exifIfd, ifd0 + 10);
  out.writeUInt32BE(0, ifd0 + 14); // no IFD1
  // Exif IFD: ExifVersion (0x9000, UNDEFINED[4], inline), UserComment (0x9286, UNDEFINED[n]).
  out.writeUInt16BE(2, exifIfd);
  let p = exifIfd + 2;
  out.writeUInt16BE(0x9000, p);
  out.writeUInt16BE(7, p + 2);
  out.writeUInt32BE(4, p + 4);
  out.write('0232', p + 8, 'latin1');
  p += 12;
  out.writeUInt16BE(0x9286, p);
  out.writeUInt16BE(7, p + 2);
  out.writeUInt32BE(comment.length, p + 4);
  out.writeUInt32BE(data, p + 8);
  p += 12;
  out.writeUInt32BE(0, p); // no next IFD
  comment.copy(out, data);
  return out;
}

/**
 * The JPEG with an APP1 Exif segment: after SOI and a JFIF APP0 (JFIF wants APP0 first), before
 * anything else. Any Exif APP1 already there is dropped (sharp writes none unless asked).
 */
export function jpegWithExif(jpeg: Buffer, tiff: Buffer): Buffer {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const payload = Buffer.concat([EXIF_HEADER, tiff]);
  if (payload.length > MAX_JPEG_SEGMENT) throw new Error('EXIF block too large for one JPEG segment');
  const app1 = Buffer.alloc(4);
  app1[0] = 0xff;
  app1[1] = 0xe1;
  app1.writeUInt16BE(payload.length + 2, 2);
  const parts: Buffer[] = [jpeg.subarray(0, 2)];
  let pos = 2;
  let inserted = false;
  // Walk the markers before the image data (SOS): keep APP0, drop an old Exif APP1, keep the rest.
  while (pos + 4 <= jpeg.length && jpeg[pos] === 0xff) {
    const marker = jpeg[pos + 1]!;
    if (marker === 0xda || marker === 0xd9) break; // SOS / EOI
    const len = jpeg.readUInt16BE(pos + 2);
    const end = pos + 2 + len;
    if (end > jpeg.length) break;
    const isApp0 = marker === 0xe0;
    const isExif = marker === 0xe1 && jpeg.subarray(pos + 4, pos + 10).equals(EXIF_HEADER);
    if (!isApp0 && !inserted) {
      parts.push(app1, payload);
      inserted = true;
    }
    if (!isExif) parts.push(jpeg.subarray(pos, end));
    pos = end;
  }
  if (!inserted) parts.push(app1, payload);
  parts.push(jpeg.subarray(pos));
  return Buffer.concat(parts);
}

interface Chunk {
  fourcc: string;
  data: Buffer;
}

function readChunks(webp: Buffer): Chunk[] {
  if (webp.length < 12 || webp.toString('latin1', 0, 4) !== 'RIFF' || webp.toString('latin1', 8, 12) !== 'WEBP') {
    throw new Error('not a WebP');
  }
  const end = Math.min(webp.length, 8 + webp.readUInt32LE(4));
  const chunks: Chunk[] = [];
  let pos = 12;
  while (pos + 8 <= end) {
    const fourcc = webp.toString('latin1', pos, pos + 4);
    const size = webp.readUInt32LE(pos + 4);
    if (pos + 8 + size > end) throw new Error('damaged WebP');
    chunks.push({ fourcc, data: webp.subarray(pos + 8, pos + 8 + size) });
    pos += 8 + size + (size & 1);
  }
  return chunks;
}

function writeChunks(chunks: Chunk[]): Buffer {
  const parts: Buffer[] = [];
  let size = 4;
  for (const c of chunks) {
    const head = Buffer.alloc(8);
    head.write(c.fourcc, 0, 'latin1');
    head.writeUInt32LE(c.data.length, 4);
    parts.push(head, c.data);
    size += 8 + c.data.length;
    if (c.data.length & 1) {
      parts.push(Buffer.alloc(1));
      size += 1;
    }
  }
  const riff = Buffer.alloc(12);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(size, 4);
  riff.write('WEBP', 8, 'latin1');
  return Buffer.concat([riff, ...parts]);
}

const VP8X_ALPHA = 0x10;
const VP8X_EXIF = 0x08;

/**
 * The WebP in the extended format with an `EXIF` chunk (the TIFF block, no `Exif\0\0` header, as
 * libwebp and exiftool write it; PIL and piexif read both). A simple-format file gets a VP8X header
 * (canvas size, alpha flag when the image has alpha); an extended one gets the flag set.
 */
export function webpWithExif(
  webp: Buffer,
  tiff: Buffer,
  info: { width: number; height: number; alpha: boolean },
): Buffer {
  const chunks = readChunks(webp).filter((c) => c.fourcc !== 'EXIF');
  let vp8x = chunks.find((c) => c.fourcc === 'VP8X');
  if (!vp8x) {
    const data = Buffer.alloc(10);
    data[0] = info.alpha ? VP8X_ALPHA : 0;
    data.writeUIntLE(info.width - 1, 4, 3);
    data.writeUIntLE(info.height - 1, 7, 3);
    vp8x = { fourcc: 'VP8X', data };
    chunks.unshift(vp8x);
  } else {
    vp8x.data = Buffer.from(vp8x.data);
  }
  vp8x.data[0] = vp8x.data[0]! | VP8X_EXIF;
  // EXIF goes after the image data, before XMP.
  const xmp = chunks.findIndex((c) => c.fourcc === 'XMP ');
  const exif = { fourcc: 'EXIF', data: tiff };
  if (xmp >= 0) chunks.splice(xmp, 0, exif);
  else chunks.push(exif);
  return writeChunks(chunks);
}

/** The `EXIF` chunk of a WebP (for tests and readers that do not know WebP); null when none. */
export function webpExifChunk(webp: Buffer): Buffer | null {
  return readChunks(webp).find((c) => c.fourcc === 'EXIF')?.data ?? null;
}
