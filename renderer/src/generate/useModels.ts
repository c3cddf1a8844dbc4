/** Models and providers from `models:list`, refreshed when settings change (Space URLs may move). */
import { useEffect, useState } from 'react';
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

export function useModels(): Models {
  const [models, setModels] = useState<Models>(FALLBACK);
  const load = () => {
    invokeEarly('models:list', undefined).then(setModels, () => {
      // Keep what we have: the panel still works with automatic provider choice.
    });
  };
  useEffect(load, []);
  useBridgeEvent('settings:changed', load);
  return models;
}
