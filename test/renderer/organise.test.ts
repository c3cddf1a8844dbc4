/**
 * Organising the gallery, as plain logic: the selection (toggles, ranges, Ctrl+A as a filter target
 * minus deselected ids, targets split at the contract's limit), group headers by day and by stars,
 * rating keys, the compare view's differences, and the export dialog's example file name.
 */
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../shared/library';
import { BulkTargetSchema, ExportRequestSchema, MAX_TARGET_IDS } from '../../shared/organise';
import {
  EMPTY_SELECTION,
  isSelected,
  onFilterChanged,
  only,
  rangeBounds,
  resolveIds,
  selectAll,
  selectRange,
  selectedCount,
  SelectionStore,
  setOne,
  toTargets,
  toggle,
  without,
} from '../../renderer/src/organise/selection';
import { dayKey, dayLabelParts, groupKind, groupStarts } from '../../renderer/src/organise/groups';
import { ratingFromKey } from '../../renderer/src/organise/keys';
import { compareRows, differenceCount, wordDiff } from '../../renderer/src/organise/compare-diff';
import { exampleName } from '../../renderer/src/organise/export-name';
import { clampView, FIT, fitRect, stepZoom, zoomAt } from '../../renderer/src/organise/compare/compare-view';
import {
  DEFAULT_EXPORT_FORM,
  defaultZipName,
  isAbsolutePath,
  toExportRequest,
} from '../../renderer/src/organise/export/export-form';
import { safeBaseName } from '../../shared/export-names';
import { clearedFilters, isFiltered, NO_FILTERS, toHistoryFilter } from '../../renderer/src/history/filters';

function entry(n: number, patch: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: `entry${String(n).padStart(4, '0')}`,
    prompt: `prompt ${n}`,
    model: 'flux-dev',
    providerId: 'bfl-flux1-dev',
    params: { aspectRatio: '1:1', width: 512, height: 512, steps: 28, guidance: 3.5, seed: n, randomizeSeed: false },
    seed: n,
    createdAt: new Date(2025, 2, 12, 10, 0, n).toISOString(),
    durationMs: 1000,
    file: `images/${n}.png`,
    thumb: `thumbs/${n}.webp`,
    width: 512,
    height: 512,
    bytes: 1000,
    favourite: false,
    ...patch,
  };
}

