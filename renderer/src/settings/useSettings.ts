/** The public settings, kept current by `settings:changed`. */
import { useEffect, useState } from 'react';
import type { PublicSettings } from '../../../shared/settings';
import { invokeEarly } from '../bridge/early';
import { useBridgeEvent } from '../bridge/useBridgeEvent';
import { toInfo } from '../i18n/errors';
import type { ErrorInfo } from '../../../shared/errors';

export function useSettings(): { settings: PublicSettings | null; error: ErrorInfo | null } {
  const [settings, setSettings] = useState<PublicSettings | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  useEffect(() => {
    invokeEarly('settings:get', undefined).then(setSettings, (err: unknown) => setError(toInfo(err)));
  }, []);
  useBridgeEvent('settings:changed', setSettings);
  return { settings, error };
}
