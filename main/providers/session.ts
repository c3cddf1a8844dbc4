/** Gradio session hashes: random, short, lowercase alphanumerics (what Gradio's own client makes). */
import { randomBytes } from 'node:crypto';

export function newSessionHash(length = 11): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
}
