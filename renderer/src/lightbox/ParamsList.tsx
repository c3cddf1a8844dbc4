import type { HistoryEntry } from '../../../shared/library';
import { useI18n } from '../i18n/i18n';

/** Everything needed to understand and reproduce an image. */
export function ParamsList({ entry, providerLabel }: { entry: HistoryEntry; providerLabel: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const p = entry.params;
  const rows: [string, string][] = [
    [t('lb.p.model'), t(`gen.model.${entry.model}`)],
    [t('lb.p.provider'), providerLabel],
    [t('lb.p.size'), `${entry.width} × ${entry.height}`],
    [t('lb.p.aspect'), p.aspectRatio],
    [t('lb.p.steps'), String(p.steps)],
    ...(p.guidance !== undefined ? ([[t('lb.p.guidance'), i18n.formatNumber(p.guidance)]] as [string, string][]) : []),
    [t('lb.p.seed'), String(entry.seed)],
    [t('lb.p.created'), i18n.formatDateTime(entry.createdAt)],
    [t('lb.p.duration'), i18n.formatDuration(entry.durationMs)],
    [t('lb.p.bytes'), i18n.formatBytes(entry.bytes)],
  ];
  return (
    <dl className="params" data-testid="lightbox-params">
      {rows.map(([k, v]) => (
        <div key={k} className="params__row">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
