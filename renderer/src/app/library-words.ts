/**
 * Words of the "library unavailable" screen, in every language (kept beside the screen that says
 * them; `{name}` placeholders are filled by `say`).
 */
import type { Language } from '../../../shared/settings';

const en = {
  title: 'Library unavailable',
  missing: 'The library folder is missing: {dir}',
  missingHint: 'If it is on a drive or network share, connect it and retry. Or choose another folder.',
  unusable: 'The library folder cannot be opened: {dir}',
  unusableHint: 'Choose another folder, or fix this one (permissions, a read-only volume) and retry.',
  retry: 'Retry',
  retrying: 'Retrying…',
  choose: 'Choose another folder…',
  chooseHint: 'Opens Settings at the library folder.',
  useDefault: 'Use the default folder',
  useDefaultHint: 'The default folder is {dir} (created if missing).',
  stillUnavailable: 'Still unavailable.',
  generateNote: 'New images cannot be saved until a library folder is open.',
};

export type LibraryWordKey = keyof typeof en;

const ru: Record<LibraryWordKey, string> = {
  title: 'Библиотека недоступна',
  missing: 'Папки библиотеки нет: {dir}',
  missingHint: 'Если она на съёмном диске или в сетевой папке, подключите их и повторите. Или выберите другую папку.',
  unusable: 'Папку библиотеки не удаётся открыть: {dir}',
  unusableHint: 'Выберите другую папку или исправьте эту (права доступа, том только для чтения) и повторите.',
  retry: 'Повторить',
  retrying: 'Повтор…',
  choose: 'Выбрать другую папку…',
  chooseHint: 'Откроет настройки на поле папки библиотеки.',
  useDefault: 'Папка по умолчанию',
  useDefaultHint: 'Папка по умолчанию — {dir} (будет создана, если её нет).',
  stillUnavailable: 'По-прежнему недоступна.',
  generateNote: 'Новые изображения нельзя сохранить, пока папка библиотеки не открыта.',
};

const WORDS: Record<Language, Record<LibraryWordKey, string>> = { en, ru };

export function libraryWords(language: Language) {
  const dict = WORDS[language] ?? en;
  return (key: LibraryWordKey, vars?: Record<string, string>) =>
    vars ? dict[key].replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m) : dict[key];
}
