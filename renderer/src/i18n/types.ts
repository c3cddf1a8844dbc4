/** Dictionary shapes: English defines the keys, every other language must provide all of them. */
import type { en } from './en';

/** Plural forms by Intl.PluralRules category; `other` is always required. */
export interface PluralForms {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

export type MessageKey = { [K in keyof typeof en]: (typeof en)[K] extends string ? K : never }[keyof typeof en];
export type PluralKey = { [K in keyof typeof en]: (typeof en)[K] extends string ? never : K }[keyof typeof en];

export type Dictionary = { [K in MessageKey]: string } & { [K in PluralKey]: PluralForms };

/** `{name}` placeholders are filled from this. */
export type Vars = Record<string, string | number>;
