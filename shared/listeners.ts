/**
 * Listeners by channel, each called in isolation: one that throws never keeps the others from
 * hearing the event. The preload, the WebSocket bridge and the main side's event bus all use it.
 */
export interface ListenerRegistry<K, P> {
  /** Adds a listener; the returned function removes it. */
  add(key: K, listener: (payload: P) => void): () => void;
  /** Calls every listener of `key` (a snapshot: listeners added meanwhile wait for the next event). */
  emit(key: K, payload: P): void;
}

export function createListenerRegistry<K, P>(onListenerError: (err: unknown) => void): ListenerRegistry<K, P> {
  const byKey = new Map<K, Set<(payload: P) => void>>();
  return {
    add(key, listener) {
      const set = byKey.get(key) ?? new Set();
      byKey.set(key, set);
      // A wrapper per registration, so adding the same function twice needs two removals.
      const entry = (payload: P) => listener(payload);
      set.add(entry);
      return () => {
        set.delete(entry);
        if (set.size === 0 && byKey.get(key) === set) byKey.delete(key);
      };
    },
    emit(key, payload) {
      for (const listener of [...(byKey.get(key) ?? [])]) {
        try {
          listener(payload);
        } catch (err) {
          onListenerError(err);
        }
      }
    },
  };
}

/** In a page: report a listener's error without breaking the caller (it shows in the console). */
export const reportAsync = (err: unknown): void =>
  queueMicrotask(() => {
    throw err;
  });
