import { createHash } from 'node:crypto';
import type { PageResponse, WholePageResponse } from '../page-response.js';
import type { CachedPage, PageCache } from './page-cache.js';
import { encodeVariants, identityTag } from './encode-variants.js';

/**
 * Renders the page for this request. `'shared'`: the render serves several visitors, so it must
 * not end because the one who triggered it left.
 */
export type RenderPage = (shared?: 'shared') => Promise<PageResponse>;

/**
 * The page cache in front of the pipeline:
 * - fresh → served from memory (`x-atoll-cache: hit`);
 * - stale (past its TTL, within maxStale) → served at once while one background render
 *   refreshes it (`stale`); a refresh that fails keeps the stale page until maxStale runs out;
 * - missing or expired → rendered (`miss` when stored, `bypass` when the page is not cacheable).
 *   Misses of a key that was cacheable before render once for all concurrent requests; if that
 *   shared render turns out personal (it read headers) the others render their own page.
 * Stored pages carry an ETag; If-None-Match with it gets 304.
 */
export async function serveCached(cache: PageCache, key: string, ifNoneMatch: string | undefined, render: RenderPage): Promise<PageResponse> {
  const found = cache.lookup(key);
  if (found.state === 'fresh') return fromCache(cache, found.page, found.age, 'hit', ifNoneMatch);
  if (found.state === 'stale') {
    refreshInBackground(cache, key, render);
    return fromCache(cache, found.page, found.age, 'stale', ifNoneMatch);
  }
  if (!cache.isKnown(key)) return keep(cache, key, await render(), ifNoneMatch);

  const running = cache.inflight.get(key) as Promise<PageResponse> | undefined;
  if (running === undefined) {
    const shared = render('shared').then((response) => keep(cache, key, response, undefined));
    cache.inflight.set(key, shared);
    void shared.finally(() => cache.inflight.delete(key));
    return withConditional(await shared, ifNoneMatch);
  }
  const response = await running;
  return response.headers['x-atoll-cache'] === 'miss' ? withConditional(response, ifNoneMatch) : keep(cache, key, await render(), ifNoneMatch);
}

function refreshInBackground(cache: PageCache, key: string, render: RenderPage): void {
  if (cache.refreshing.has(key)) return;
  cache.refreshing.add(key);
  void render('shared')
    .then((response) => {
      if (response.storable !== undefined) store(cache, key, response, response.storable);
      else if (response.status < 500) cache.forget(key);
    })
    .finally(() => cache.refreshing.delete(key));
}

/** Stores a cacheable response, or forgets the key when the page stopped being cacheable. */
function keep(cache: PageCache, key: string, response: PageResponse, ifNoneMatch: string | undefined): PageResponse {
  if (response.storable === undefined) {
    if ((response.status === 200 || response.status === 404) && cache.isKnown(key)) cache.forget(key);
    return { ...response, headers: { ...response.headers, 'x-atoll-cache': 'bypass' } };
  }
  return fromCache(cache, store(cache, key, response, response.storable), 0, 'miss', ifNoneMatch);
}

function store(cache: PageCache, key: string, response: WholePageResponse, ttl: number): CachedPage {
  const { 'cache-control': _dropped, ...headers } = response.headers;
  const body = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body, 'utf8');
  const page: CachedPage = {
    routeId: response.routeId,
    tags: response.tags ?? [response.routeId],
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
function fromCache(cache: PageCache, page: CachedPage, age: number, state: 'hit' | 'stale' | 'miss', ifNoneMatch: string | undefined): PageResponse {
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

function withConditional(response: PageResponse, ifNoneMatch: string | undefined): PageResponse {
  const etag = response.headers['etag'];
  if (ifNoneMatch === undefined || etag === undefined || response.status !== 200) return response;
  const tags = ifNoneMatch.split(',').map((t) => identityTag(t.trim()));
  if (!tags.includes(etag) && !tags.includes('*')) return response;
  const { 'content-type': _type, ...headers } = response.headers;
  const { encoded: _encoded, ...rest } = response as WholePageResponse;
  return { ...rest, status: 304, headers, body: '' };
}
