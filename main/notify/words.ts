/**
 * A native notification's words (the desktop app shows them outside the renderer, so the main side
 * words them, in the language Settings name). The web preview's page words its own (renderer i18n).
 */
import type { ErrorCode } from '../../shared/errors';
import type { Language } from '../../shared/settings';
import type { PostedNotification } from '../../shared/queue';

interface Words {
  done: string;
  failed: string;
  queueDone: string;
  images: (n: number) => string;
  /** Why a job failed, for the codes people meet most; others say only that it failed. */
  reasons: Partial<Record<ErrorCode, string>>;
}

/** Russian plural: 1 изображение, 2 изображения, 5 изображений. */
function ruPlural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}

const WORDS: Record<Language, Words> = {
  en: {
    done: 'Image ready',
    failed: 'Image failed',
    queueDone: 'Queue finished',
    images: (n) => (n === 0 ? 'No images were made.' : n === 1 ? '1 image made.' : `${n} images made.`),
    reasons: {
      quota: 'The GPU quota is used up.',
      'all-providers-failed': 'Every provider failed.',
      timeout: 'The Space stopped answering.',
      offline: 'No connection.',
      'space-asleep': 'The Space is asleep.',
      'space-paused': 'The Space is paused.',
      'space-broken': 'The Space is broken.',
      'out-of-credits': 'The account is out of credits.',
      'disk-full': 'The disk is full.',
      interrupted: 'The app stopped while it ran.',
    },
  },
  ru: {
    done: 'Изображение готово',
    failed: 'Изображение не получилось',
    queueDone: 'Очередь завершена',
    images: (n) =>
      n === 0 ? 'Изображений не создано.' : `Создано ${n} ${ruPlural(n, 'изображение', 'изображения', 'изображений')}.`,
    reasons: {
      quota: 'Квота GPU исчерпана.',
      'all-providers-failed': 'Не сработал ни один провайдер.',
      timeout: 'Space перестал отвечать.',
      offline: 'Нет соединения.',
      'space-asleep': 'Space спит.',
      'space-paused': 'Space приостановлен.',
      'space-broken': 'Space сломан.',
      'out-of-credits': 'На счёте закончились кредиты.',
      'disk-full': 'Диск заполнен.',
      interrupted: 'Приложение закрылось во время работы.',
    },
  },
};

export function notificationText(n: PostedNotification, language: Language): { title: string; body: string } {
  const w = WORDS[language] ?? WORDS.en;
  switch (n.kind) {
    case 'job-done':
      return { title: w.done, body: n.prompt ?? '' };
    case 'job-failed': {
      const reason = n.errorCode ? w.reasons[n.errorCode as ErrorCode] : undefined;
      return { title: w.failed, body: [reason, n.prompt].filter(Boolean).join('\n') };
    }
    case 'queue-done':
      return { title: w.queueDone, body: w.images(n.count ?? 0) };
  }
}
