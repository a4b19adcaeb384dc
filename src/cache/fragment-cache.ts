import { LRUCache } from 'lru-cache';
import type { SsrDataResponse } from '../data/types.js';
import { cacheKey } from './page-cache.js';
import { DependencyIndex } from './dependency-index.js';
import type { RootElement } from '../templates/compile-body.js';

/**
 * What a root's element renderer emitted: its attributes and the content of its shadow root,
 * the latter UTF-8 encoded once when stored, so a page that reuses it copies bytes instead of
 * encoding the text again on every request (render/collect-html.ts).
 */
export interface FragmentHtml {
  readonly attributes: string;
  readonly shadow: Buffer;
}

/** One root's checked hook result, as the page uses it (head, props, headers, tags). */
export interface FragmentData {
  readonly result: SsrDataResponse;
  /** The root's own TTL in whole seconds; undefined when its hook set none. */
  readonly ttl: number | undefined;
  readonly tags: readonly string[];
  /** crossRequestCache keys the hook read: a set or delete of one invalidates the fragment. */
  readonly deps: readonly string[];
  /** The hook read headers or cookies: the result depends on who asked. */
  readonly readsHeaders: boolean;
  /** Another request wrote one of its deps while it ran: it may hold the old value. */
  readonly outdated: boolean;
}

/** Where a root's fragment lives: tag and template attributes, then the URL or the hook's `cache.key`. */
export interface FragmentKey {
  /** Tag, attributes, normalised path, sorted query and locale. */
  readonly url: string;
  /** The path part, for a purge by path. */
  readonly path: string;
  readonly base: string;
  readonly locale: string;
}

export interface Fragment {
  readonly data: FragmentData;
  /** undefined until a page rendered the root with this data (or for roots the browser renders). */
  readonly html: FragmentHtml | undefined;
  readonly storedAt: number;
  readonly ttl: number;
  readonly size: number;
  /** undefined for a fragment under a hook's `cache.key`: it serves many paths. */
  readonly path: string | undefined;
}

/** A URL whose hook answered with `cache.key`: its fragment lives under that key. */
interface Alias {
  readonly alias: string;
  readonly path: string;
}

type Entry = Fragment | Alias;

export interface FragmentCacheOptions {
  readonly maxEntries: number;
  /** Bytes of HTML plus the JSON of the hook results. */
  readonly maxBytes: number;
  /** Seconds past its TTL a fragment is still used while one background hook call refreshes it. */
  readonly maxStale: number;
}

type Lookup = { readonly state: 'fresh' | 'stale'; readonly key: string; readonly fragment: Fragment } | { readonly state: 'expired' | 'missing' };

/**
 * The fragment cache's key for a root on this request (`url` is path and query, without basePath).
 * The root's start tag stands for its attributes: the stored HTML holds them as rendered, island
 * id and directives included, so a fragment under a hook's `cache.key` serves only roots that
 * would render the same attributes (same template attributes, same index and `hydrate`).
 */
export function fragmentKey(root: Pick<RootElement, 'startTag'>, url: string, locale: string): FragmentKey {
  const queryStart = url.indexOf('?');
  const pathKey = cacheKey('', queryStart === -1 ? url : url.slice(0, queryStart), queryStart === -1 ? '' : url.slice(queryStart + 1), locale);
  // One line: the parts of a key are separated by newlines, and a template may break a tag over lines.
  const base = JSON.stringify(root.startTag);
  return { url: `${base}${pathKey}`, path: pathKey.split('\n')[1] as string, base, locale };
}

/**
 * Per-root results and HTML shared between requests: an LRU bounded by entries and bytes, each
 * fragment fresh for its root's TTL and usable for maxStale more while one refresh runs. Only
 * fragments of hooks that returned a TTL above 0, read no headers or cookies and set no cookie
 * are stored; failures never reach it (a hook that throws stores nothing).
 */
export class FragmentCache {
  readonly maxStale: number;
  private readonly lru: LRUCache<string, Entry>;
  /** URL keys stored at least once: their misses may be coalesced. */
  private readonly known = new Set<string>();
  private readonly deps = new DependencyIndex();
  readonly inflight = new Map<string, Promise<{ key: string; fragment: Fragment } | undefined>>();
  readonly refreshing = new Set<string>();

