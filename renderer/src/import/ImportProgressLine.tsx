import { useI18n } from '../i18n/i18n';
import type { ImportState } from './import-store';

/** The running import in words and a bar: done of total, images a second, time left, counts. */
export function ImportProgressLine({
  state,
  compact = false,
}: {
  state: Extract<ImportState, { kind: 'running' }>;
  compact?: boolean;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const p = state.progress;
  const n = i18n.formatNumber;
  // A bar only once the total is known (not while the folders are still walked).
  const known = p !== null && !p.scanning && p.total > 0;
  const rate = p && p.done > 0 ? (p.rate >= 10 ? Math.round(p.rate) : Math.round(p.rate * 10) / 10) : null;
  return (
    <div className={compact ? 'import-progress import-progress--compact' : 'import-progress'}>
      <p className="import-progress__line" role="status" aria-live="polite" data-testid="import-progress">
        <span className="import-progress__main">
          {state.cancelling
            ? t('imp.cancelling')
            : p
              ? // While the folders are still walked the total is what was found so far.
                t(p.scanning ? 'imp.runningScan' : 'imp.running', {
                  done: n(p.done),
                  total: n(p.total),
                  found: n(p.total),
                })
              : t('imp.starting')}
        </span>
        {p && !state.cancelling && rate !== null && (
          <span className="import-progress__rate" data-testid="import-rate">
            {t('imp.rate', { rate: n(rate) })}
          </span>
        )}
        {p && !state.cancelling && p.etaMs !== null && p.done < p.total && (
          <span className="import-progress__eta" data-testid="import-eta">
            {t('imp.eta', { time: i18n.formatDuration(p.etaMs) })}
          </span>
        )}
      </p>
      <span
        className={known ? 'progress' : 'progress progress--indeterminate'}
        role="progressbar"
        aria-label={t('imp.progress')}
        aria-valuemin={0}
        aria-valuemax={known ? p.total : undefined}
        aria-valuenow={known ? p.done : undefined}
      >
        <span
          className="progress__bar"
          style={known ? { width: `${Math.round((p.done / p.total) * 100)}%` } : undefined}
        />
      </span>
      {p && !compact && (
        <p className="import-progress__counts" data-testid="import-counts">
          {t('imp.counts', { imported: n(p.imported), duplicates: n(p.duplicates), failed: n(p.failed) })}
        </p>
      )}
    </div>
  );
}
