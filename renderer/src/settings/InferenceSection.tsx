import { useState } from 'react';
import { INFERENCE_FLUX_MODELS, MODEL_ALIASES, REPO_ID_RE, type ModelAlias } from '../../../shared/constants';
import { INFERENCE_ROUTER_URL } from '../../../shared/settings';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { TextField } from '../ui/TextField';
import { toggleAlias } from './space-form';
import {
  KNOWN_INFERENCE_PROVIDERS,
  type InferenceDraft,
  type InferenceProviderChoice,
  type SettingsErrors,
} from './settings-form';

/** At most this many models of the user's own (the settings schema's limit). */
const MAX_MODELS = 16;

/**
 * Hugging Face Inference Providers: the FLUX models and the user's own, which provider serves them,
 * and per model alias whether routing may fall back to them once every free Space failed (off by
 * default: they bill the user's account through the HF token). Saved with the settings' Save.
 */
export function InferenceSection({
  draft,
  onChange,
  errors,
  hasToken,
}: {
  draft: InferenceDraft;
  onChange: (draft: InferenceDraft) => void;
  errors: SettingsErrors;
  hasToken: boolean;
}) {
  const { t } = useI18n();
  const [newModel, setNewModel] = useState('');
  const [modelError, setModelError] = useState<string | undefined>();
  const builtIn = Object.keys(INFERENCE_FLUX_MODELS);

  const addModel = () => {
    const id = newModel.trim();
    if (!id) return setModelError(t('set.infModelEmpty'));
    if (!REPO_ID_RE.test(id)) return setModelError(t('set.infModelInvalid'));
    if (builtIn.includes(id) || draft.models.includes(id)) return setModelError(t('set.infModelDuplicate'));
    if (draft.models.length >= MAX_MODELS) return setModelError(t('set.infModelTooMany', { max: MAX_MODELS }));
    onChange({ ...draft, models: [...draft.models, id] });
    setNewModel('');
    setModelError(undefined);
  };

  return (
    <div className="inference" data-testid="inference">
      <div className="settings__consent inference__note" data-testid="inference-note">
        <Icon name="alert" />
        <div className="inference__note-text">
          <p>{t('set.infNote')}</p>
          <p className={hasToken ? 'field__hint' : 'inference__warn'} data-testid="inference-token">
            {hasToken ? t('set.infTokenSet') : t('set.infNoToken')}
          </p>
        </div>
      </div>

      <div className="field">
        <span className="field__label" id="set-inf-models-label">
          {t('set.infModels')}
        </span>
        <ul className="inference__models" aria-labelledby="set-inf-models-label" data-testid="inference-models">
          {builtIn.map((id) => (
            <li key={id} className="inference__model">
              <code>{id}</code>
              <span className="field__hint">
                {t('set.infServes', {
                  model: t(`gen.model.${INFERENCE_FLUX_MODELS[id as keyof typeof INFERENCE_FLUX_MODELS]}`),
                })}
              </span>
            </li>
          ))}
          {draft.models.map((id) => (
            <li key={id} className="inference__model" data-testid="inference-model" data-model={id}>
              <code>{id}</code>
              <span className="field__hint">{t('set.infPinnedOnly')}</span>
              <button
                type="button"
                className="btn btn--small"
                aria-label={t('set.infRemoveModelLabel', { model: id })}
                onClick={() => onChange({ ...draft, models: draft.models.filter((m) => m !== id) })}
              >
                {t('space.remove')}
              </button>
            </li>
          ))}
        </ul>
      </div>
      <div
        onKeyDown={(e) => {
          // Enter adds the model (instead of saving the settings).
          if (e.key === 'Enter' && e.target instanceof HTMLInputElement) {
            e.preventDefault();
            addModel();
          }
        }}
      >
        <TextField
          id="set-inf-model"
          label={t('set.infAddModel')}
          value={newModel}
          placeholder="owner/model"
          error={modelError ?? errors.inferenceModels}
          hint={t('set.infAddModelHint')}
          onChange={(v) => {
            setNewModel(v);
            setModelError(undefined);
          }}
        >
          <button
            type="button"
            className="btn btn--small field__addon"
            onClick={addModel}
            data-testid="inference-add-model"
          >
            {t('set.infAdd')}
          </button>
        </TextField>
      </div>

      <div className="field-row inference__provider">
        <div className="field">
          <label className="field__label" htmlFor="set-inf-provider">
            {t('set.infProvider')}
          </label>
          <select
            id="set-inf-provider"
            className="input select"
            value={draft.providerChoice}
            aria-describedby="set-inf-provider-hint"
            onChange={(e) => onChange({ ...draft, providerChoice: e.target.value as InferenceProviderChoice })}
          >
            {KNOWN_INFERENCE_PROVIDERS.map((p) => (
              <option key={p} value={p}>
                {p === 'auto' ? t('set.infProviderAuto') : p}
              </option>
            ))}
            <option value="other">{t('set.infProviderOther')}</option>
          </select>
        </div>
        {draft.providerChoice === 'other' && (
          <TextField
            id="set-inf-provider-name"
            label={t('set.infProviderName')}
            value={draft.providerName}
            placeholder="sambanova"
            error={errors.inferenceProvider}
            onChange={(providerName) => onChange({ ...draft, providerName })}
          />
        )}
      </div>
      <p className="field__hint inference__hint" id="set-inf-provider-hint">
        {t('set.infProviderHint')}
      </p>

      <fieldset className="inference__fallback">
        <legend className="field__label">{t('set.infFallback')}</legend>
        <div className="space-dialog__checks">
          {MODEL_ALIASES.map((alias: ModelAlias) => (
            <label key={alias} className="settings__check">
              <input
                type="checkbox"
                data-alias={alias}
                data-testid="inference-fallback"
                checked={draft.fallbackAliases.includes(alias)}
                onChange={(e) =>
                  onChange({
                    ...draft,
                    fallbackAliases: toggleAlias(draft.fallbackAliases, alias, e.target.checked, MODEL_ALIASES),
                  })
                }
              />
              <span>{t(`gen.model.${alias}`)}</span>
            </label>
          ))}
        </div>
        <p className="field__hint">{t('set.infFallbackHint')}</p>
      </fieldset>

      <details className="inference__advanced" open={draft.url.trim() !== '' || !!errors.inferenceUrl}>
        <summary>{t('set.infAdvanced')}</summary>
        <TextField
          id="set-inf-url"
          type="url"
          label={t('set.infRouterUrl')}
          value={draft.url}
          placeholder={INFERENCE_ROUTER_URL}
          error={errors.inferenceUrl}
          hint={t('set.infRouterUrlHint', { url: INFERENCE_ROUTER_URL })}
          onChange={(url) => onChange({ ...draft, url })}
        />
      </details>
    </div>
  );
}
