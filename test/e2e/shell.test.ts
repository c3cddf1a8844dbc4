import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, maybeScreenshot } from '../helpers/browser';
import { startWebApp, type WebApp } from '../helpers/web-app';

describe('web preview shell in Chromium', () => {
  let app: WebApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startWebApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('loads the app over the WebSocket bridge and shows the gallery', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(app.server.url);
    const gallery = page.getByRole('region', { name: 'Gallery' });
    await gallery.waitFor();
    expect(await gallery.isVisible()).toBe(true);
    await maybeScreenshot(page, 'shell');
    expect(errors).toEqual([]);
  });

  it('refuses the bridge without the token', async () => {
    const page = await browser.newPage();
    await page.goto(app.server.origin + '/');
    const status = await page.evaluate(
      (origin) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(origin.replace('http', 'ws') + '/bridge?token=wrong');
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
      app.server.origin,
    );
    expect(status).toBe('refused');
  });
});
