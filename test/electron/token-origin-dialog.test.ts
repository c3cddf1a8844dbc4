/**
 * The native "send the token there?" dialog (mocked electron dialog): asked over our window, "do not
 * send" is the default and the Escape answer, and only an explicit "send" confirms.
 */
import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, MessageBoxOptions, MessageBoxReturnValue } from 'electron';
import { createTokenOriginDialog, tokenOriginDialogOptions } from '../../main/electron/token-origin-dialog';
import type { TokenOriginRequest } from '../../main/settings/token-origins';

const REQ: TokenOriginRequest = {
  origin: 'https://mirror.example',
  url: 'https://mirror.example/hf',
  field: 'hfUrl',
  language: 'en',
};
const answer = (response: number): MessageBoxReturnValue => ({ response, checkboxChecked: false });

describe('token origin dialog', () => {
  it('says where the token would go and what it means; "do not send" is the default and the cancel', () => {
    const o = tokenOriginDialogOptions(REQ);
    expect(o.message).toBe('Send your Hugging Face token to https://mirror.example?');
    expect(o.detail).toContain('https://mirror.example/hf');
    expect(o.detail).toContain('Hugging Face URL');
    expect(o.buttons).toEqual(['Do not send the token', 'Send the token there']);
    expect(o.defaultId).toBe(0);
    expect(o.cancelId).toBe(0);
    const ru = tokenOriginDialogOptions({ ...REQ, field: 'bfl-flux1-dev', language: 'ru' });
    expect(ru.message).toBe('Отправлять ваш токен Hugging Face на https://mirror.example?');
    expect(ru.detail).toContain('адрес Space');
  });

  it('asks over our window; only "send" confirms', async () => {
    const win = { isDestroyed: () => false } as unknown as BrowserWindow;
    const showMessageBox = vi.fn(async (..._a: unknown[]) => answer(1));
    const confirm = createTokenOriginDialog({
      dialog: { showMessageBox } as never,
      getWindow: () => win,
    });
    expect(await confirm(REQ)).toBe(true);
    const [parent, options] = showMessageBox.mock.calls[0]! as [BrowserWindow, MessageBoxOptions];
    expect(parent).toBe(win);
    expect(options.type).toBe('warning');
    showMessageBox.mockResolvedValueOnce(answer(0));
    expect(await confirm(REQ)).toBe(false);
  });

  it('without a window it still asks; a dialog that fails is a no', async () => {
    const showMessageBox = vi.fn(async (..._a: unknown[]) => answer(1));
    const confirm = createTokenOriginDialog({ dialog: { showMessageBox } as never, getWindow: () => null });
    expect(await confirm(REQ)).toBe(true);
    expect(showMessageBox.mock.calls[0]).toHaveLength(1);
    const log = vi.fn();
    const failing = createTokenOriginDialog({
      dialog: { showMessageBox: vi.fn(async () => Promise.reject(new Error('no display'))) } as never,
      getWindow: () => null,
      log,
    });
    expect(await failing(REQ)).toBe(false);
    expect(log).toHaveBeenCalled();
  });
});
