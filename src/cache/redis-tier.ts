import { createHash, randomBytes } from 'node:crypto';
import { createClient, RESP_TYPES } from '@redis/client';
import { atollError, describeThrown } from '../errors.js';
import type { SharedTier, TierLock, TierLog, TierMessage, TierRef } from './shared-tier.js';

export interface RedisTierOptions {
  /** REDIS_URL: redis://[user:password@]host:port[/db] or rediss:// for TLS. */
  readonly url: string;
  /** ATOLL_REDIS_PREFIX: every key and the channel start with it. */
  readonly prefix: string;
  readonly build: string;
  readonly log: TierLog;
  /** Longest a request waits for Redis (default BOUND_MS). */
  readonly boundMs?: number;
}

/** No request waits longer than this for Redis: past it, it is served from memory or rendered. */
export const BOUND_MS = 50;
/** Answers later than the bound, in a row, that make Redis count as slow (unavailable). */
const LATE_IN_A_ROW = 3;
/** While Redis answers too slowly, one PING at most this often tells when it is fast again. */
const PROBE_EVERY_MS = 1000;
const PREFIX = /^[A-Za-z0-9:_.-]{0,64}$/;

/** Compare-and-delete: a lock is released only by the holder whose token it still carries. */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * The shared tier on Redis. Connects in the background and never throws once constructed:
 * - down at start, lost, or slower than the bound: reads resolve undefined, writes and
 *   publishes are dropped (the offline queue is off, so nothing piles up while disconnected);
 * - one warning (ATOLL_REDIS_UNAVAILABLE) per outage, one info line when it is back;
 * - reconnection with exponential backoff (50 ms doubling to 5 s), resubscribing by itself.
 * Key names are `<prefix><build>:<ns>:<sha256 of the key>` (`<prefix><ns>:…` for everyBuild),
 * so no user-controlled text reaches Redis as a name, and a deploy never reads the last build's
 * entries. Messages go over one channel, `<prefix>events`.
 */
