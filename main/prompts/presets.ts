/**
 * Presets (named sets of parameters) and styles (named prompt templates with `{prompt}`), issue 16.
 *
 * Kept in their own store, `presets.json` in the app's data folder, made by the same StoreFactory as
 * the settings (conf in Node, electron-store in the app): the same atomic writes and folder, but not
 * the settings file: saving a preset is not a settings change (no `settings:changed` to every
 * window, no rewrite of the file that holds the token), the settings service stays as it is, and the
 * CLI reads presets and styles from the data folder alone (`generate --preset --style`).
 *
 * Every record is checked when read (a hand-edited or newer file's bad ones are left out, logged);
 * a file that is not JSON is set aside (`presets.json.corrupt-<time>`), never fatal. Names are
 * matched without regard to case: saving "Portrait" replaces "portrait".
 */
import { readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { AppError } from '../../shared/errors';
import {
  MAX_PRESETS,
  MAX_STYLES,
  PresetSchema,
  PresetsFileSchema,
  StyleSchema,
  type Preset,
  type PresetsFile,
  type PresetsState,
  type Style,
} from '../../shared/queue';
import type { StoreFactory } from '../store';

export const PRESETS_STORE_NAME = 'presets';

interface StoredPresets extends Record<string, unknown> {
  /** Checked when read. */
  presets: unknown[];
  styles: unknown[];
}

export interface PresetStore {
  state(): PresetsState;
  /** By name (any case), or null. */
  preset(name: string): Preset | null;
  style(name: string): Style | null;
  savePreset(preset: Preset): PresetsState;
  deletePreset(name: string): PresetsState;
  saveStyle(style: Style): PresetsState;
  deleteStyle(name: string): PresetsState;
  /** The presets and styles as a file's JSON text (PresetsFileSchema). */
  exportJson(): string;
  /** Reads such a file: its presets and styles added, same names replaced. */
  importJson(json: string): PresetsState & { added: number; replaced: number };
  readonly path: string;
}

const key = (name: string) => name.trim().toLowerCase();
const byName = (a: { name: string }, b: { name: string }) =>
  a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.name.localeCompare(b.name);

/** "presets.2.steps: steps must be at most 50; styles.0.template: …" */
function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export function createPresetStore(opts: {
  storeFactory: StoreFactory;
  dataDir: string;
  now?: () => number;
  log?: (message: string, err?: unknown) => void;
}): PresetStore {
  const log = opts.log ?? (() => {});
  const now = opts.now ?? Date.now;
  const make = () =>
    opts.storeFactory<StoredPresets>({
      name: PRESETS_STORE_NAME,
      cwd: opts.dataDir,
      defaults: { presets: [], styles: [] },
    });
  const file = path.join(opts.dataDir, `${PRESETS_STORE_NAME}.json`);

  /** A file that cannot be parsed is moved aside, and a new one started. */
  const setAside = (err: unknown) => {
    const aside = `${file}.corrupt-${now()}`;
    try {
      renameSync(file, aside);
      log(`presets: ${file} could not be read; set aside as ${path.basename(aside)}`, err);
    } catch (renameErr) {
      log(`presets: ${file} could not be read nor set aside`, renameErr);
      throw new AppError('io', `The presets file ${file} cannot be read (${(err as Error).message}).`);
    }
  };
  let store: ReturnType<typeof make>;
  try {
    store = make();
  } catch (err) {
    setAside(err);
    store = make();
  }

  const read = <T extends { name: string }>(raw: unknown, schema: z.ZodType<T>, what: string): T[] => {
    if (!Array.isArray(raw)) return [];
    const out = new Map<string, T>();
    for (const x of raw) {
      const r = schema.safeParse(x);
      if (!r.success) log(`presets: a ${what} could not be read and is left out`, describe(r.error));
      else if (!out.has(key(r.data.name))) out.set(key(r.data.name), r.data);
    }
    return [...out.values()].sort(byName);
  };

  const current = (): PresetsState => {
    let s: StoredPresets;
    try {
      s = store.store;
    } catch (err) {
      // Broken since it was opened (another program wrote it): start anew, the old one kept aside.
      setAside(err);
      store = make();
      s = store.store;
    }
    return { presets: read(s.presets, PresetSchema, 'preset'), styles: read(s.styles, StyleSchema, 'style') };
  };

  const write = (next: PresetsState): PresetsState => {
    try {
      store.store = { presets: [...next.presets].sort(byName), styles: [...next.styles].sort(byName) };
    } catch (err) {
      throw new AppError('io', `The presets could not be saved (${(err as Error).message}).`, { cause: err });
    }
    return current();
  };

  const merge = <T extends { name: string }>(list: readonly T[], items: readonly T[]) => {
    const byKey = new Map(list.map((x) => [key(x.name), x]));
    let added = 0;
    let replaced = 0;
    for (const item of items) {
      if (byKey.has(key(item.name))) {
        replaced++;
        byKey.delete(key(item.name));
      } else added++;
      byKey.set(key(item.name), item);
    }
    return { list: [...byKey.values()], added, replaced };
  };

  const checkLimits = (s: PresetsState) => {
    if (s.presets.length > MAX_PRESETS) {
      throw new AppError(
        'invalid-argument',
        `That would make ${s.presets.length} presets; at most ${MAX_PRESETS} are kept: delete some first.`,
      );
    }
    if (s.styles.length > MAX_STYLES) {
      throw new AppError(
        'invalid-argument',
        `That would make ${s.styles.length} styles; at most ${MAX_STYLES} are kept: delete some first.`,
      );
    }
  };

  return {
    path: file,
    state: current,
    preset: (name) => findByName(current().presets, name),
    style: (name) => findByName(current().styles, name),
    savePreset(preset) {
      const s = current();
      const next = { ...s, presets: merge(s.presets, [PresetSchema.parse(preset)]).list };
      checkLimits(next);
      return write(next);
    },
    deletePreset(name) {
      const s = current();
      return write({ ...s, presets: s.presets.filter((p) => key(p.name) !== key(name)) });
    },
    saveStyle(style) {
      const s = current();
      const next = { ...s, styles: merge(s.styles, [StyleSchema.parse(style)]).list };
      checkLimits(next);
      return write(next);
    },
    deleteStyle(name) {
      const s = current();
      return write({ ...s, styles: s.styles.filter((x) => key(x.name) !== key(name)) });
    },
    exportJson() {
      const s = current();
      const out: PresetsFile = { app: 'flux-gallery', kind: 'presets', v: 1, presets: s.presets, styles: s.styles };
      return `${JSON.stringify(out, null, 2)}\n`;
    },
    importJson(json) {
      let raw: unknown;
      try {
        raw = JSON.parse(json);
      } catch (err) {
        throw new AppError('invalid-argument', `That file is not JSON: ${(err as Error).message}.`);
      }
      const parsed = PresetsFileSchema.safeParse(raw);
      if (!parsed.success) {
        const notOurs =
          !raw ||
          typeof raw !== 'object' ||
          (raw as Record<string, unknown>).app !== 'flux-gallery' ||
          (raw as Record<string, unknown>).kind !== 'presets';
        throw new AppError(
          'invalid-argument',
          notOurs
            ? 'That file is not a Flux Gallery presets file (it needs "app": "flux-gallery" and "kind": "presets").'
            : `That presets file cannot be imported: ${describe(parsed.error)}.`,
        );
      }
      const dupes = (list: readonly { name: string }[]) =>
        list.find((x, i) => list.findIndex((y) => key(y.name) === key(x.name)) !== i);
      const dupe = dupes(parsed.data.presets) ?? dupes(parsed.data.styles);
      if (dupe) throw new AppError('invalid-argument', `That presets file names "${dupe.name}" twice.`);
      const s = current();
      const p = merge(s.presets, parsed.data.presets);
      const st = merge(s.styles, parsed.data.styles);
      const next = { presets: p.list, styles: st.list };
      checkLimits(next);
      return { ...write(next), added: p.added + st.added, replaced: p.replaced + st.replaced };
    },
  };
}

/**
 * The presets and styles saved in a data folder, read without opening (so without writing) the
 * store: the CLI reads them before its core starts. None when there is no file or it cannot be read.
 */
export function readSavedPresets(dataDir: string): PresetsState {
  let raw: Partial<StoredPresets> = {};
  try {
    const json: unknown = JSON.parse(readFileSync(path.join(dataDir, `${PRESETS_STORE_NAME}.json`), 'utf8'));
    if (json && typeof json === 'object' && !Array.isArray(json)) raw = json as Partial<StoredPresets>;
  } catch {
    // No presets saved yet, or a file the app itself would set aside.
  }
  const read = <T extends { name: string }>(list: unknown, schema: z.ZodType<T>): T[] =>
    Array.isArray(list)
      ? list.flatMap((x) => {
          const r = schema.safeParse(x);
          return r.success ? [r.data] : [];
        })
      : [];
  return { presets: read(raw.presets, PresetSchema), styles: read(raw.styles, StyleSchema) };
}

/** A preset or style of a list by name, in any case. */
export function findByName<T extends { name: string }>(list: readonly T[], name: string): T | null {
  return list.find((x) => key(x.name) === key(name)) ?? null;
}
