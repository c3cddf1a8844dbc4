import type { KeyboardEvent, ReactNode } from 'react';
import { Field } from './Field';

/**
 * A numeric input kept as text (half-typed values stay visible and are explained, not swallowed),
 * with ArrowUp/ArrowDown stepping like a spin box.
 */
export function NumberField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  describedBy,
  placeholder,
  step = 1,
  min,
  max,
  decimal = false,
  disabled = false,
  children,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  describedBy?: string;
  placeholder?: string;
  step?: number;
  min?: number;
  max?: number;
  decimal?: boolean;
  disabled?: boolean;
  /** Extra controls next to the input (e.g. the seed's lock). */
  children?: ReactNode;
}) {
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    // Empty: from the default the placeholder names ("Auto (3.5)", "Авто (3,5)").
    const shown = placeholder?.match(/\d+([.,]\d+)?/)?.[0]?.replace(',', '.');
    const current = Number(value.trim() === '' ? (shown ?? min ?? 0) : value);
    if (!Number.isFinite(current)) return;
    e.preventDefault();
    let next = current + (e.key === 'ArrowUp' ? step : -step) * (e.shiftKey ? 10 : 1);
    if (min !== undefined) next = Math.max(min, next);
    if (max !== undefined) next = Math.min(max, next);
    onChange(String(Math.round(next * 100) / 100));
  };
  return (
    <Field
      id={id}
      label={label}
      error={error}
      hint={hint}
      describedBy={describedBy}
      input={(a11y) => (
        <input
          {...a11y}
          className="input"
          type="text"
          inputMode={decimal ? 'decimal' : 'numeric'}
          autoComplete="off"
          spellCheck={false}
          value={value}
          placeholder={placeholder}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
        />
      )}
    >
      {children}
    </Field>
  );
}
