import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import { Icon, type IconName } from '../ui/Icon';

export type MenuItem =
  | {
      kind?: 'item';
      label: string;
      onSelect: () => void;
      /** A checkable item (menuitemcheckbox / menuitemradio). */
      checked?: boolean;
      radio?: boolean;
      disabled?: boolean;
      icon?: IconName;
    }
  | { kind: 'heading'; label: string }
  | { kind: 'separator' };

/**
 * A button with a menu under it: arrows move, Enter/Space choose, Escape closes back to the button,
 * Tab or a click elsewhere closes it.
 */
export function Menu({
  label,
  icon,
  text,
  items,
  align = 'start',
  className,
  disabled,
  testId,
}: {
  /** The button's accessible name (and tooltip). */
  label: string;
  icon?: ReactNode;
  /** Visible text beside the icon; none: an icon button. */
  text?: ReactNode;
  items: MenuItem[] | (() => MenuItem[]);
  align?: 'start' | 'end';
  className?: string;
  disabled?: boolean;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  // Placed in the window (fixed): under the button, or over it when there is more room above; moved
  // left or right to stay inside the window whatever the button's place.
  const [place, setPlace] = useState<CSSProperties>({ opacity: 0 });
  const id = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const list = open ? (typeof items === 'function' ? items() : items) : [];

  const focusables = () => [
    ...(menuRef.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]:not([aria-disabled="true"])') ?? []),
  ];

  useLayoutEffect(() => {
    if (!open) return;
    const b = buttonRef.current?.getBoundingClientRect();
    const list = menuRef.current;
    if (!b || !list) return;
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    const margin = 8;
    const below = vh - b.bottom - margin;
    const above = b.top - margin;
    const up = below < Math.min(list.scrollHeight, 240) && above > below;
    const maxHeight = Math.max(120, (up ? above : below) - 4);
    const width = list.offsetWidth;
    const wanted = align === 'end' ? b.right - width : b.left;
    const left = Math.max(margin, Math.min(vw - width - margin, wanted));
    setPlace({
      position: 'fixed',
      left,
      maxHeight,
      ...(up ? { bottom: vh - b.top + 4 } : { top: b.bottom + 4 }),
    });
  }, [open, align]);

  useEffect(() => {
    if (!open) return;
    focusables()[0]?.focus({ preventScroll: true });
    const onDown = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!menuRef.current?.contains(t) && !buttonRef.current?.contains(t)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown, true);
    return () => document.removeEventListener('pointerdown', onDown, true);
  }, [open]);

  /** Opens the menu, unseen until placed (before the first paint). */
  const show = () => {
    setPlace({ opacity: 0 });
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const els = focusables();
    const i = els.indexOf(document.activeElement as HTMLElement);
    const go = (n: number) => els[(n + els.length) % els.length]?.focus();
    if (e.key === 'ArrowDown') go(i + 1);
    else if (e.key === 'ArrowUp') go(i - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(els.length - 1);
    else if (e.key === 'Escape') close(true);
    else if (e.key === 'Tab') {
      setOpen(false);
      return;
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <span className={className ? `menu ${className}` : 'menu'}>
      <button
        ref={buttonRef}
        type="button"
        className={text ? 'btn btn--small' : 'icon-btn'}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={text ? undefined : label}
        title={label}
        disabled={disabled}
        data-testid={testId}
        onClick={() => (open ? setOpen(false) : show())}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            show();
          }
        }}
      >
        {icon}
        {text}
        {text && <Icon name="down" className="menu__caret" />}
      </button>
      {open && (
        <div
          ref={menuRef}
          id={id}
          role="menu"
          aria-label={label}
          className="menu__list"
          style={place}
          onKeyDown={onMenuKey}
        >
          {list.map((item, i) => {
            if (item.kind === 'separator') return <div key={i} role="separator" className="menu__sep" />;
            if (item.kind === 'heading')
              return (
                <div key={i} role="presentation" className="menu__heading">
                  {item.label}
                </div>
              );
            const role = item.checked === undefined ? 'menuitem' : item.radio ? 'menuitemradio' : 'menuitemcheckbox';
            return (
              <div
                key={i}
                role={role}
                tabIndex={-1}
                aria-checked={item.checked}
                aria-disabled={item.disabled || undefined}
                className="menu__item"
                onClick={() => {
                  if (item.disabled) return;
                  close(true);
                  item.onSelect();
                }}
                onKeyDown={(e) => {
                  if ((e.key === 'Enter' || e.key === ' ') && !item.disabled) {
                    e.preventDefault();
                    close(true);
                    item.onSelect();
                  }
                }}
              >
                <span className="menu__mark" aria-hidden="true">
                  {item.checked ? '✓' : item.icon ? <Icon name={item.icon} /> : null}
                </span>
                <span className="menu__label">{item.label}</span>
              </div>
            );
          })}
        </div>
      )}
    </span>
  );
}
