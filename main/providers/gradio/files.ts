/** Turns a Gradio file output (FileData, bare path or URL string) into a downloadable http(s) URL. */

export interface FileBase {
  /** The Space's base URL, no trailing slash. */
  base: string;
  /** `/gradio_api` on Gradio 5 servers, '' before. */
  apiPrefix: string;
}

const isHttpUrl = (s: string) => /^https?:\/\//i.test(s);

/** The URL of a file output, or null when the value is not a file. */
export function fileUrl(value: unknown, at: FileBase): string | null {
  if (typeof value === 'string') return fromString(value, at);
  if (!value || typeof value !== 'object') return null;
  const o = value as { url?: unknown; path?: unknown };
  if (typeof o.url === 'string' && o.url) {
    const u = fromUrl(o.url, at);
    if (u) return u;
  }
  if (typeof o.path === 'string' && o.path) return fromString(o.path, at);
  return null;
}

function fromString(s: string, at: FileBase): string | null {
  if (isHttpUrl(s)) return fromUrl(s, at);
  if (/^[a-z][a-z0-9+.-]*:/i.test(s) && !s.startsWith('/')) return null; // data:, file:, …: not downloadable
  return checked(`${at.base}${at.apiPrefix}/file=${s}`);
}

function fromUrl(u: string, at: FileBase): string | null {
  try {
    // Root-relative URLs ("/gradio_api/file=…") are relative to the Space's origin.
    return checked(new URL(u, `${at.base}/`).href);
  } catch {
    return null;
  }
}

function checked(u: string): string | null {
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
