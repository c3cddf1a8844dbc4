import { MODEL_ALIASES, type ModelAlias, type ProviderId } from '../../../shared/constants';
import { useI18n } from '../i18n/i18n';
import { providersFor } from './form';
import type { Models } from './useModels';

export function ModelFields({
  model,
  provider,
  models,
  onChange,
}: {
  model: ModelAlias;
  provider: ProviderId | '';
  models: Models;
  onChange: (change: { model: ModelAlias; provider: ProviderId | '' }) => void;
}) {
  const { t } = useI18n();
  const offered = providersFor(model, models);
  return (
    <div className="field-row">
      <div className="field">
        <label className="field__label" htmlFor="gen-model">
          {t('gen.model')}
        </label>
        <select
          id="gen-model"
          className="input select"
          value={model}
          onChange={(e) => {
            const next = e.target.value as ModelAlias;
            // A pinned provider that does not serve the new model falls back to automatic.
            const keep = providersFor(next, models).some((p) => p.id === provider);
            onChange({ model: next, provider: keep ? provider : '' });
          }}
        >
          {MODEL_ALIASES.map((alias) => (
            <option key={alias} value={alias}>
              {t(`gen.model.${alias}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field__label" htmlFor="gen-provider">
          {t('gen.provider')}
        </label>
        <select
          id="gen-provider"
          className="input select"
          value={provider}
          onChange={(e) => onChange({ model, provider: e.target.value as ProviderId | '' })}
        >
          <option value="">{t('gen.providerAuto')}</option>
          {offered.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
