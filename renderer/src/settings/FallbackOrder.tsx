import { useEffect, useRef } from 'react';
import type { ProviderInfo } from '../../../shared/contract';
import { MODEL_ALIASES, type ModelAlias, type ProviderId } from '../../../shared/constants';
import { kindOf } from '../generate/providers';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../ui/Icon';
import { isCustomOrder, moved, orderedFor, type AliasOrder } from './provider-order';

/**
 * Per model alias, the order automatic routing tries the free Spaces in, changed with Up/Down
 * (keyboard focus follows the moved Space) and reset to the default; saved with the settings' Save.
 */
export function FallbackOrder({
  order,
  providers,
  onChange,
}: {
  order: AliasOrder;
  providers: readonly ProviderInfo[];
  onChange: (order: AliasOrder) => void;
}) {
  const { t } = useI18n();
  // The button to focus once the list has re-rendered after a move: `${alias} ${id} ${up|down}`.
  const refocus = useRef<string | null>(null);
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  useEffect(() => {
    const want = refocus.current;
    if (!want) return;
    refocus.current = null;
    buttons.current.get(want)?.focus();
  });

  const move = (alias: ModelAlias, id: ProviderId, delta: -1 | 1, at: number, count: number) => {
    const next = moved(alias, providers, order[alias], id, delta);
    onChange({ ...order, [alias]: next });
    // At the end it moved to, the same button does nothing any more: focus the other one.
    const dir = delta < 0 ? (at + delta === 0 ? 'down' : 'up') : at + delta === count - 1 ? 'up' : 'down';
    refocus.current = `${alias} ${id} ${dir}`;
  };
  const ref = (key: string) => (el: HTMLButtonElement | null) => {
    if (el) buttons.current.set(key, el);
    else buttons.current.delete(key);
  };

  return (
    <div className="order" data-testid="fallback-order">
      <p className="field__hint">{t('set.orderHint')}</p>
      {MODEL_ALIASES.map((alias) => {
        const list = orderedFor(alias, providers, order[alias]);
        const custom = isCustomOrder(alias, providers, order[alias]);
        const headingId = `set-order-${alias}`;
        return (
          <section key={alias} className="order__alias" aria-labelledby={headingId} data-alias={alias}>
            <div className="spaces__head">
              <h3 className="spaces__title" id={headingId}>
                {t(`gen.model.${alias}`)}
              </h3>
              {custom && (
                <button
                  type="button"
                  className="btn btn--small"
                  aria-label={t('set.orderResetLabel', { model: t(`gen.model.${alias}`) })}
                  onClick={() => onChange({ ...order, [alias]: [] })}
                  data-testid="order-reset"
                >
                  {t('set.orderReset')}
                </button>
              )}
            </div>
            {list.length === 0 ? (
              <p className="field__hint">{t('set.orderNone')}</p>
            ) : (
              <ol className="spaces__list order__list" aria-labelledby={headingId}>
                {list.map((p, i) => (
                  <li key={p.id} className="space-row order__row" data-testid="order-row" data-provider={p.id}>
                    <span className="order__pos" aria-hidden="true">
                      {i + 1}
                    </span>
                    <span className="space-row__text">
                      <span className="space-row__name">{p.label}</span>
                      <span className="space-row__meta">
                        {kindOf(p) === 'space' ? t('set.orderYourSpace') : t('set.orderBuiltin')}
                      </span>
                    </span>
                    {list.length > 1 && (
                      <span className="order__buttons">
                        <button
                          type="button"
                          ref={ref(`${alias} ${p.id} up`)}
                          className="icon-btn icon-btn--small order__up"
                          aria-label={t('set.orderUp', { provider: p.label, model: t(`gen.model.${alias}`) })}
                          title={t('set.orderUpShort')}
                          aria-disabled={i === 0 || undefined}
                          onClick={() => i > 0 && move(alias, p.id, -1, i, list.length)}
                        >
                          <Icon name="down" className="icon--flip" />
                        </button>
                        <button
                          type="button"
                          ref={ref(`${alias} ${p.id} down`)}
                          className="icon-btn icon-btn--small order__down"
                          aria-label={t('set.orderDown', { provider: p.label, model: t(`gen.model.${alias}`) })}
                          title={t('set.orderDownShort')}
                          aria-disabled={i === list.length - 1 || undefined}
                          onClick={() => i < list.length - 1 && move(alias, p.id, 1, i, list.length)}
                        >
                          <Icon name="down" />
                        </button>
                      </span>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
        );
      })}
    </div>
  );
}