export function connectRedisTier(options: RedisTierOptions): RedisTier {
  if (!PREFIX.test(options.prefix)) throw atollError('ATOLL_REDIS_CONFIG_INVALID', ['ATOLL_REDIS_PREFIX', options.prefix, 'up to 64 letters, digits and : _ . -']);
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (error) {
    throw atollError('ATOLL_REDIS_CONFIG_INVALID', ['REDIS_URL', redact(options.url), 'a URL such as redis://127.0.0.1:6379/0'], { cause: error });
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw atollError('ATOLL_REDIS_CONFIG_INVALID', ['REDIS_URL', redact(options.url), 'a redis:// or rediss:// URL']);

  const { log, build, prefix } = options;
  const boundMs = options.boundMs ?? BOUND_MS;
  const instance = randomBytes(8).toString('hex');
  const channel = `${prefix}events`;
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 7), 5000) },
  }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  const subscriber = client.duplicate();
  const listeners: ((message: TierMessage) => void)[] = [];
  const availability: ((event: 'available' | 'unavailable' | 'subscribed') => void)[] = [];

  let available = false;
  let warned = false;
  let lastProbe = 0;
  let lateInARow = 0;
  let closed = false;
  const trouble = (cause: unknown): void => {
    if (available) for (const listener of availability) listener('unavailable');
    available = false;
    if (warned || closed) return;
    warned = true;
    const error = atollError('ATOLL_REDIS_UNAVAILABLE', [redact(options.url), describeThrown(cause)]);
    log.warn({ code: error.code }, `${error.message} ${error.hint}`);
  };
  const recovered = (): void => {
    lateInARow = 0;
    if (available) return;
    available = true;
    for (const listener of availability) listener('available');
    if (warned) log.info({ code: 'ATOLL_REDIS_UNAVAILABLE', recovered: true }, 'Redis is reachable again: the shared cache tier is used again.');
    warned = false;
  };
  client.on('error', trouble);
  subscriber.on('error', trouble);
  client.on('ready', recovered);
  client.on('end', () => {
    if (available) for (const listener of availability) listener('unavailable');
    available = false;
  });
  void client.connect().catch(trouble);
  // Subscribed on the first connection (which may come long after start); node-redis itself
  // subscribes again after each reconnection.
  let subscribed = false;
  subscriber.on('ready', () => {
    const done = (): void => {
      log.debug({ event: 'tier-subscribed' }, `subscribed to ${channel}`);
      for (const listener of availability) listener('subscribed');
    };
    if (subscribed) return done();
    subscriber
      .subscribe(channel, (raw: string) => deliver(raw))
      .then(() => {
        subscribed = true;
        done();
      }, trouble);
  });
  void subscriber.connect().catch(trouble);

  const deliver = (raw: string): void => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
    const message = parsed as { from?: unknown; message?: TierMessage } | undefined;
    if (message?.from === instance) return;
    const invalid = (detail: string): void => {
      const error = atollError('ATOLL_REDIS_MESSAGE_INVALID', [channel, raw.slice(0, 200)]);
      log.warn({ code: error.code, detail }, error.message);
    };
    if (!isMessage(message?.message)) {
      invalid('not a message Atoll sends');
      return;
    }
    // A message that passes the shape check can still fail where it is applied (a path that does
    // not decode): it is reported, and neither the subscription nor the process ends.
    for (const listener of listeners) {
      try {
        listener(message.message);
      } catch (error) {
        invalid(describeThrown(error));
      }
    }
  };

  const name = (ref: TierRef): string => `${prefix}${ref.everyBuild === true ? '' : `${build}:`}${ref.ns}:${createHash('sha256').update(ref.key, 'utf8').digest('base64url')}`;

  /** Runs a command if Redis is usable, bounded by boundMs; undefined on any failure. */
  const bounded = async <T>(command: () => Promise<T>): Promise<T | undefined> => {
    if (closed || !client.isReady) return undefined;
    if (!available) {
      probe();
      return undefined;
    }
    let timer: NodeJS.Timeout | undefined;
    // The timer hands over through setImmediate: a reply that arrived while the event loop was
    // busy is read (poll phase) before the bound is declared missed (check phase).
    const late = new Promise<typeof LATE>((resolve) => {
      timer = setTimeout(() => setImmediate(() => resolve(LATE)), boundMs);
    });
    try {
      const result = await Promise.race([command(), late]);
      if (result === LATE) {
        if (++lateInARow >= LATE_IN_A_ROW) trouble(new Error(`${LATE_IN_A_ROW} answers in a row took longer than ${boundMs} ms`));
        return undefined;
      }
      lateInARow = 0;
      return result;
    } catch (error) {
      trouble(error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };
  const probe = (): void => {
    const now = performance.now();
    if (now - lastProbe < PROBE_EVERY_MS || !client.isReady) return;
    lastProbe = now;
    const started = now;
    client.ping().then(
      () => {
        if (performance.now() - started <= boundMs) recovered();
      },
      (error: unknown) => trouble(error),
    );
  };
  const fireAndForget = (command: () => Promise<unknown>): void => {
    void bounded(command);
  };

  return {
    build,
    log,
    get: async (ref) => (await bounded(() => client.get(name(ref)))) ?? undefined,
    getMany: async (refs) => {
      const values = await bounded(() => client.mGet(refs.map(name)));
      return values?.map((v) => v ?? undefined);
    },
    set: async (ref, value, ttlMs) => {
      await bounded(() => client.set(name(ref), value, { PX: Math.max(1, Math.ceil(ttlMs)) }));
    },
    delete: (ref) => fireAndForget(() => client.del(name(ref))),
    lock: async (ref, ttlMs): Promise<TierLock> => {
      const key = `${name(ref)}:lock`;
      const token = randomBytes(12).toString('base64url');
      const set = await bounded(() => client.set(key, token, { NX: true, PX: Math.ceil(ttlMs) }));
      if (set === undefined) return { state: 'unavailable' };
      if (set === null) return { state: 'held' };
      return { state: 'acquired', release: () => fireAndForget(() => client.eval(RELEASE, { keys: [key], arguments: [token] })) };
    },
    isLocked: async (ref) => {
      const count = await bounded(() => client.exists(`${name(ref)}:lock`));
      return count === undefined ? undefined : count > 0;
    },
    publish: (message) => fireAndForget(() => client.publish(channel, JSON.stringify({ from: instance, message }))),
    onMessage: (listener) => {
      listeners.push(listener);
    },
    /** Told each time Redis becomes usable or stops being usable (tests order on it). */
    onAvailability: (listener) => {
      availability.push(listener);
    },
    close: async () => {
      closed = true;
      await Promise.allSettled([client.isOpen ? client.close() : undefined, subscriber.isOpen ? subscriber.close() : undefined]);
    },
  };
}

const LATE = Symbol('late');

export interface RedisTier extends SharedTier {
  /**
   * Told each time commands become usable or stop being usable (`available`), and each time the
   * subscription to other instances' messages is (re)established (`subscribed`). Tests order on it.
   */
  onAvailability(listener: (event: 'available' | 'unavailable' | 'subscribed') => void): void;
}

function isMessage(value: unknown): value is TierMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (m['type'] === 'purge') return strings(m['tags']) && strings(m['paths']) && typeof m['hard'] === 'boolean';
  if (m['type'] === 'data-set')
    return (
      typeof m['build'] === 'string' && typeof m['key'] === 'string' && typeof m['json'] === 'string' && typeof m['ttl'] === 'number' && Number.isFinite(m['ttl']) && m['ttl'] > 0
    );
  if (m['type'] === 'data-delete') return typeof m['build'] === 'string' && typeof m['key'] === 'string';
  return false;
}

/** The URL without its password, for messages. */
function redact(text: string): string {
  return text.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
