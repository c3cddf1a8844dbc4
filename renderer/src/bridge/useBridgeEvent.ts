/** Subscribes a component to one main → renderer event for as long as it is mounted. */
import { useEffect, useEffectEvent } from 'react';
import type { EventChannel, EventPayloads } from '../../../shared/contract';
import { api } from './index';

export function useBridgeEvent<E extends EventChannel>(event: E, handler: (payload: EventPayloads[E]) => void): void {
  // The latest handler runs without resubscribing on every render.
  const onEvent = useEffectEvent(handler);
  useEffect(() => {
    const off = api.on(event, (payload) => onEvent(payload));
    return () => void off();
  }, [event]);
}
