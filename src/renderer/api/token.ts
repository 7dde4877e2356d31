// The access token of `loralab ui`: it arrives once in the page URL (?token=…) and is
// kept in sessionStorage so a reload, or a link inside the app, still connects.

export const TOKEN_STORAGE_KEY = 'loralab.token';

export const NO_TOKEN_MESSAGE =
  'This page has no access token. Open the address that `loralab ui` printed in its terminal (it ends in ?token=…).';

export type TokenStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The URL's token wins (a fresh `loralab ui` prints a new one); else the stored one. */
export function resolveToken(search: string, storage: TokenStorage | null): string | null {
  const fromUrl = new URLSearchParams(search).get('token');
  if (fromUrl) {
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token still works for this page load.
    }
    return fromUrl;
  }
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) || null;
  } catch {
    return null;
  }
}

export function socketUrl(location: { protocol: string; host: string }, token: string): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`;
}
