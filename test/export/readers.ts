/**
 * Independent readers for what an export wrote: yauzl for the ZIP, exifr for EXIF (sharp/libwebp
 * to take a WebP's EXIF out, exifr knows no WebP), a small RFC 4180 parser for the CSV.
 */
import exifr from 'exifr';
import sharp from 'sharp';
import yauzl from 'yauzl';

export interface ZipItem {
  name: string;
  data: Buffer;
  compressionMethod: number;
  mtime: Date;
}

export async function readZip(file: string): Promise<ZipItem[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, strictFileNames: true, validateEntrySizes: true }, (err, z) =>
      err ? reject(err) : resolve(z),
    ),
  );
  const items: ZipItem[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', reject);
        stream.on('end', () => {
          items.push({
            name: entry.fileName,
            data: Buffer.concat(chunks),
            compressionMethod: entry.compressionMethod,
            mtime: entry.getLastModDate(),
          });
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  zip.close();
  return items;
}

/** EXIF UserComment decoded by its charset prefix (exifr gives the raw bytes, prefix included). */
export function decodeUserComment(raw: Uint8Array): { charset: string; text: string } {
  const bytes = Buffer.from(raw);
  const charset = bytes.subarray(0, 8).toString('latin1').replace(/\0+$/, '');
  const body = bytes.subarray(8);
  if (charset === 'UNICODE') {
    const swapped = Buffer.from(body);
    // UTF-16BE, as A1111's piexif reads it.
    for (let i = 0; i + 1 < swapped.length; i += 2) {
      const a = swapped[i]!;
      swapped[i] = swapped[i + 1]!;
      swapped[i + 1] = a;
    }
    return { charset, text: swapped.toString('utf16le') };
  }
  return { charset, text: body.toString('latin1') };
}

/** The UserComment of a JPEG, or of an EXIF (TIFF) block, read by exifr. */
export async function userCommentOf(input: Buffer): Promise<{ charset: string; text: string }> {
  const tags = (await exifr.parse(input, { userComment: true, exif: true, ifd0: {} })) as
    { userComment?: Uint8Array } | undefined;
  if (!tags?.userComment) throw new Error('no UserComment');
  return decodeUserComment(tags.userComment);
}

/** A WebP's EXIF as libwebp (through sharp) finds it. */
export async function webpExif(webp: Buffer): Promise<Buffer> {
  const meta = await sharp(webp).metadata();
  if (meta.format !== 'webp' || !meta.exif) throw new Error('no EXIF in this WebP');
  return meta.exif;
}

/** RFC 4180: quoted fields with doubled quotes and line breaks, CRLF records. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
