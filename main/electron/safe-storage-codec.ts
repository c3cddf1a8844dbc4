/**
 * Secrets at rest (the HF token, the proxy's password): encrypted with the OS keychain through
 * `safeStorage` when available, "obfuscated" where Chromium falls back to a fixed key (Linux without
 * a keyring), otherwise kept as is — and `protection` says which, for the settings screen (which
 * asks before anything is stored without a keychain). Never logs a secret.
 */
import type { SafeStorage } from 'electron';
import type { SecretCodec } from '../settings/secret-codec';
import type { SecretProtection } from '../../shared/settings';

/** Encrypted with a key the OS keychain keeps. */
const ENCRYPTED = 'safe:v1:';
/** Encrypted by safeStorage with its fixed fallback key (`basic_text`): obfuscation, not encryption. */
const OBFUSCATED = 'obf:v1:';
const PLAIN = 'plain:';

type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

/** Create after `app` is ready (safeStorage answers only then). */
export function createSafeStorageCodec(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): SecretCodec {
  const protection = (): SecretProtection => {
    if (!safeStorage.isEncryptionAvailable()) return 'plain';
    // Linux without a keyring falls back to a fixed key: obfuscation, not encryption.
    return platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text'
      ? 'obfuscated'
      : 'keychain';
  };
  return {
    get protection() {
      return protection();
    },
    get encrypts() {
      return protection() === 'keychain';
    },
    encode(plain) {
      const now = protection();
      if (now === 'plain') return PLAIN + plain;
      return (now === 'keychain' ? ENCRYPTED : OBFUSCATED) + safeStorage.encryptString(plain).toString('base64');
    },
    decode(stored) {
      const prefix = [ENCRYPTED, OBFUSCATED].find((p) => stored.startsWith(p));
      if (prefix) {
        try {
          return safeStorage.decryptString(Buffer.from(stored.slice(prefix.length), 'base64'));
        } catch {
          // No cause attached: nothing of the secret may travel into a log.
          throw new Error('The stored secret cannot be decrypted on this system.');
        }
      }
      return stored.startsWith(PLAIN) ? stored.slice(PLAIN.length) : stored;
    },
    protectionOf(stored) {
      if (stored.startsWith(OBFUSCATED)) return 'obfuscated';
      // Written before obfuscation had a prefix of its own: as safe as what safeStorage does now.
      if (stored.startsWith(ENCRYPTED)) return protection() === 'obfuscated' ? 'obfuscated' : 'keychain';
      return 'plain';
    },
  };
}
