/**
 * How secrets (the HF token, the proxy's password) are kept at rest: Electron passes a safeStorage
 * codec; plain Node keeps them as they are (and says so: the user is asked before that happens).
 */
import type { SecretProtection } from '../../shared/settings';

export interface SecretCodec {
  /** What `encode` does now: encrypt with the OS keychain, obfuscate (a known key), or nothing. */
  readonly protection: SecretProtection;
  /** True when `encode` really encrypts (OS keychain available). */
  readonly encrypts: boolean;
  encode(plain: string): string;
  /** Throws when the value cannot be read on this system (another machine, another OS user). */
  decode(stored: string): string;
  /** How an encoded value is protected (a value stored in plain text before a keychain was there is `plain`). */
  protectionOf(stored: string): SecretProtection;
}

export const plainSecretCodec: SecretCodec = {
  protection: 'plain',
  encrypts: false,
  encode: (plain) => plain,
  decode: (stored) => stored,
  protectionOf: () => 'plain',
};

const RANK: Record<SecretProtection, number> = { plain: 0, obfuscated: 1, keychain: 2 };

/** Is `a` weaker than `b`? */
export const weaker = (a: SecretProtection, b: SecretProtection): boolean => RANK[a] < RANK[b];
