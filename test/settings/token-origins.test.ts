/**
 * Issue 13, "token sent anywhere" (the settings side): an HF or Space URL must be https unless it is
 * a server on this computer; the token goes to another origin only once the user confirmed it in the
 * desktop app's native dialog (the page can remove a confirmed origin, never add one; the web
 * preview cannot confirm at all). Over real HTTPS: a mirror at `https://mirror.test:PORT`, which an
 * undici Agent resolves to 127.0.0.1 and which forwards to the fake Spaces, records what it was sent.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../main/core';
import { createSafeStorageCodec } from '../../main/electron/safe-storage-codec';
import { originsToConfirm, type ConfirmTokenOrigin } from '../../main/settings/token-origins';
import type { InvokeChannel } from '../../shared/contract';
import { HTTPS_REQUIRED, SettingsPatchSchema } from '../../shared/settings';
import { startFakeSpaces, type FakeSpaces } from '../fake-space';

const TOKEN = 'hf_' + 'o'.repeat(34);
const CERT = readFileSync(new URL('./fixtures/mirror-test-cert.pem', import.meta.url));
const KEY = readFileSync(new URL('./fixtures/mirror-test-key.pem', import.meta.url));

interface Seen {
  path: string;
  authorization: string | undefined;
}

/** `https://mirror.test:PORT` in front of a fake Space: forwards everything, records the Authorization header. */
async function startMirror(upstream: string): Promise<{ origin: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const up = new URL(upstream);
  const server: Server = createServer({ key: KEY, cert: CERT }, (req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    const fwd = httpRequest(
      { host: up.hostname, port: up.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    fwd.on('error', () => res.destroy());
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `https://mirror.test:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let spaces: FakeSpaces;
let mirror: Awaited<ReturnType<typeof startMirror>>;
let previous: Dispatcher;
let agent: Agent;
beforeAll(async () => {
  spaces = await startFakeSpaces({
    timing: { stepMs: 2, heartbeatMs: 1000, queueUpdates: 1, progressSteps: 1, previews: 0 },
  });
  mirror = await startMirror(spaces.hfUrl);
  // Every name resolves to this computer, and the mirror's test certificate is trusted.
  previous = getGlobalDispatcher();
  agent = new Agent({
    connect: { ca: CERT, lookup: (_host, _opts, cb) => cb(null, [{ address: '127.0.0.1', family: 4 }]) },
  });
  setGlobalDispatcher(agent);
});
afterAll(async () => {
  setGlobalDispatcher(previous);
  await agent?.close();
  await mirror?.close();
  await spaces?.close();
});

let root: string;
let core: Core;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'fg-origins-'));
  mirror.seen.length = 0;
});
afterEach(async () => {
  await core?.dispose();
  await rm(root, { recursive: true, force: true });
});

/** The desktop core: a keychain, and `confirm` standing in for the native dialog's answer. */
const startCore = async (confirm?: ConfirmTokenOrigin, transport: 'electron' | 'web' = 'electron') => {
  core = await createCore({
    dataDir: path.join(root, 'data'),
    defaultLibraryDir: path.join(root, 'lib'),
    transport,
    appVersion: 'test',
    secrets: createSafeStorageCodec(
      {
        isEncryptionAvailable: () => true,
        encryptString: (s) => Buffer.from(s).reverse(),
        decryptString: (b) => Buffer.from(b).reverse().toString(),
      },
      'darwin',
    ),
    ...(confirm ? { confirmTokenOrigin: confirm } : {}),
    spaceStates: { pollMs: 20 },
    log: () => {},
  });
  return core;
};
const call = async (channel: InvokeChannel, args?: unknown) =>
  core.router.invoke(channel, args, { transport: 'electron' });
const ok = async (channel: InvokeChannel, args?: unknown) => {
  const r = await call(channel, args);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value as never;
};
/** One Dev job (ZeroGPU: its page and jwt come from the HF URL, with the token when it may go there). */
const devJob = async () => {
  const { jobs } = (await ok('jobs:start', {
    params: { prompt: 'an owl', model: 'flux-dev', provider: 'bfl-flux1-dev', seed: 1 },
    count: 1,
  })) as { jobs: { id: string }[] };
  await core.jobs.idle();
  const { jobs: all } = (await ok('jobs:list')) as { jobs: { id: string; state: string }[] };
  return all.find((j) => j.id === jobs[0]!.id)!;
};
const authsAtMirror = () => mirror.seen.map((s) => s.authorization);

describe('HF and Space URLs must be https (plain http only for this computer)', () => {
  it('the schema refuses plain http elsewhere, with a clear message, and keeps loopback http', () => {
    for (const patch of [
      { hfUrl: 'http://mirror.test' },
      { providerUrls: { 'bfl-flux1-dev': 'http://10.0.0.5:7860' } },
    ]) {
      const r = SettingsPatchSchema.safeParse(patch);
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toBe(HTTPS_REQUIRED);
    }
    for (const patch of [
      { hfUrl: 'https://mirror.test' },
      { hfUrl: 'http://127.0.0.1:8000' },
      { hfUrl: 'http://localhost:7860' },
      { providerUrls: { 'bfl-flux1-dev': 'http://[::1]:7860' } },
      { proxy: 'http://proxy.lan:3128' },
    ]) {
      expect(SettingsPatchSchema.safeParse(patch).success, JSON.stringify(patch)).toBe(true);
    }
  });

  it('the core refuses it in words and saves nothing', async () => {
    await startCore();
    const r = await call('settings:update', { hfUrl: 'http://mirror.test:8080' });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'invalid-argument', message: expect.stringContaining('https') },
    });
    expect(core.settings.get().hfUrl).toBeNull();
  });
});

describe('the token and an HF URL on another origin', () => {
  it('without confirmation: the URL is used, and none of its requests carries the token', async () => {
    const confirm = vi.fn<ConfirmTokenOrigin>(async () => false);
    await startCore(confirm);
    const saved = (await ok('settings:update', {
      providerUrls: spaces.providerUrls,
      hfUrl: mirror.origin,
      hfToken: TOKEN,
    })) as { hfUrl: string; tokenOrigins: string[]; hfTokenCheck: { state: string; reason?: string } };
    expect(confirm).toHaveBeenCalledWith({ origin: mirror.origin, url: mirror.origin, field: 'hfUrl', language: 'en' });
    expect(saved.hfUrl).toBe(mirror.origin);
    expect(saved.tokenOrigins).toEqual([]);
    // The token check on save did not send it there either.
    expect(saved.hfTokenCheck).toMatchObject({ state: 'unchecked', reason: expect.stringContaining('not sent') });

    const job = await devJob();
    expect(job.state).toBe('done');
    await ok('providers:check');
    expect(mirror.seen.length).toBeGreaterThan(0);
    expect(mirror.seen.some((s) => s.path.startsWith('/spaces/'))).toBe(true);
    expect(authsAtMirror().filter(Boolean)).toEqual([]);
    expect(mirror.seen.some((s) => s.path.includes('/jwt'))).toBe(false);
  });

  it('confirmed in the native dialog: the origin is remembered and the token goes there', async () => {
    const confirm = vi.fn<ConfirmTokenOrigin>(async () => true);
    await startCore(confirm);
    const saved = (await ok('settings:update', {
      providerUrls: spaces.providerUrls,
      hfUrl: mirror.origin,
      hfToken: TOKEN,
    })) as { tokenOrigins: string[] };
    expect(saved.tokenOrigins).toEqual([mirror.origin]);
    expect((await devJob()).state).toBe('done');
    expect(authsAtMirror()).toContain(`Bearer ${TOKEN}`);
    expect(mirror.seen.some((s) => s.path.includes('/jwt') && s.authorization === `Bearer ${TOKEN}`)).toBe(true);

    // Asked once: saving other settings does not ask again.
    await ok('settings:update', { theme: 'dark' });
    expect(confirm).toHaveBeenCalledTimes(1);

    // The page may forget it; then the token stops going there.
    await ok('settings:update', { tokenOrigins: [] });
    mirror.seen.length = 0;
    expect((await devJob()).state).toBe('done');
    expect(authsAtMirror().filter(Boolean)).toEqual([]);
  });

  it('the page cannot add an origin itself', async () => {
    await startCore(async () => false);
    await ok('settings:update', { providerUrls: spaces.providerUrls, hfUrl: mirror.origin, hfToken: TOKEN });
    const r = await call('settings:update', { tokenOrigins: [mirror.origin] });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(core.settings.get().tokenOrigins).toEqual([]);
    expect((await devJob()).state).toBe('done');
    expect(authsAtMirror().filter(Boolean)).toEqual([]);
  });

  it('the web preview has no native dialog: no origin can be confirmed, and it says so', async () => {
    await startCore(undefined, 'web');
    expect(await call('app:info')).toMatchObject({ ok: true, value: { features: { confirmTokenOrigin: false } } });
    const saved = (await ok('settings:update', {
      providerUrls: spaces.providerUrls,
      hfUrl: mirror.origin,
      hfToken: TOKEN,
    })) as { tokenOrigins: string[] };
    expect(saved.tokenOrigins).toEqual([]);
    expect((await devJob()).state).toBe('done');
    expect(authsAtMirror().filter(Boolean)).toEqual([]);
  });
});

describe('which saves ask', () => {
  const now = {
    hasHfToken: true,
    hfUrl: null,
    providerUrls: {},
    tokenOrigins: [] as string[],
    language: 'en' as const,
  };
  it('URLs the patch sets on another https origin, while a token is (or will be) set', () => {
    expect(originsToConfirm({ hfUrl: 'https://mirror.test/' }, now)).toEqual([
      { origin: 'https://mirror.test', url: 'https://mirror.test/', field: 'hfUrl' },
    ]);
    expect(
      originsToConfirm({ providerUrls: { 'bfl-flux1-dev': 'https://space.example:8443/x' } }, now).map((a) => a.field),
    ).toEqual(['bfl-flux1-dev']);
    // Hugging Face's own hosts, local servers, plain http (never gets the token), confirmed ones: no.
    for (const hfUrl of ['https://huggingface.co', 'https://me-x.hf.space', 'http://127.0.0.1:1', 'http://x.test']) {
      expect(originsToConfirm({ hfUrl }, now), hfUrl).toEqual([]);
    }
    expect(
      originsToConfirm({ hfUrl: 'https://mirror.test' }, { ...now, tokenOrigins: ['https://mirror.test'] }),
    ).toEqual([]);
    // No token, and none coming: nothing to ask.
    expect(originsToConfirm({ hfUrl: 'https://mirror.test' }, { ...now, hasHfToken: false })).toEqual([]);
    // A new token: every URL in use that leads elsewhere.
    const inUse = { ...now, hasHfToken: false, hfUrl: 'https://mirror.test' };
    expect(originsToConfirm({ hfToken: 'hf_new' }, inUse).map((a) => a.origin)).toEqual(['https://mirror.test']);
    // The same origin twice is asked once.
    expect(
      originsToConfirm(
        { hfUrl: 'https://mirror.test/a', providerUrls: { 'bfl-flux1-dev': 'https://mirror.test/b' } },
        now,
      ),
    ).toHaveLength(1);
  });
});
