import { LRUCache } from 'lru-cache';
import { atollError } from '../errors.js';
import type { CrossRequestCache } from './types.js';

export interface CrossRequestCacheLimits {
  readonly maxEntries: number;
  /** Sum of the entries' sizes; a value's size is the length of its JSON text. */
  readonly maxBytes: number;
}

export const DEFAULT_CACHE_LIMITS: CrossRequestCacheLimits = { maxEntries: 1000, maxBytes: 32 * 1024 * 1024 };

/**
 * The process-wide cache handed to every data hook as `crossRequestCache` (unlike LWR's plain
 * object, it is bounded by entries and bytes, and each entry has a TTL). Values must be
 * JSON-serializable so that their size can be measured.
 */
export function createCrossRequestCache(limits: CrossRequestCacheLimits = DEFAULT_CACHE_LIMITS): CrossRequestCache {
  const lru = new LRUCache<string, { value: unknown }>({
    max: limits.maxEntries,
    maxSize: limits.maxBytes,
    sizeCalculation: (entry, key) => key.length + (JSON.stringify(entry.value)?.length ?? 1),
  });
  return {
    get: <T>(key: string) => lru.get(key)?.value as T | undefined,
    set: (key, value, ttl) => {
      if (!(Number.isFinite(ttl) && ttl > 0)) throw atollError('ATOLL_CACHE_TTL_INVALID', [key, ttl]);
      lru.set(key, { value }, { ttl: ttl * 1000 });
    },
    has: (key) => lru.has(key),
    delete: (key) => lru.delete(key),
  };
}
