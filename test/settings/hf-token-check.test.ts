/**
 * The token check made when a token is saved: `GET {hfUrl}/api/whoami-v2` with the token as a
 * Bearer header, against a local server answering as huggingface.co does.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHfToken, tokenCheckForSave } from '../../main/settings/hf-token-check';

describe('HF token check (whoami-v2)', () => {
  let server: Server;
  let url: string;
  const seen: { path: string; auth: string | undefined }[] = [];
  let answer: (req: IncomingMessage) => { status: number; body: string } | 'hang' = () => ({ status: 200, body: '{}' });
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ path: req.url ?? '', auth: req.headers.authorization });
      const a = answer(req);
      if (a === 'hang') return;
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('says whose a valid token is, asking with the token in the Authorization header only', async () => {
    answer = () => ({ status: 200, body: JSON.stringify({ type: 'user', name: 'ada', fullname: 'Ada L.' }) });
    expect(await checkHfToken({ token: 'hf_secret1', hfUrl: `${url}/` })).toEqual({ state: 'valid', name: 'ada' });
    expect(seen.at(-1)).toEqual({ path: '/api/whoami-v2', auth: 'Bearer hf_secret1' });
  });

  it('reports a refused token (401) in Hugging Face’s words', async () => {
    answer = () => ({ status: 401, body: JSON.stringify({ error: 'Invalid credentials in Authorization header' }) });
    expect(await checkHfToken({ token: 'hf_bad', hfUrl: url })).toEqual({
      state: 'refused',
      status: 401,
      reason: 'Invalid credentials in Authorization header',
    });
  });

  it('does not judge a token it could not ask about (404, unreachable, no answer in time)', async () => {
    answer = () => ({ status: 404, body: '{"detail":"Not Found"}' });
    expect(await checkHfToken({ token: 'hf_x', hfUrl: url })).toMatchObject({
      state: 'unchecked',
      reason: expect.stringContaining('HTTP 404'),
    });
    const closed = await new Promise<string>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(`http://127.0.0.1:${port}`));
      });
    });
    expect(await checkHfToken({ token: 'hf_x', hfUrl: closed })).toMatchObject({
      state: 'unchecked',
      reason: expect.stringContaining('ECONNREFUSED'),
    });
    answer = () => 'hang';
    expect(await checkHfToken({ token: 'hf_x', hfUrl: url, timeoutMs: 300 })).toMatchObject({
      state: 'unchecked',
      reason: expect.stringContaining('did not answer in time'),
    });
  });

  it('never puts the token in what it reports', async () => {
    answer = () => ({ status: 500, body: 'hf_leaky' });
    const r = await checkHfToken({ token: 'hf_leaky', hfUrl: url });
    expect(JSON.stringify(r)).not.toContain('hf_leaky');
  });

  it('refuses to save a refused token (token-refused, with the status), keeps the others with the check', async () => {
    await expect(
      tokenCheckForSave(async () => ({ state: 'refused', status: 401, reason: 'invalid token' })),
    ).rejects.toMatchObject({ code: 'token-refused', status: 401 });
    expect(
      await tokenCheckForSave(
        async () => ({ state: 'valid', name: 'ada' }),
        () => 42,
      ),
    ).toEqual({
      state: 'valid',
      name: 'ada',
      checkedAt: 42,
    });
    expect(
      await tokenCheckForSave(
        async () => ({ state: 'unchecked', reason: 'offline' }),
        () => 7,
      ),
    ).toEqual({
      state: 'unchecked',
      reason: 'offline',
      checkedAt: 7,
    });
  });
});
