import { LIMITS } from '../../../shared/constants';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { NumberField } from '../ui/NumberField';
import { randomSeed } from './form';

/**
 * What a locked seed does to a batch, as the main side does it (main/jobs/expand.ts): the images of
 * one prompt use seed, seed + 1, …; null when the hint need not name them (one image, or not a seed).
 */
export function lockedSeeds(seed: string, count: string): { first: number; last: number } | null {
  const s = Number(seed.trim());
  const n = Number(count.trim());
  if (!seed.trim() || !Number.isInteger(s) || s < LIMITS.seed.min || s > LIMITS.seed.max) return null;
  if (!Number.isInteger(n) || n < 2 || n > LIMITS.imagesPerJob.max) return null;
  return { first: s, last: (s + n - 1) % (LIMITS.seed.max + 1) };
}

export function SeedField({
  seed,
  locked,
  count,
  error,
  onChange,
}: {
  seed: string;
  locked: boolean;
  /** Images asked for: with a locked seed, each gets the next seed. */
  count: string;
  error: string | undefined;
  onChange: (change: { seed?: string; seedLocked?: boolean }) => void;
}) {
  const { t } = useI18n();
  const batch = locked ? lockedSeeds(seed, count) : null;
  return (
    <NumberField
      id="gen-seed"
      label={t('gen.seed')}
      value={seed}
      min={LIMITS.seed.min}
      max={LIMITS.seed.max}
      error={locked ? error : undefined}
      hint={
        batch
          ? t('gen.seedLockedBatch', { first: batch.first, last: batch.last })
          : locked
            ? t('gen.seedLocked')
            : t('gen.seedRandom')
      }
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
