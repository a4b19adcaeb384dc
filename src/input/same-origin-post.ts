import type { IncomingHttpHeaders } from 'node:http';

/**
 * Whether a post may run: refuses cross-site form posts (CSRF), as SvelteKit and Astro do.
 * - With `Origin`: its host[:port] must be the request's `Host`, or the whole origin must be in
 *   forms.allowedOrigins. `Origin: null` (sandboxed frames, some redirects) is refused.
 * - Without `Origin` but with `Sec-Fetch-Site`: only `same-origin` (and `none`, a request the
 *   user made directly) pass.
 * - With neither: allowed. Every current browser sends `Origin` on a POST, so a request without
 *   both headers does not come from a page in a browser (curl, a server, a test): it cannot carry
 *   a victim's cookies on another site's behalf.
 * The scheme is not compared with the request's own: behind a TLS-terminating proxy the server
 * sees http while the browser says https; the host is what identifies the site here.
 */
export function isSameOriginPost(headers: IncomingHttpHeaders, allowedOrigins: readonly string[]): boolean {
  const origin = headers.origin;
  if (origin !== undefined) {
    if (allowedOrigins.includes(origin)) return true;
    const host = headers.host;
    if (host === undefined) return false;
    try {
      const url = new URL(origin);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === new URL(`http://${host}`).host;
    } catch (error) {
      if (error instanceof TypeError) return false; // "null" or not a URL (or a Host that is none): no site to compare.
      throw error;
    }
  }
  const site = headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}
