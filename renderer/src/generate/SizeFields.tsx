import type { SizeLimits } from '../../../shared/sizes';
import { useI18n } from '../i18n/i18n';
import { NumberField } from '../ui/NumberField';

/**
 * Width and height within the provider's limits (its Space's slider), the limits themselves, and
 * the size the provider will really send after snapping to the slider's steps.
 */
export function SizeFields({
  width,
  height,
  errors,
  sent,
  limits,
  providerLabel,
  onChange,
}: {
  width: string;
  height: string;
  errors: { width?: string | undefined; height?: string | undefined };
  /** What goes on the wire; null while the typed size is invalid. */
  sent: { width: number; height: number } | null;
  limits: SizeLimits;
  /** Whose limits these are ('' before the provider list has arrived). */
  providerLabel: string;
  onChange: (change: { width?: string; height?: string }) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const range = t('gen.sizeRange', {
    min: i18n.formatNumber(limits.min),
    max: i18n.formatNumber(limits.max),
    step: i18n.formatNumber(limits.step),
  });
  // The range stays on one line: "BlackForestLabs Flux-1-Dev accepts / 256–2,048, step 32".
  const [beforeRange = '', afterRange = ''] = t(providerLabel ? 'gen.sizeLimits' : 'gen.sizeLimitsAny', {
    provider: providerLabel,
    range: '\u0000',
  }).split('\u0000');
  const rounded = sent !== null && (String(sent.width) !== width.trim() || String(sent.height) !== height.trim());
  return (
    <div className="size">
      <div className="field-row">
        <NumberField
          id="gen-width"
          label={t('gen.width')}
          value={width}
          step={limits.step}
          min={limits.min}
          max={limits.max}
          error={errors.width}
          describedBy="gen-size-limits"
          onChange={(v) => onChange({ width: v })}
        />
        <NumberField
          id="gen-height"
          label={t('gen.height')}
          value={height}
          step={limits.step}
          min={limits.min}
          max={limits.max}
          error={errors.height}
          describedBy="gen-size-limits"
          onChange={(v) => onChange({ height: v })}
        />
      </div>
      <p className="field__hint size__limits" id="gen-size-limits" data-testid="size-limits">
        {beforeRange}
        <span className="nowrap">{range}</span>
        {afterRange}
      </p>
      {sent && (
        <p className="size__sent" data-testid="sent-size" aria-live="polite">
          {t('gen.sizeSent', { w: sent.width, h: sent.height })}
          {rounded && <span className="size__rounded"> · {t('gen.sizeRounded', { step: limits.step })}</span>}
        </p>
      )}
    </div>
  );
}
