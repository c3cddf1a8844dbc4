import type { ProviderInfo } from '../../../shared/contract';
import { LIMITS } from '../../../shared/constants';
import type { SpaceInput } from '../../../shared/spaces';
import { useI18n } from '../i18n/i18n';
import { NumberField } from '../ui/NumberField';
import { draftValue, shownExtraInputs, type ExtraDraft } from './extras';
import type { FieldErrors } from './form';

const inputName = (i: SpaceInput) => i.label?.trim() || i.key;
const controlId = (key: string) => `gen-extra-${key}`;

/**
 * What a pinned Space of the user's takes beyond the app's parameters: a negative prompt (when it
 * has that input) and its own controls, each of the right kind and starting at the Space's default.
 */
export function SpaceControls({
  provider,
  negativePrompt,
  extras,
  errors,
  onNegativePrompt,
  onExtras,
}: {
  provider: ProviderInfo;
  negativePrompt: string;
  extras: ExtraDraft;
  errors: FieldErrors;
  onNegativePrompt: (value: string) => void;
  /** `touched`: the control the user changed (its errors show from now on). */
  onExtras: (extras: ExtraDraft, touched: string[]) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const inputs = shownExtraInputs(provider);
  const changed = inputs.some((i) => i.key in extras);
  const set = (key: string, value: string | boolean) => onExtras({ ...extras, [key]: value }, [`extra:${key}`]);
  const negError = errors.negativePrompt;

  return (
    <>
      {provider.supportsNegativePrompt && (
        <div className={negError ? 'field field--invalid' : 'field'}>
          <label className="field__label" htmlFor="gen-negative">
            {t('gen.negativePrompt')}
          </label>
          <textarea
            id="gen-negative"
            className="input prompt-input prompt-input--negative"
            rows={2}
            value={negativePrompt}
            placeholder={t('gen.negativePlaceholder')}
            aria-invalid={negError ? true : undefined}
            aria-describedby={negError ? 'gen-negative-error gen-negative-hint' : 'gen-negative-hint'}
            maxLength={LIMITS.promptMaxLength + 100}
            onChange={(e) => onNegativePrompt(e.target.value)}
          />
          {negError && (
            <p id="gen-negative-error" className="field__error">
              {negError}
            </p>
          )}
          <p id="gen-negative-hint" className="field__hint">
            {t('gen.negativeHint', { provider: provider.label })}
          </p>
        </div>
      )}
      {inputs.length > 0 && (
        <fieldset className="gen__extras" data-testid="space-controls">
          <legend className="gen__extras-title">{t('gen.extras', { provider: provider.label })}</legend>
          {inputs.map((input) => (
            <ExtraControl
              key={input.key}
              input={input}
              value={draftValue(input, extras)}
              error={errors[`extra:${input.key}`]}
              onChange={(v) => set(input.key, v)}
            />
          ))}
          <div className="gen__extras-foot">
            <p className="field__hint">{t('gen.extrasHint')}</p>
            {changed && (
              <button
                type="button"
                className="btn btn--small"
                onClick={() => onExtras({}, [])}
                data-testid="space-controls-reset"
              >
                {t('gen.extrasReset')}
              </button>
            )}
          </div>
        </fieldset>
      )}
    </>
  );
}

function ExtraControl({
  input,
  value,
  error,
  onChange,
}: {
  input: SpaceInput;
  value: string | boolean;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const id = controlId(input.key);
  const label = inputName(input);
  const range =
    input.minimum !== undefined && input.maximum !== undefined
      ? t('gen.extraRange', { min: i18n.formatNumber(input.minimum), max: i18n.formatNumber(input.maximum) })
      : undefined;

  switch (input.kind) {
    case 'checkbox':
      return (
        <label className="gen__extra-check" data-testid="space-control" data-key={input.key}>
          <input type="checkbox" id={id} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          <span>{label}</span>
        </label>
      );
    case 'dropdown':
      return (
        <div className="field" data-testid="space-control" data-key={input.key}>
          <label className="field__label" htmlFor={id}>
            {label}
          </label>
          <select
            id={id}
            className="input select"
            value={typeof value === 'string' ? value : ''}
            aria-invalid={error ? true : undefined}
            onChange={(e) => onChange(e.target.value)}
          >
            {value === '' && <option value="">{t('gen.extraNoChoice')}</option>}
            {(input.choices ?? []).map((c, i) => (
              <option key={i} value={String(i)}>
                {c.label}
              </option>
            ))}
          </select>
          {error && <p className="field__error">{error}</p>}
        </div>
      );
    case 'slider':
      if (input.minimum !== undefined && input.maximum !== undefined) {
        const n = Number(value);
        const step = input.step && input.step > 0 ? input.step : 'any';
        return (
          <div className={error ? 'field field--invalid' : 'field'} data-testid="space-control" data-key={input.key}>
            <label className="field__label" htmlFor={id}>
              {label}
            </label>
            <div className="field__control gen__slider">
              <input
                type="range"
                id={id}
                className="gen__range"
                min={input.minimum}
                max={input.maximum}
                step={step}
                value={Number.isFinite(n) ? Math.min(input.maximum, Math.max(input.minimum, n)) : input.minimum}
                aria-describedby={`${id}-hint`}
                onChange={(e) => onChange(e.target.value)}
              />
              <input
                type="text"
                inputMode="decimal"
                className="input gen__range-value"
                aria-label={t('gen.extraValue', { name: label })}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error ${id}-hint` : `${id}-hint`}
                autoComplete="off"
                spellCheck={false}
                value={String(value)}
                onChange={(e) => onChange(e.target.value)}
              />
            </div>
            {error && (
              <p id={`${id}-error`} className="field__error">
                {error}
              </p>
            )}
            <p id={`${id}-hint`} className="field__hint">
              {input.step ? `${range} · ${t('gen.extraStep', { step: i18n.formatNumber(input.step) })}` : range}
            </p>
          </div>
        );
      }
      return (
        <NumberControl
          input={input}
          id={id}
          label={label}
          value={value}
          error={error}
          hint={range}
          onChange={onChange}
        />
      );
    case 'number':
      return (
        <NumberControl
          input={input}
          id={id}
          label={label}
          value={value}
          error={error}
          hint={range}
          onChange={onChange}
        />
      );
    default:
      return (
        <div className={error ? 'field field--invalid' : 'field'} data-testid="space-control" data-key={input.key}>
          <label className="field__label" htmlFor={id}>
            {label}
          </label>
          <input
            id={id}
            type="text"
            className="input"
            autoComplete="off"
            value={String(value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(e) => onChange(e.target.value)}
          />
          {error && (
            <p id={`${id}-error`} className="field__error">
              {error}
            </p>
          )}
        </div>
      );
  }
}

function NumberControl({
  input,
  id,
  label,
  value,
  error,
  hint,
  onChange,
}: {
  input: SpaceInput;
  id: string;
  label: string;
  value: string | boolean;
  error: string | undefined;
  hint: string | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <div data-testid="space-control" data-key={input.key}>
      <NumberField
        id={id}
        label={label}
        value={String(value)}
        decimal={input.step === undefined || !Number.isInteger(input.step)}
        {...(input.step ? { step: input.step } : {})}
        {...(input.minimum !== undefined ? { min: input.minimum } : {})}
        {...(input.maximum !== undefined ? { max: input.maximum } : {})}
        error={error}
        hint={hint}
        onChange={onChange}
      />
    </div>
  );
}
