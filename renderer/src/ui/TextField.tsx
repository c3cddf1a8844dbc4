import type { ReactNode, Ref } from 'react';
import { Field } from './Field';

/** A labelled text input with its error and hint wired for screen readers. */
export function TextField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  placeholder,
  type = 'text',
  inputRef,
  autoComplete = 'off',
  children,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  placeholder?: string | undefined;
  type?: 'text' | 'url' | 'password';
  inputRef?: Ref<HTMLInputElement>;
  autoComplete?: string;
  children?: ReactNode;
}) {
  return (
    <Field
      id={id}
      label={label}
      error={error}
      hint={hint}
      input={(a11y) => (
        <input
          {...a11y}
          ref={inputRef}
          className="input"
          type={type}
          value={value}
          placeholder={placeholder}
          autoComplete={autoComplete}
          spellCheck={false}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    >
      {children}
    </Field>
  );
}
