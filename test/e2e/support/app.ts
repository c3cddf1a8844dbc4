/** One app under test: the real core over the WebSocket transport, optionally with fake Spaces behind it. */
import { rm } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import type { CoreOptions } from '../../../main/core';
import type { NodePlatform } from '../../../main/platform';
import type { ProviderId } from '../../../shared/params';
import { startFakeSpaces, type FakeSpaceOptions, type FakeSpaces } from '../../fake-space';
import { startWebApp, type WebApp } from '../../helpers/web-app';

/** Quick but observable: each stream message 40 ms apart, so progress and previews are seen. */
export const E2E_SPACE_OPTIONS: FakeSpaceOptions = {
  timing: { stepMs: 40, queueUpdates: 2, progressSteps: 4, previews: 2, heartbeatMs: 100 },
};

export interface TestApp {
  web: WebApp;
  spaces: FakeSpaces | null;
  close(): Promise<void>;
}

export async function startTestApp(
  opts: {
    spaces?: FakeSpaceOptions | false;
    /** Options of one provider's Space, over `spaces`. */
    perSpace?: Partial<Record<ProviderId, FakeSpaceOptions>>;
    libraryDir?: string;
    core?: Partial<CoreOptions>;
  } = {},
): Promise<TestApp> {
  const spaces =
    opts.spaces === false ? null : await startFakeSpaces(opts.spaces ?? E2E_SPACE_OPTIONS, opts.perSpace ?? {});
  const web = await startWebApp({
    ...(opts.libraryDir ? { defaultLibraryDir: opts.libraryDir } : {}),
    ...opts.core,
  });
  // Fail fast and say why when the core does not serve the library and jobs yet (not a UI bug).
  const probe = await web.core.router.invoke('jobs:list', undefined, { transport: 'web' });
  const history = await web.core.router.invoke('history:get', { id: 'probe-0000' }, { transport: 'web' });
  if (!probe.ok || (!history.ok && history.error.code === 'internal')) {
    await web.close();
    await spaces?.close();
    throw new Error('main/core.ts does not wire the library and the job runner yet: these e2e tests need them.');
  }
  // The fake Spaces stand in for Hugging Face through the same settings a user would change.
  if (spaces) await web.core.settings.update({ providerUrls: spaces.providerUrls, hfUrl: spaces.hfUrl });
  return {
    web,
    spaces,
    async close() {
      await web.close();
      await spaces?.close();
      if (opts.libraryDir) await rm(opts.libraryDir, { recursive: true, force: true });
    },
  };
}

/** A fresh page on the app, failing the test on any page error. */
export async function openApp(
  browser: Browser,
  app: TestApp,
  opts: { viewport?: { width: number; height: number }; colorScheme?: 'dark' | 'light' } = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    colorScheme: opts.colorScheme ?? 'dark',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // Missing thumbnails of deliberately fake entries would be noise; real failures are page errors.
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  await page.goto(app.web.server.url);
  await page.getByRole('region', { name: 'Gallery' }).waitFor();
  return { page, errors };
}

/** The native drags the renderer asked for, as the Node platform recorded them. */
export function recordedDrags(app: TestApp): NodePlatform['dragRequests'] {
  const platform = app.web.core.platform as Partial<NodePlatform>;
  if (!platform.dragRequests) throw new Error('The core does not run on the Node platform; the drag test needs it.');
  return platform.dragRequests;
}
