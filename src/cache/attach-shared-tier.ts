import type { App } from '../app.js';
import { sharedCrossRequestCache } from '../data/shared-cross-request-cache.js';
import { sharedPages } from './serve-shared.js';
import { sharedFragments } from './shared-fragments.js';
import { writePurgeMarkers, type PurgeSelector } from './purge-markers.js';
import type { SharedTier } from './shared-tier.js';

/** Margin of a render lock over SSR_TIMEOUT: a holder that is still within its deadline keeps it. */
const LOCK_MARGIN_MS = 1000;

/**
 * The app with the shared tier behind its page cache, fragment cache and crossRequestCache:
 * purges published by other instances reach this one's page and fragment caches, and their
 * crossRequestCache writes its memory. `purge` marks a purge in the shared tier (entries stored
 * before it are stale or gone, cache/purge-markers.ts) and tells every other instance.
 */
export function attachSharedTier(app: App, tier: SharedTier): App {
  const pages = app.pageCache === undefined ? undefined : sharedPages(tier, app.pageCache, app.options.ssrTimeoutMs + LOCK_MARGIN_MS);
  tier.onMessage((message) => {
    if (message.type !== 'purge') return;
    // Fragments first, as the purge endpoint does: a page refreshed after its soft purge must not be rebuilt from them.
    const purged = (app.fragmentCache?.purge(message) ?? 0) + (app.pageCache?.purge(message) ?? 0);
    tier.log.debug({ event: 'purge-received', purged }, 'purged on a message from another instance');
  });
  const fragments = app.fragmentCache === undefined ? undefined : sharedFragments(tier, app.fragmentCache);
  const now = app.pageCache?.now ?? app.fragmentCache?.now ?? Date.now;
  const purge = (selector: PurgeSelector): void => {
    writePurgeMarkers(tier, selector, now(), app.config.pageCache.maxStale);
    tier.publish({ type: 'purge', ...selector });
  };
  return Object.freeze({ ...app, crossRequestCache: sharedCrossRequestCache(app.crossRequestCache, tier), shared: Object.freeze({ tier, pages, fragments, purge }) });
}
