/**
 * Three fake Spaces at once, one server per provider, sharing one hub (so any of them answers
 * `GET /api/spaces/{id}` for all three) and nothing else but the options' defaults.
 */
import { PROVIDER_IDS, type BuiltinProviderId as ProviderId } from '../../shared/params';
import { createFakeHub, type FakeHub } from './hub';
import type { Layout } from './layout';
import { startFakeSpace } from './server';
import type { FakeSpace, FakeSpaceOptions } from './types';

export interface FakeSpaces {
  spaces: Record<ProviderId, FakeSpace>;
  /** Pass as the registry's / settings' `providerUrls`. */
  providerUrls: Record<ProviderId, string>;
  /** The Dev Space's server, which also serves the ZeroGPU page, the jwt endpoint and the hub. */
  hfUrl: string;
  /** The Spaces' shared hub (stages of all three). */
  hub: FakeHub;
  close(): Promise<void>;
}

/** Each provider's Space: its layout and its id on the hub (announced as `space_id` in /config). */
export const PROVIDER_SPACES: Record<ProviderId, { layout: Layout; spaceId: string }> = {
  'bfl-flux1-dev': { layout: 'dev', spaceId: 'black-forest-labs/FLUX.1-dev' },
  'bfl-flux1-schnell': { layout: 'schnell', spaceId: 'black-forest-labs/FLUX.1-schnell' },
  'voodoohop-flux1-schnell': { layout: 'schnell', spaceId: 'voodoohop/FLUX.1-schnell' },
};

/** `common` applies to every Space; `per[id]` is merged over it for that provider. */
export async function startFakeSpaces(
  common: FakeSpaceOptions = {},
  per: Partial<Record<ProviderId, FakeSpaceOptions>> = {},
): Promise<FakeSpaces> {
  const hub = common.hub ?? createFakeHub();
  const started = await Promise.all(
    PROVIDER_IDS.map((id) => {
      const own = per[id] ?? {};
      return startFakeSpace({
        ...PROVIDER_SPACES[id],
        hub,
        ...common,
        ...own,
        timing: { ...common.timing, ...own.timing },
        ...(common.zeroGpu || own.zeroGpu ? { zeroGpu: { ...common.zeroGpu, ...own.zeroGpu } } : {}),
        ...(common.sliders || own.sliders ? { sliders: { ...common.sliders, ...own.sliders } } : {}),
      });
    }),
  );
  const spaces = Object.fromEntries(PROVIDER_IDS.map((id, i) => [id, started[i]!])) as Record<ProviderId, FakeSpace>;
  return {
    spaces,
    providerUrls: Object.fromEntries(PROVIDER_IDS.map((id) => [id, spaces[id].url])) as Record<ProviderId, string>,
    hfUrl: spaces['bfl-flux1-dev'].url,
    hub,
    close: async () => {
      await Promise.all(started.map((s) => s.close()));
      if (!common.hub) hub.dispose();
    },
  };
}
