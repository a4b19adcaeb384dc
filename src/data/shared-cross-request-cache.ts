import type { SharedTier, TierMessage } from '../cache/shared-tier.js';
import type { VersionedCache } from './cross-request-cache.js';
import { atollError } from '../errors.js';

/** Keys whose shared-tier read is under way, at most this many at once (the rest wait for the next get). */
const MAX_WARMING = 256;

/**
 * crossRequestCache with the shared tier behind the in-process LRU. Data hooks read it
 * synchronously, so reads stay in memory:
 * - `set` and `delete` go to memory, to Redis, and as a message to every instance, whose memory
 *   takes the value as well (within pub/sub's delivery time while Redis is reachable);
 * - a memory miss starts one background read of Redis, so an instance that started after the
 *   value was set (or was disconnected when it was published) has it from the next `get` on.
 * Values travel as JSON (the cache already requires JSON-serializable values).
 */
export function sharedCrossRequestCache(memory: VersionedCache, tier: SharedTier): VersionedCache {
  const warming = new Set<string>();
  const ref = (key: string) => ({ ns: 'data', key });
  const warm = (key: string): void => {
    if (warming.has(key) || warming.size >= MAX_WARMING) return;
    warming.add(key);
    void tier
      .get(ref(key))
      .then((bytes) => {
        if (bytes === undefined || memory.has(key)) return;
        const entry = parse(bytes.toString('utf8')) as { json?: unknown; expiresAt?: unknown } | undefined;
        const value = typeof entry?.json === 'string' ? parse(entry.json) : undefined;
        const ttl = typeof entry?.expiresAt === 'number' ? (entry.expiresAt - Date.now()) / 1000 : 0;
        if (value !== undefined && ttl > 0) memory.set(key, value, ttl);
      })
      .finally(() => warming.delete(key));
  };
  /** A value from Redis or a message: undefined (and a warning) when it is not JSON. */
  const parse = (json: string): unknown => {
    try {
      return JSON.parse(json);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      const problem = atollError('ATOLL_REDIS_MESSAGE_INVALID', ['crossRequestCache', json.slice(0, 200)]);
      tier.log.warn({ code: problem.code }, problem.message);
      return undefined;
    }
  };
  tier.onMessage((message: TierMessage) => {
    if (message.type === 'purge' || message.build !== tier.build) return;
    if (message.type === 'data-set') {
      const value = parse(message.json);
      if (value !== undefined) memory.set(message.key, value, message.ttl);
    } else if (message.type === 'data-delete') memory.delete(message.key);
  });
  return {
    get: <T>(key: string) => {
      const value = memory.get<T>(key);
      if (value === undefined) warm(key);
      return value;
    },
    set: (key, value, ttl) => {
      memory.set(key, value, ttl);
      const json = JSON.stringify(value);
      if (json === undefined) return;
      void tier.set(ref(key), Buffer.from(JSON.stringify({ json, expiresAt: Date.now() + ttl * 1000 }), 'utf8'), ttl * 1000);
      tier.publish({ type: 'data-set', build: tier.build, key, json, ttl });
    },
    has: (key) => memory.has(key),
    // Writes from other instances land in memory too: versions (and the dependency tracking built on them) see them.
    version: (key) => memory.version(key),
    delete: (key) => {
      tier.delete(ref(key));
      tier.publish({ type: 'data-delete', build: tier.build, key });
      return memory.delete(key);
    },
  };
}
