/** Typed main → renderer events; transports (Electron windows, WebSocket clients) subscribe. */
import type { EventChannel, EventPayloads } from '../shared/contract';

export type EventListener = <E extends EventChannel>(channel: E, payload: EventPayloads[E]) => void;

export interface EventBus {
  emit<E extends EventChannel>(channel: E, payload: EventPayloads[E]): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventBus(onListenerError: (err: unknown) => void = () => {}): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(channel, payload) {
      for (const l of listeners) {
        try {
          l(channel, payload);
        } catch (err) {
          // One broken transport must not stop the others from hearing the event.
          onListenerError(err);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