  constructor(
    options: FragmentCacheOptions,
    readonly now: () => number,
  ) {
    this.maxStale = options.maxStale;
    this.lru = new LRUCache<string, Entry>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      perf: { now },
      sizeCalculation: (entry, key) => key.length + 64 + ('alias' in entry ? entry.alias.length : entry.size),
      dispose: (entry, key, reason) => {
        if (!('alias' in entry)) this.deps.remove(key, entry.data.deps);
        if (reason === 'evict') this.known.delete(key);
      },
    });
  }

  lookup(key: FragmentKey): Lookup {
    const entry = this.lru.get(key.url);
    const at = entry !== undefined && 'alias' in entry ? entry.alias : key.url;
    const fragment = at === key.url ? entry : this.lru.get(at);
    if (fragment === undefined || 'alias' in fragment) return { state: this.known.has(key.url) ? 'expired' : 'missing' };
    const age = (this.now() - fragment.storedAt) / 1000;
    if (age < fragment.ttl) return { state: 'fresh', key: at, fragment };
    if (age < fragment.ttl + this.maxStale) return { state: 'stale', key: at, fragment };
    return { state: 'expired' };
  }

  /** Entries held (fragments and URL aliases). */
  get size(): number {
    return this.lru.size;
  }

  isKnown(key: FragmentKey): boolean {
    return this.known.has(key.url);
  }

  /**
   * Stores a root's data (its HTML follows from the page that renders it, through attach).
   * Under a hook's `cache.key` the URL becomes an alias, and a fresh fragment already under that
   * key is kept: it serves this URL too. Returns what the page should use, or undefined when the
   * data may not be stored.
   */
  store(key: FragmentKey, data: FragmentData): { key: string; fragment: Fragment } | undefined {
    if (data.ttl === undefined || data.ttl <= 0 || data.readsHeaders || data.outdated) return undefined;
    if (Object.keys(data.result.headers ?? {}).some((h) => h.toLowerCase() === 'set-cookie')) return undefined;
    let size: number | undefined;
    try {
      size = JSON.stringify(data.result)?.length;
    } catch {
      // BigInt or a cycle in props: a static root may render them, the cache cannot measure them.
      size = undefined;
    }
    if (size === undefined) return undefined;
    const own = data.result.cache?.key;
    const at = own === undefined ? key.url : `${key.base}\n\nkey\n${own}\n${key.locale}`;
    this.known.add(key.url);
    if (own !== undefined) {
      this.put(key.url, { alias: at, path: key.path }, (data.ttl + this.maxStale) * 1000);
      const existing = this.lookup(key);
      if (existing.state === 'fresh') return { key: existing.key, fragment: existing.fragment };
    }
    const fragment: Fragment = { data, html: undefined, storedAt: this.now(), ttl: data.ttl, size, path: own === undefined ? key.path : undefined };
    this.put(at, fragment, (data.ttl + this.maxStale) * 1000);
    return { key: at, fragment };
  }

  /**
   * Adds the HTML a page rendered from this fragment's data, unless the fragment was replaced
   * meanwhile. Returns the complete fragment it stored, or undefined.
   */
  attach(key: string, fragment: Fragment, html: FragmentHtml): Fragment | undefined {
    if (this.lru.peek(key) !== fragment) return undefined;
    const remaining = this.remainingMs(fragment);
    if (remaining <= 0) return undefined;
    const complete: Fragment = { ...fragment, html, size: fragment.size + html.attributes.length + html.shadow.length };
    this.put(key, complete, remaining);
    return complete;
  }

  /** A complete fragment another instance stored (read from the shared tier) for this URL key, under `at`. */
  adopt(key: FragmentKey, at: string, fragment: Fragment): void {
    const remaining = this.remainingMs(fragment);
    if (remaining <= 0) return;
    this.known.add(key.url);
    if (at !== key.url) this.put(key.url, { alias: at, path: key.path }, remaining);
    this.put(at, fragment, remaining);
  }

  /** Milliseconds until the fragment is past its TTL and its stale window. */
  private remainingMs(fragment: Fragment): number {
    return fragment.storedAt + (fragment.ttl + this.maxStale) * 1000 - this.now();
  }

  /**
   * Purges fragments carrying one of these tags or stored for one of these paths (and the aliases
   * of those paths). Soft: fresh ones turn stale, so they are used while one refresh runs.
   */
  purge(selector: { readonly tags: readonly string[]; readonly paths: readonly string[]; readonly hard: boolean }): number {
    const tags = new Set(selector.tags);
    const paths = new Set(selector.paths.map((p) => cacheKey('', p, '', '').split('\n')[1]));
    const now = this.now();
    let purged = 0;
    for (const [key, entry] of [...this.lru.entries()]) {
      if ('alias' in entry) {
        if (paths.has(entry.path)) this.lru.delete(key);
        continue;
      }
      if (!entry.data.tags.some((t) => tags.has(t)) && !(entry.path !== undefined && paths.has(entry.path))) continue;
      purged += 1;
      const age = Math.max(0, (now - entry.storedAt) / 1000);
      if (selector.hard || this.maxStale === 0) this.lru.delete(key);
      else if (age < entry.ttl) this.put(key, { ...entry, ttl: age }, this.maxStale * 1000);
    }
    return purged;
  }

  /** A crossRequestCache key changed: the fragments whose hooks read it are dropped. */
  invalidate(dep: string): number {
    const keys = this.deps.entriesOf(dep);
    for (const key of keys) this.lru.delete(key);
    return keys.length;
  }

  /** The URL's fragment stopped being cacheable (its hook now reads headers or has no TTL). */
  forget(key: FragmentKey): void {
    this.known.delete(key.url);
    this.lru.delete(key.url);
  }

  private put(key: string, entry: Entry, ttlMs: number): void {
    this.lru.set(key, entry, { ttl: ttlMs });
    // After set: overwriting disposes of the previous entry, which removes its dependencies.
    if (!('alias' in entry) && this.lru.peek(key) === entry) this.deps.add(key, entry.data.deps);
  }
}

