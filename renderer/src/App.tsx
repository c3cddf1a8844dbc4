import { useEffect, useMemo } from 'react';
import { AppShell } from './app/AppShell';
import { createI18n, I18nContext } from './i18n/i18n';
import { useSettings } from './settings/useSettings';
import { useTheme } from './ui/theme';
import { ToastProvider } from './ui/ToastProvider';

/** Settings decide language and theme for everything below. */
export function App() {
  const { settings, error } = useSettings();
  const language = settings?.language ?? 'en';
  const i18n = useMemo(() => createI18n(language), [language]);
  useTheme(settings?.theme);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  return (
    <I18nContext value={i18n}>
      <ToastProvider>
        <AppShell settings={settings} settingsError={error} />
      </ToastProvider>
    </I18nContext>
  );
}
