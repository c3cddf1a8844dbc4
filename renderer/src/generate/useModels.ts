/**
 * Models and providers from `models:list`, refreshed when settings change (Space URLs may move)
 * and kept live by `providers:changed` (a Space's state, or the size limits its `/config` gave).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ModelInfo, ProviderInfo } from '../../../shared/contract';
import { MODEL_ALIASES } from '../../../shared/constants';
import { invokeEarly } from '../bridge/early';
import { useBridgeEvent } from '../bridge/useBridgeEvent';

export interface Models {
  models: ModelInfo[];
  providers: ProviderInfo[];
}

/** Until the list arrives (or if it cannot), the aliases alone still let the user generate. */
const FALLBACK: Models = { models: MODEL_ALIASES.map((alias) => ({ alias, providers: [] })), providers: [] };

/** The providers replaced by newer ones (a whole list, or one provider's info). */
export type UpdateProviders = (next: ProviderInfo[]) => void;

export function useModels(): { models: Models; updateProviders: UpdateProviders } {
  const [models, setModels] = useState<Models>(FALLBACK);
  // Counts provider updates: a `models:list` answer asked for before one is older than it.
  const updates = useRef(0);

  const updateProviders = useCallback<UpdateProviders>((next) => {
    updates.current++;
    setModels((m) => {
      const byId = new Map(next.map((p) => [p.id, p]));
      const known = new Set(m.providers.map((p) => p.id));
      return {
        ...m,
        providers: [...m.providers.map((p) => byId.get(p.id) ?? p), ...next.filter((p) => !known.has(p.id))],
      };
    });
  }, []);

  const load = () => {
    const asked = updates.current;
    invokeEarly('models:list', undefined).then(
      (answer) =>
        // Keep provider states that arrived meanwhile; take the rest (aliases, URLs) from the answer.
        setModels(
          updates.current === asked
            ? answer
            : (m) => ({ ...answer, providers: mergeNewer(answer.providers, m.providers) }),
        ),
      () => {
        // Keep what we have: the panel still works with automatic provider choice.
      },
    );
  };
  useEffect(load, []);
  useBridgeEvent('settings:changed', load);
  useBridgeEvent('providers:changed', ({ providers }) => updateProviders(providers));
  return { models, updateProviders };
}

/** The answer's providers, with state and limits from `live` where those were read later. */
function mergeNewer(answer: ProviderInfo[], live: ProviderInfo[]): ProviderInfo[] {
  return answer.map((p) => {
    const l = live.find((x) => x.id === p.id);
    if (!l || (l.state.checkedAt ?? 0) < (p.state.checkedAt ?? 0)) return p;
    return { ...p, state: l.state, sizeLimits: l.sizeLimits, protocol: l.protocol };
  });
}
