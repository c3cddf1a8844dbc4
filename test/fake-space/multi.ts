/** Three fake Spaces at once, one server per provider, sharing nothing but the options' defaults. */
import { PROVIDER_IDS, type ProviderId } from '../../shared/params';
import { startFakeSpace } from './server';
import type { FakeSpace, FakeSpaceOptions } from './types';

export interface FakeSpaces {
  spaces: Record<ProviderId, FakeSpace>;
  /** Pass as the registry's / settings' `providerUrls`. */
  providerUrls: Record<ProviderId, string>;
  /** The Dev Space's server, which also serves the ZeroGPU page and jwt endpoint. */
  hfUrl: string;
  close(): Promise<void>;
}

/** `common` applies to every Space; `per[id]` is merged over it for that provider. */
export async function startFakeSpaces(
  common: FakeSpaceOptions = {},
  per: Partial<Record<ProviderId, FakeSpaceOptions>> = {},
): Promise<FakeSpaces> {
  const started = await Promise.all(
    PROVIDER_IDS.map((id) => {
      const own = per[id] ?? {};
      return startFakeSpace({
        ...common,
        ...own,
        timing: { ...common.timing, ...own.timing },
        ...(common.zeroGpu || own.zeroGpu ? { zeroGpu: { ...common.zeroGpu, ...own.zeroGpu } } : {}),
      });
    }),
  );
  const spaces = Object.fromEntries(PROVIDER_IDS.map((id, i) => [id, started[i]!])) as Record<ProviderId, FakeSpace>;
  return {
    spaces,
    providerUrls: Object.fromEntries(PROVIDER_IDS.map((id) => [id, spaces[id].url])) as Record<ProviderId, string>,
    hfUrl: spaces['bfl-flux1-dev'].url,
    close: async () => void (await Promise.all(started.map((s) => s.close()))),
  };
}
