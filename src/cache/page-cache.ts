import { LRUCache } from 'lru-cache';
import type { EncodedVariants } from './encode-variants.js';
import { DependencyIndex } from './dependency-index.js';

/** A page as stored: a 200 whose data hooks read no request headers and set no cookie. */
export interface CachedPage {
  readonly routeId: string;
  /** Its route id, route cache.tags and its roots' hook tags: a purge by any of them reaches it. */
  readonly tags: readonly string[];
  /** crossRequestCache keys its hooks read. */
  readonly deps: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  /** UTF-8, encoded once at store time. */
  readonly body: Buffer;
  /** The body in br and gzip, compressed once when stored (none for a small body). */
  readonly encoded: EncodedVariants;
  readonly etag: string;
  readonly storedAt: number;
  /** Seconds the page is fresh. */
  readonly ttl: number;
}

export interface PageCacheOptions {
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** Seconds past its TTL a page may still be served while one refresh runs. */
  readonly maxStale: number;
}

export type Lookup = { readonly state: 'fresh' | 'stale'; readonly page: CachedPage; readonly age: number } | { readonly state: 'expired' | 'missing' };

/**
 * The in-memory page cache: an LRU bounded by entries and bytes of HTML, each entry dropped
 * once it is older than its TTL plus maxStale. It also tracks which keys are being rendered, so
 * concurrent misses render once and a stale page is refreshed by one background render.
 */
export class PageCache {
  readonly maxStale: number;
  private readonly lru: LRUCache<string, CachedPage>;
  /** Keys whose page was stored at least once: their misses may be coalesced. */
  private readonly known = new Set<string>();
  private readonly deps = new DependencyIndex();
  readonly inflight = new Map<string, Promise<unknown>>();
  readonly refreshing = new Set<string>();

  constructor(
    options: PageCacheOptions,
    readonly now: () => number,
  ) {
    this.maxStale = options.maxStale;
    this.lru = new LRUCache({
      max: options.maxEntries,
      perf: { now },
      maxSize: options.maxBytes,
      sizeCalculation: (page, key) => page.body.length + (page.encoded.br?.length ?? 0) + (page.encoded.gzip?.length ?? 0) + key.length + 256,
      dispose: (page, key, reason) => {
        this.deps.remove(key, page.deps);
        if (reason === 'evict') this.known.delete(key);
      },
    });
  }

  lookup(key: string): Lookup {
    const now = this.now();
    const page = this.lru.get(key);
    if (page === undefined) return { state: this.known.has(key) ? 'expired' : 'missing' };
    const age = (now - page.storedAt) / 1000;
    if (age < page.ttl) return { state: 'fresh', page, age };
    if (age < page.ttl + this.maxStale) return { state: 'stale', page, age };
    return { state: 'expired' };
  }

  /** Whether a miss of this key may be rendered once for all concurrent requests. */
  isKnown(key: string): boolean {
    return this.known.has(key);
  }

  store(key: string, page: CachedPage): void {
    this.known.add(key);
    this.lru.set(key, page, { ttl: (page.ttl + this.maxStale) * 1000 });
    // After set: overwriting disposes of the previous page, which removes its dependencies.
    if (this.lru.peek(key) === page) this.deps.add(key, page.deps);
  }

  /** A crossRequestCache key changed: the pages whose hooks read it are dropped. */
  invalidate(dep: string): number {
    const keys = this.deps.entriesOf(dep);
    for (const key of keys) this.lru.delete(key);
    return keys.length;
  }

  /**
   * Purges the pages carrying any of these tags and those of these paths (as in the key:
   * normalised, without query). Soft: each matching page turns stale at once, so it is
   * served while one refresh runs; hard: dropped. Returns how many entries matched.
   */
  purge(selector: { readonly tags: readonly string[]; readonly paths: readonly string[]; readonly hard: boolean }): number {
    const tags = new Set(selector.tags);
    const paths = new Set(selector.paths.map((p) => cacheKey('', p, '', '').split('\n')[1]));
    const now = this.now();
    const matched: [string, CachedPage][] = [];
    for (const [key, page] of this.lru.entries()) {
      if (page.tags.some((t) => tags.has(t)) || paths.has(key.split('\n')[1] as string)) matched.push([key, page]);
    }
    for (const [key, page] of matched) {
      // With no stale window a soft purge has nothing to serve meanwhile: it drops the page.
      if (selector.hard || this.maxStale === 0) {
        this.forget(key);
        continue;
      }
      const age = Math.max(0, (now - page.storedAt) / 1000);
      if (age >= page.ttl) continue;
      const stale = { ...page, ttl: age };
      this.lru.set(key, stale, { ttl: this.maxStale * 1000 });
      this.deps.add(key, stale.deps);
    }
    return matched.length;
  }

  /** A page that stopped being cacheable (it now reads headers, fails, or has no TTL). */
  forget(key: string): void {
    this.known.delete(key);
    this.lru.delete(key);
  }
}

/**
 * The cache key: route, normalised path (percent-encoding made canonical), the full query
 * sorted by key (repeated keys keep their order), and the locale. Together with the route's params these are all a
 * data hook can see besides the headers, and a page whose hooks read headers is never stored.
 */
export function cacheKey(routeId: string, pathname: string, search: string, locale: string): string {
  const path = !pathname.includes('%')
    ? pathname
    : pathname
        .split('/')
        .map((segment) => encodeURIComponent(decodeURIComponent(segment)))
        .join('/');
  if (search === '') return `${routeId}\n${path}\n\n${locale}`;
  const query = [...new URLSearchParams(search)]
    // Stable sort by key only: the order of a repeated key's values is data (query.a is an array).
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return `${routeId}\n${path}\n${query}\n${locale}`;
}
