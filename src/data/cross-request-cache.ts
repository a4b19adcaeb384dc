import { LRUCache } from 'lru-cache';
import { atollError } from '../errors.js';
import type { CrossRequestCache } from './types.js';

export interface CrossRequestCacheLimits {
  readonly maxEntries: number;
  /** Sum of the entries' sizes; a value's size is the length of its JSON text. */
  readonly maxBytes: number;
}

/** The cache as Atoll holds it: `version(key)` changes with every set and delete of the key. */
export interface VersionedCache extends CrossRequestCache {
  /** 0 when the key is absent; otherwise the number of the set that wrote its value. */
  version(key: string): number;
}

export const DEFAULT_CACHE_LIMITS: CrossRequestCacheLimits = { maxEntries: 1000, maxBytes: 32 * 1024 * 1024 };

/**
 * The process-wide cache handed to every data hook as `crossRequestCache` (unlike LWR's plain
 * object, it is bounded by entries and bytes, and each entry has a TTL). Values must be
 * JSON-serializable so that their size can be measured. `onChange` hears every set and delete
 * (not expiry): what was built from the key's old value is out of date.
 */
export function createCrossRequestCache(limits: CrossRequestCacheLimits = DEFAULT_CACHE_LIMITS, onChange: (key: string) => void = () => {}): VersionedCache {
  let sets = 0;
  const lru = new LRUCache<string, { value: unknown; version: number }>({
    max: limits.maxEntries,
    maxSize: limits.maxBytes,
    sizeCalculation: (entry, key) => key.length + (JSON.stringify(entry.value)?.length ?? 1),
  });
  return {
    get: <T>(key: string) => lru.get(key)?.value as T | undefined,
    set: (key, value, ttl) => {
      if (!(Number.isFinite(ttl) && ttl > 0)) throw atollError('ATOLL_CACHE_TTL_INVALID', [key, ttl]);
      sets += 1;
      lru.set(key, { value, version: sets }, { ttl: ttl * 1000 });
      onChange(key);
    },
    has: (key) => lru.has(key),
    version: (key) => lru.peek(key)?.version ?? 0,
    delete: (key) => {
      const deleted = lru.delete(key);
      onChange(key);
      return deleted;
    },
  };
}
