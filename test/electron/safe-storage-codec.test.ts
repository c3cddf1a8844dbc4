import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createSafeStorageCodec } from '../../main/electron/safe-storage-codec';
import { createSettingsService } from '../../main/settings/settings-service';
import { confStoreFactory } from '../../main/store';

const TOKEN = 'hf_' + 'x'.repeat(34);

/** A reversible stand-in for the OS keychain cipher. */
function fakeSafeStorage(available = true, backend = 'gnome_libsecret') {
  return {
    isEncryptionAvailable: vi.fn(() => available),
    encryptString: vi.fn((s: string) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a))),
    decryptString: vi.fn((b: Buffer) => {
      if (b.length === 0) throw new Error(`bad ciphertext ${b.toString('hex')}`);
      return Buffer.from([...b].map((x) => x ^ 0x5a)).toString();
    }),
    getSelectedStorageBackend: vi.fn(() => backend as 'basic_text'),
  };
}

describe('safeStorage secret codec', () => {
  it('encrypts when the OS offers it and round-trips', () => {
    const codec = createSafeStorageCodec(fakeSafeStorage(), 'linux');
    expect(codec.encrypts).toBe(true);
    const stored = codec.encode(TOKEN);
    expect(stored).not.toContain(TOKEN);
    expect(stored).toMatch(/^safe:v1:/);
    expect(codec.decode(stored)).toBe(TOKEN);
  });

  it('stores plainly (and says so) when encryption is unavailable', () => {
    const codec = createSafeStorageCodec(fakeSafeStorage(false), 'linux');
    expect(codec.encrypts).toBe(false);
    const stored = codec.encode(TOKEN);
    expect(stored).toBe(`plain:${TOKEN}`);
    expect(codec.decode(stored)).toBe(TOKEN);
  });

  it("reports Linux's basic_text fallback as not really encrypting", () => {
    const ss = fakeSafeStorage(true, 'basic_text');
    expect(createSafeStorageCodec(ss, 'linux').encrypts).toBe(false);
    expect(createSafeStorageCodec(ss, 'darwin').encrypts).toBe(true);
    expect(ss.getSelectedStorageBackend).toHaveBeenCalledTimes(1);
  });

  it('says how each value is kept: keychain, obfuscated (basic_text) or plain', () => {
    const keychain = createSafeStorageCodec(fakeSafeStorage(), 'linux');
    expect(keychain.protection).toBe('keychain');
    expect(keychain.protectionOf(keychain.encode(TOKEN))).toBe('keychain');
    const basic = createSafeStorageCodec(fakeSafeStorage(true, 'basic_text'), 'linux');
    expect(basic.protection).toBe('obfuscated');
    const obfuscated = basic.encode(TOKEN);
    expect(obfuscated).toMatch(/^obf:v1:/);
    expect(obfuscated).not.toContain(TOKEN);
    expect(basic.decode(obfuscated)).toBe(TOKEN);
    expect(keychain.protectionOf(obfuscated)).toBe('obfuscated');
    // Once a keyring is there, the obfuscated value still decodes (to be encrypted anew).
    expect(keychain.decode(obfuscated)).toBe(TOKEN);
    const none = createSafeStorageCodec(fakeSafeStorage(false), 'linux');
    expect(none.protection).toBe('plain');
    expect(none.protectionOf(none.encode(TOKEN))).toBe('plain');
    expect(keychain.protectionOf(TOKEN)).toBe('plain');
    // Written under basic_text before obfuscation had its own prefix: as safe as safeStorage is now.
    expect(basic.protectionOf(keychain.encode(TOKEN))).toBe('obfuscated');
  });

  it('reads values stored before the codec existed', () => {
    expect(createSafeStorageCodec(fakeSafeStorage(), 'win32').decode(TOKEN)).toBe(TOKEN);
  });

  it('fails to decode without leaking the stored value', () => {
    const codec = createSafeStorageCodec(fakeSafeStorage(), 'darwin');
    expect(() => codec.decode('safe:v1:')).toThrowError(/cannot be decrypted/);
    try {
      codec.decode('safe:v1:');
    } catch (err) {
      expect((err as Error).cause).toBeUndefined();
    }
  });

  it('keeps the token out of the settings file and out of logs (with the real settings service)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'flux-secret-'));
    const logs: string[] = [];
    const spies = (['log', 'error', 'warn', 'info'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void logs.push(a.join(' '))),
    );
    try {
      const settings = createSettingsService({
        storeFactory: confStoreFactory,
        dataDir: dir,
        defaultLibraryDir: path.join(dir, 'lib'),
        secrets: createSafeStorageCodec(fakeSafeStorage(), 'darwin'),
      });
      await settings.update({ hfToken: TOKEN });
      expect(settings.get().hasHfToken).toBe(true);
      expect(JSON.stringify(settings.get())).not.toContain(TOKEN);
      expect(settings.hfToken()).toBe(TOKEN);
      for (const f of await readdir(dir)) {
        if (f.endsWith('.json')) expect(await readFile(path.join(dir, f), 'utf8')).not.toContain(TOKEN);
      }
      expect(logs.join('\n')).not.toContain(TOKEN);
    } finally {
      for (const s of spies) s.mockRestore();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
