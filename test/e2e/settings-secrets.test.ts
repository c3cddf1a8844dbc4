/**
 * Issue 13 in Settings (Chromium against the real core, web preview: no OS keychain): the user is
 * told how the token is kept and asked before it is stored in plain text; an HF URL on another
 * origin says the token will not go there (and that the preview cannot confirm one); plain http
 * elsewhere than this computer is refused in words; the proxy's password is never shown.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, maybeScreenshot } from '../helpers/browser';
import { openApp, startTestApp, type TestApp } from './support/app';

const TOKEN = 'hf_' + 'e'.repeat(34);

describe('settings: token at rest, where it goes', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startTestApp({ spaces: false });
    // Nothing answers here: token checks fail at once (no request leaves this computer).
    await app.web.core.settings.update({ hfUrl: 'http://127.0.0.1:9' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const openSettings = async (page: Page) => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.waitFor();
    return dialog;
  };
  const settingsFile = () => readFile(path.join(app.web.dataDir, 'settings.json'), 'utf8');

  it('asks before storing the token in plain text, and says how it is kept', async () => {
    const { page, errors } = await openApp(browser, app);
    let dialog = await openSettings(page);
    await page.locator('#set-token').fill(TOKEN);
    const keep = page.getByRole('checkbox', { name: 'Store it on this computer in plain text' });
    await keep.waitFor();
    expect(await keep.isChecked()).toBe(false);
    expect(await page.locator('#set-store-without-keychain-hint').textContent()).toContain('no OS keychain');
    await maybeScreenshot(page, 'settings-token-consent');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Not asked to store: kept until the app closes, never written.
    expect(app.web.core.settings.get()).toMatchObject({ hasHfToken: true, hfTokenStorage: 'session' });
    expect(await settingsFile()).not.toContain(TOKEN);
    dialog = await openSettings(page);
    expect(await page.getByTestId('token-storage').textContent()).toBe(
      'Kept only until the app closes: this system has no OS keychain, and you chose not to store it.',
    );

    // Agreed (with the keyboard): stored in plain text, and said so.
    await page.locator('#set-token').fill(TOKEN);
    await keep.focus();
    await page.keyboard.press('Space');
    expect(await keep.isChecked()).toBe(true);
    // The first save's toast may still cover the button: saved from the keyboard.
    await dialog.getByRole('button', { name: 'Save' }).press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(app.web.core.settings.get().hfTokenStorage).toBe('plain');
    expect(await settingsFile()).toContain(TOKEN);
    await openSettings(page);
    expect(await page.getByTestId('token-storage').textContent()).toMatch(/^Stored in plain text in the settings file/);
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('an HF URL elsewhere: refused over plain http, and said not to get the token over https', async () => {
    const { page, errors } = await openApp(browser, app);
    const dialog = await openSettings(page);
    await page.locator('#set-hf-url').fill('http://mirror.example');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.locator('#set-hf-url-error').waitFor();
    expect(await page.locator('#set-hf-url-error').textContent()).toBe(
      'URL must be an https URL (plain http only for a server on this computer).',
    );
    await page.locator('#set-hf-url').fill('https://mirror.example');
    // The refusal goes once the URL is edited.
    expect(await page.locator('#set-hf-url-error').count()).toBe(0);
    expect(await page.locator('#set-hf-url-hint').textContent()).toContain(
      'Your token is not sent to https://mirror.example',
    );
    expect(await page.locator('#set-hf-url-hint').textContent()).toContain(
      'The web preview cannot confirm another address for the token',
    );
    await maybeScreenshot(page, 'settings-token-origin');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('shows the proxy without its password, and says how the password is kept', async () => {
    await app.web.core.settings.update({ proxy: 'http://ada:pw-s3cret@127.0.0.1:3128' });
    const { page, errors } = await openApp(browser, app);
    await openSettings(page);
    expect(await page.locator('#set-proxy').inputValue()).toBe('http://ada@127.0.0.1:3128');
    expect(await page.locator('#set-proxy-hint').textContent()).toContain('A password is set for ada');
    expect(await page.content()).not.toContain('pw-s3cret');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
    await app.web.core.settings.update({ proxy: null });
  });
});
