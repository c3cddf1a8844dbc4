import type { Style } from '../../../shared/queue';
import { useI18n } from '../i18n/i18n';
import { Field } from '../ui/Field';
import { IconButton } from '../ui/IconButton';
import { sameName, styledPrompt } from './presets';

/**
 * The style applied to the prompt ("None" by default): its template shows what will be sent. A style
 * deleted since stays named, marked, and must be changed before generating.
 */
export function StylePicker({
  value,
  styles,
  prompt,
  error,
  onChange,
  onEdit,
}: {
  value: string;
  /** null while not read. */
  styles: readonly Style[] | null;
  /** The (first) prompt, to show it styled. */
  prompt: string;
  error: string | undefined;
  onChange: (name: string) => void;
  onEdit: () => void;
}) {
  const { t } = useI18n();
  const chosen = value ? styles?.find((s) => sameName(s.name, value)) : undefined;
  const missing = value !== '' && styles !== null && !chosen;
  const sends = chosen ? styledPrompt(chosen.template, prompt.trim() || '{prompt}') : null;
  return (
    <Field
      id="gen-style"
      label={t('gen.style')}
      error={error}
      hint={sends ? <span className="style__sends">{t('gen.styleSends', { prompt: sends })}</span> : undefined}
      input={(a11y) => (
        <select
          {...a11y}
          className="input select"
          value={chosen?.name ?? value}
          onChange={(e) => onChange(e.target.value)}
          data-testid="style-picker"
        >
          <option value="">{t('gen.styleNone')}</option>
          {(styles ?? []).map((s) => (
            <option key={s.name} value={s.name}>
              {s.name}
            </option>
          ))}
          {(missing || (value !== '' && styles === null)) && (
            <option value={value}>{missing ? t('gen.styleMissing', { name: value }) : value}</option>
          )}
        </select>
      )}
    >
      <IconButton
        icon="edit"
        label={t('gen.styleEdit')}
        onClick={onEdit}
        aria-haspopup="dialog"
        data-testid="style-edit"
      />
    </Field>
  );
}