describe('selection', () => {
  it('toggles ids in and out, each toggle moving the anchor', () => {
    let s = toggle(EMPTY_SELECTION, 'a', 0);
    s = toggle(s, 'b', 3);
    expect(selectedCount(s, 100)).toBe(2);
    expect(isSelected(s, 'a') && isSelected(s, 'b')).toBe(true);
    expect(s.anchor).toEqual({ index: 3, id: 'b' });
    s = toggle(s, 'a', 0);
    expect(isSelected(s, 'a')).toBe(false);
    expect(selectedCount(s, 100)).toBe(1);
    // Setting a tile to what it already is changes nothing but the anchor.
    const same = setOne(s, 'b', 3, true);
    expect(selectedCount(same, 100)).toBe(1);
    expect(selectedCount(setOne(s, 'b', 3, false), 100)).toBe(0);
  });

  it('selects a range from the anchor, replacing or (Ctrl+Shift) adding, the anchor staying put', () => {
    expect(rangeBounds(7, 2)).toEqual([2, 7]);
    expect(rangeBounds(2, 7)).toEqual([2, 7]);
    let s = only('c', 2);
    s = selectRange(s, ['c', 'd', 'e'], false);
    expect([...(s.kind === 'ids' ? s.ids : [])]).toEqual(['c', 'd', 'e']);
    expect(s.anchor).toEqual({ index: 2, id: 'c' });
    // Back the other way: the range replaces the previous one.
    s = selectRange(s, ['a', 'b', 'c'], false);
    expect(isSelected(s, 'e')).toBe(false);
    expect(selectedCount(s, 10)).toBe(3);
    s = selectRange(s, ['x', 'y'], true);
    expect(selectedCount(s, 10)).toBe(5);
  });

  it('Ctrl+A is the filter itself, minus what is deselected after, whatever is loaded', () => {
    const filter = { text: 'cat', sort: 'rating' as const };
    let s = selectAll(filter);
    // 50 000 images match; none of them is listed here.
    expect(selectedCount(s, 50_000)).toBe(50_000);
    expect(isSelected(s, 'anything')).toBe(true);
    s = toggle(s, 'gone01', 4);
    s = toggle(s, 'gone02', 9);
    expect(selectedCount(s, 50_000)).toBe(49_998);
    expect(isSelected(s, 'gone01')).toBe(false);
    const targets = toTargets(s);
    expect(targets).toEqual([{ kind: 'query', query: filter, except: ['gone01', 'gone02'] }]);
    expect(BulkTargetSchema.safeParse(targets[0]).success).toBe(true);
    // Toggled back in, then a Ctrl+Shift range over deselected ones brings them back too.
    s = toggle(s, 'gone01', 4);
    expect(selectedCount(s, 50_000)).toBe(49_999);
    s = selectRange(s, ['gone02', 'other'], true);
    expect(toTargets(s)).toEqual([{ kind: 'query', query: filter }]);
    // A plain Shift range replaces the filter target with explicit ids.
    expect(selectRange(s, ['p', 'q'], false).kind).toBe('ids');
  });

  it('resolves a filter target to ids only where ids are needed, in list order', async () => {
    const s = toggle(selectAll({}), 'b', 1);
    expect(await resolveIds(s, async () => ['a', 'b', 'c'])).toEqual(['a', 'c']);
    expect(await resolveIds(only('z', 0), async () => [])).toEqual(['z']);
  });

  it('splits explicit ids at the per-call limit; nothing selected is no target', () => {
    expect(toTargets(EMPTY_SELECTION)).toEqual([]);
    const ids = Array.from({ length: MAX_TARGET_IDS + 5 }, (_, i) => `id${String(i).padStart(6, '0')}`);
    const targets = toTargets(selectRange(EMPTY_SELECTION, ids, false));
    expect(targets.map((t) => (t.kind === 'ids' ? t.ids.length : -1))).toEqual([MAX_TARGET_IDS, 5]);
    for (const t of targets) expect(BulkTargetSchema.safeParse(t).success).toBe(true);
  });

  it('drops deleted ids; a filter change drops a filter target and the anchor, keeps ids', () => {
    const s = selectRange(only('a', 0), ['a', 'b', 'c'], false);
    expect(selectedCount(without(s, ['b']), 10)).toBe(2);
    const after = onFilterChanged(s);
    expect(selectedCount(after, 10)).toBe(3);
    expect(after.anchor).toBeNull();
    expect(selectedCount(onFilterChanged(selectAll({})), 10)).toBe(0);
  });

  it('is a store React can subscribe to: one notification per real change', () => {
    const store = new SelectionStore();
    let calls = 0;
    const off = store.subscribe(() => calls++);
    store.set((s) => toggle(s, 'a', 0));
    store.set((s) => s);
    expect(calls).toBe(1);
    store.clear();
    expect(selectedCount(store.get(), 5)).toBe(0);
    off();
    store.set(only('b', 1));
    expect(calls).toBe(2);
  });
});

describe('filters with boards, stars and order', () => {
  it('sends only what is set; the default order is left out, other orders are sent', () => {
    expect(toHistoryFilter(NO_FILTERS)).toEqual({});
    expect(toHistoryFilter({ ...NO_FILTERS, board: 'none', minRating: 3, sort: 'rating' })).toEqual({
      board: 'none',
      minRating: 3,
      sort: 'rating',
    });
    expect(isFiltered({ ...NO_FILTERS, sort: 'prompt' })).toBe(false);
    expect(isFiltered({ ...NO_FILTERS, minRating: 1 })).toBe(true);
    expect(clearedFilters({ ...NO_FILTERS, board: 'b', text: 'x', sort: 'oldest' })).toEqual({
      ...NO_FILTERS,
      sort: 'oldest',
    });
  });
});

