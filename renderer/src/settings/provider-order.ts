/**
 * The order automatic routing tries the free Spaces in, per model alias, as Settings edits it: the
 * user's order first, then the others serving the alias in the list's order (built-in Spaces, then
 * the user's), as main/providers/registry.ts `routeOrder` does. Inference Providers always come
 * after every free Space (and only where the user allowed them), so they are not ordered here.
 */
import type { ProviderInfo } from '../../../shared/contract';
import type { ModelAlias, ProviderId } from '../../../shared/constants';
import { kindOf } from '../generate/providers';

export type AliasOrder = Partial<Record<ModelAlias, ProviderId[]>>;

/** The free Spaces serving `alias`, in the order routing tries them under `order`. */
export function orderedFor(
  alias: ModelAlias,
  providers: readonly ProviderInfo[],
  order: readonly ProviderId[] | undefined,
): ProviderInfo[] {
  const serving = providers.filter((p) => kindOf(p) !== 'inference' && p.aliases.includes(alias));
  const wanted = order ?? [];
  const rank = (p: ProviderInfo) => {
    const i = wanted.indexOf(p.id);
    return i === -1 ? wanted.length + serving.indexOf(p) : i;
  };
  return [...serving].sort((a, b) => rank(a) - rank(b));
}

/**
 * The order after moving `id` by `delta` places: the whole list of ids, or [] when that is the
 * default order again (nothing to keep).
 */
export function moved(
  alias: ModelAlias,
  providers: readonly ProviderInfo[],
  order: readonly ProviderId[] | undefined,
  id: ProviderId,
  delta: -1 | 1,
): ProviderId[] {
  const ids = orderedFor(alias, providers, order).map((p) => p.id);
  const from = ids.indexOf(id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= ids.length) return [...(order ?? [])];
  [ids[from], ids[to]] = [ids[to]!, ids[from]!];
  const byDefault = orderedFor(alias, providers, []).map((p) => p.id);
  return ids.join('\n') === byDefault.join('\n') ? [] : ids;
}

/** Whether the alias's order is the user's own (not the default). */
export function isCustomOrder(
  alias: ModelAlias,
  providers: readonly ProviderInfo[],
  order: readonly ProviderId[] | undefined,
): boolean {
  const ids = orderedFor(alias, providers, order).map((p) => p.id);
  return (
    ids.join('\n') !==
    orderedFor(alias, providers, [])
      .map((p) => p.id)
      .join('\n')
  );
}

/** The aliases whose order changed from the saved one ([] restores the default order). */
export function orderPatch(draft: AliasOrder, saved: AliasOrder): AliasOrder | null {
  const out: AliasOrder = {};
  for (const alias of Object.keys(draft) as ModelAlias[]) {
    const next = draft[alias] ?? [];
    const before = saved[alias] ?? [];
    if (next.join('\n') !== before.join('\n')) out[alias] = [...next];
  }
  return Object.keys(out).length > 0 ? out : null;
}
