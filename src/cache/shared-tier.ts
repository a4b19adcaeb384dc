/**
 * The tier every instance shares (Redis behind the in-process caches). Any cache can use it:
 * the page cache, crossRequestCache, and later the fragment cache. Each operation is bounded:
 * a lost, unreachable or slow Redis makes a read resolve `undefined` (or a lock `unavailable`)
 * within the tier's bound, and a write is dropped; nothing rejects, so no request fails because
 * of Redis. Keys are names the caller chooses; the tier hashes them, so any text is safe.
 */
export interface SharedTier {
  /** The build's identity: entries of another build are never read. */
  readonly build: string;
  get(ref: TierRef): Promise<Buffer | undefined>;
  /** Several reads in one round trip; undefined when Redis is unavailable. */
  getMany(refs: readonly TierRef[]): Promise<(Buffer | undefined)[] | undefined>;
  /** Resolves once Redis has stored it, or once it is known not to (never rejects). */
  set(ref: TierRef, value: Buffer, ttlMs: number): Promise<void>;
  delete(ref: TierRef): void;
  /** A short lock (SET NX PX) so that one instance does a piece of work while others wait. */
  lock(ref: TierRef, ttlMs: number): Promise<TierLock>;
  /** Whether the lock is still held; undefined when Redis is unavailable. */
  isLocked(ref: TierRef): Promise<boolean | undefined>;
  /** Sent to every other instance (pub/sub); dropped while Redis is unavailable. */
  publish(message: TierMessage): void;
  onMessage(listener: (message: TierMessage) => void): void;
  /** Debug lines about coordination (a request waiting for another's render). */
  readonly log: TierLog;
  close(): Promise<void>;
}

/** A name in the shared tier. `everyBuild`: seen by every build (purge markers), not just this one. */
export interface TierRef {
  readonly ns: string;
  readonly key: string;
  readonly everyBuild?: boolean;
}

export type TierLock = { readonly state: 'acquired'; release(): void } | { readonly state: 'held' | 'unavailable' };

/** What instances tell each other. */
export type TierMessage =
  | { readonly type: 'purge'; readonly tags: readonly string[]; readonly paths: readonly string[]; readonly hard: boolean }
  | { readonly type: 'data-set'; readonly build: string; readonly key: string; readonly json: string; readonly ttl: number }
  | { readonly type: 'data-delete'; readonly build: string; readonly key: string };

export interface TierLog {
  debug(object: object, message: string): void;
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
}
