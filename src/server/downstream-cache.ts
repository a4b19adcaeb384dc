import type { AppConfig } from '../config/app-config.js';

/**
 * Adds the `cdn` config's directives to a public page's headers (a stored page, or a TTL page
 * when the page cache is off): `s-maxage` (or a `CDN-Cache-Control` header) and
 * `stale-if-error`. Private and no-store responses are left as they are: a shared cache must
 * never keep them.
 */
export function downstreamCache(cdn: AppConfig['cdn'], headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const cacheControl = headers['cache-control'];
  if (cacheControl === undefined || !cacheControl.startsWith('public') || (cdn.sMaxAge === undefined && cdn.staleIfError === undefined)) return headers;
  const staleIfError = cdn.staleIfError === undefined ? '' : `, stale-if-error=${cdn.staleIfError}`;
  if (cdn.cdnCacheControl) {
    const maxAge = cdn.sMaxAge === undefined ? undefined : `max-age=${cdn.sMaxAge}`;
    return {
      ...headers,
      'cache-control': cacheControl + staleIfError,
      ...(maxAge === undefined ? {} : { 'cdn-cache-control': maxAge + staleIfError }),
    };
  }
  return { ...headers, 'cache-control': cacheControl + (cdn.sMaxAge === undefined ? '' : `, s-maxage=${cdn.sMaxAge}`) + staleIfError };
}
