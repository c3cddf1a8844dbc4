import type { ReactNode } from 'react';

/** What a field's input needs so screen readers tie it to its label, error and hint. */
export interface FieldInputProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** A labelled form field: label, the input (rendered by the caller), extra controls, error, hint. */
export function Field({
  id,
  label,
  error,
  hint,
  describedBy,
  input,
  children,
}: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  /** Ids of further text that describes the input (e.g. limits shown once for two fields). */
  describedBy?: string | undefined;
  input: (props: FieldInputProps) => ReactNode;
  /** Extra controls next to the input (e.g. the seed's lock). */
  children?: ReactNode;
}) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const described =
    [error ? errorId : null, hint ? hintId : null, describedBy ?? null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="field__control">
        {input({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described })}
        {children}
      </div>
      {error && (
        <p id={errorId} className="field__error">
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}
