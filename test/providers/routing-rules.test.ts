/**
 * Routing beyond the three Spaces: the user's order per alias, the user's Spaces after the built-in
 * ones, Inference Providers only where the user opted in and always after every free Space, and a
 * pinned provider that serves no alias.
 */
import { describe, expect, it } from 'vitest';
import { candidatesFor, listModels, routeOrder, PROVIDERS } from '../../main/providers/registry';
import { createFailureMemory } from '../../main/providers/failure-memory';
import type { Provider } from '../../main/providers/types';
import { GenerationParamsSchema, type ModelAlias, type ProviderId } from '../../shared/params';

/** Only what routing reads: id, kind, label, aliases. */
const provider = (id: ProviderId, kind: Provider['kind'], aliases: ModelAlias[]): Provider =>
  ({ id, kind, label: id, aliases }) as unknown as Provider;

const mine = provider('space:me/sdxl-flux', 'space', ['flux', 'flux-schnell']);
const pinnedOnly = provider('space:me/anime', 'space', []);
const paidDev = provider('hf-inference:black-forest-labs/FLUX.1-dev', 'inference', ['flux-dev', 'flux']);
const paidSchnell = provider('hf-inference:black-forest-labs/FLUX.1-schnell', 'inference', ['flux-schnell', 'flux']);
const ALL = [...PROVIDERS, mine, pinnedOnly, paidDev, paidSchnell];
const ids = (list: readonly { id: string }[]) => list.map((p) => p.id);
const params = (p: Record<string, unknown>) => GenerationParamsSchema.parse({ prompt: 'a fox', ...p });

describe('routing rules', () => {
  it("default: built-in Spaces, then the user's; Inference Providers not at all", () => {
    expect(ids(routeOrder('flux', ALL))).toEqual([
      'bfl-flux1-dev',
      'bfl-flux1-schnell',
      'voodoohop-flux1-schnell',
      'space:me/sdxl-flux',
    ]);
    expect(ids(routeOrder('flux-dev', ALL))).toEqual(['bfl-flux1-dev']);
  });

  it('opted in per alias: Inference Providers after every free Space, for that alias only', () => {
    const routing = { inferenceAliases: ['flux-dev'] as ModelAlias[] };
    expect(ids(routeOrder('flux-dev', ALL, routing))).toEqual(['bfl-flux1-dev', paidDev.id]);
    expect(ids(routeOrder('flux-schnell', ALL, routing))).not.toContain(paidSchnell.id);
    // Even listed first in the user's order, a paid provider waits for the free ones.
    const first = { inferenceAliases: ['flux'] as ModelAlias[], aliasOrder: { flux: [paidSchnell.id, mine.id] } };
    expect(ids(routeOrder('flux', ALL, first))).toEqual([
      mine.id,
      'bfl-flux1-dev',
      'bfl-flux1-schnell',
      'voodoohop-flux1-schnell',
      paidSchnell.id,
      paidDev.id,
    ]);
  });

  it("the user's order per alias comes first; unlisted providers follow in the default order", () => {
    const routing = { aliasOrder: { 'flux-schnell': ['voodoohop-flux1-schnell', mine.id] as ProviderId[] } };
    expect(ids(routeOrder('flux-schnell', ALL, routing))).toEqual([
      'voodoohop-flux1-schnell',
      mine.id,
      'bfl-flux1-schnell',
    ]);
    // An id no longer there (a removed Space) is ignored.
    const stale = { aliasOrder: { flux: ['space:gone/away', 'bfl-flux1-schnell'] as ProviderId[] } };
    expect(ids(routeOrder('flux', ALL, stale))[0]).toBe('bfl-flux1-schnell');
    expect(listModels(ALL, routing).find((m) => m.alias === 'flux-schnell')!.providers).toEqual(
      ids(routeOrder('flux-schnell', ALL, routing)),
    );
  });

  it('a failure moves a free Space behind the other free ones, never behind a paid provider', () => {
    const failures = createFailureMemory();
    failures.recordFailure('bfl-flux1-dev');
    const got = candidatesFor(params({ model: 'flux-dev' }), failures, ALL, undefined, {
      inferenceAliases: ['flux-dev'],
    });
    expect(ids(got)).toEqual(['bfl-flux1-dev', paidDev.id]);
  });

  it('a pinned provider: one in no alias runs for any alias; one in aliases must serve the model', () => {
    const failures = createFailureMemory();
    expect(ids(candidatesFor(params({ provider: pinnedOnly.id, model: 'flux-dev' }), failures, ALL))).toEqual([
      pinnedOnly.id,
    ]);
    // Pinned, a paid provider runs without the opt-in (the user named it).
    expect(ids(candidatesFor(params({ provider: paidDev.id, model: 'flux-dev' }), failures, ALL))).toEqual([
      paidDev.id,
    ]);
    expect(() => candidatesFor(params({ provider: mine.id, model: 'flux-dev' }), failures, ALL)).toThrow(
      /does not serve the model "flux-dev"/,
    );
    expect(() => candidatesFor(params({ provider: 'space:nobody/here' }), failures, ALL)).toThrow(
      /Unknown provider "space:nobody\/here"/,
    );
  });

  it('provider ids: built-in, space:owner/name and hf-inference:owner/model; nothing else', () => {
    for (const ok of ['bfl-flux1-dev', 'space:me/sdxl-flux', 'hf-inference:black-forest-labs/FLUX.1-dev']) {
      expect(GenerationParamsSchema.safeParse({ prompt: 'x', provider: ok }).success, ok).toBe(true);
    }
    for (const bad of ['space:', 'space:me', 'space:me/../x', 'hf-inference:a b/c', 'other:me/x', 'space:/x', 7]) {
      expect(GenerationParamsSchema.safeParse({ prompt: 'x', provider: bad }).success, String(bad)).toBe(false);
    }
  });
});
