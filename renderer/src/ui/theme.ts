/** Follows the theme setting (and the system's, for 'system'); remembers it for the next start. */
import { useEffect } from 'react';
import type { Theme } from '../../../shared/settings';
import { applyTheme, darkQuery, THEME_STORAGE_KEY } from './theme-apply';

export function useTheme(theme: Theme | undefined): void {
  useEffect(() => {
    if (!theme) return;
    localStorage.setItem(THEME_STORAGE_KEY, theme);
    applyTheme(theme);
    if (theme !== 'system') return;
    const mq = darkQuery();
    const onChange = () => applyTheme('system');
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, [theme]);
}