describe('group headers', () => {
  it('groups by day for the date orders, by stars for rating, not at all by prompt', () => {
    expect(groupKind('newest')).toBe('day');
    expect(groupKind(undefined)).toBe('day');
    expect(groupKind('oldest')).toBe('day');
    expect(groupKind('rating')).toBe('rating');
    expect(groupKind('prompt')).toBeNull();
  });

  it('puts a header where a group begins in a row, looking at loaded entries only', () => {
    const day = (d: number, n: number) => entry(n, { createdAt: new Date(2025, 2, d, 12, 0, n).toISOString() });
    // Index: 0-2 on the 14th, 3-6 on the 13th, 7-9 on the 12th.
    const list = [14, 14, 14, 13, 13, 13, 13, 12, 12, 12].map((d, i) => day(d, i));
    const get = (i: number) => list[i];
    const cols = 4;
    expect(groupStarts(0, cols, list.length, get, 'day').map((g) => [g.col, g.key])).toEqual([
      [0, '2025-03-14'],
      [3, '2025-03-13'],
    ]);
    expect(groupStarts(4, cols, list.length, get, 'day').map((g) => [g.col, g.key])).toEqual([[3, '2025-03-12']]);
    expect(groupStarts(8, cols, list.length, get, 'day')).toEqual([]);
    expect(groupStarts(6, 4, list.length, get, 'day').map((g) => [g.index, g.key])).toEqual([[7, '2025-03-12']]);
    // The entry before a row not loaded: no header guessed.
    const holes = (i: number) => (i === 6 ? undefined : list[i]);
    expect(groupStarts(7, 3, list.length, holes, 'day')).toEqual([]);
    expect(groupStarts(0, 4, list.length, get, null)).toEqual([]);
    // By stars.
    const rated = [5, 5, 3, 0].map((r, i) => entry(i, r ? { rating: r } : {}));
    expect(groupStarts(0, 4, 4, (i) => rated[i], 'rating').map((g) => g.key)).toEqual(['5', '3', '0']);
  });

  it('names days as today, yesterday or a date, on this computer’s calendar', () => {
    expect(dayKey(new Date(2025, 0, 5, 23, 59).toISOString())).toBe('2025-01-05');
    expect(dayKey('not a date')).toBe('');
    const now = new Date(2025, 2, 12, 9);
    expect(dayLabelParts('2025-03-12', now).kind).toBe('today');
    expect(dayLabelParts('2025-03-11', now).kind).toBe('yesterday');
    expect(dayLabelParts('2025-03-01', now)).toEqual({ kind: 'date', date: new Date(2025, 2, 1) });
  });
});

describe('rating keys', () => {
  const k = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
    ratingFromKey({ key, ctrlKey: false, metaKey: false, altKey: false, ...mods });
  it('reads 0–5, and nothing else or with a modifier', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => k(String(n)))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(k('6')).toBeNull();
    expect(k('f')).toBeNull();
    expect(k('1', { ctrlKey: true })).toBeNull();
    expect(k('1', { metaKey: true })).toBeNull();
    expect(k('1', { altKey: true })).toBeNull();
  });
});

describe('compare', () => {
  it('marks the parameters that differ and counts them (the creation time never counts)', () => {
    const dev = entry(1, { prompt: 'a red fox in the snow' });
    const schnell = entry(2, {
      prompt: 'a red fox in the snow',
      model: 'flux-schnell',
      providerId: 'bfl-flux1-schnell',
      seed: 1,
      params: { ...dev.params, steps: 4, guidance: undefined, extras: { sampler: 'euler' } },
    });
    const rows = compareRows(dev, schnell);
    const differs = Object.fromEntries(rows.map((r) => [r.name ?? r.key, r.differs]));
    expect(differs).toMatchObject({
      prompt: false,
      model: true,
      provider: true,
      size: false,
      steps: true,
      guidance: true,
      seed: false,
      sampler: true,
      rating: false,
      created: false,
    });
    expect(rows.some((r) => r.key === 'negativePrompt')).toBe(false);
    expect(differenceCount(rows)).toBe(5);
    expect(differenceCount(compareRows(dev, dev))).toBe(0);
  });

  it('marks the words of each prompt that the other does not have', () => {
    const d = wordDiff('a red fox in the snow', 'a grey fox in deep snow');
    expect(d.a.filter((s) => s.changed).map((s) => s.text.trim())).toEqual(['red', 'the']);
    expect(d.b.filter((s) => s.changed).map((s) => s.text.trim())).toEqual(['grey', 'deep']);
    expect(d.a.map((s) => s.text).join('')).toBe('a red fox in the snow');
    expect(wordDiff('same', 'same')).toEqual({
      a: [{ text: 'same', changed: false }],
      b: [{ text: 'same', changed: false }],
    });
    expect(wordDiff('A Cat', 'a cat').a.every((s) => !s.changed)).toBe(true);
  });
});

