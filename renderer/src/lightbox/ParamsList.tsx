import type { ReactNode } from 'react';
import type { ProviderInfo } from '../../../shared/contract';
import { ASPECT_RATIO_KEYS, ASPECT_RATIOS, type AspectRatio } from '../../../shared/constants';
import { IMPORT_SOURCE_NAMES, isImportedEntry, type HistoryEntry } from '../../../shared/library';
import { extraValueText } from '../generate/extras';
import { useI18n, type I18n } from '../i18n/i18n';

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const ratioOf = ([w, h]: readonly [number, number]) => w / h;

/**
 * The aspect ratio of the size that was made, in words: the preset asked for when the size is that
 * preset (sizes snap to the Space's steps, so within 8 %), else the preset it really is, else its own
 * ratio ("custom, 13:19"). A custom size is stored with the default preset (1:1): never shown as such.
 */
export function aspectLabel(i18n: I18n, asked: AspectRatio, width: number, height: number): string {
  if (width <= 0 || height <= 0) return asked;
  const real = width / height;
  const near = (r: AspectRatio, tolerance: number) => Math.abs(ratioOf(ASPECT_RATIOS[r]) / real - 1) <= tolerance;
  if (near(asked, 0.08)) return asked;
  const preset = ASPECT_RATIO_KEYS.find((r) => near(r, 0.01));
  if (preset) return preset;
  const g = gcd(width, height);
  const [a, b] = [width / g, height / g];
  const ratio = a <= 64 && b <= 64 ? `${a}:${b}` : `${i18n.formatNumber(Math.round(real * 100) / 100)}:1`;
  return i18n.t('lb.aspectCustom', { ratio });
}

/** Everything needed to understand and reproduce an image. */
export function ParamsList({
  entry,
  providerLabel,
  provider,
}: {
  entry: HistoryEntry;
  providerLabel: string;
  /** The provider's info when it still exists: names its own controls. */
  provider?: ProviderInfo | undefined;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const p = entry.params;
  const model: ReactNode = entry.requestedModel ? (
    <>
      {t(`gen.model.${entry.model}`)}
      <span className="params__note">{t('lb.p.askedAs', { model: t(`gen.model.${entry.requestedModel}`) })}</span>
    </>
  ) : (
    t(`gen.model.${entry.model}`)
  );
  const extraRows: [string, ReactNode][] = Object.entries(p.extras ?? {}).map(([key, value]) => {
    const input = provider?.extraInputs.find((i) => i.key === key);
    const name = input?.label?.trim() || key;
    const shown =
      typeof value === 'boolean'
        ? t(value ? 'misc.on' : 'misc.off')
        : typeof value === 'number'
          ? i18n.formatNumber(value)
          : extraValueText(input, value);
    return [t('lb.p.extra', { name }), shown];
  });
  const providerRow: ReactNode = p.servedBy ? (
    <>
      {providerLabel}
      <span className="params__note" data-testid="lightbox-served-by">
        {t('lb.p.servedBy', { by: p.servedBy })}
      </span>
    </>
  ) : (
    providerLabel
  );
  // Another tool made it (issue 18): its own model name and the tool, not one of our models and providers.
  const imported = isImportedEntry(entry);
  const origin: [string, ReactNode][] = imported
    ? [
        [t('lb.p.model'), <span data-testid="lightbox-model-name">{p.modelName ?? t('lb.p.modelUnknown')}</span>],
        [
          t('lb.p.madeWith'),
          <span data-testid="lightbox-source">
            {p.source ? IMPORT_SOURCE_NAMES[p.source] : '–'}
            <span className="params__note">{t('lb.p.importedNote')}</span>
          </span>,
        ],
        ...(p.sampler ? ([[t('lb.p.sampler'), p.sampler]] as [string, ReactNode][]) : []),
      ]
    : [];
  const rows: [string, ReactNode][] = [
    ...origin,
    ...(imported
      ? []
      : ([
          [t('lb.p.model'), model],
          [t('lb.p.provider'), providerRow],
        ] as [string, ReactNode][])),
    ...(p.style
      ? ([[t('lb.p.style'), <span data-testid="lightbox-style">{p.style}</span>]] as [string, ReactNode][])
      : []),
    ...(p.negativePrompt
      ? ([[t('lb.p.negativePrompt'), <span className="params__long">{p.negativePrompt}</span>]] as [
          string,
          ReactNode,
        ][])
      : []),
    ...extraRows,
    [t('lb.p.size'), `${entry.width} × ${entry.height}`],
    [t('lb.p.aspect'), aspectLabel(i18n, p.aspectRatio, entry.width, entry.height)],
    [t('lb.p.steps'), String(p.steps)],
    ...(p.guidance !== undefined ? ([[t('lb.p.guidance'), i18n.formatNumber(p.guidance)]] as [string, string][]) : []),
    ...(p.cfgScale !== undefined && p.cfgScale !== p.guidance
      ? ([[t('lb.p.cfgScale'), i18n.formatNumber(p.cfgScale)]] as [string, string][])
      : []),
    [t('lb.p.seed'), String(entry.seed)],
    [t('lb.p.created'), i18n.formatDateTime(entry.createdAt)],
    // Another tool's generation time is not known.
    ...(imported ? [] : ([[t('lb.p.duration'), i18n.formatDuration(entry.durationMs)]] as [string, string][])),
    [t('lb.p.bytes'), i18n.formatBytes(entry.bytes)],
  ];
  return (
    <dl className="params" data-testid="lightbox-params">
      {rows.map(([k, v], i) => (
        <div key={`${i}-${k}`} className="params__row" data-testid="params-row">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
