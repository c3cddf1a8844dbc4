/**
 * Export file names: a pattern with tokens (shared/organise.ts: `{date}`, `{time}`, `{seed}`,
 * `{prompt}`/`{prompt:N}`, `{id}`, `{index}`, `{model}`, `{rating}`, `{width}`, `{height}`), made
 * safe on every OS, and numbered when taken.
 *
 * The safety rules are shared/export-names.ts's (the export dialog shows an example with them).
 * Names are compared without case (Windows and macOS file systems ignore it): `A.png` and `a.png`
 * are one name.
 */
import type { HistoryEntry } from '../../shared/library';
import { AppError } from '../../shared/errors';
import { EXPORT_PATTERN_TOKENS, unknownPatternTokens } from '../../shared/organise';
import { cutBytes, MAX_BASE_BYTES, patternBaseName } from '../../shared/export-names';

export { MAX_BASE_BYTES, promptWords, safeBaseName } from '../../shared/export-names';

/** Checks a pattern: `invalid-argument` naming its unknown tokens. */
export function checkPattern(pattern: string): void {
  const bad = unknownPatternTokens(pattern);
  if (bad.length > 0) {
    throw new AppError(
      'invalid-argument',
      `The file name pattern has unknown tokens: ${bad.join(', ')}. Use ${EXPORT_PATTERN_TOKENS.map((t) => `{${t}}`).join(', ')} (and {prompt:N} for N words).`,
    );
  }
}

/**
 * The pattern as a function of an entry and its position (0-based) in an export of `total` images.
 * Date and time are the image's creation on this computer's clock.
 */
export function namePattern(pattern: string, total: number): (e: HistoryEntry, index: number) => string {
  checkPattern(pattern);
  return (e, index) => patternBaseName(pattern, e, index, total);
}

/**
 * Names already used in a destination (case ignored). `claim` returns a base name whose every
 * `base + ext` is free, numbering `_2`, `_3`… when taken, and takes them.
 */
export class NameBook {
  private readonly taken = new Set<string>();

  constructor(existing: Iterable<string> = []) {
    for (const n of existing) this.taken.add(key(n));
  }

  has(name: string): boolean {
    return this.taken.has(key(name));
  }

  claim(base: string, exts: readonly string[]): string {
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? '' : `_${n}`;
      const candidate = n === 1 ? base : `${cutBytes(base, MAX_BASE_BYTES - suffix.length)}${suffix}`;
      if (exts.every((ext) => !this.taken.has(key(candidate + ext)))) {
        for (const ext of exts) this.taken.add(key(candidate + ext));
        return candidate;
      }
    }
  }

  /** Takes one exact name (numbered the same way when taken): `parameters.csv`, `parameters_2.csv`. */
  claimFile(base: string, ext: string): string {
    return this.claim(base, [ext]) + ext;
  }
}

const key = (name: string) => name.normalize('NFC').toLowerCase();
