/** The library's boards with their counts: listed once, then kept current by `boards:changed`. */
import { useCallback, useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { BoardsState } from '../../../shared/organise';
import { api } from '../bridge';
import { useBridgeEvent } from '../bridge/useBridgeEvent';
import { toInfo } from '../i18n/errors';

export interface Boards {
  state: BoardsState | null;
  error: ErrorInfo | null;
  reload(): void;
}

export function useBoards(): Boards {
  const [state, setState] = useState<BoardsState | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const reload = useCallback(() => {
    api.invoke('boards:list', undefined).then(
      (s) => {
        setState(s);
        setError(null);
      },
      (err: unknown) => setError(toInfo(err)),
    );
  }, []);
  useEffect(reload, [reload]);
  useBridgeEvent('boards:changed', (s) => {
    setState(s);
    setError(null);
  });
  // Another library's boards, or the library back from being unavailable.
  useBridgeEvent('library:switched', reload);
  useBridgeEvent('library:statusChanged', (s) => {
    if (s.state === 'ready') reload();
  });
  return { state, error, reload };
}

export const boardName = (state: BoardsState | null, id: string): string | undefined =>
  state?.boards.find((b) => b.id === id)?.name;
