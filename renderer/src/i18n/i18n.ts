/** Translation functions for one language, and the React context that carries them. */
import { createContext, useContext } from 'react';
import type { Language } from '../../../shared/settings';
import { en } from './en';
import { ru } from './ru';
import type { Dictionary, MessageKey, PluralKey, Vars } from './types';

const DICTIONARIES: Record<Language, Dictionary> = { en, ru };

export interface I18n {
  language: Language;
  t(key: MessageKey, vars?: Vars): string;
  /** Plural message; `{n}` is filled with the formatted count. */
  tn(key: PluralKey, n: number, vars?: Vars): string;
  formatNumber(n: number): string;
  formatDateTime(iso: string): string;
  /** A moment (ms since epoch): the time of day with seconds, and the date too when not today. */
  formatTime(ms: number): string;
  /** Short human duration: "12 s", "2 min 5 s", "1 min", "1 h 5 min". */
  formatDuration(ms: number): string;
  formatBytes(bytes: number): string;
}

const fill = (text: string, vars?: Vars) =>
  vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;

const cache = new Map<Language, I18n>();

/** One per language, made on first use: Intl formatters are slow to create (the first loads ICU data). */
export function createI18n(language: Language): I18n {
  let i18n = cache.get(language);
  if (!i18n) {
    i18n = build(language);
    cache.set(language, i18n);
  }
  return i18n;
}

/** `make()` on the first call, then the same value. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

function build(language: Language): I18n {
  const dict = DICTIONARIES[language];
  const plural = once(() => new Intl.PluralRules(language));
  const number = once(() => new Intl.NumberFormat(language));
  // Only the lightbox shows dates.
  const dateTime = once(() => new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }));
  const time = once(() => new Intl.DateTimeFormat(language, { timeStyle: 'medium' }));
  const dayTime = once(() => new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'medium' }));
  const i18n: I18n = {
    language,
    t: (key, vars) => fill(dict[key], vars),
    tn: (key, n, vars) => {
      const forms = dict[key];
      return fill(forms[plural().select(n)] ?? forms.other, { ...vars, n: number().format(n) });
    },
    formatNumber: (n) => number().format(n),
    formatDateTime: (iso) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : dateTime().format(d);
    },
    formatTime: (ms) => {
      const d = new Date(ms);
      if (Number.isNaN(d.getTime())) return '';
      return (d.toDateString() === new Date().toDateString() ? time() : dayTime()).format(d);
    },
    formatDuration: (ms) => {
      const total = Math.max(0, Math.round(ms / 1000));
      if (total < 60) return i18n.t('misc.seconds', { n: total });
      if (total < 3600) {
        const [m, s] = [Math.floor(total / 60), total % 60];
        return s === 0 ? i18n.t('misc.minutesOnly', { m }) : i18n.t('misc.minutes', { m, s });
      }
      const [h, m] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60)];
      return m === 0 ? i18n.t('misc.hoursOnly', { h }) : i18n.t('misc.hours', { h, m });
    },
    formatBytes: (bytes) => {
      const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
      let v = bytes;
      let u = 0;
      while (v >= 1024 && u < units.length - 1) {
        v /= 1024;
        u++;
      }
      // Intl spells the unit the language's way ("20.1 kB", "20,1 КБ").
      return new Intl.NumberFormat(language, {
        style: 'unit',
        unit: units[u],
        unitDisplay: 'short',
        maximumFractionDigits: u === 0 ? 0 : 1,
      }).format(v);
    },
  };
  return i18n;
}

export const I18nContext = createContext<I18n>(createI18n('en'));

export const useI18n = (): I18n => useContext(I18nContext);
