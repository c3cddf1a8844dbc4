import { MODEL_ALIASES, type ModelAlias, type ProviderId } from '../../../shared/constants';
import { useI18n } from '../i18n/i18n';
import { SelectField } from '../ui/SelectField';
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
    // Wraps when both do not fit side by side: a pinned provider's name is long ("BlackForestLabs Flux-1-Schnell").
    <div className="field-row gen__models">
      <SelectField
        id="gen-model"
        label={t('gen.model')}
        value={model}
        onChange={(next) => {
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
      </SelectField>
      <SelectField
        id="gen-provider"
        label={t('gen.provider')}
        value={provider}
        onChange={(p) => onChange({ model, provider: p })}
      >
        <option value="">{t('gen.providerAuto')}</option>
        {offered.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
