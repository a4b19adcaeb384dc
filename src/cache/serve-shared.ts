import type { PageResponse } from '../page-response.js';
import type { CachedPage, PageCache } from './page-cache.js';
import { markerRefs, ttlAfterMarkers } from './purge-markers.js';
import type { SharedTier } from './shared-tier.js';
import { decodePageEntry, encodePageEntry } from './page-entry-codec.js';
import { fromCache, keep, withConditional, type RenderPage } from './cached-response.js';

/** How often a request waiting for another instance's render looks for the stored page. */
const POLL_MS = 20;

/** The page cache's side of the shared tier. */
export interface SharedPages {
  readonly tier: SharedTier;
  /** How long a render lock lives: longer than any render (SSR_TIMEOUT plus a margin). */
  readonly lockMs: number;
  /** Writes a page just stored in memory to the shared tier; resolves once written (or dropped). */
  publishPage(key: string, page: CachedPage): Promise<void>;
  /** The page in the shared tier with the purges since it was stored applied; undefined when absent or unavailable. */
  readPage(key: string): Promise<CachedPage | undefined>;
}

export function sharedPages(tier: SharedTier, cache: PageCache, lockMs: number): SharedPages {
  const ttlMs = (page: CachedPage): number => (page.ttl + cache.maxStale) * 1000;
  return {
    tier,
    lockMs,
    // A page built from crossRequestCache reads stays in this instance: that cache, and the
    // invalidation a set or delete of its keys sends, are per instance.
    publishPage: async (key, page) => (page.deps.length > 0 ? undefined : tier.set({ ns: 'page', key }, encodePageEntry(page, tier.build), ttlMs(page))),
    readPage: async (key) => {
      const [routeId = '', path = ''] = key.split('\n');
      // The route id is always one of the page's tags: its markers come in the same round trip.
      const values = await tier.getMany([{ ns: 'page', key }, ...markerRefs([routeId], path)]);
      const bytes = values?.[0];
      if (values === undefined || bytes === undefined) return undefined;
      const page = decodePageEntry(bytes, tier.build);
      if (page === undefined) return undefined;
      let ttl = ttlAfterMarkers(page.storedAt, page.ttl, values.slice(1));
      const others = page.tags.filter((tag) => tag !== routeId);
      if (ttl !== undefined && others.length > 0) {
        const marks = await tier.getMany(markerRefs(others, undefined));
        ttl = marks === undefined ? undefined : ttlAfterMarkers(page.storedAt, ttl, marks);
      }
      if (ttl === undefined) return undefined;
      return ttl === page.ttl ? page : { ...page, ttl };
    },
  };
}

/**
 * A miss in memory with a shared tier:
 * 1. concurrent requests of the key in this instance wait for the first one;
 * 2. the shared tier has the page → stored in memory and served (`hit`, or `stale` with one
 *    refresh across all instances);
 * 3. else one instance takes the render lock (SET NX PX) and renders; the others wait for the
 *    page it stores. A waiter renders itself when the lock goes away without a page (the holder
 *    died, or the page was not cacheable) or outlives lockMs (the holder is slow);
 * 4. Redis unavailable → rendered here, as without a shared tier.
 */
export async function serveShared(
  cache: PageCache,
  shared: SharedPages,
  key: string,
  ifNoneMatch: string | undefined,
  render: RenderPage,
  refresh: (cache: PageCache, key: string, render: RenderPage, shared: SharedPages) => void,
): Promise<PageResponse> {
  const running = cache.inflight.get(key) as Promise<PageResponse> | undefined;
  if (running !== undefined) {
    shared.tier.log.debug({ event: 'cache-wait', where: 'instance' }, 'waiting for a render of this page in this instance');
    const response = await running;
    return response.headers['x-atoll-cache'] === 'bypass' ? keep(cache, key, await render(), ifNoneMatch) : withConditional(response, ifNoneMatch);
  }
  const work = fetchOrRender(cache, shared, key, render, refresh);
  cache.inflight.set(key, work);
  void work.finally(() => cache.inflight.delete(key));
  return withConditional(await work, ifNoneMatch);
}

