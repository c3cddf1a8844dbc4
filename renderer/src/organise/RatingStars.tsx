import { useRef, type KeyboardEvent } from 'react';
import { RATING_MAX } from '../../../shared/organise';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';

/**
 * 0–5 stars as a radio group: click a star (the same star again removes the rating), or arrows
 * within the group. One tab stop.
 */
export function RatingStars({
  value,
  onChange,
  disabled,
}: {
  value: number;
  onChange: (rating: number) => void;
  disabled?: boolean;
}) {
  const { t, tn } = useI18n();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    let next: number | null = null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowUp') next = Math.min(RATING_MAX, value + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') next = Math.max(0, value - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = RATING_MAX;
    if (next === null) return;
    // Arrows here change stars; they must not also move the viewer to another image.
    e.preventDefault();
    e.stopPropagation();
    onChange(next);
    refs.current[Math.max(1, next) - 1]?.focus();
  };
  return (
    <div
      role="radiogroup"
      aria-label={t('org.rating')}
      className="rating"
      data-testid="rating-stars"
      data-value={value}
      onKeyDown={onKey}
    >
      {Array.from({ length: RATING_MAX }, (_, i) => {
        const n = i + 1;
        const on = n <= value;
        return (
          <button
            key={n}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="radio"
            aria-checked={n === value}
            aria-label={tn('org.stars', n)}
            title={n === value ? t('org.clearRating') : tn('org.stars', n)}
            tabIndex={n === Math.max(1, value) ? 0 : -1}
            className={on ? 'rating__star rating__star--on' : 'rating__star'}
            disabled={disabled}
            onClick={() => onChange(n === value ? 0 : n)}
          >
            <Icon name="star" filled={on} />
          </button>
        );
      })}
    </div>
  );
}
