/**
 * Words of the settings screen about where secrets live and where the token goes, in every language
 * (kept beside the screen that says them; `{name}` placeholders are filled by `say`).
 */
import type { Language, SecretStorage } from '../../../shared/settings';

const en = {
  'storage.keychain': 'Kept encrypted with the OS keychain.',
  'storage.obfuscated':
    'Stored obfuscated, not encrypted: this system has no OS keychain, so anyone who can read your files can recover it.',
  'storage.plain':
    'Stored in plain text in the settings file (readable by your user account only): this system has no OS keychain.',
  'storage.session': 'Kept only until the app closes: this system has no OS keychain, and you chose not to store it.',
  'storage.environment': 'Comes from the HF_TOKEN environment variable: used, never stored. Change it there.',
  'keep.label.plain': 'Store it on this computer in plain text',
  'keep.label.obfuscated': 'Store it on this computer, obfuscated (not encrypted)',
  'keep.hint':
    'This system has no OS keychain to encrypt secrets. Unticked, the new token or proxy password is kept only until the app closes.',
  https: '{field} must be an https URL (plain http only for a server on this computer).',
  'token.notSent':
    'Your token is not sent to {origin}: it goes only to Hugging Face, servers on this computer and addresses you confirmed.',
  'token.askOnSave': 'When you save, the app asks whether it may go there.',
  'token.webCannot': 'The web preview cannot confirm another address for the token: only the desktop app can.',
  'origins.title': 'The token also goes to',
  'origins.forget': 'Forget',
  'origins.forgetLabel': 'Stop sending the token to {origin}',
  'origins.willForget': 'Forgotten when you save.',
  'proxy.password':
    'A password is set for {user}: {how} Keep this user and address to keep it, or type user:password@ to change it.',
};

export type SettingsWordKey = keyof typeof en;

const ru: Record<SettingsWordKey, string> = {
  'storage.keychain': 'Хранится зашифрованным в связке ключей ОС.',
  'storage.obfuscated':
    'Хранится замаскированным, а не зашифрованным: в этой системе нет связки ключей ОС, и любой, кто может читать ваши файлы, может его восстановить.',
  'storage.plain':
    'Хранится открытым текстом в файле настроек (доступен только вашей учётной записи): в этой системе нет связки ключей ОС.',
  'storage.session':
    'Хранится только до закрытия приложения: в системе нет связки ключей ОС, и вы решили не сохранять его.',
  'storage.environment': 'Берётся из переменной окружения HF_TOKEN: используется, но не сохраняется. Меняйте его там.',
  'keep.label.plain': 'Сохранить на этом компьютере открытым текстом',
  'keep.label.obfuscated': 'Сохранить на этом компьютере замаскированным (не зашифрованным)',
  'keep.hint':
    'В системе нет связки ключей ОС для шифрования. Без отметки новый токен или пароль прокси хранится только до закрытия приложения.',
  https: '{field}: нужен адрес https (http только для сервера на этом компьютере).',
  'token.notSent':
    'Ваш токен не отправляется на {origin}: только на Hugging Face, серверы на этом компьютере и подтверждённые вами адреса.',
  'token.askOnSave': 'При сохранении приложение спросит, можно ли отправлять его туда.',
  'token.webCannot':
    'Веб-версия не может подтвердить другой адрес для токена: это можно только в приложении для компьютера.',
  'origins.title': 'Токен также отправляется на',
  'origins.forget': 'Забыть',
  'origins.forgetLabel': 'Не отправлять токен на {origin}',
  'origins.willForget': 'Будет забыт при сохранении.',
  'proxy.password':
    'Для {user} задан пароль: {how} Оставьте того же пользователя и адрес, чтобы сохранить его, или введите user:password@, чтобы сменить.',
};

const WORDS: Record<Language, Record<SettingsWordKey, string>> = { en, ru };

export function settingsWords(language: Language) {
  const dict = WORDS[language] ?? en;
  return (key: SettingsWordKey, vars?: Record<string, string>) =>
    vars ? dict[key].replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m) : dict[key];
}

export const storageKey = (s: SecretStorage): SettingsWordKey => `storage.${s}`;