describe('export file names', () => {
  const e = entry(7, {
    prompt: 'a red fox: in the snow, at dusk / with "stars"',
    seed: 42,
    createdAt: new Date(2025, 2, 12, 9, 5, 3).toISOString(),
    rating: 4,
  });
  it('fills the pattern the way the export names files', () => {
    expect(exampleName('{date}_{time}_{prompt}_{seed}', e, 0, 1, 'png')).toBe(
      '2025-03-12_09-05-03_a-red-fox-in-the-snow_42.png',
    );
    expect(exampleName('{index}-{prompt:2}-{rating}', e, 8, 120, 'jpeg')).toBe('009-a-red-4.jpg');
    expect(exampleName('{width}x{height} {model} {id}', e, 0, 1, 'webp')).toBe('512x512 flux-dev entry0007.webp');
    // A prompt of symbols only leaves no doubled separator.
    expect(exampleName('{date}_{prompt}_{seed}', { ...e, prompt: '!!! ???' }, 0, 1, 'png')).toBe('2025-03-12_42.png');
  });
  it('makes names safe everywhere', () => {
    expect(safeBaseName('a/b\\c:d*e?f"g<h>i|j')).toBe('a_b_c_d_e_f_g_h_i_j');
    expect(safeBaseName('trailing dots...  ')).toBe('trailing dots');
    expect(safeBaseName('.hidden')).toBe('hidden');
    expect(safeBaseName('CON')).toBe('_CON');
    expect(safeBaseName('')).toBe('image');
    expect(safeBaseName('я'.repeat(100))).toBe('я'.repeat(60));
  });
});

describe('compare: one zoom and pan for both images', () => {
  it('fits each image in the same pane, up or down, centred', () => {
    expect(fitRect(400, 300, 512, 512)).toEqual({ left: 50, top: 0, width: 300, height: 300 });
    expect(fitRect(400, 300, 1600, 600)).toEqual({ left: 0, top: 75, width: 400, height: 150 });
  });
  it('zooms around a point that stays put, in steps, and keeps the pane covered', () => {
    const v = zoomAt(FIT, 2, 100, 100, 400, 300);
    expect(v).toEqual({ scale: 2, x: -100, y: -100 });
    // The point under the cursor is the same image point before and after.
    expect((100 - v.x) / v.scale).toBe(100);
    expect(zoomAt(v, 0.5, 0, 0, 400, 300)).toEqual(FIT);
    expect(clampView({ scale: 2, x: 50, y: -1000 }, 400, 300)).toEqual({ scale: 2, x: 0, y: -300 });
    expect(stepZoom(1, 1)).toBe(1.5);
    expect(stepZoom(1.5, -1)).toBe(1);
    expect(stepZoom(16, 1)).toBe(16);
  });
});

describe('the export form', () => {
  it('becomes a request the contract accepts; paths must be full', () => {
    expect(isAbsolutePath('/home/me/out')).toBe(true);
    expect(isAbsolutePath('C:\\Users\\me')).toBe(true);
    expect(isAbsolutePath('\\\\server\\share')).toBe(true);
    expect(isAbsolutePath('out/here')).toBe(false);
    const req = toExportRequest(
      { ...DEFAULT_EXPORT_FORM, destKind: 'zip', path: ' /tmp/a.zip ', format: 'webp', quality: 70, csv: true },
      { kind: 'query', query: { board: 'board01' } },
      'ex123456',
    );
    const parsed = ExportRequestSchema.parse(req);
    expect(parsed.destination).toEqual({ kind: 'zip', file: '/tmp/a.zip', overwrite: false });
    expect(parsed.quality).toBe(70);
    expect(parsed.csv).toBe(true);
    expect(defaultZipName(new Date(2025, 0, 5))).toBe('flux-gallery-2025-01-05.zip');
  });
});