async function fetchOrRender(
  cache: PageCache,
  shared: SharedPages,
  key: string,
  render: RenderPage,
  refresh: (cache: PageCache, key: string, render: RenderPage, shared: SharedPages) => void,
): Promise<PageResponse> {
  const stored = await fromShared(cache, shared, key, render, refresh);
  if (stored !== undefined) return stored;
  const lock = await shared.tier.lock({ ns: 'render', key }, shared.lockMs);
  if (lock.state === 'held') {
    shared.tier.log.debug({ event: 'cache-wait', where: 'shared' }, 'waiting for a render of this page in another instance');
    const waitedFor = await waitForOther(cache, shared, key, render, refresh);
    if (waitedFor !== undefined) return waitedFor;
  }
  try {
    let written: Promise<void> | undefined;
    const response = keep(cache, key, await render('shared'), undefined, (page) => {
      written = shared.publishPage(key, page);
    });
    // Sent once Redis has the page (at most the tier's bound later): a request that reaches
    // another instance after this response finds it there.
    await written;
    return response;
  } finally {
    // Released after the page's SET was sent on the same connection: a waiter that sees the
    // lock gone finds the page.
    if (lock.state === 'acquired') lock.release();
  }
}

async function fromShared(
  cache: PageCache,
  shared: SharedPages,
  key: string,
  render: RenderPage,
  refresh: (cache: PageCache, key: string, render: RenderPage, shared: SharedPages) => void,
): Promise<PageResponse | undefined> {
  const page = await shared.readPage(key);
  if (page === undefined) return undefined;
  cache.store(key, page);
  const found = cache.lookup(key);
  if (found.state === 'fresh') return fromCache(cache, found.page, found.age, 'hit', undefined);
  if (found.state === 'stale') {
    refresh(cache, key, render, shared);
    return fromCache(cache, found.page, found.age, 'stale', undefined);
  }
  return undefined;
}

/** Resumes every POLL_MS until a lock's life (lockMs) has passed: each wait on another instance. */
async function* lockPolls(shared: SharedPages): AsyncGenerator<void> {
  const until = performance.now() + shared.lockMs;
  while (performance.now() < until) {
    await new Promise<void>((resolve) => setTimeout(resolve, POLL_MS));
    yield;
  }
}

async function waitForOther(
  cache: PageCache,
  shared: SharedPages,
  key: string,
  render: RenderPage,
  refresh: (cache: PageCache, key: string, render: RenderPage, shared: SharedPages) => void,
): Promise<PageResponse | undefined> {
  for await (const _poll of lockPolls(shared)) {
    // The lock first, then the page: the holder stores the page before it releases the lock,
    // so a lock seen gone means the page (if there is one) is readable now. Read the other way
    // round, the page could be stored and the lock released between the two reads.
    const locked = await shared.tier.isLocked({ ns: 'render', key });
    const stored = await fromShared(cache, shared, key, render, refresh);
    if (stored !== undefined) return stored;
    if (locked !== true) return undefined;
  }
  return undefined;
}

/**
 * Another instance holds the refresh lock of a stale page: wait (at most lockMs) until it lets
 * go, then keep the page it stored if it is newer than the one in memory. A holder that stored
 * nothing (the page turned personal, or the render failed) leaves the stale page in place, and
 * the next stale hit here tries the refresh itself.
 */
export async function adoptOthersRefresh(cache: PageCache, shared: SharedPages, key: string): Promise<void> {
  shared.tier.log.debug({ event: 'refresh-wait' }, 'another instance refreshes this stale page');
  for await (const _poll of lockPolls(shared)) {
    const locked = await shared.tier.isLocked({ ns: 'refresh', key });
    if (locked === true) continue;
    if (locked === undefined) return;
    const page = await shared.readPage(key);
    const current = cache.lookup(key);
    if (page !== undefined && ('page' in current ? page.storedAt > current.page.storedAt : true)) cache.store(key, page);
    shared.tier.log.debug({ event: 'refresh-adopted', stored: page !== undefined }, "the other instance's refresh is over");
    return;
  }
}
