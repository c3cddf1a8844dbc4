import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HistoryEntrySchema, isHistoryEntry } from '../../main/library/entry-schema';
import { makeEntry } from './entries';

/** Values that break one field in the ways a damaged or hand-edited file would. */
const junk = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(''),
  fc.constant(-1),
  fc.constant(1.5),
  fc.constant('x'),
  fc.constant('2024-13-45'),
  fc.constant(true),
  fc.constant({}),
  fc.constant([]),
  fc.string(),
  fc.integer(),
);

describe('entry validation', () => {
  it('accepts real entries', () => {
    for (let i = 0; i < 50; i++) {
      expect(isHistoryEntry(makeEntry(i))).toBe(true);
      expect(HistoryEntrySchema.safeParse(makeEntry(i)).success).toBe(true);
    }
    const { guidance: _g, ...noGuidance } = makeEntry(1).params;
    expect(isHistoryEntry({ ...makeEntry(1), params: noGuidance })).toBe(true);
  });

  it('the fast check and the zod schema agree on damaged entries (property)', () => {
    const top = Object.keys(makeEntry(0)) as (keyof ReturnType<typeof makeEntry>)[];
    const inner = Object.keys(makeEntry(0).params);
    fc.assert(
      fc.property(fc.constantFrom(...top, ...inner.map((k) => `params.${k}`)), junk, (field, value) => {
        const e = structuredClone(makeEntry(3)) as unknown as Record<string, Record<string, unknown>>;
        if (field.startsWith('params.')) e.params![field.slice(7)] = value;
        else (e as Record<string, unknown>)[field] = value;
        expect(isHistoryEntry(e)).toBe(HistoryEntrySchema.safeParse(e).success);
      }),
      { numRuns: 1000 },
    );
    expect(isHistoryEntry(null)).toBe(false);
    expect(isHistoryEntry('entry')).toBe(false);
  });
});
