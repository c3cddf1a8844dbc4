/**
 * The Content-Security-Policy of every page the app serves: the Electron window (`app://`) and the
 * web preview share these directives; only where images may come from differs (the window adds
 * the `gallery:` scheme, the web preview serves media from its own origin). No remote origins, no
 * eval, no inline script. renderer/index.html's meta tag carries the same policy (a test keeps them
 * equal), and `frame-ancestors` only works as a header.
 */
export type CspDirectives = ReadonlyArray<readonly [string, string]>;

export function cspDirectives(extraImageSources: readonly string[] = []): CspDirectives {
  return [
    ['default-src', "'none'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    // data: for job previews (the main side sends them as data: URLs); no blob: (nothing makes one).
    ['img-src', ["'self'", 'data:', ...extraImageSources].join(' ')],
    ['font-src', "'self'"],
    // The page's meta tag serves both the window and the web preview, whose bridge is a WebSocket
    // to its own origin; the Electron window itself connects nowhere (IPC is not a fetch).
    ['connect-src', "'self'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ['object-src', "'none'"],
    ['frame-ancestors', "'none'"],
  ];
}

export const cspHeader = (directives: CspDirectives): string => directives.map(([k, v]) => `${k} ${v}`).join('; ');
