/**
 * The first screen's queries, sent by the entry before React and the app's code load: their answers
 * travel while that code downloads, compiles and renders, instead of after it. The app asks for
 * them with `invokeEarly`, which hands each early answer out once and otherwise asks the bridge.
 * An event that could change an answer drops it before it is taken, so the app never starts stale.
 */
import type { EventChannel, InvokeArgs, InvokeChannel, InvokeResult } from '../../../shared/contract';
import { HISTORY_PAGE_SIZE } from '../gallery/page-size';
import { api } from './index';

interface Early {
  answer: Promise<unknown>;
  stopWatching: () => void;
}

const early = new Map<string, Early>();
const keyOf = (channel: InvokeChannel, args: unknown) => `${channel} ${JSON.stringify(args ?? null)}`;

function prefetch<C extends InvokeChannel>(channel: C, args: InvokeArgs<C>, staleOn: EventChannel[]): void {
  const key = keyOf(channel, args);
  const answer = api.invoke(channel, args);
  // A failure is the taker's to report; one never taken must not surface as unhandled.
  answer.catch(() => {});
  const offs = staleOn.map((event) => api.on(event, () => drop(key)));
  early.set(key, { answer, stopWatching: () => offs.forEach((off) => off()) });
}

function drop(key: string): Early | undefined {
  const entry = early.get(key);
  early.delete(key);
  entry?.stopWatching();
  return entry;
}

/** What the first screen asks for: settings (language, theme), models, the gallery's first page. */
export function prefetchFirstScreen(): void {
  prefetch('settings:get', undefined, ['settings:changed']);
  prefetch('models:list', undefined, ['settings:changed', 'providers:changed']);
  prefetch('history:query', { offset: 0, limit: HISTORY_PAGE_SIZE }, [
    'history:added',
    'history:removed',
    'history:updated',
    'history:bulkUpdated',
    'library:switched',
  ]);
}

/** `api.invoke`, answered by the early query with the same arguments if there is one. */
export function invokeEarly<C extends InvokeChannel>(channel: C, args: InvokeArgs<C>): Promise<InvokeResult<C>> {
  const taken = drop(keyOf(channel, args));
  return taken ? (taken.answer as Promise<InvokeResult<C>>) : api.invoke(channel, args);
}
