/** User settings: what the renderer sees and what it may change. */
import { z } from 'zod';
import { LANGUAGES, PROVIDER_IDS, THEMES, type Language, type ProviderId, type Theme } from './constants';

export { LANGUAGES, THEMES, type Language, type Theme } from './constants';

const httpUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

/**
 * What Hugging Face said of the saved token when it was saved (`/api/whoami-v2`): whose it is, or
 * that it could not be asked (offline, a mirror without that API). A refused token is not saved.
 */
export type HfTokenCheck =
  { state: 'valid'; name: string; checkedAt: number } | { state: 'unchecked'; reason: string; checkedAt: number };

/** The settings as the renderer sees them: the HF token itself never leaves the main process. */
export interface PublicSettings {
  libraryDir: string;
  hasHfToken: boolean;
  /** null when no token is set, or it was set before tokens were checked. */
  hfTokenCheck: HfTokenCheck | null;
  /** Per-provider base URL overrides (users duplicate Spaces to their own accounts). */
  providerUrls: Partial<Record<ProviderId, string>>;
  /** Hugging Face site URL used for ZeroGPU tokens (override for mirrors and tests). */
  hfUrl: string | null;
  proxy: string | null;
  theme: Theme;
  language: Language;
  /** Jobs at once per Space. */
  concurrencyPerProvider: number;
}

export const SettingsPatchSchema = z.strictObject({
  /** Absolute path; the main process checks it is a writable folder. */
  libraryDir: z.string().trim().min(1).max(4096).optional(),
  /** null clears it. */
  hfToken: z.string().trim().max(512).regex(/^\S*$/, 'token must not contain spaces').nullable().optional(),
  providerUrls: z.partialRecord(z.enum(PROVIDER_IDS), httpUrl.nullable()).optional(),
  hfUrl: httpUrl.nullable().optional(),
  proxy: httpUrl.nullable().optional(),
  theme: z.enum(THEMES).optional(),
  language: z.enum(LANGUAGES).optional(),
  concurrencyPerProvider: z.number().int().min(1).max(4).optional(),
});
export type SettingsPatch = z.output<typeof SettingsPatchSchema>;
