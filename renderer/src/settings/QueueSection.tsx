import { useState } from 'react';
import type { ProviderInfo } from '../../../shared/contract';
import type { NotificationSettings } from '../../../shared/queue';
import { providerOptionText } from '../generate/ModelFields';
import { groupProviders } from '../generate/providers';
import { useI18n } from '../i18n/i18n';
import { askPermission, notificationPermission, type Permission } from '../notify/notifications';
import { NumberField } from '../ui/NumberField';
import type { SettingsDraft, SettingsErrors } from './settings-form';

/**
 * Settings → Queue: jobs at once per Space (and per provider), and what a Space's spent GPU quota
 * does to its jobs (wait for it, or the next provider).
 */
export function QueueSection({
  draft,
  errors,
  providers,
  onChange,
}: {
  draft: Pick<SettingsDraft, 'concurrency' | 'concurrencyBy' | 'quotaFallback'>;
  errors: SettingsErrors;
  providers: readonly ProviderInfo[];
  onChange: (patch: Partial<SettingsDraft>) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const fallback = Number(draft.concurrency);
  const defaultN = Number.isInteger(fallback) && fallback >= 1 && fallback <= 4 ? fallback : '?';
  const rows = groupProviders(providers).flatMap((g) => g.providers);
  return (
    <>
      <NumberField
        id="set-concurrency"
        label={t('set.concurrency')}
        value={draft.concurrency}
        min={1}
        max={4}
        error={errors.concurrency}
        hint={t('set.concurrencyHint')}
        onChange={(concurrency) => onChange({ concurrency })}
      />
      {rows.length > 0 && (
        <div className="queue-set" role="group" aria-labelledby="set-concurrency-by">
          <p className="field__label" id="set-concurrency-by">
            {t('set.concurrencyBy')}
          </p>
          <ul className="spaces__list">
            {rows.map((p) => (
              <li key={p.id} className="space-row queue-set__row" data-testid="concurrency-row" data-provider={p.id}>
                <label className="space-row__text" htmlFor={`set-conc-${p.id}`}>
                  <span className="space-row__name">{providerOptionText(i18n, p)}</span>
                </label>
                <select
                  id={`set-conc-${p.id}`}
                  className="input select queue-set__select"
                  aria-label={t('set.concurrencyFor', { provider: p.label })}
                  value={draft.concurrencyBy[p.id] ?? ''}
                  onChange={(e) => onChange({ concurrencyBy: { ...draft.concurrencyBy, [p.id]: e.target.value } })}
                >
                  <option value="">{t('set.concurrencyDefault', { n: defaultN })}</option>
                  {[1, 2, 3, 4].map((n) => (
                    <option key={n} value={String(n)}>
                      {n}
                    </option>
                  ))}
                </select>
              </li>
            ))}
          </ul>
          <p className="field__hint">{t('set.concurrencyByHint')}</p>
        </div>
      )}
      <fieldset className="queue-set__quota">
        <legend className="field__label">{t('set.quota')}</legend>
        <label className="settings__check">
          <input
            type="radio"
            name="quota-fallback"
            value="wait"
            checked={!draft.quotaFallback}
            onChange={() => onChange({ quotaFallback: false })}
            data-testid="quota-wait"
          />
          <span>{t('set.quotaWait')}</span>
        </label>
        <label className="settings__check">
          <input
            type="radio"
            name="quota-fallback"
            value="fallback"
            checked={draft.quotaFallback}
            onChange={() => onChange({ quotaFallback: true })}
            data-testid="quota-fallback"
          />
          <span>{t('set.quotaFallback')}</span>
        </label>
      </fieldset>
    </>
  );
}

const KINDS = ['jobDone', 'jobFailed', 'queueDone'] as const;
const REST = ['sound', 'whenFocused'] as const;
const DESKTOP = ['taskbarProgress', 'badge'] as const;
const LABEL = {
  jobDone: 'set.notifyJobDone',
  jobFailed: 'set.notifyJobFailed',
  queueDone: 'set.notifyQueueDone',
  sound: 'set.notifySound',
  whenFocused: 'set.notifyWhenFocused',
  taskbarProgress: 'set.notifyTaskbar',
  badge: 'set.notifyBadge',
} as const satisfies Record<keyof NotificationSettings, string>;

/**
 * Settings → Notifications: which are shown, their sound, whether also while the window is in front,
 * and the taskbar's progress and badge (the desktop app's). In the web preview, turning one on asks
 * the browser's permission (a user's action), and a refusal is said.
 */
export function NotificationsSection({
  value,
  transport,
  onChange,
}: {
  value: NotificationSettings;
  transport: 'electron' | 'web' | 'cli' | null;
  onChange: (next: NotificationSettings) => void;
}) {
  const { t } = useI18n();
  const web = transport === 'web';
  const [permission, setPermission] = useState<Permission>(() => notificationPermission());
  const anyOn = KINDS.some((k) => value[k]);
  const toggle = (key: keyof NotificationSettings, on: boolean) => {
    onChange({ ...value, [key]: on });
    if (web && on && (KINDS as readonly string[]).includes(key) && notificationPermission() === 'default') {
      void askPermission().then(setPermission);
    }
  };
  const box = (key: keyof NotificationSettings, disabled = false) => (
    <label key={key} className="settings__check">
      <input
        type="checkbox"
        id={`set-notify-${key}`}
        checked={value[key]}
        disabled={disabled}
        onChange={(e) => toggle(key, e.target.checked)}
        data-testid={`notify-${key}`}
      />
      <span>{t(LABEL[key])}</span>
    </label>
  );
  return (
    <>
      <div className="queue-set__checks">
        {KINDS.map((k) => box(k))}
        {REST.map((k) => box(k, !anyOn && k === 'whenFocused'))}
      </div>
      {web && anyOn && permission === 'denied' && (
        <p className="notice notice--warning" data-testid="notify-denied">
          {t('set.notifyDenied')}
        </p>
      )}
      {web && anyOn && permission === 'unsupported' && <p className="field__hint">{t('set.notifyUnsupported')}</p>}
      <div className="queue-set__checks">
        {DESKTOP.map((k) => box(k))}
        {web && <p className="field__hint">{t('set.notifyDesktopOnly')}</p>}
      </div>
    </>
  );
}
