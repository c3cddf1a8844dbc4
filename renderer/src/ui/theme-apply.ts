/** Applies the theme as `data-theme` on <html>; CSS variables do the rest. No React: the entry runs it. */
import type { Theme } from '../../../shared/settings';

export const THEME_STORAGE_KEY = 'flux-gallery.theme';
export const darkQuery = (): MediaQueryList => window.matchMedia('(prefers-color-scheme: dark)');

export function applyTheme(theme: Theme): void {
  const resolved = theme === 'system' ? (darkQuery().matches ? 'dark' : 'light') : theme;
  document.documentElement.dataset.theme = resolved;
  document.documentElement.style.colorScheme = resolved;
}

/** Before the app's code loads, from the last known choice, so the window does not flash the wrong theme. */
export function applyStoredTheme(): void {
  const stored = localStorage.getItem(THEME_STORAGE_KEY);
  applyTheme(stored === 'dark' || stored === 'light' ? stored : 'system');
}
