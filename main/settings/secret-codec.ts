/** How the HF token is kept at rest: Electron passes a safeStorage codec; plain Node keeps it as is. */
export interface SecretCodec {
  /** True when `encode` really encrypts (OS keychain available). */
  readonly encrypts: boolean;
  encode(plain: string): string;
  decode(stored: string): string;
}

export const plainSecretCodec: SecretCodec = {
  encrypts: false,
  encode: (plain) => plain,
  decode: (stored) => stored,
};
