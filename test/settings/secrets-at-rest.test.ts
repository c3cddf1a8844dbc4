/**
 * Issue 13, "token at rest": settings files are the user's alone (0600); the token and the proxy's
 * password are encrypted with the OS keychain where there is one, and without one they are kept in
 * memory until the app quits unless the user agreed to store them in clear; a token stored in clear
 * is encrypted once a keychain is there; the proxy's password never reaches the renderer; a token
 * from the environment (the web preview's HF_TOKEN) is used and never stored.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../main/core';
import { createSafeStorageCodec } from '../../main/electron/safe-storage-codec';
import { plainSecretCodec, type SecretCodec } from '../../main/settings/secret-codec';
import { createSettingsService } from '../../main/settings/settings-service';
import { confStoreFactory } from '../../main/store';

const TOKEN = 'hf_' + 'k'.repeat(34);
const POSIX = process.platform !== 'win32';

/** A reversible stand-in for safeStorage; `backend` basic_text is Linux without a keyring. */
function fakeSafeStorage(backend: 'gnome_libsecret' | 'basic_text' = 'gnome_libsecret', available = true) {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s: string) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
    decryptString: (b: Buffer) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
    getSelectedStorageBackend: () => backend,
  };
}
const keychain = () => createSafeStorageCodec(fakeSafeStorage(), 'linux');
const obfuscating = () => createSafeStorageCodec(fakeSafeStorage('basic_text'), 'linux');
const noKeychain = () => createSafeStorageCodec(fakeSafeStorage('gnome_libsecret', false), 'linux');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'fg-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const dataDir = () => path.join(dir, 'data');
const service = (secrets: SecretCodec, extra: { environmentToken?: string } = {}) =>
  createSettingsService({
    storeFactory: confStoreFactory,
    dataDir: dataDir(),
    defaultLibraryDir: path.join(dir, 'lib'),
    secrets,
    ...extra,
  });
const settingsFile = () => path.join(dataDir(), 'settings.json');
const fileText = async () => (existsSync(settingsFile()) ? readFile(settingsFile(), 'utf8') : '');
const modeOf = async (p: string) => (await stat(p)).mode & 0o777;

describe('settings files', () => {
  it.runIf(POSIX)('are written 0600 in a new 0700 folder', async () => {
    const s = service(keychain());
    await s.update({ theme: 'dark' });
    expect(await modeOf(settingsFile())).toBe(0o600);
    expect(await modeOf(dataDir())).toBe(0o700);
  });

  it.runIf(POSIX)('written 0644 by an older version become 0600 at the next start', async () => {
    await mkdir(dataDir(), { recursive: true });
    await writeFile(settingsFile(), JSON.stringify({ theme: 'dark' }));
    await chmod(settingsFile(), 0o644);
    service(plainSecretCodec);
    expect(await modeOf(settingsFile())).toBe(0o600);
    // Rewritten (atomically, a new file) they stay 0600.
    await service(plainSecretCodec).update({ theme: 'light' });
    expect(await modeOf(settingsFile())).toBe(0o600);
  });
});

