import { useRef, type ReactNode } from 'react';
import { MODEL_ALIASES, type ModelAlias, type ProviderId } from '../../../shared/constants';
import type { Models } from '../generate/useModels';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { NO_FILTERS, isFiltered, type Filters } from './filters';
import './history.css';

/** Search by prompt and filters; the gallery below follows as the user types. */
export function HistoryToolbar({
  filters,
  onChange,
  models,
  count,
}: {
  filters: Filters;
  onChange: (filters: Filters) => void;
  models: Models;
  count: ReactNode;
}) {
  const { t } = useI18n();
  const searchRef = useRef<HTMLInputElement>(null);
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  return (
    <search className="history-bar" aria-label={t('history.filters')}>
      <div className="history-bar__search">
        <Icon name="search" className="history-bar__search-icon" />
        <input
          ref={searchRef}
          id="history-search"
          type="search"
          className="input history-bar__input"
          placeholder={t('history.searchPlaceholder')}
          aria-label={t('history.search')}
          value={filters.text}
          maxLength={500}
          onChange={(e) => set({ text: e.target.value })}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && filters.text) {
              e.preventDefault();
              set({ text: '' });
            }
          }}
        />
      </div>
      <select
        className="input select history-bar__select"
        aria-label={t('history.model')}
        value={filters.model}
        onChange={(e) => set({ model: e.target.value as ModelAlias | '' })}
      >
        <option value="">{t('history.anyModel')}</option>
        {MODEL_ALIASES.map((m) => (
          <option key={m} value={m}>
            {t(`gen.model.${m}`)}
          </option>
        ))}
      </select>
      <select
        className="input select history-bar__select"
        aria-label={t('history.provider')}
        value={filters.providerId}
        onChange={(e) => set({ providerId: e.target.value as ProviderId | '' })}
      >
        <option value="">{t('history.anyProvider')}</option>
        {models.providers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </select>
      <div className="history-bar__dates" role="group" aria-label={t('history.dates')}>
        <input
          type="date"
          className="input"
          aria-label={t('history.from')}
          title={t('history.from')}
          value={filters.from}
          max={filters.to || undefined}
          onChange={(e) => set({ from: e.target.value })}
        />
        <span aria-hidden="true">–</span>
        <input
          type="date"
          className="input"
          aria-label={t('history.to')}
          title={t('history.to')}
          value={filters.to}
          min={filters.from || undefined}
          onChange={(e) => set({ to: e.target.value })}
        />
      </div>
      <button
        type="button"
        className="icon-btn history-bar__fav"
        aria-pressed={filters.favourite}
        aria-label={t('history.favourites')}
        title={t('history.favourites')}
        onClick={() => set({ favourite: !filters.favourite })}
      >
        <Icon name="star" filled={filters.favourite} />
      </button>
      <span className="history-bar__count" aria-live="polite" data-testid="gallery-count">
        {count}
      </span>
      {isFiltered(filters) && (
        <button
          type="button"
          className="btn btn--small btn--ghost"
          onClick={() => {
            onChange(NO_FILTERS);
            searchRef.current?.focus();
          }}
        >
          {t('history.clear')}
        </button>
      )}
    </search>
  );
}