/** What a root uses on this request: data, and either its cached HTML or where to keep what it renders. */
export interface ServedFragment {
  readonly data: FragmentData;
  readonly html?: FragmentHtml;
  readonly keep?: (html: FragmentHtml) => void;
  /** Past its TTL: the page that uses it must not be stored, or it would outlive the refresh. */
  readonly stale?: true;
}

/**
 * The shared tier's side of the fragment cache (cache/shared-fragments.ts): a complete fragment
 * one instance stored is read by the others on a miss in their memory.
 */
export interface FragmentTier {
  /** The fragment stored for this URL key (following a `cache.key` alias), with purges applied; undefined when absent or unavailable. */
  read(key: FragmentKey): Promise<{ readonly at: string; readonly fragment: Fragment } | undefined>;
  /** Writes a fragment that just got its HTML, under `at`, and the URL key's alias when `at` differs. */
  publish(url: string, at: string, fragment: Fragment): void;
}

/**
 * The fragment cache in front of one root's hook, as the page cache is in front of a page:
 * fresh → the hook is not called and (once rendered) the root is not rendered either; stale →
 * used at once while one background hook call refreshes it; missing → with a shared tier, a
 * fragment another instance stored is taken into memory and used as if found; else the hook
 * runs, and concurrent misses of a URL key stored before wait for one call. A refresh that fails
 * keeps the stale fragment and is reported to `onRefreshFailed`.
 */
export async function serveFragment(
  cache: FragmentCache,
  key: FragmentKey,
  run: () => Promise<FragmentData>,
  onRefreshFailed: (error: unknown) => void,
  tier?: FragmentTier,
): Promise<ServedFragment> {
  let found = cache.lookup(key);
  if (tier !== undefined && (found.state === 'missing' || found.state === 'expired')) {
    const shared = await tier.read(key);
    if (shared !== undefined) {
      cache.adopt(key, shared.at, shared.fragment);
      found = cache.lookup(key);
    }
  }
  const serve = (at: string, fragment: Fragment): ServedFragment => served(cache, key, at, fragment, tier);
  if (found.state === 'fresh') return serve(found.key, found.fragment);
  if (found.state === 'stale') {
    refresh(cache, key, run, onRefreshFailed);
    return { ...serve(found.key, found.fragment), stale: true };
  }
  if (!cache.isKnown(key)) return fresh(cache, key, await run(), tier);
  const running = cache.inflight.get(key.url);
  if (running === undefined) {
    const shared = run().then((data) => ({ data, stored: cache.store(key, data) }));
    const settled = shared.then(
      (s) => s.stored,
      () => undefined,
    );
    cache.inflight.set(key.url, settled);
    void settled.finally(() => cache.inflight.delete(key.url));
    const { data, stored } = await shared;
    if (stored === undefined) cache.forget(key);
    return stored === undefined ? { data } : serve(stored.key, stored.fragment);
  }
  const stored = await running;
  // The shared call stored nothing (it failed, read headers, or lost its TTL): run our own.
  return stored === undefined ? fresh(cache, key, await run(), tier) : serve(stored.key, stored.fragment);
}

function fresh(cache: FragmentCache, key: FragmentKey, data: FragmentData, tier: FragmentTier | undefined): ServedFragment {
  const stored = cache.store(key, data);
  return stored === undefined ? { data } : served(cache, key, stored.key, stored.fragment, tier);
}

function served(cache: FragmentCache, key: FragmentKey, at: string, fragment: Fragment, tier: FragmentTier | undefined): ServedFragment {
  if (fragment.html !== undefined) return { data: fragment.data, html: fragment.html };
  return {
    data: fragment.data,
    keep: (html) => {
      const complete = cache.attach(at, fragment, html);
      if (complete !== undefined) tier?.publish(key.url, at, complete);
    },
  };
}

function refresh(cache: FragmentCache, key: FragmentKey, run: () => Promise<FragmentData>, onRefreshFailed: (error: unknown) => void): void {
  if (cache.refreshing.has(key.url)) return;
  cache.refreshing.add(key.url);
  void run()
    .then((data) => {
      if (cache.store(key, data) === undefined) cache.forget(key);
    }, onRefreshFailed)
    .finally(() => cache.refreshing.delete(key.url));
}
