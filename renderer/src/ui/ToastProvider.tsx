import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useI18n } from '../i18n/i18n';
import { Icon } from './Icon';
import { ToastContext, type ToastInput, type Toasts } from './toast-context';
import './toasts.css';

interface Toast extends ToastInput {
  id: number;
}

/** Owns the toast list; the region lives outside #root so it stays usable while a modal makes #root inert. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, number>());
  const regionRef = useRef<HTMLElement>(null);
  /** The last element focused outside the toasts: where focus returns when a toast's button goes away. */
  const lastOutside = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const onFocusIn = (e: FocusEvent) => {
      if (e.target instanceof HTMLElement && !regionRef.current?.contains(e.target)) lastOutside.current = e.target;
    };
    document.addEventListener('focusin', onFocusIn);
    return () => document.removeEventListener('focusin', onFocusIn);
  }, []);

  /**
   * A toast's button was pressed and its toast is going away: focus goes back where it was before
   * (the viewer's Delete button after Undo), else to the topmost dialog, never to <body>.
   */
  const returnFocus = useCallback(() => {
    if (!regionRef.current?.contains(document.activeElement)) return;
    const back = lastOutside.current;
    window.setTimeout(() => {
      const active = document.activeElement;
      if (active && active !== document.body && active.isConnected) return;
      const dialogs = document.querySelectorAll<HTMLElement>('[role="dialog"]');
      const target = back?.isConnected && !back.closest('[inert]') ? back : dialogs[dialogs.length - 1];
      target?.focus();
    }, 0);
  }, []);

  const dismiss = useCallback(
    (id: number) => {
      window.clearTimeout(timers.current.get(id));
      timers.current.delete(id);
      // Pressed, or timed out while focused: either way its buttons are about to go.
      if (document.activeElement?.closest(`[data-toast-id="${id}"]`)) returnFocus();
      setToasts((list) => list.filter((x) => x.id !== id));
    },
    [returnFocus],
  );

  const show = useCallback(
    (toast: ToastInput) => {
      const id = nextId.current++;
      // Newest last; at most four on screen.
      setToasts((list) => [...list.slice(-3), { ...toast, id }]);
      const ms = toast.durationMs ?? (toast.action ? 10_000 : 5_000);
      timers.current.set(
        id,
        window.setTimeout(() => dismiss(id), ms),
      );
      return id;
    },
    [dismiss],
  );

  const value = useMemo<Toasts>(() => ({ show, dismiss }), [show, dismiss]);

  return (
    <ToastContext value={value}>
      {children}
      {createPortal(
        <section className="toasts" aria-label={t('misc.notifications')} ref={regionRef}>
          <ol role="status" aria-live="polite">
            {toasts.map((toast) => (
              <li
                key={toast.id}
                className={`toast toast--${toast.tone ?? 'info'}`}
                data-testid="toast"
                data-toast-id={toast.id}
              >
                <span className="toast__message">{toast.message}</span>
                {toast.action && (
                  <button
                    type="button"
                    className="btn btn--small btn--accent"
                    onClick={() => {
                      dismiss(toast.id);
                      toast.action?.run();
                    }}
                  >
                    {toast.action.label}
                  </button>
                )}
                <button
                  type="button"
                  className="icon-btn icon-btn--small"
                  aria-label={t('misc.dismissNotification')}
                  onClick={() => dismiss(toast.id)}
                >
                  <Icon name="close" />
                </button>
              </li>
            ))}
          </ol>
        </section>,
        document.body,
      )}
    </ToastContext>
  );
}
