/**
 * Every web contents stays on our pages: navigations, redirects and frame navigations elsewhere are
 * cancelled, new windows are never created, and <webview> is refused. An https link the user clicks
 * opens in the OS browser instead; any other scheme is dropped.
 */
import type { WebContents } from 'electron';
import { isAppUrl, isSafeExternalUrl } from './security-policy';

export interface NavigationDeps {
  openExternal(url: string): Promise<void>;
  log?: (message: string, err?: unknown) => void;
}

type Contents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function hardenWebContents(contents: Contents, deps: NavigationDeps): void {
  const openOutside = (url: string) => {
    if (!isSafeExternalUrl(url)) {
      deps.log?.(`blocked navigation to a non-https URL (${url.slice(0, 16)}…)`);
      return;
    }
    deps.openExternal(url).catch((err: unknown) => deps.log?.('could not open a link in the browser', err));
  };

  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    if (event.isMainFrame) openOutside(event.url);
  });
  // Subframes too (we have none; an injected one must not load anything).
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
}
