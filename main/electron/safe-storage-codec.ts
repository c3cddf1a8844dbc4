/**
 * The HF token at rest: encrypted with the OS keychain through `safeStorage` when available,
 * otherwise kept as is (and `encrypts` says so, for the settings screen). Never logs the token.
 */
import type { SafeStorage } from 'electron';
import type { SecretCodec } from '../settings/secret-codec';

const ENCRYPTED = 'safe:v1:';
const PLAIN = 'plain:';

type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

/** Create after `app` is ready (safeStorage answers only then). */
export function createSafeStorageCodec(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): SecretCodec {
  return {
    get encrypts() {
      if (!safeStorage.isEncryptionAvailable()) return false;
      // Linux without a keyring falls back to a fixed key: obfuscation, not encryption.
      return !(platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text');
    },
    encode(plain) {
      if (!safeStorage.isEncryptionAvailable()) return PLAIN + plain;
      return ENCRYPTED + safeStorage.encryptString(plain).toString('base64');
    },
    decode(stored) {
      if (stored.startsWith(ENCRYPTED)) {
        try {
          return safeStorage.decryptString(Buffer.from(stored.slice(ENCRYPTED.length), 'base64'));
        } catch {
          // No cause attached: nothing of the secret may travel into a log.
          throw new Error('The stored token cannot be decrypted on this system.');
        }
      }
      return stored.startsWith(PLAIN) ? stored.slice(PLAIN.length) : stored;
    },
  };
}
