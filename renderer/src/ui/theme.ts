/** Applies the theme as `data-theme` on <html>; CSS variables do the rest. */
import { useEffect } from 'react';
import type { Theme } from '../../../shared/settings';

const STORAGE_KEY = 'flux-gallery.theme';
const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');

function apply(theme: Theme): void {
  const resolved = theme === 'system' ? (darkQuery().matches ? 'dark' : 'light') : theme;
  document.documentElement.dataset.theme = resolved;
  document.documentElement.style.colorScheme = resolved;
}

/** Before the first render, from the last known choice, so the window does not flash the wrong theme. */
export function applyStoredTheme(): void {
  const stored = localStorage.getItem(STORAGE_KEY);
  apply(stored === 'dark' || stored === 'light' ? stored : 'system');
}

export function useTheme(theme: Theme | undefined): void {
  useEffect(() => {
    if (!theme) return;
    localStorage.setItem(STORAGE_KEY, theme);
    apply(theme);
    if (theme !== 'system') return;
    const mq = darkQuery();
    const onChange = () => apply('system');
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, [theme]);
}
