/** Export names (safe on every OS) and the EXIF writer, unit by unit. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import sharp from 'sharp';
import { jpegWithExif, userCommentTiff, webpExifChunk, webpWithExif } from '../../main/export/exif';
import { NameBook, namePattern, promptWords, safeBaseName } from '../../main/export/names';
import { csvCell, csvRecord } from '../../main/export/csv';
import { unknownPatternTokens } from '../../shared/organise';
import { makeEntry } from '../library/entries';
import { parseCsv, userCommentOf, webpExif } from './readers';

// eslint-disable-next-line no-control-regex -- control characters are what must not appear
const WINDOWS_BAD = /[<>:"/\\|?*\u0000-\u001f]/;

describe('export names', () => {
  it('fills the pattern tokens', () => {
    const e = { ...makeEntry(3), prompt: '  A  red fox, jumping over the lazy dog!', seed: 42, rating: 4 };
    const at = new Date(e.createdAt);
    const p2 = (n: number) => String(n).padStart(2, '0');
    const name = namePattern('{date} {time} {seed} {prompt:3} {id} {index} {model} {rating} {width}x{height}', 120)(
      e,
      6,
    );
    expect(name).toBe(
      `${at.getFullYear()}-${p2(at.getMonth() + 1)}-${p2(at.getDate())} ${p2(at.getHours())}-${p2(at.getMinutes())}-${p2(at.getSeconds())} 42 A-red-fox ${e.id} 007 ${e.model} 4 1024x1024`,
    );
    expect(namePattern('{prompt}', 1)(e, 0)).toBe('A-red-fox-jumping-over-the');
    // A prompt of symbols only leaves no doubled separators.
    expect(namePattern('{prompt}_{seed}', 1)({ ...e, prompt: '!!! ???' }, 0)).toBe('42');
    expect(unknownPatternTokens('{date}{prompt:5}{prompt:0}{seed:2}{nope}')).toEqual([
      '{prompt:0}',
      '{seed:2}',
      '{nope}',
    ]);
    expect(promptWords('東京 の 夜, neon', 2)).toBe('東京-の');
  });

  it('makes any text a safe name (property): no forbidden characters, not reserved, bounded, never empty', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (raw) => {
        const s = safeBaseName(raw);
        expect(s.length).toBeGreaterThan(0);
        expect(WINDOWS_BAD.test(s)).toBe(false);
        expect(Buffer.byteLength(s)).toBeLessThanOrEqual(120);
        expect(/[. ]$/.test(s)).toBe(false);
        expect(/^[.\s-]/.test(s)).toBe(false);
        expect(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(s)).toBe(false);
        expect(s).toBe(s.normalize('NFC'));
        // No broken character at the cut.
        expect(Buffer.from(s, 'utf8').toString('utf8')).toBe(s);
      }),
      { numRuns: 500 },
    );
    expect(safeBaseName('nul')).toBe('_nul');
    expect(safeBaseName('COM1.tar')).toBe('_COM1.tar');
    expect(safeBaseName('com¹')).toBe('_com¹');
    expect(safeBaseName('console')).toBe('console');
    expect(safeBaseName('')).toBe('image');
    expect(safeBaseName('...')).toBe('image');
    // Decomposed (macOS) and composed spellings are one name.
    expect(safeBaseName('cafe\u0301')).toBe('caf\u00e9');
  });

  it('numbers duplicates, ignoring case, for every extension of an image at once', () => {
    const book = new NameBook(['Fox.png', 'fox_2.txt']);
    expect(book.claim('fox', ['.png', '.txt'])).toBe('fox_3');
    expect(book.claim('FOX', ['.png', '.txt'])).toBe('FOX_4');
    expect(book.claim('owl', ['.png'])).toBe('owl');
    expect(book.claim('owl', ['.png'])).toBe('owl_2');
    expect(book.claimFile('parameters', '.csv')).toBe('parameters.csv');
    expect(book.claimFile('PARAMETERS', '.csv')).toBe('PARAMETERS_2.csv');
    // A numbered long name stays within the limit.
    const long = 'x'.repeat(120);
    const book2 = new NameBook([`${long}.png`]);
    const next = book2.claim(long, ['.png']);
    expect(next.endsWith('_2')).toBe(true);
    expect(Buffer.byteLength(next)).toBeLessThanOrEqual(120);
  });
});

describe('CSV cells', () => {
  it('round-trips any text through an RFC 4180 reader (formula starts defused)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { minLength: 1, maxLength: 5 }), (cells) => {
        const back = parseCsv(csvRecord(cells))[0]!;
        expect(back).toEqual(cells.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c)));
      }),
      { numRuns: 300 },
    );
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell(3.5)).toBe('3.5');
    expect(csvCell(undefined)).toBe('');
  });
});

describe('EXIF UserComment', () => {
  const text = 'a café ☕ 東京 🦊 prompt\nNegative prompt: blur\nSteps: 28, Seed: 1';

  it('is laid out as A1111 writes it: big-endian TIFF, Exif IFD, UNICODE + UTF-16BE', async () => {
    const tiff = userCommentTiff(text);
    expect(tiff.subarray(0, 4)).toEqual(Buffer.from([0x4d, 0x4d, 0x00, 0x2a]));
    expect(tiff.indexOf(Buffer.from('UNICODE\0', 'latin1'))).toBeGreaterThan(0);
    expect(await userCommentOf(tiff)).toEqual({ charset: 'UNICODE', text });
  });

  it('goes into a JPEG after JFIF, replacing any Exif there', async () => {
    const plain = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#08f' } })
      .jpeg()
      .toBuffer();
    const withOld = await sharp(plain)
      .withExif({ IFD0: { Copyright: 'old' } })
      .jpeg()
      .toBuffer();
    for (const src of [plain, withOld]) {
      const out = jpegWithExif(src, userCommentTiff(text));
      expect(await userCommentOf(out)).toEqual({ charset: 'UNICODE', text });
      expect((await sharp(out).metadata()).width).toBe(8);
      // One Exif segment.
      expect(out.toString('latin1').split('Exif\0\0').length - 1).toBe(1);
    }
  });

  it('goes into a WebP, simple or extended (alpha), with the VP8X flag; libwebp reads it', async () => {
    const opaque = await sharp({ create: { width: 9, height: 7, channels: 3, background: '#f80' } })
      .webp()
      .toBuffer();
    const alpha = await sharp({
      create: { width: 9, height: 7, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } },
    })
      .webp()
      .toBuffer();
    const lossless = await sharp({ create: { width: 9, height: 7, channels: 4, background: '#0f08' } })
      .webp({ lossless: true })
      .toBuffer();
    for (const [src, hasAlpha] of [
      [opaque, false],
      [alpha, true],
      [lossless, true],
    ] as const) {
      const out = webpWithExif(src, userCommentTiff(text), { width: 9, height: 7, alpha: hasAlpha });
      const meta = await sharp(out).metadata();
      expect(meta).toMatchObject({ format: 'webp', width: 9, height: 7, hasAlpha });
      expect(await userCommentOf(await webpExif(out))).toEqual({ charset: 'UNICODE', text });
      expect(webpExifChunk(out)).toEqual(userCommentTiff(text));
      // Pixels unchanged.
      expect(await sharp(out).raw().toBuffer()).toEqual(await sharp(src).raw().toBuffer());
    }
  });

  it('cuts a text too long for one JPEG segment without splitting a character', async () => {
    const long = `${'🦊'.repeat(20_000)}`;
    const plain = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#08f' } })
      .jpeg()
      .toBuffer();
    const out = jpegWithExif(plain, userCommentTiff(long));
    const back = (await userCommentOf(out)).text;
    expect(back.length).toBeGreaterThan(30_000);
    expect(long.startsWith(back)).toBe(true);
    expect(back.length % 2).toBe(0);
  });
});
