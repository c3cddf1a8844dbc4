/**
 * The native question "send your Hugging Face token to this address?", asked when the user saves an
 * HF or Space URL on an origin that is not Hugging Face's while a token is set. Native, so a page
 * cannot draw or click it: this dialog is the only way an origin joins `tokenOrigins`. "Do not send"
 * is the default and what Escape does.
 */
import type { BrowserWindow, Dialog, MessageBoxOptions } from 'electron';
import type { Language } from '../../shared/settings';
import type { ConfirmTokenOrigin, TokenOriginRequest } from '../settings/token-origins';

interface Words {
  title: string;
  message: (origin: string) => string;
  detail: (where: string, url: string) => string;
  hfUrl: string;
  spaceUrl: string;
  keep: string;
  send: string;
}

const WORDS: Record<Language, Words> = {
  en: {
    title: 'Flux Gallery',
    message: (origin) => `Send your Hugging Face token to ${origin}?`,
    detail: (where, url) =>
      `You saved ${url} as the ${where}. It is not Hugging Face: whoever runs it would receive your access ` +
      `token and could act as you on Hugging Face. Send the token only to a server you trust. ` +
      `If you do not, the app still uses the address, without your token.`,
    hfUrl: 'Hugging Face URL',
    spaceUrl: 'Space URL',
    keep: 'Do not send the token',
    send: 'Send the token there',
  },
  ru: {
    title: 'Flux Gallery',
    message: (origin) => `Отправлять ваш токен Hugging Face на ${origin}?`,
    detail: (where, url) =>
      `Вы сохранили ${url} как ${where}. Это не Hugging Face: владелец этого сервера получит ваш токен ` +
      `доступа и сможет действовать от вашего имени на Hugging Face. Отправляйте токен только на сервер, ` +
      `которому доверяете. Если не отправлять, приложение будет обращаться по этому адресу без токена.`,
    hfUrl: 'адрес Hugging Face',
    spaceUrl: 'адрес Space',
    keep: 'Не отправлять токен',
    send: 'Отправлять токен туда',
  },
};

/** Button indexes: "do not send" first, the default and the cancel answer. */
const KEEP = 0;
const SEND = 1;

export function tokenOriginDialogOptions(req: TokenOriginRequest): MessageBoxOptions {
  const w = WORDS[req.language] ?? WORDS.en;
  return {
    type: 'warning',
    title: w.title,
    message: w.message(req.origin),
    detail: w.detail(req.field === 'hfUrl' ? w.hfUrl : w.spaceUrl, req.url),
    buttons: [w.keep, w.send],
    defaultId: KEEP,
    cancelId: KEEP,
    noLink: true,
  };
}

export function createTokenOriginDialog(deps: {
  dialog: Pick<Dialog, 'showMessageBox'>;
  getWindow(): BrowserWindow | null | undefined;
  log?: (message: string, err?: unknown) => void;
}): ConfirmTokenOrigin {
  return async (req) => {
    const options = tokenOriginDialogOptions(req);
    const win = deps.getWindow();
    try {
      const result =
        win && !win.isDestroyed()
          ? await deps.dialog.showMessageBox(win, options)
          : await deps.dialog.showMessageBox(options);
      return result.response === SEND;
    } catch (err) {
      // No answer is no: the token stays with Hugging Face.
      deps.log?.('token origin dialog failed', err);
      return false;
    }
  };
}
