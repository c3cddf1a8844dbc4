import { Fragment, useEffect, useRef, useState, type RefObject } from 'react';
import type { ProviderInfo } from '../../../shared/contract';
import type { ErrorInfo } from '../../../shared/errors';
import type { ProviderId } from '../../../shared/params';
import { api } from '../bridge';
import { errorText, toInfo } from '../i18n/errors';
import { useI18n, type I18n } from '../i18n/i18n';
import { healthText, stageText } from '../i18n/status';
import { Icon } from '../ui/Icon';

/**
 * Each provider's Space as Hugging Face last described it, read anew when the dialog opens and on
 * "Check now"; a paused or broken Space (which generation skips) offers "Retry".
 */
export function SpaceStates({
  providers,
  onProviders,
  focusRef,
}: {
  providers: ProviderInfo[];
  onProviders: (providers: ProviderInfo[]) => void;
  /** Set to the control to focus when the dialog opens on the Spaces (a Retry, else Check now). */
  focusRef: RefObject<HTMLButtonElement | null>;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const [checking, setChecking] = useState(false);
  const [checkedAt, setCheckedAt] = useState<number | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [retrying, setRetrying] = useState<ReadonlySet<ProviderId>>(new Set());
  const live = useRef(true);
  const checkRef = useRef<HTMLButtonElement>(null);
  const inFlight = useRef(false);

  const check = () => {
    // The button stays focusable while checking (disabling it would drop keyboard focus).
    if (inFlight.current) return;
    inFlight.current = true;
    setChecking(true);
    setError(null);
    api
      .invoke('providers:check', undefined)
      .then(
        ({ providers: next }) => {
          onProviders(next);
          if (live.current) setCheckedAt(Date.now());
        },
        (err: unknown) => live.current && setError(toInfo(err)),
      )
      .finally(() => {
        inFlight.current = false;
        if (live.current) setChecking(false);
      });
  };

  const retry = (id: ProviderId, button: HTMLButtonElement) => {
    if (retrying.has(id)) return;
    setRetrying((s) => new Set([...s, id]));
    setError(null);
    api
      .invoke('providers:retry', { id })
      .then(
        (info) => {
          // Its Retry button goes away with the skip: keep keyboard focus in the list.
          if (!info.state.skipped && document.activeElement === button) checkRef.current?.focus();
          onProviders([info]);
        },
        (err: unknown) => live.current && setError(toInfo(err)),
      )
      .finally(() => {
        if (live.current) setRetrying((s) => new Set([...s].filter((x) => x !== id)));
      });
  };

  useEffect(() => {
    live.current = true;
    check();
    return () => {
      live.current = false;
    };
    // Once per opening of the dialog.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const firstSkipped = providers.find((p) => p.state.skipped)?.id;

  return (
    <div className="spaces" data-testid="space-states">
      <div className="spaces__head">
        <h3 className="spaces__title" id="set-spaces-state">
          {t('set.spacesState')}
        </h3>
        <button
          type="button"
          ref={(el) => {
            checkRef.current = el;
            if (!firstSkipped) focusRef.current = el;
          }}
          className="btn btn--small"
          aria-disabled={checking || undefined}
          aria-describedby="set-spaces-hint"
          onClick={check}
        >
          <Icon name="reuse" />
          {checking ? t('set.spacesChecking') : t('set.spacesCheck')}
        </button>
      </div>
      <p className="field__hint" id="set-spaces-hint">
        {t('set.spacesHint')}
      </p>
      {error && (
        <p className="notice notice--error" role="alert" data-testid="spaces-error">
          <Icon name="alert" /> {errorText(i18n, error)}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {checkedAt !== null && !checking ? t('set.spacesCheckedAt', { time: i18n.formatTime(checkedAt) }) : ''}
      </p>
      <ul className="spaces__list" aria-labelledby="set-spaces-state">
        {providers.map((p) => {
          const { health, skipped } = p.state;
          const busy = retrying.has(p.id);
          return (
            <li
              key={p.id}
              className="space-row"
              data-testid="space-state"
              data-provider={p.id}
              data-health={health}
              data-skipped={skipped || undefined}
            >
              <div className="space-row__text">
                <span className="space-row__name">{p.label}</span>
                <span className="space-row__meta" data-testid="space-meta">
                  {metaParts(i18n, p).map((part, i) => (
                    // Each part wraps as a whole where it can ("checked at 11:03:39 PM").
                    <Fragment key={i}>
                      {i > 0 && ' · '}
                      <span className="space-row__part">{part}</span>
                    </Fragment>
                  ))}
                </span>
                {skipped && <span className="space-row__note">{t('set.spaceSkipped')}</span>}
              </div>
              <span className={`badge badge--health-${health}`} data-testid="space-health">
                {healthText(i18n, health)}
              </span>
              {skipped && (
                <button
                  type="button"
                  ref={(el) => {
                    if (p.id === firstSkipped) focusRef.current = el;
                  }}
                  className="btn btn--small"
                  aria-label={t('set.spaceRetryLabel', { provider: p.label })}
                  aria-disabled={busy || undefined}
                  onClick={(e) => retry(p.id, e.currentTarget)}
                >
                  {busy ? t('set.spaceRetrying') : t('set.spaceRetry')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** "Hugging Face: asleep (SLEEPING)", "checked at 14:03:12". */
export function metaParts(i18n: I18n, p: ProviderInfo): string[] {
  const { t } = i18n;
  const { stage, checkedAt } = p.state;
  if (checkedAt === null && stage === null) return [t('set.spaceNeverChecked')];
  const parts: string[] = [];
  if (stage === null) parts.push(t('set.spaceStageUnread'));
  else {
    const words = stageText(i18n, stage);
    parts.push(
      words === stage ? t('set.spaceStageRaw', { code: stage }) : t('set.spaceStage', { stage: words, code: stage }),
    );
  }
  parts.push(
    checkedAt === null ? t('set.spaceNeverChecked') : t('set.spaceChecked', { time: i18n.formatTime(checkedAt) }),
  );
  return parts;
}
