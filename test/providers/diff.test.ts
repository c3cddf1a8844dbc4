import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyDiff, isDiff, mergeOutputs, type DiffOp } from '../../main/providers/gradio/diff';

const fileData = { path: '/tmp/a.webp', url: 'http://x/file=/tmp/a.webp', size: 1, meta: { _type: 'gradio.FileData' } };

describe('sse_v3 diffs', () => {
  it('replaces fields and the root, leaving the previous value untouched', () => {
    const next = applyDiff(fileData, [
      ['replace', ['url'], 'http://x/file=/tmp/b.webp'],
      ['replace', ['path'], '/tmp/b.webp'],
    ]);
    expect(next).toEqual({ ...fileData, url: 'http://x/file=/tmp/b.webp', path: '/tmp/b.webp' });
    expect(fileData.url).toBe('http://x/file=/tmp/a.webp');
    expect(applyDiff(fileData, [['replace', [], { path: '/c' }]])).toEqual({ path: '/c' });
  });

  it('appends to text and lists, adds and deletes in objects and lists', () => {
    expect(applyDiff('Hello', [['append', [], ' world']])).toBe('Hello world');
    expect(applyDiff({ a: [1, 2] }, [['append', ['a'], [3]]])).toEqual({ a: [1, 2, 3] });
    expect(applyDiff({ a: [1, 3] }, [['add', ['a', 1], 2]])).toEqual({ a: [1, 2, 3] });
    expect(applyDiff({ a: 1, b: 2 }, [['delete', ['b']]])).toEqual({ a: 1 });
    expect(applyDiff([1, 2, 3], [['delete', [0]]])).toEqual([2, 3]);
    expect(applyDiff({ m: {} }, [['add', ['m', 'k'], 'v']])).toEqual({ m: { k: 'v' } });
  });

  it('rejects paths that do not exist as a protocol error', () => {
    expect(() => applyDiff({ a: 1 }, [['replace', ['x', 'y'], 1]])).toThrow(/invalid output update/);
    expect(() => applyDiff([1], [['delete', [5]]])).toThrow(/out of range/);
    expect(() => applyDiff(5, [['append', [], 'x']])).toThrow(/neither text nor a list/);
  });

  it('tells diffs from values', () => {
    expect(isDiff([['replace', ['url'], 'u']])).toBe(true);
    expect(isDiff([])).toBe(true);
    expect(isDiff(fileData)).toBe(false);
    expect(isDiff(['replace', ['url'], 'u'])).toBe(false);
    expect(isDiff([['frobnicate', [], 1]])).toBe(false);
    expect(isDiff('text')).toBe(false);
  });

  it('merges outputs: first values, then diffs per output', () => {
    const first = mergeOutputs(null, [fileData, 42]);
    const second = mergeOutputs(first, [[['replace', ['path'], '/tmp/b.webp']], []]);
    expect(second).toEqual([{ ...fileData, path: '/tmp/b.webp' }, 42]);
    expect(mergeOutputs(null, [[['replace', [], fileData]], 7])).toEqual([fileData, 7]);
    expect(() => mergeOutputs(null, { not: 'a list' })).toThrow(/not a list/);
  });

  it('a root replace always yields the new value and never mutates (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (prev, value) => {
        const before = JSON.stringify(prev);
        const ops: DiffOp[] = [['replace', [], value]];
        expect(applyDiff(prev, ops)).toEqual(value);
        expect(JSON.stringify(prev)).toBe(before);
      }),
    );
  });
});
