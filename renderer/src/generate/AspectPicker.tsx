import { ASPECT_RATIO_KEYS, ASPECT_RATIOS, type AspectRatio } from '../../../shared/constants';
import { useI18n } from '../i18n/i18n';

/** Preset chips as a native radio group (arrow keys move between them); "Custom" means typed sizes. */
export function AspectPicker({
  value,
  custom,
  onPick,
  onCustom,
}: {
  value: AspectRatio;
  custom: boolean;
  onPick: (ratio: AspectRatio) => void;
  onCustom: () => void;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="aspect">
      <legend className="field__label">{t('gen.aspect')}</legend>
      <div className="aspect__options">
        {ASPECT_RATIO_KEYS.map((ratio) => {
          const [w, h] = ASPECT_RATIOS[ratio];
          const scale = 16 / Math.max(w, h);
          return (
            <label key={ratio} className="chip aspect__chip">
              <input
                type="radio"
                name="aspect"
                className="chip__input"
                value={ratio}
                checked={!custom && value === ratio}
                onChange={() => onPick(ratio)}
              />
              <span className="chip__body">
                <span className="aspect__glyph" aria-hidden="true" style={{ width: w * scale, height: h * scale }} />
                {ratio}
              </span>
            </label>
          );
        })}
        <label className="chip aspect__chip aspect__chip--wide">
          <input
            type="radio"
            name="aspect"
            className="chip__input"
            value="custom"
            checked={custom}
            onChange={onCustom}
          />
          <span className="chip__body">{t('gen.aspectCustom')}</span>
        </label>
      </div>
    </fieldset>
  );
}
