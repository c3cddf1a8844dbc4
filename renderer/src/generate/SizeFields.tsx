import { LIMITS } from '../../../shared/constants';
import { useI18n } from '../i18n/i18n';
import { NumberField } from '../ui/NumberField';

/** Width and height, plus the size the provider will really get after its rounding. */
export function SizeFields({
  width,
  height,
  errors,
  sent,
  multiple,
  onChange,
}: {
  width: string;
  height: string;
  errors: { width?: string | undefined; height?: string | undefined };
  sent: { width: number; height: number } | null;
  multiple: number;
  onChange: (change: { width?: string; height?: string }) => void;
}) {
  const { t } = useI18n();
  const rounded = sent !== null && (String(sent.width) !== width.trim() || String(sent.height) !== height.trim());
  return (
    <div className="size">
      <div className="field-row">
        <NumberField
          id="gen-width"
          label={t('gen.width')}
          value={width}
          step={multiple}
          min={LIMITS.size.min}
          max={LIMITS.size.max}
          error={errors.width}
          onChange={(v) => onChange({ width: v })}
        />
        <NumberField
          id="gen-height"
          label={t('gen.height')}
          value={height}
          step={multiple}
          min={LIMITS.size.min}
          max={LIMITS.size.max}
          error={errors.height}
          onChange={(v) => onChange({ height: v })}
        />
      </div>
      {sent && (
        <p className="size__sent" data-testid="sent-size" aria-live="polite">
          {t('gen.sizeSent', { w: sent.width, h: sent.height })}
          {rounded && <span className="size__rounded"> · {t('gen.sizeRounded', { m: multiple })}</span>}
        </p>
      )}
    </div>
  );
}
