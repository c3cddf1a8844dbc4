import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
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

  const dismiss = useCallback((id: number) => {
    window.clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((list) => list.filter((x) => x.id !== id));
  }, []);

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
        <section className="toasts" aria-label={t('misc.notifications')}>
          <ol role="status" aria-live="polite">
            {toasts.map((toast) => (
              <li key={toast.id} className={`toast toast--${toast.tone ?? 'info'}`} data-testid="toast">
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
