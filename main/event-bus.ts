/** Typed main → renderer events; transports (Electron windows, WebSocket clients) subscribe. */
import type { EventChannel, EventPayloads } from '../shared/contract';
import { createListenerRegistry } from '../shared/listeners';

export type EventListener = <E extends EventChannel>(channel: E, payload: EventPayloads[E]) => void;

export interface EventBus {
  emit<E extends EventChannel>(channel: E, payload: EventPayloads[E]): void;
  subscribe(listener: EventListener): () => void;
}

type Delivery = { channel: EventChannel; payload: unknown };

export function createEventBus(onListenerError: (err: unknown) => void = () => {}): EventBus {
  // One broken transport must not stop the others from hearing the event.
  const listeners = createListenerRegistry<'all', Delivery>(onListenerError);
  return {
    emit(channel, payload) {
      listeners.emit('all', { channel, payload });
    },
    subscribe(listener) {
      return listeners.add('all', (d) => (listener as (c: EventChannel, p: unknown) => void)(d.channel, d.payload));
    },
  };
}
