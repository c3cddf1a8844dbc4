/** Shared bits of the provider tests. */
import { AppError } from '../../shared/errors';
import type { ProviderEvent } from '../../shared/events';
import { GenerationParamsSchema, type GenerationParams, type GenerationParamsInput } from '../../shared/params';
import { createSpaceConfigCache } from '../../main/providers/gradio/config';
import { createSpaceStates } from '../../main/providers/space-states';
import type { ProviderContext } from '../../main/providers/types';

export const params = (p: Partial<GenerationParamsInput> = {}): GenerationParams =>
  GenerationParamsSchema.parse({ prompt: 'a red fox', ...p });

export const ctx = (baseUrl: string, c: Partial<ProviderContext> = {}): ProviderContext => ({
  baseUrl,
  hfUrl: baseUrl,
  hfToken: null,
  signal: new AbortController().signal,
  idleTimeoutMs: 2000,
  progressTimeoutMs: 5000,
  // Each context its own: a test's Space config and state say nothing about another's.
  configs: createSpaceConfigCache(),
  spaces: createSpaceStates({ pollMs: 20, wakeTimeoutMs: 2000 }),
  busyRetryDelaysMs: [10, 20],
  ...c,
  // The fakes are local, so the router would let the token go to both; a test may say otherwise.
  spaceToken: c.spaceToken !== undefined ? c.spaceToken : (c.hfToken ?? null),
});

/** Runs a generator to its end: the events seen, and the AppError it threw (if any). */
export async function collect<E>(gen: AsyncIterable<E>): Promise<{ events: E[]; error: AppError | null }> {
  const events: E[] = [];
  try {
    for await (const ev of gen) events.push(ev);
    return { events, error: null };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { events, error: err };
  }
}

export const types = (events: readonly ProviderEvent[]) => events.map((e) => e.type);