describe('the HF token at rest', () => {
  it('with the OS keychain: encrypted on disk, and the settings say so', async () => {
    const s = service(keychain());
    const pub = await s.update({ hfToken: TOKEN });
    expect(pub).toMatchObject({ hasHfToken: true, hfTokenStorage: 'keychain', secretProtection: 'keychain' });
    expect(await fileText()).not.toContain(TOKEN);
    expect(await fileText()).toContain('safe:v1:');
    expect(service(keychain()).hfToken()).toBe(TOKEN);
  });

  it('without a keychain and without consent: kept for this session only, never written', async () => {
    const s = service(noKeychain());
    expect(s.get().secretProtection).toBe('plain');
    const pub = await s.update({ hfToken: TOKEN });
    expect(pub).toMatchObject({ hasHfToken: true, hfTokenStorage: 'session' });
    expect(s.hfToken()).toBe(TOKEN);
    expect(await fileText()).not.toContain(TOKEN);
    // The next start has no token (the user is asked again).
    expect(service(noKeychain()).get()).toMatchObject({ hasHfToken: false, hfTokenStorage: null });
  });

  it('without a keychain, with consent: stored in plain text, and the settings say so', async () => {
    const s = service(noKeychain());
    const pub = await s.update({ hfToken: TOKEN, storeWithoutKeychain: true });
    expect(pub.hfTokenStorage).toBe('plain');
    expect(await fileText()).toContain(TOKEN);
    expect(service(noKeychain()).get().hfTokenStorage).toBe('plain');
  });

  it("Linux's basic_text fallback is called obfuscated, and asks first too", async () => {
    const s = service(obfuscating());
    expect(s.get().secretProtection).toBe('obfuscated');
    expect((await s.update({ hfToken: TOKEN })).hfTokenStorage).toBe('session');
    const pub = await s.update({ hfToken: TOKEN, storeWithoutKeychain: true });
    expect(pub.hfTokenStorage).toBe('obfuscated');
    expect(await fileText()).not.toContain(TOKEN);
    expect(await fileText()).toContain('obf:v1:');
  });

  it('a token stored in clear (or obfuscated) is encrypted once the keychain is there', async () => {
    await service(noKeychain()).update({ hfToken: TOKEN, storeWithoutKeychain: true });
    expect(await fileText()).toContain(TOKEN);
    const later = service(keychain());
    expect(later.get().hfTokenStorage).toBe('keychain');
    expect(later.hfToken()).toBe(TOKEN);
    const text = await fileText();
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('safe:v1:');

    // Obfuscated → keychain as well.
    await rm(dataDir(), { recursive: true, force: true });
    await service(obfuscating()).update({ hfToken: TOKEN, storeWithoutKeychain: true });
    expect(service(keychain()).get().hfTokenStorage).toBe('keychain');
    expect(await fileText()).toContain('safe:v1:');
  });

  it('a token stored by an older version without a prefix is plain, and re-encrypted', async () => {
    await mkdir(dataDir(), { recursive: true });
    await writeFile(settingsFile(), JSON.stringify({ hfTokenStored: TOKEN }));
    expect(service(plainSecretCodec).get().hfTokenStorage).toBe('plain');
    // The plain codec (CLI, preview) never rewrites the file.
    expect(await fileText()).toContain(TOKEN);
    expect(service(keychain()).hfToken()).toBe(TOKEN);
    expect(await fileText()).not.toContain(TOKEN);
  });

  it('a token from the environment is used, never stored, and cannot be replaced from the page', async () => {
    const s = service(plainSecretCodec, { environmentToken: TOKEN });
    expect(s.get()).toMatchObject({ hasHfToken: true, hfTokenStorage: 'environment', hfTokenCheck: null });
    expect(s.hfToken()).toBe(TOKEN);
    await expect(s.update({ hfToken: 'hf_other' })).rejects.toMatchObject({ code: 'forbidden' });
    await s.update({ theme: 'dark' });
    expect(await fileText()).not.toContain(TOKEN);
  });
});

