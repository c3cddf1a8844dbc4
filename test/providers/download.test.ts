/** downloadImage: bytes at once, limits, timeouts, abort — against the fake Space's /file= route. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { bflFlux1Schnell } from '../../main/providers/bfl-flux1-schnell';
import { downloadImage } from '../../main/providers/download';
import { startFakeSpace, type FakeSpace, type FakeSpaceOptions } from '../fake-space';
import { collect, ctx, params } from './helpers';

const spaces: FakeSpace[] = [];
afterEach(async () => {
  await Promise.all(spaces.splice(0).map((s) => s.close()));
});

/** A finished job's image URL on a fresh fake Schnell Space. */
async function imageUrl(o: FakeSpaceOptions = {}, p = params()): Promise<{ s: FakeSpace; url: string }> {
  const s = await startFakeSpace({ layout: 'schnell', timing: { stepMs: 1, previews: 0 }, ...o });
  spaces.push(s);
  const { events, error } = await collect(bflFlux1Schnell.generate(p, ctx(s.url)));
  if (error) throw error;
  const image = events.at(-1);
  if (image?.type !== 'image') throw new Error('no image');
  return { s, url: image.url };
}

describe('downloadImage', () => {
  it('returns the real bytes and content type (WebP and PNG)', async () => {
    const webp = await imageUrl({}, params({ width: 640, height: 480 }));
    const a = await downloadImage(webp.url);
    expect(a.contentType).toBe('image/webp');
    expect(await sharp(a.bytes).metadata()).toMatchObject({ format: 'webp', width: 640, height: 480 });

    const png = await imageUrl({ image: { format: 'png' } });
    const b = await downloadImage(png.url);
    expect(b.contentType).toBe('image/png');
    expect(b.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  });

  it('downloads from the bare /file= route of a Gradio 4 Space, and from a call API job', async () => {
    const g4 = await imageUrl({ gradioVersion: '4.44', image: { format: 'png' } }, params({ width: 512, height: 256 }));
    expect(g4.url).toMatch(new RegExp(`^${g4.s.url}/file=/tmp/gradio/`));
    const a = await downloadImage(g4.url);
    expect(a.contentType).toBe('image/png');
    expect(await sharp(a.bytes).metadata()).toMatchObject({ format: 'png', width: 512, height: 256 });

    const call = await imageUrl({ serveConfig: false });
    expect(call.s.requestsTo('join')[0]!.path).toBe('/gradio_api/call/infer');
    const b = await downloadImage(call.url);
    expect(await sharp(b.bytes).metadata()).toMatchObject({ format: 'webp', width: 768, height: 768 });
  });

  it('handles large images (8 MB)', async () => {
    const { url } = await imageUrl({ image: { format: 'png', bytes: 8 * 1024 * 1024 } });
    const d = await downloadImage(url);
    expect(d.bytes.length).toBeGreaterThan(7.5 * 1024 * 1024);
    expect((await sharp(d.bytes).metadata()).format).toBe('png');
  });

  it('refuses an image over the limit (declared or streamed) and an endless body', async () => {
    const { s, url } = await imageUrl({ image: { format: 'png', bytes: 300 * 1024 } });
    await expect(downloadImage(url, { maxBytes: 100 * 1024 })).rejects.toMatchObject({ code: 'too-large' });
    s.setFault({ route: 'file', kind: 'endless' }, { times: 1 });
    await expect(downloadImage(url, { maxBytes: 1024 * 1024 })).rejects.toMatchObject({
      code: 'too-large',
      message: 'The image is larger than 1 MB.',
    });
  });

  it('reports HTTP errors readably, and a web page instead of an image', async () => {
    const { s, url } = await imageUrl();
    await expect(downloadImage(`${s.url}/gradio_api/file=/tmp/gradio/gone.webp`)).rejects.toMatchObject({
      code: 'http',
      status: 404,
      message: 'The image server answered HTTP 404 Not Found: File not found.',
    });
    s.setFault({ route: 'file', kind: 'http', status: 503 }, { times: 1 });
    await expect(downloadImage(url)).rejects.toMatchObject({ status: 503 });
    s.setFault({ route: 'file', kind: 'wrong-content-type' }, { times: 1 });
    await expect(downloadImage(url)).rejects.toMatchObject({
      code: 'bad-image',
      message: 'The Space sent a web page instead of an image.',
    });
  });

  it('times out on silence and on slowness; aborts', async () => {
    const { s, url } = await imageUrl();
    s.setFault({ route: 'file', kind: 'stall' }, { times: 1 });
    await expect(downloadImage(url, { idleTimeoutMs: 100 })).rejects.toMatchObject({ code: 'timeout' });
    s.setFault({ route: 'file', kind: 'hang' }, { times: 1 });
    await expect(downloadImage(url, { timeoutMs: 100 })).rejects.toMatchObject({
      code: 'timeout',
      message: 'The image download took longer than 100 ms.',
    });
    s.setFault({ route: 'file', kind: 'hang' }, { times: 1 });
    const c = new AbortController();
    setTimeout(() => c.abort(), 50);
    await expect(downloadImage(url, { signal: c.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('follows a redirect to http(s) only; rejects non-http URLs', async () => {
    const { url } = await imageUrl();
    let target = url;
    const redirector: Server = createServer((_req, res) => {
      res.writeHead(302, { location: target });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    try {
      const at = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/x`;
      expect((await downloadImage(at)).contentType).toBe('image/webp');
      target = 'file:///etc/passwd';
      await expect(downloadImage(at)).rejects.toMatchObject({ code: 'protocol' });
    } finally {
      await new Promise((r) => redirector.close(r));
    }
    await expect(downloadImage('file:///etc/passwd')).rejects.toMatchObject({ code: 'protocol' });
  });
});
