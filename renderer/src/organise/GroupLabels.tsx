import { useI18n, type I18n } from '../i18n/i18n';
import { dayLabelParts, type GroupKind, type GroupStart } from './groups';

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(language: string, withYear: boolean): Intl.DateTimeFormat {
  const key = `${language} ${withYear}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language, {
      weekday: 'short',
      day: 'numeric',
      month: 'long',
      ...(withYear ? { year: 'numeric' } : {}),
    });
    dateFormats.set(key, f);
  }
  return f;
}

/** A group's header in words: "Today", "Yesterday", "Wed, 12 March" (with the year when not this one), "4 stars". */
export function groupLabel(i18n: I18n, kind: Exclude<GroupKind, null>, key: string, now = new Date()): string {
  if (kind === 'rating') {
    const n = Number(key);
    return n > 0 ? i18n.tn('org.stars', n) : i18n.t('org.group.noStars');
  }
  const day = dayLabelParts(key, now);
  if (day.kind === 'today') return i18n.t('org.group.today');
  if (day.kind === 'yesterday') return i18n.t('org.group.yesterday');
  if (!day.date) return key;
  return dateFormat(i18n.language, day.date.getFullYear() !== now.getFullYear()).format(day.date);
}

/**
 * The headers of the groups that begin in one row, in the band above its tiles: each over the
 * column of its group's first image, cut at the next header. Read by screen readers as the
 * description of that first tile (aria-describedby), not as cells of the grid.
 */
export function GroupLabels({
  starts,
  kind,
  left,
  step,
  height,
}: {
  starts: GroupStart[];
  kind: Exclude<GroupKind, null>;
  left: number;
  step: number;
  height: number;
}) {
  const i18n = useI18n();
  return (
    <>
      {starts.map((g, i) => {
        const next = starts[i + 1];
        const span = (next ? next.col : Number.POSITIVE_INFINITY) - g.col;
        return (
          <span
            key={g.index}
            id={`gallery-group-${g.index}`}
            className="gallery__group"
            data-testid="group-header"
            aria-hidden="true"
            style={{
              left: left + g.col * step,
              height,
              lineHeight: `${height}px`,
              maxWidth: Number.isFinite(span) ? span * step - 6 : `calc(100% - ${left + g.col * step + left}px)`,
            }}
          >
            {kind === 'rating' && Number(g.key) > 0 ? '★ ' : ''}
            {groupLabel(i18n, kind, g.key)}
          </span>
        );
      })}
    </>
  );
}
