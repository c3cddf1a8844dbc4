/**
 * PNG text bombs: a small PNG whose zTXt/iTXt chunks inflate to gigabytes. Only the app's keywords
 * are decoded, the keyword is checked before anything is inflated, each chunk inflates into at most
 * 1 MiB and a file into at most 4 MiB — on import, on save and in start-up recovery alike. zlib is
 * observed (not replaced) to check what is asked of it, not how long it takes.
 */
import { describe, expect, it, vi, beforeEach } from 'vitest';
import * as zlib from 'node:zlib';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openLibrary } from '../../main/library/library';
import { APP_KEYWORDS, embedMetadata, readImportedParams, toEmbeddedRecord } from '../../main/library/png-metadata';
import {
  MAX_TEXT_BYTES_PER_FILE,
  MAX_TEXT_CHUNK_BYTES,
  readPngHead,
  readTextChunks,
  setTextChunks,
} from '../../main/library/png-text-chunks';
import { createNodePlatform } from '../../main/platform';
import { makeImage, saveInput, tempDir } from './helpers';

vi.mock('node:zlib', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:zlib')>();
  return { ...real, inflateSync: vi.fn(real.inflateSync) };
});
const inflate = vi.mocked(zlib.inflateSync);

/** A PNG chunk with a correct CRC. */
function chunk(name: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(name, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** `bytes` zeros, deflated: 16 MiB fit in about 16 KB. */
const zeros = (bytes: number) => zlib.deflateSync(Buffer.alloc(bytes), { level: 9 });
const zTXt = (keyword: string, body: Buffer) =>
  chunk('zTXt', Buffer.concat([Buffer.from(`${keyword}\0\0`, 'latin1'), body]));
const iTXt = (keyword: string, body: Buffer) =>
  chunk('iTXt', Buffer.concat([Buffer.from(`${keyword}\0\x01\0\0\0`, 'latin1'), body]));

/** The chunks right after IHDR of a real small PNG. */
async function withChunks(...extra: Buffer[]): Promise<Buffer> {
  const png = await makeImage('png', 16, 16);
  const ihdrEnd = 8 + 12 + png.readUInt32BE(8);
  return Buffer.concat([png.subarray(0, ihdrEnd), ...extra, png.subarray(ihdrEnd)]);
}

const BOMB = 16 * 1024 * 1024;
/** What zlib was asked to produce at most, per call. */
const asked = () => inflate.mock.calls.map((c) => (c[1] as zlib.ZlibOptions | undefined)?.maxOutputLength);

describe('PNG text bombs', () => {
  beforeEach(() => {
    inflate.mockClear();
  });

  it('inflates a chunk with a keyword the app does not use not at all', async () => {
    const png = await withChunks(zTXt('Comment', zeros(BOMB)), iTXt('XML:com.adobe.xmp', zeros(BOMB)));
    expect(png.length).toBeLessThan(400_000);
    expect([...readTextChunks(png, APP_KEYWORDS).keys()]).toEqual([]);
    expect(() => readImportedParams(png)).toThrowError(expect.objectContaining({ code: 'bad-image' }));
    expect(inflate).not.toHaveBeenCalled();
  });

  it("stops a bomb under the app's own keyword at 1 MiB, and reads nothing of it", async () => {
    const png = await withChunks(zTXt('parameters', zeros(BOMB)), iTXt('flux-gallery', zeros(BOMB)));
    const chunks = readTextChunks(png, APP_KEYWORDS);
    expect(chunks.has('parameters')).toBe(false);
    expect(chunks.has('flux-gallery')).toBe(false);
    expect(asked()).toEqual([MAX_TEXT_CHUNK_BYTES, MAX_TEXT_CHUNK_BYTES]);
    expect(() => readImportedParams(png)).toThrowError(expect.objectContaining({ code: 'bad-image' }));
  });

  it('caps all inflating for one file, even over many chunks', async () => {
    // Each chunk has an app keyword and inflates past the cap; a real one comes last.
    const bombs = Array.from({ length: 40 }, () => zTXt('parameters', zeros(2 * MAX_TEXT_CHUNK_BYTES)));
    const real = zTXt('parameters', zlib.deflateSync(Buffer.from('a fox\nSteps: 4, Seed: 1', 'latin1')));
    const png = await withChunks(...bombs, real);
    expect(readTextChunks(png, APP_KEYWORDS).has('parameters')).toBe(false);
    const total = asked().reduce((a: number, b) => a + (b ?? Infinity), 0);
    expect(total).toBeLessThanOrEqual(MAX_TEXT_BYTES_PER_FILE);
    expect(inflate.mock.calls.length).toBeLessThanOrEqual(MAX_TEXT_BYTES_PER_FILE / MAX_TEXT_CHUNK_BYTES);
  });

  it('still reads compressed text within the limits, and plain text over 1 MiB not at all', async () => {
    const text = 'a red fox\nSteps: 20, Seed: 7, Size: 1024x1024';
    const png = await withChunks(iTXt('parameters', zlib.deflateSync(Buffer.from(text, 'utf8'))));
    expect(readImportedParams(png)).toMatchObject({
      source: 'a1111',
      prompt: 'a red fox',
      params: { steps: 20, seed: 7 },
    });
    const big = await withChunks(
      chunk(
        'tEXt',
        Buffer.concat([Buffer.from('parameters\0', 'latin1'), Buffer.alloc(MAX_TEXT_CHUNK_BYTES + 1, 0x61)]),
      ),
    );
    expect(readTextChunks(big, APP_KEYWORDS).has('parameters')).toBe(false);
  });

  it("saving a Space's PNG that carries a bomb decodes none of it (keywords only)", async () => {
    const png = await withChunks(zTXt('parameters', zeros(BOMB)), zTXt('Comment', zeros(BOMB)));
    const out = embedMetadata(png, toEmbeddedRecord({ ...base }));
    expect(inflate).not.toHaveBeenCalled();
    // Our chunks replace theirs; the foreign one is kept as it was, still compressed.
    const names = readTextChunks(out, ['parameters', 'flux-gallery']);
    expect(names.get('parameters')).toContain('Steps: 28');
    expect(out.length).toBeLessThan(png.length + 2000);
    expect(setTextChunks(png, []).length).toBe(png.length);
  });

  it('start-up recovery reads only our keyword of an image found in the folder, within the limits', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const month = path.join(dir, 'images', '2025', '01');
      await mkdir(month, { recursive: true });
      const bomb = path.join(month, 'bombbombbomb.png');
      await writeFile(bomb, await withChunks(zTXt('Comment', zeros(BOMB)), zTXt('flux-gallery', zeros(BOMB))));
      expect((await readPngHead(bomb, { keywords: ['flux-gallery'] }))?.text.size).toBe(0);
      expect(asked()).toEqual([MAX_TEXT_CHUNK_BYTES]);
      inflate.mockClear();
      const lib = await openLibrary({ dir, platform: createNodePlatform(path.join(dir, '..', 'trash')) });
      expect(lib.report.unreadable).toEqual(['images/2025/01/bombbombbomb.png']);
      expect(lib.size).toBe(0);
      expect(asked()).toEqual([MAX_TEXT_CHUNK_BYTES]);
      // A real image saved beside it is read as before.
      const e = await lib.saveImage(await saveInput());
      await lib.dispose();
      const again = await openLibrary({ dir, platform: createNodePlatform(path.join(dir, '..', 'trash')) });
      expect(again.get(e.id)).toEqual(e);
      await again.dispose();
    } finally {
      await cleanup();
    }
  });
});

const base = {
  id: 'm3abcdef0123456789',
  prompt: 'a red fox in the snow',
  model: 'flux-dev' as const,
  providerId: 'bfl-flux1-dev' as const,
  params: { aspectRatio: '1:1' as const, width: 1024, height: 1024, steps: 28, seed: 42, randomizeSeed: true },
  seed: 42,
  createdAt: '2025-01-02T03:04:05.000Z',
  durationMs: 5000,
};
