/**
 * The panel's validator, loaded after the first screen: it brings zod (a third of the bundle),
 * which nothing on the first screen needs (errors show only once a field is touched).
 */
import { useEffect, useState } from 'react';
import { whenIdle } from '../ui/idle';

export type Validate = typeof import('./validate').validate;

let loaded: Validate | null = null;

export function loadValidate(): Promise<Validate> {
  return import('./validate').then((m) => (loaded = m.validate));
}

/** The validator, or null for the moment it is still loading. */
export function useValidate(): Validate | null {
  const [validate, setValidate] = useState<Validate | null>(() => loaded);
  useEffect(() => {
    if (validate) return;
    let live = true;
    const cancel = whenIdle(() =>
      loadValidate().then(
        (v) => live && setValidate(() => v),
        () => {}, // Submitting tries again, and reports a failure there.
      ),
    );
    return () => {
      live = false;
      cancel();
    };
  }, [validate]);
  return validate;
}
