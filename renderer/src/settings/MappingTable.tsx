import { useState } from 'react';
import type { SpaceEndpoint, SpaceInput, SpaceMapping } from '../../../shared/spaces';
import { useI18n, type I18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import {
  becomesControl,
  choiceOf,
  displacedBy,
  mappingProblems,
  optionsFor,
  setChoice,
  type MappingChoice,
} from './space-form';

/** An input's name for people: its label, else its parameter name. */
export const inputName = (input: Pick<SpaceInput, 'label' | 'key'>): string => input.label?.trim() || input.key;

/** "Slider 256–2,048, step 32 · default 1,024", "Dropdown, 3 choices · default euler". */
export function inputKindText(i18n: I18n, input: SpaceInput): string {
  const { t } = i18n;
  const n = (x: number) => i18n.formatNumber(x);
  let kind: string;
  switch (input.kind) {
    case 'slider':
      kind =
        input.minimum !== undefined && input.maximum !== undefined
          ? t('space.kind.sliderRange', { min: n(input.minimum), max: n(input.maximum) })
          : t('space.kind.slider');
      break;
    case 'dropdown':
      kind = i18n.tn('space.kind.dropdownChoices', input.choices?.length ?? 0);
      break;
    case 'other':
      kind = t('space.kind.other', { component: input.component });
      break;
    default:
      kind = t(`space.kind.${input.kind}`);
  }
  const d = input.default;
  if (d === null || d === '') return kind;
  const shown =
    typeof d === 'boolean'
      ? t(d ? 'misc.on' : 'misc.off')
      : typeof d === 'number'
        ? n(d)
        : (input.choices?.find((c) => c.value === d)?.label ?? d);
  const text = String(shown);
  return t('space.kind.withDefault', { kind, value: text.length > 40 ? `${text.slice(0, 39)}…` : text });
}

/**
 * The endpoint's inputs and what each stands for: an app parameter, or nothing (the Space's default,
 * or an extra control in the generation panel). Choosing a parameter another input had moves it.
 */
export function MappingTable({
  endpoint,
  mapping,
  onChange,
  idPrefix,
}: {
  endpoint: SpaceEndpoint;
  mapping: SpaceMapping;
  onChange: (mapping: SpaceMapping) => void;
  idPrefix: string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [moved, setMoved] = useState<string | null>(null);
  const problems = mappingProblems(mapping);
  const byIndex = new Map(endpoint.inputs.map((i) => [i.index, i]));

  const choose = (input: SpaceInput, choice: MappingChoice) => {
    const from = displacedBy(mapping, input.index, choice);
    const other = from === null ? undefined : byIndex.get(from);
    setMoved(
      other && choice
        ? t('space.mapMoved', { param: t(`space.param.${choice}`), input: inputName(other), to: inputName(input) })
        : null,
    );
    onChange(setChoice(mapping, input.index, choice));
  };

  return (
    <div className="mapping">
      <table className="mapping__table" data-testid="mapping-table" aria-describedby={`${idPrefix}-mapping-hint`}>
        <caption className="mapping__caption">{t('space.mapTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('space.mapInput')}</th>
            <th scope="col">{t('space.mapKind')}</th>
            <th scope="col">{t('space.mapUse')}</th>
          </tr>
        </thead>
        <tbody>
          {endpoint.inputs.map((input) => {
            const choice = choiceOf(mapping, input.index);
            const id = `${idPrefix}-map-${input.index}`;
            return (
              <tr key={input.index} data-testid="mapping-row" data-key={input.key} data-param={choice || undefined}>
                <th scope="row" className="mapping__input">
                  <label htmlFor={id} className="mapping__label">
                    {inputName(input)}
                  </label>
                  {input.label?.trim() && input.label.trim() !== input.key && (
                    <code className="mapping__key">{input.key}</code>
                  )}
                </th>
                <td className="mapping__kind">{inputKindText(i18n, input)}</td>
                <td className="mapping__use">
                  <select
                    id={id}
                    className="input select"
                    value={choice}
                    data-testid="mapping-select"
                    onChange={(e) => choose(input, e.target.value as MappingChoice)}
                  >
                    <option value="">{becomesControl(input) ? t('space.map.extra') : t('space.map.default')}</option>
                    {optionsFor(input, choice).map((p) => (
                      <option key={p} value={p}>
                        {t(`space.param.${p}`)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="field__hint" id={`${idPrefix}-mapping-hint`}>
        {t('space.mapHint')}
      </p>
      <p className="field__hint" role="status" data-testid="mapping-moved">
        {moved ?? ''}
      </p>
      {problems.includes('no-prompt') && (
        <p className="notice notice--error" data-testid="mapping-problem">
          <Icon name="alert" /> {t('space.mapNoPrompt')}
        </p>
      )}
    </div>
  );
}
