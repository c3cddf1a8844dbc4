import { LIMITS } from '../../../shared/constants';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { NumberField } from '../ui/NumberField';
import { randomSeed } from './form';

export function SeedField({
  seed,
  locked,
  error,
  onChange,
}: {
  seed: string;
  locked: boolean;
  error: string | undefined;
  onChange: (change: { seed?: string; seedLocked?: boolean }) => void;
}) {
  const { t } = useI18n();
  return (
    <NumberField
      id="gen-seed"
      label={t('gen.seed')}
      value={seed}
      min={LIMITS.seed.min}
      max={LIMITS.seed.max}
      error={locked ? error : undefined}
      hint={locked ? t('gen.seedLocked') : t('gen.seedRandom')}
      // Typing a seed means wanting that seed.
      onChange={(v) => onChange({ seed: v, seedLocked: true })}
    >
      <button
        type="button"
        className="icon-btn field__addon"
        aria-pressed={locked}
        aria-label={t('gen.seedLock')}
        title={t('gen.seedLock')}
        onClick={() => onChange({ seedLocked: !locked })}
      >
        <Icon name={locked ? 'lock' : 'unlock'} />
      </button>
      <button
        type="button"
        className="icon-btn field__addon"
        aria-label={t('gen.seedRandomize')}
        title={t('gen.seedRandomize')}
        onClick={() => onChange({ seed: String(randomSeed()), seedLocked: true })}
      >
        <Icon name="dice" />
      </button>
    </NumberField>
  );
}