describe("the proxy's password", () => {
  const PROXY = 'http://ada:s3cr%40t@127.0.0.1:8080';

  it('is encrypted like the token, and never in what the renderer sees', async () => {
    const s = service(keychain());
    const pub = await s.update({ proxy: PROXY });
    expect(pub.proxy).toBe('http://ada@127.0.0.1:8080');
    expect(pub.proxyPasswordStorage).toBe('keychain');
    expect(JSON.stringify(pub)).not.toContain('s3cr');
    expect(await fileText()).not.toContain('s3cr');
    expect(s.proxyUrl()).toBe(PROXY);
    expect(service(keychain()).proxyUrl()).toBe(PROXY);
  });

  it('stays with the same user and proxy, and goes when either changes', async () => {
    const s = service(keychain());
    await s.update({ proxy: PROXY });
    await s.update({ proxy: 'http://ada@127.0.0.1:8080' });
    expect(s.proxyUrl()).toBe(PROXY);
    expect(s.proxyUrlFor('http://ada@127.0.0.1:8080')).toBe(PROXY);
    expect(s.proxyUrlFor('http://bob@127.0.0.1:8080')).toBe('http://bob@127.0.0.1:8080');
    await s.update({ proxy: 'http://ada@127.0.0.1:9090' });
    expect(s.proxyUrl()).toBe('http://ada@127.0.0.1:9090');
    expect(s.get().proxyPasswordStorage).toBeNull();
  });

  it('without a keychain: kept until the app quits unless the user agreed', async () => {
    const s = service(noKeychain());
    expect((await s.update({ proxy: PROXY })).proxyPasswordStorage).toBe('session');
    expect(s.proxyUrl()).toBe(PROXY);
    expect(await fileText()).not.toContain('s3cr');
    expect(service(noKeychain()).proxyUrl()).toBe('http://ada@127.0.0.1:8080');
    await s.update({ proxy: PROXY, storeWithoutKeychain: true });
    expect(service(noKeychain()).proxyUrl()).toBe(PROXY);
  });

  it('kept inside the URL by an older version: hidden from the renderer, moved out and encrypted', async () => {
    await mkdir(dataDir(), { recursive: true });
    await writeFile(settingsFile(), JSON.stringify({ proxy: PROXY }));
    const plain = service(plainSecretCodec);
    expect(plain.get()).toMatchObject({ proxy: 'http://ada@127.0.0.1:8080', proxyPasswordStorage: 'plain' });
    expect(plain.proxyUrl()).toBe(PROXY);
    const s = service(keychain());
    expect(s.get().proxyPasswordStorage).toBe('keychain');
    expect(s.proxyUrl()).toBe(PROXY);
    expect(await fileText()).not.toContain('s3cr');
  });

  it('through the core: neither settings:get nor settings:changed carries it; the network gets it', async () => {
    const core = await createCore({
      dataDir: dataDir(),
      defaultLibraryDir: path.join(dir, 'lib'),
      transport: 'electron',
      appVersion: 'test',
      secrets: keychain(),
      log: () => {},
    });
    try {
      const seen: unknown[] = [];
      core.events.subscribe((channel, payload) => seen.push({ channel, payload }));
      const r = await core.router.invoke('settings:update', { proxy: PROXY }, { transport: 'electron' });
      expect(r.ok).toBe(true);
      const got = await core.router.invoke('settings:get', undefined, { transport: 'electron' });
      expect(JSON.stringify([r, got, seen])).not.toContain('s3cr');
      expect(core.settings.proxyUrl()).toBe(PROXY);
    } finally {
      await core.dispose();
    }
  });
});

describe('web preview (main/web/main.ts)', () => {
  const PREVIEW = fileURLToPath(new URL('../../out/main/preview-web.mjs', import.meta.url));

  it.runIf(existsSync(PREVIEW))('uses HF_TOKEN from the environment and stores nothing', async () => {
    const child = spawn(process.execPath, [PREVIEW, '--data', dataDir(), '--port', '0'], {
      env: { ...process.env, HF_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      await vi.waitFor(() => expect(out).toMatch(/Press Ctrl\+C/), { timeout: 20_000, interval: 50 });
      expect(out).toContain('HF token: from HF_TOKEN (not stored)');
      expect(out).not.toContain(TOKEN);
      // The same wiring, asked through the core the preview builds: the token is the environment's.
      const core = await createCore({
        dataDir: path.join(dir, 'data2'),
        defaultLibraryDir: path.join(dir, 'lib2'),
        transport: 'web',
        appVersion: 'test',
        overrides: { hfToken: TOKEN },
        log: () => {},
      });
      try {
        const got = await core.router.invoke('settings:get', undefined, { transport: 'web' });
        expect(got).toMatchObject({ ok: true, value: { hasHfToken: true, hfTokenStorage: 'environment' } });
        const refused = await core.router.invoke('settings:update', { hfToken: 'hf_x' }, { transport: 'web' });
        expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      } finally {
        await core.dispose();
      }
      expect(await fileText()).not.toContain(TOKEN);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
