import { useEffect, useEffectEvent, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import './modal.css';

/** Open dialogs, topmost last: only the topmost keeps Tab inside it. */
const openDialogs: HTMLElement[] = [];

const TABBABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog rendered outside #root. While open, #root is inert (so Tab stays in the dialog and
 * screen readers see only it) but the toast region stays usable, e.g. for Undo. Focus moves in on
 * open and back to the opener on close; Escape closes.
 */
export function Modal({
  labelledBy,
  label,
  onClose,
  className,
  initialFocus,
  onKeyDown,
  children,
}: {
  labelledBy?: string;
  label?: string;
  onClose: () => void;
  className?: string;
  initialFocus?: RefObject<HTMLElement | null>;
  onKeyDown?: (e: KeyboardEvent<HTMLDivElement>) => void;
  children: ReactNode;
}) {
  const dialogRef = useRef<HTMLDivElement>(null);
  const focusInitial = useEffectEvent(() => (initialFocus?.current ?? dialogRef.current)?.focus());

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = document.getElementById('root');
    const dialog = dialogRef.current!;
    openDialogs.push(dialog);
    root?.setAttribute('inert', '');
    focusInitial();
    // Tab cycles through the dialog and the notifications (Undo), never out to the browser.
    const onTab = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Tab' || openDialogs.at(-1) !== dialog) return;
      const stops = [dialog, document.querySelector('.toasts')]
        .flatMap((area) => (area ? [...area.querySelectorAll<HTMLElement>(TABBABLE)] : []))
        .filter((el) => el.getClientRects().length > 0);
      if (stops.length === 0) return;
      const i = stops.indexOf(document.activeElement as HTMLElement);
      const next = e.shiftKey ? (i <= 0 ? stops.length - 1 : i - 1) : i === -1 || i === stops.length - 1 ? 0 : i + 1;
      e.preventDefault();
      stops[next]!.focus();
    };
    document.addEventListener('keydown', onTab);
    // When the focused control goes away (an Undo toast that closes, a button that disables itself),
    // focus falls to <body>, out of the dialog, and its keys (Escape, arrows) would go nowhere. Keys
    // pressed then still belong to the topmost dialog: focus it and hand it the key.
    const onLostFocusKey = (e: globalThis.KeyboardEvent) => {
      if (openDialogs.at(-1) !== dialog || !e.isTrusted) return;
      const active = document.activeElement;
      if (active && active !== document.body && active.isConnected) return;
      e.preventDefault();
      e.stopPropagation();
      dialog.focus();
      dialog.dispatchEvent(
        new globalThis.KeyboardEvent('keydown', {
          key: e.key,
          code: e.code,
          shiftKey: e.shiftKey,
          ctrlKey: e.ctrlKey,
          altKey: e.altKey,
          metaKey: e.metaKey,
          repeat: e.repeat,
          bubbles: true,
          cancelable: true,
        }),
      );
    };
    document.addEventListener('keydown', onLostFocusKey, true);
    return () => {
      document.removeEventListener('keydown', onTab);
      document.removeEventListener('keydown', onLostFocusKey, true);
      openDialogs.splice(openDialogs.indexOf(dialog), 1);
      if (openDialogs.length === 0) root?.removeAttribute('inert');
      // The opener may be gone (a virtualized tile scrolled away); focus what is still there.
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return createPortal(
    <div
      className="modal-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        ref={dialogRef}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-label={label}
        tabIndex={-1}
        className={className ? `modal ${className}` : 'modal'}
        onKeyDown={(e) => {
          onKeyDown?.(e);
          if (e.key === 'Escape' && !e.defaultPrevented) {
            e.preventDefault();
            e.stopPropagation();
            onClose();
          }
        }}
      >
        {children}
      </div>
    </div>,
    document.body,
  );
}
