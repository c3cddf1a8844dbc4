import { useId, useRef, useState, type ReactNode } from 'react';
import { RUN_MODELS, type ModelAlias, type ProviderId } from '../../../shared/constants';
import { TILE_SIZE, type ViewOptions } from '../gallery/view-options';
import { GROUP_LABEL } from '../generate/ModelFields';
import { groupProviders } from '../generate/providers';
import type { Models } from '../generate/useModels';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { HISTORY_SORTS, type HistorySort } from '../../../shared/library';
import { RATING_MAX } from '../../../shared/organise';
import { OrgIcon } from '../organise/OrgIcon';
import { clearedFilters, isFiltered, toHistoryFilter, type Filters } from './filters';
import './history.css';

/**
 * Search by prompt and filters; the gallery below follows as the user types. Narrow windows fold
 * the filters behind a "Filters" button (the search and the count stay), so the gallery keeps room.
 */
export function HistoryToolbar({
  filters,
  onChange,
  models,
  count,
  view,
  onViewChange,
  boards,
}: {
  filters: Filters;
  onChange: (filters: Filters) => void;
  models: Models;
  count: ReactNode;
  view: ViewOptions;
  onViewChange: (view: ViewOptions) => void;
  /** The board sidebar's toggle, the board shown, the shortcuts sheet (issue 17). */
  boards?: { open: boolean; onToggle: () => void; activeName: string | null; onShortcuts: () => void };
}) {
  const { t, tn } = useI18n();
  const searchRef = useRef<HTMLInputElement>(null);
  const [expanded, setExpanded] = useState(false);
  const panelId = useId();
  const set = (patch: Partial<Filters>) => onChange({ ...filters, ...patch });
  const active = Object.keys(toHistoryFilter({ ...filters, text: '', board: '', sort: 'newest' })).length;
  return (
    <search className="history-bar" aria-label={t('history.filters')} data-expanded={expanded}>
      {boards && (
        <button
          type="button"
          className="icon-btn history-bar__boards"
          aria-pressed={boards.open}
          aria-label={t('org.boards.title')}
          title={t('org.boards.title')}
          onClick={boards.onToggle}
          data-testid="boards-toggle"
        >
          <Icon name="bookmark" filled={filters.board !== ''} />
        </button>
      )}
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
      <button
        type="button"
        className="btn btn--small history-bar__toggle"
        aria-expanded={expanded}
        aria-controls={panelId}
        onClick={() => setExpanded((x) => !x)}
        data-testid="filters-toggle"
      >
        <Icon name="filter" />
        {active > 0 ? t('history.moreFiltersActive', { n: active }) : t('history.moreFilters')}
      </button>
      <div className="history-bar__filters" id={panelId}>
        <div className="history-bar__group history-bar__group--main">
          <select
            className="input select history-bar__select"
            aria-label={t('history.model')}
            value={filters.model}
            onChange={(e) => set({ model: e.target.value as ModelAlias | '' })}
          >
            <option value="">{t('history.anyModel')}</option>
            {/* Images are filed under the model that made them, so those are what one filters by. */}
            {RUN_MODELS.map((m) => (
              <option key={m} value={m}>
                {t(`gen.model.${m}`)}
              </option>
            ))}
          </select>

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
          <select
            className="input select history-bar__select"
            aria-label={t('org.minRating')}
            title={t('org.minRating')}
            value={filters.minRating}
            onChange={(e) => set({ minRating: Number(e.target.value) })}
            data-testid="min-rating"
          >
            <option value={0}>{t('org.minRating.any')}</option>
            {Array.from({ length: RATING_MAX }, (_, i) => (
              <option key={i + 1} value={i + 1}>
                {tn('org.minRating.n', i + 1)}
              </option>
            ))}
          </select>
          <select
            className="input select history-bar__select"
            aria-label={t('org.sort')}
            title={t('org.sort')}
            value={filters.sort}
            onChange={(e) => set({ sort: e.target.value as HistorySort })}
            data-testid="sort"
          >
            {HISTORY_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`org.sort.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="history-bar__group history-bar__group--more">
          <select
            className="input select history-bar__select history-bar__select--provider"
            aria-label={t('history.provider')}
            value={filters.providerId}
            onChange={(e) => set({ providerId: e.target.value as ProviderId | '' })}
          >
            <option value="">{t('history.anyProvider')}</option>
            {groupProviders(models.providers).map((g, _i, groups) => {
              const options = g.providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ));
              // Grouped by kind once the user has Spaces of their own or inference models.
              return groups.length === 1 ? (
                options
              ) : (
                <optgroup key={g.kind} label={t(GROUP_LABEL[g.kind])}>
                  {options}
                </optgroup>
              );
            })}
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
          <div className="history-bar__view" role="group" aria-label={t('gallery.view')}>
            <button
              type="button"
              className="icon-btn"
              aria-pressed={view.tileMode === 'whole'}
              aria-label={t('gallery.wholeImages')}
              title={t('gallery.wholeImages')}
              onClick={() => onViewChange({ ...view, tileMode: view.tileMode === 'whole' ? 'crop' : 'whole' })}
              data-testid="tile-mode"
            >
              <Icon name="fit" />
            </button>
            <input
              type="range"
              className="history-bar__size"
              min={TILE_SIZE.min}
              max={TILE_SIZE.max}
              step={TILE_SIZE.step}
              value={view.tileSize}
              aria-label={t('gallery.tileSize')}
              title={t('gallery.tileSize')}
              onChange={(e) => onViewChange({ ...view, tileSize: Number(e.target.value) })}
              data-testid="tile-size"
            />
          </div>
          {boards && (
            <button
              type="button"
              className="icon-btn"
              aria-label={t('org.keys.title')}
              title={`${t('org.keys.title')} (?)`}
              aria-keyshortcuts="Shift+Slash"
              onClick={boards.onShortcuts}
              data-testid="shortcuts-open"
            >
              <OrgIcon name="keyboard" />
            </button>
          )}
        </div>
      </div>
      <span className="history-bar__count" aria-live="polite" data-testid="gallery-count">
        {count}
      </span>
      {boards?.activeName != null && (
        <span className="history-bar__board" data-testid="board-chip">
          <Icon name="bookmark" filled />
          <span className="history-bar__board-name">{boards.activeName}</span>
          <button
            type="button"
            className="icon-btn icon-btn--small"
            aria-label={t('org.boards.showAll')}
            title={t('org.boards.showAll')}
            onClick={() => set({ board: '' })}
          >
            <Icon name="close" />
          </button>
        </span>
      )}
      {isFiltered(filters) && (
        <button
          type="button"
          className="btn btn--small btn--ghost history-bar__clear"
          onClick={() => {
            onChange(clearedFilters(filters));
            searchRef.current?.focus();
          }}
        >
          {t('history.clear')}
        </button>
      )}
    </search>
  );
}
