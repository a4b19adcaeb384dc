import type { PageResponse } from '../page-response.js';
import type { PageCache } from './page-cache.js';
import { fromCache, keep, store, withConditional, type RenderPage } from './cached-response.js';
import { adoptOthersRefresh, serveShared, type SharedPages } from './serve-shared.js';

export type { RenderPage } from './cached-response.js';

/**
 * The page cache in front of the pipeline:
 * - fresh → served from memory (`x-atoll-cache: hit`);
 * - stale (past its TTL, within maxStale) → served at once while one background render
 *   refreshes it (`stale`); a refresh that fails keeps the stale page until maxStale runs out;
 * - missing or expired → from the shared tier when there is one (serve-shared.ts), else
 *   rendered (`miss` when stored, `bypass` when the page is not cacheable).
 *   Misses of a key that was cacheable before render once for all concurrent requests; if that
 *   shared render turns out personal (it read headers) the others render their own.
 * Stored pages carry an ETag; If-None-Match with it gets 304.
 */
export async function serveCached(cache: PageCache, key: string, ifNoneMatch: string | undefined, render: RenderPage, shared?: SharedPages): Promise<PageResponse> {
  const found = cache.lookup(key);
  if (found.state === 'fresh') return fromCache(cache, found.page, found.age, 'hit', ifNoneMatch);
  if (found.state === 'stale') {
    refreshInBackground(cache, key, render, shared);
    return fromCache(cache, found.page, found.age, 'stale', ifNoneMatch);
  }
  if (shared !== undefined) return serveShared(cache, shared, key, ifNoneMatch, render, refreshInBackground);
  if (!cache.isKnown(key)) return keep(cache, key, await render(), ifNoneMatch);

  const running = cache.inflight.get(key) as Promise<PageResponse> | undefined;
  if (running === undefined) {
    const sharedRender = render('shared').then((response) => keep(cache, key, response, undefined));
    cache.inflight.set(key, sharedRender);
    void sharedRender.finally(() => cache.inflight.delete(key));
    return withConditional(await sharedRender, ifNoneMatch);
  }
  const response = await running;
  return response.headers['x-atoll-cache'] === 'miss' ? withConditional(response, ifNoneMatch) : keep(cache, key, await render(), ifNoneMatch);
}

/**
 * One refresh per key in this instance; with a shared tier, one across all instances (its lock):
 * an instance that finds the lock held keeps serving its stale page until the holder lets go,
 * then takes the page the holder stored instead of rendering it again.
 */
function refreshInBackground(cache: PageCache, key: string, render: RenderPage, shared: SharedPages | undefined): void {
  if (cache.refreshing.has(key)) return;
  cache.refreshing.add(key);
  const refresh = async (): Promise<void> => {
    const lock = shared === undefined ? undefined : await shared.tier.lock({ ns: 'refresh', key }, shared.lockMs);
    if (shared !== undefined && lock?.state === 'held') return adoptOthersRefresh(cache, shared, key);
    try {
      const response = await render('shared');
      if (response.storable !== undefined) {
        const page = store(cache, key, response, response.storable);
        await shared?.publishPage(key, page);
      } else if ('completed' in response && response.completed !== undefined) {
        // Deferred roots: nobody reads this stream, so drain it; the page is stored once complete.
        response.body.resume();
        const whole = await response.completed;
        if (whole?.storable !== undefined) {
          const page = store(cache, key, whole, whole.storable);
          await shared?.publishPage(key, page);
        } else if (response.status < 500) cache.forget(key);
      } else if (response.status < 500) cache.forget(key);
    } finally {
      if (lock?.state === 'acquired') lock.release();
    }
  };
  void refresh().finally(() => cache.refreshing.delete(key));
}
