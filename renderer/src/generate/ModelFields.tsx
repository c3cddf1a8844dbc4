import { MODEL_ALIASES, type ModelAlias, type ProviderId } from '../../../shared/constants';
import { useI18n, type I18n } from '../i18n/i18n';
import { SelectField } from '../ui/SelectField';
import { aliasWhenPinned, bareId, groupProviders, pinServes, type ProviderKind } from './providers';
import type { Models } from './useModels';

/** A group of the provider pickers (Generate, the history filter). */
export const GROUP_LABEL = {
  builtin: 'gen.group.builtin',
  space: 'gen.group.space',
  inference: 'gen.group.inference',
} as const satisfies Record<ProviderKind, string>;

/**
 * A provider's option text: an inference model by its name, marked as paid (its group and the note
 * under the picker say Inference Providers; the whole label would not fit the panel).
 */
export function providerOptionText(
  i18n: I18n,
  p: { id: string; label: string; kind?: ProviderKind; costs?: boolean },
): string {
  if (!(p.costs || p.kind === 'inference')) return p.label;
  const model = bareId(p.id).split('/').pop() || p.label;
  return i18n.t('gen.providerPaid', { provider: model });
}

export function ModelFields({
  model,
  provider,
  models,
  hasToken,
  onChange,
}: {
  model: ModelAlias;
  provider: ProviderId | '';
  models: Models;
  /** A Hugging Face token is set (Inference Providers need one). */
  hasToken: boolean;
  onChange: (change: { model: ModelAlias; provider: ProviderId | '' }) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const groups = groupProviders(models.providers);
  const pinned = provider ? models.providers.find((p) => p.id === provider) : undefined;
  const paid = pinned?.costs === true || pinned?.kind === 'inference';
  return (
    <>
      {/* Wraps when both do not fit side by side: a pinned provider's name is long ("BlackForestLabs Flux-1-Schnell"). */}
      <div className="field-row gen__models">
        <SelectField
          id="gen-model"
          label={t('gen.model')}
          value={model}
          onChange={(next) => {
            // A pinned provider that does not serve the new model falls back to automatic.
            const keep = pinned ? pinServes(pinned, next) : false;
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
          onChange={(id) => {
            const next = models.providers.find((p) => p.id === id);
            // Pinning a provider asks for a model it serves.
            onChange({ model: next ? aliasWhenPinned(next, model) : model, provider: id });
          }}
        >
          <option value="">{t('gen.providerAuto')}</option>
          {groups.map((g) =>
            // One kind alone (the built-in Spaces only) needs no group heading.
            groups.length === 1 ? (
              g.providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {providerOptionText(i18n, p)}
                </option>
              ))
            ) : (
              <optgroup key={g.kind} label={t(GROUP_LABEL[g.kind])}>
                {g.providers.map((p) => (
                  <option key={p.id} value={p.id}>
                    {providerOptionText(i18n, p)}
                  </option>
                ))}
              </optgroup>
            ),
          )}
        </SelectField>
      </div>
      {paid && (
        <p
          className={hasToken ? 'field__hint gen__note gen__paid' : 'notice notice--warning gen__paid'}
          data-testid="paid-note"
        >
          {hasToken ? t('gen.paidNote') : t('gen.paidNoToken')}
        </p>
      )}
    </>
  );
}
