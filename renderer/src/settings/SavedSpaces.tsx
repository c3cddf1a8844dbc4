import { Fragment, useEffect, useRef, useState, type RefObject } from 'react';
import type { ProviderInfo } from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/errors';
import type { SavedSpace } from '../../../shared/spaces';
import { api } from '../bridge';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n } from '../i18n/i18n';
import { healthText } from '../i18n/status';
import { Icon } from '../ui/Icon';
import { useToasts } from '../ui/toast-context';
import { metaParts } from './SpaceStates';

/**
 * The Spaces the user added: each with its label, id, address, the models it serves and its state
 * on Hugging Face; Edit opens the Space dialog, Remove asks first. These change at once (their own
 * channels), not with the settings' Save.
 */
export function SavedSpaces({
  spaces,
  providers,
  onAdd,
  onEdit,
  onRemoved,
  onProviders,
  addRef,
}: {
  spaces: readonly SavedSpace[];
  providers: readonly ProviderInfo[];
  onAdd: () => void;
  onEdit: (space: SavedSpace) => void;
  onRemoved: (id: SavedSpace['id']) => void;
  onProviders: (providers: ProviderInfo[]) => void;
  addRef: RefObject<HTMLButtonElement | null>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const toasts = useToasts();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);
  useEffect(() => {
    if (confirming) keepRef.current?.focus();
  }, [confirming]);

  const remove = (space: SavedSpace) => {
    if (busy) return;
    setBusy(space.id);
    setError(null);
    api
      .invoke('spaces:remove', { id: space.id })
      .then(
        () => {
          if (!live.current) return;
          setConfirming(null);
          onRemoved(space.id);
          toasts.show({ message: t('space.removed', { label: space.label }), tone: 'success' });
          // Its row goes away: keep keyboard focus in the section.
          addRef.current?.focus();
        },
        (err: unknown) => live.current && setError(toInfo(err)),
      )
      .finally(() => live.current && setBusy(null));
  };

  const retry = (id: SavedSpace['id']) => {
    if (busy) return;
    setBusy(id);
    setError(null);
    api
      .invoke('providers:retry', { id })
      .then(
        (info) => onProviders([info]),
        (err: unknown) => live.current && setError(toInfo(err)),
      )
      .finally(() => live.current && setBusy(null));
  };

  return (
    <div className="my-spaces" data-testid="saved-spaces">
      <div className="spaces__head">
        <p className="field__hint my-spaces__intro">{t('space.intro')}</p>
        <button type="button" ref={addRef} className="btn btn--small" onClick={onAdd} data-testid="space-add">
          <Icon name="sparkles" /> {t('space.add')}
        </button>
      </div>
      {error && (
        <p className="notice notice--error" role="alert" data-testid="saved-spaces-error">
          <Icon name="alert" /> {errorText(i18n, error)}
        </p>
      )}
      {spaces.length === 0 ? (
        <p className="field__hint" data-testid="saved-spaces-empty">
          {t('space.none')}
        </p>
      ) : (
        <ul className="spaces__list" aria-label={t('set.customSpaces')}>
          {spaces.map((s) => {
            const info = providers.find((p) => p.id === s.id);
            const health = info?.state.health ?? 'unknown';
            const skipped = info?.state.skipped ?? false;
            const asking = confirming === s.id;
            return (
              <li
                key={s.id}
                className="space-row space-row--saved"
                data-testid="saved-space"
                data-provider={s.id}
                data-health={health}
              >
                <div className="space-row__text">
                  <span className="space-row__name" data-testid="saved-space-label">
                    {s.label}
                  </span>
                  <span className="space-row__meta">
                    <span className="space-row__part">{s.spaceId ?? t('space.local')}</span>
                    {' · '}
                    <span className="space-row__part space-row__url">{s.baseUrl}</span>
                  </span>
                  <span className="space-row__meta" data-testid="saved-space-aliases">
                    {s.aliases.length > 0
                      ? t('space.servesModels', { models: s.aliases.map((a) => t(`gen.model.${a}`)).join(', ') })
                      : t('space.servesNone')}
                  </span>
                  {info && (
                    <span className="space-row__meta">
                      {metaParts(i18n, info).map((part, i) => (
                        <Fragment key={i}>
                          {i > 0 && ' · '}
                          <span className="space-row__part">{part}</span>
                        </Fragment>
                      ))}
                    </span>
                  )}
                  {skipped && <span className="space-row__note">{t('set.spaceSkipped')}</span>}
                  {asking && (
                    <div
                      className="my-spaces__confirm"
                      role="group"
                      aria-label={t('space.removeAsk', { label: s.label })}
                    >
                      <span className="space-row__note">{t('space.removeAsk', { label: s.label })}</span>
                      <span className="my-spaces__buttons">
                        <button
                          type="button"
                          className="btn btn--small btn--danger"
                          aria-disabled={busy === s.id || undefined}
                          onClick={() => remove(s)}
                          data-testid="saved-space-remove-confirm"
                        >
                          {t('space.removeYes')}
                        </button>
                        <button
                          type="button"
                          ref={keepRef}
                          className="btn btn--small"
                          onClick={() => setConfirming(null)}
                        >
                          {t('space.removeNo')}
                        </button>
                      </span>
                    </div>
                  )}
                </div>
                <div className="space-row__side">
                  <span className={`badge badge--health-${health}`} data-testid="space-health">
                    {healthText(i18n, health)}
                  </span>
                  <span className="my-spaces__buttons">
                    {skipped && (
                      <button
                        type="button"
                        className="btn btn--small"
                        aria-label={t('set.spaceRetryLabel', { provider: s.label })}
                        aria-disabled={busy === s.id || undefined}
                        onClick={() => retry(s.id)}
                      >
                        {t('set.spaceRetry')}
                      </button>
                    )}
                    <button
                      type="button"
                      className="btn btn--small"
                      aria-label={t('space.editLabel', { label: s.label })}
                      onClick={() => onEdit(s)}
                      data-testid="saved-space-edit"
                    >
                      {t('space.edit')}
                    </button>
                    <button
                      type="button"
                      className="btn btn--small"
                      aria-label={t('space.removeLabel', { label: s.label })}
                      aria-expanded={asking}
                      onClick={() => setConfirming(asking ? null : s.id)}
                      data-testid="saved-space-remove"
                    >
                      {t('space.remove')}
                    </button>
                  </span>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
