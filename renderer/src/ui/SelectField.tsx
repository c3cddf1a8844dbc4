import type { ReactNode } from 'react';
import { Field } from './Field';

/** A labelled native select; `children` are its options. */
export function SelectField<T extends string>({
  id,
  label,
  value,
  onChange,
  children,
}: {
  id: string;
  label: string;
  value: T;
  /** Called with one of the options' values. */
  onChange: (value: T) => void;
  children: ReactNode;
}) {
  return (
    <Field
      id={id}
      label={label}
      input={(a11y) => (
        <select {...a11y} className="input select" value={value} onChange={(e) => onChange(e.target.value as T)}>
          {children}
        </select>
      )}
    />
  );
}
