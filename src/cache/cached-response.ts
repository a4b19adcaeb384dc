import { createHash } from 'node:crypto';
import type { PageResponse, WholePageResponse } from '../page-response.js';
import type { CachedPage, PageCache } from './page-cache.js';
import { encodeVariants, identityTag } from './encode-variants.js';

// The responses the page cache sends, shared by the in-process path (serve-cached.ts) and the
// shared-tier path (serve-shared.ts).

/**
 * Renders the page for this request. `'shared'`: the render serves several visitors, so it must
 * not end because the one who triggered it left.
 */
export type RenderPage = (shared?: 'shared') => Promise<PageResponse>;

/**
 * Stores a cacheable response, or forgets the key when the page stopped being cacheable. `onStored` sees each page stored.
 * A streamed page with deferred roots is `bypass` and is stored complete once its last fill was
 * sent (`completed`), if it turned out cacheable, so later hits get the whole document at once.
 */
export function keep(cache: PageCache, key: string, response: PageResponse, ifNoneMatch: string | undefined, onStored?: (page: CachedPage) => void): PageResponse {
  if (response.storable === undefined) {
    storeWhenComplete(cache, key, response, onStored);
    if ((response.status === 200 || response.status === 404) && cache.isKnown(key)) cache.forget(key);
    return { ...response, headers: { ...response.headers, 'x-atoll-cache': 'bypass' } };
  }
  const page = store(cache, key, response, response.storable);
  onStored?.(page);
  return fromCache(cache, page, 0, 'miss', ifNoneMatch);
}

/** A page with deferred roots: stored (and `onStored` told) once its stream sent the last fill and the page turned out cacheable. */
export function storeWhenComplete(cache: PageCache, key: string, response: PageResponse, onStored?: (page: CachedPage) => void): void {
  if (!('completed' in response) || response.completed === undefined) return;
  void response.completed.then((whole) => {
    if (whole === undefined || whole.storable === undefined) return;
    const page = store(cache, key, whole, whole.storable);
    onStored?.(page);
  });
}

export function store(cache: PageCache, key: string, response: WholePageResponse, ttl: number): CachedPage {
  const { 'cache-control': _dropped, ...headers } = response.headers;
  const body = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body, 'utf8');
  const page: CachedPage = {
    routeId: response.routeId,
    tags: response.tags ?? [response.routeId],
    deps: response.deps ?? [],
    headers,
    body,
    encoded: encodeVariants(body),
    etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
    storedAt: cache.now(),
    ttl,
  };
  cache.store(key, page);
  return page;
}

/** Cache-Control counts down the remaining freshness, so no downstream cache extends it. */
export function fromCache(cache: PageCache, page: CachedPage, age: number, state: 'hit' | 'stale' | 'miss', ifNoneMatch: string | undefined): PageResponse {
  const maxAge = Math.max(0, Math.floor(page.ttl - age));
  const swr = cache.maxStale > 0 ? `, stale-while-revalidate=${cache.maxStale}` : '';
  const response: PageResponse = {
    status: 200,
    headers: { ...page.headers, etag: page.etag, 'cache-control': `public, max-age=${maxAge}${swr}`, age: String(Math.floor(age)), 'x-atoll-cache': state },
    body: page.body,
    encoded: page.encoded,
    routeId: page.routeId,
  };
  return withConditional(response, ifNoneMatch);
}

export function withConditional(response: PageResponse, ifNoneMatch: string | undefined): PageResponse {
  const etag = response.headers['etag'];
  if (ifNoneMatch === undefined || etag === undefined || response.status !== 200) return response;
  const tags = ifNoneMatch.split(',').map((t) => identityTag(t.trim()));
  if (!tags.includes(etag) && !tags.includes('*')) return response;
  const { 'content-type': _type, ...headers } = response.headers;
  const { encoded: _encoded, ...rest } = response as WholePageResponse;
  return { ...rest, status: 304, headers, body: '' };
}
