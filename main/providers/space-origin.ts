/**
 * Where a Space's files may be fetched from: the Space's own origin and Hugging Face's file hosts
 * (https only). A local Space (loopback: development, tests) may name any host. Anything else —
 * another site, a cloud metadata address, a LAN host — is refused, on the first URL and on every
 * redirect hop, so a Space cannot make the app fetch from the user's network.
 */
const HF_FILE_HOSTS = /(^|\.)(hf\.space|huggingface\.co|hf\.co)$/i;

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

const isHfFileUrl = (u: URL) => u.protocol === 'https:' && HF_FILE_HOSTS.test(u.hostname);

/** May the app fetch `url` for a Space served at `spaceBase`? */
export function spaceFileAllowed(url: URL, spaceBase: string): boolean {
  let base: URL;
  try {
    base = new URL(spaceBase);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  if (url.origin === base.origin || isLoopbackHost(base.hostname)) return true;
  return isHfFileUrl(url);
}

/** May a download that started at `first` follow a redirect to `next`? */
export function redirectAllowed(first: URL, next: URL): boolean {
  if (next.protocol !== 'http:' && next.protocol !== 'https:') return false;
  if (next.username || next.password) return false;
  if (next.origin === first.origin || isLoopbackHost(first.hostname)) return true;
  return isHfFileUrl(next);
}

/**
 * The `space_id` a Space's /config announces, when it really is that Space: its `*.hf.space` host
 * must be the id's subdomain (owner-name, lowercased, `.` and `_` as `-`). The id picks whose
 * ZeroGPU token is minted with the user's token, so a Space cannot name another one.
 */
export function trustedSpaceId(announced: string | null | undefined, spaceBase: string): string | null {
  if (!announced || !/^[\w-][\w.-]*\/[\w-][\w.-]*$/.test(announced) || announced.includes('..')) return null;
  let host: string;
  try {
    host = new URL(spaceBase).hostname.toLowerCase();
  } catch {
    return null;
  }
  if (!host.endsWith('.hf.space')) return null;
  return host.slice(0, -'.hf.space'.length) === announced.toLowerCase().replace(/[/._]/g, '-') ? announced : null;
}

/** `owner/name` as URL path segments, each encoded. */
export const spacePath = (spaceId: string): string => spaceId.split('/').map(encodeURIComponent).join('/');

/**
 * May the user's Hugging Face token be sent to `url`? Only to Hugging Face itself and the Spaces'
 * hosts over https (`huggingface.co`, `*.huggingface.co`, `*.hf.space`), to a local server, or to
 * an origin the user confirmed for it. A changed HF URL or Space URL elsewhere gets no token.
 */
export function tokenMayGoTo(url: string, confirmedOrigins: readonly string[] = []): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (isLoopbackHost(u.hostname)) return true;
  if (u.protocol !== 'https:' || u.username || u.password) return false;
  if (/(^|\.)huggingface\.co$/i.test(u.hostname) || /\.hf\.space$/i.test(u.hostname)) return true;
  return confirmedOrigins.includes(u.origin);
}
