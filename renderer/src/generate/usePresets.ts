/**
 * The saved presets and styles (`presets:list`), read when the panel opens and replaced by every
 * answer that changes them (save, delete, import). Null until read, or when they cannot be.
 */
import { useCallback, useEffect, useState } from 'react';
import type { PresetsState } from '../../../shared/queue';
import { api } from '../bridge';

export function usePresets(): {
  presets: PresetsState | null;
  setPresets: (s: PresetsState) => void;
  reload: () => void;
} {
  const [presets, setPresets] = useState<PresetsState | null>(null);
  const reload = useCallback(() => {
    api.invoke('presets:list', undefined).then(
      (s) => setPresets({ presets: s.presets, styles: s.styles }),
      () => {
        // The panel works without them: no style picker choices, no presets.
      },
    );
  }, []);
  useEffect(reload, [reload]);
  // Changed elsewhere meanwhile (the CLI, another window): read again when the window comes back.
  useEffect(() => {
    const onFocus = () => reload();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [reload]);
  const set = useCallback((s: PresetsState) => setPresets({ presets: s.presets, styles: s.styles }), []);
  return { presets, setPresets: set, reload };
}
