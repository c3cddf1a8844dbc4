/** Job status codes and Hugging Face Space stages in the user's language. */
import type { SpaceHealth } from '../../../shared/contract';
import type { JobStatus } from '../../../shared/events';
import { formatCountdown } from '../jobs/countdown';
import type { I18n } from './i18n';
import type { MessageKey } from './types';

/** Hugging Face `runtime.stage` values the app has words for; others show as Hugging Face spells them. */
const KNOWN_STAGES = [
  'RUNNING',
  'RUNNING_BUILDING',
  'SLEEPING',
  'STOPPED',
  'BUILDING',
  'APP_STARTING',
  'PAUSED',
  'RUNTIME_ERROR',
  'BUILD_ERROR',
  'CONFIG_ERROR',
  'NO_APP_FILE',
] as const;
type KnownStage = (typeof KNOWN_STAGES)[number];
const isKnownStage = (s: string): s is KnownStage => (KNOWN_STAGES as readonly string[]).includes(s);

/** A stage in words that fit "The Space is …" ("asleep", "paused by its author"). */
export function stageText(i18n: I18n, stage: string): string {
  if (!isKnownStage(stage)) return stage;
  const key: MessageKey = `stage.${stage}`;
  return i18n.t(key);
}

export function healthText(i18n: I18n, health: SpaceHealth): string {
  const key: MessageKey = `health.${health}`;
  return i18n.t(key);
}

const param = (status: JobStatus, name: string): string | number | undefined => status.params?.[name];

/**
 * What a job is doing, worded from its status code (the main side sends codes only). A Space's own
 * log line is shown as the Space wrote it.
 */
export function jobStatusText(
  i18n: I18n,
  status: JobStatus | null,
  /** The clock a quota wait counts down against. */
  opts: { now?: number } = {},
): string | null {
  if (!status) return null;
  const { t } = i18n;
  const withReason = (text: string) => {
    const reason = param(status, 'reason');
    return reason === undefined || reason === '' ? text : t('status.withReason', { text, reason });
  };
  switch (status.code) {
    case 'space-log': {
      const text = param(status, 'text');
      return text === undefined ? null : String(text);
    }
    case 'space-starting': {
      const stage = param(status, 'stage');
      return stage === undefined || stage === ''
        ? t('status.space-startingAny')
        : t('status.space-starting', { stage: stageText(i18n, String(stage)) });
    }
    case 'busy-retry': {
      const wait = Number(param(status, 'waitSeconds'));
      const attempt = param(status, 'attempt') ?? 1;
      return t('status.busy-retry', {
        wait: i18n.formatDuration((Number.isFinite(wait) ? wait : 0) * 1000),
        attempt,
      });
    }
    case 'zerogpu-no-page-token':
    case 'zerogpu-token-refused':
      return withReason(t(`status.${status.code}`));
    case 'quota-wait': {
      const until = Number(param(status, 'until'));
      if (!Number.isFinite(until)) return t('status.quota-waitAny');
      return quotaWaitText(i18n, until, opts.now ?? Date.now());
    }
    case 'resubmitted':
    case 'sent':
    case 'generating':
    case 'zerogpu-ip-quota':
    case 'zerogpu-token-expired':
      return t(`status.${status.code}`);
    default:
      // A code newer than this renderer: nothing is better than a wrong line.
      return null;
  }
}

/** A job waiting for its Space's GPU quota: "Quota: starts again in 1:23:45" (a live countdown). */
export function quotaWaitText(i18n: I18n, until: number, now: number): string {
  return i18n.t('status.quota-wait', { time: formatCountdown(until - now) });
}
