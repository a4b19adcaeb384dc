import { cacheKey } from './page-cache.js';
import type { SharedTier, TierRef } from './shared-tier.js';

/** Purge markers outlive any entry stored before them. */
const MARKER_TTL_MS = 30 * 24 * 3600 * 1000;

export type PurgeSelector = { readonly tags: readonly string[]; readonly paths: readonly string[]; readonly hard: boolean };

/**
 * A purge in the shared tier is a marker per tag and per path holding the time it was sent: an
 * entry (page or fragment) stored before a hard marker of one of its tags or its path is gone,
 * one stored before a soft marker is stale from that time on. Markers are seen by every build.
 */
export function writePurgeMarkers(tier: SharedTier, selector: PurgeSelector, now: number, maxStale: number): void {
  const at = Buffer.from(String(now));
  const kind = selector.hard || maxStale === 0 ? 'hard' : 'soft';
  for (const tag of selector.tags) void tier.set({ ns: `purge-${kind}-tag`, key: tag, everyBuild: true }, at, MARKER_TTL_MS);
  for (const path of selector.paths) void tier.set({ ns: `purge-${kind}-path`, key: normalisedPath(path), everyBuild: true }, at, MARKER_TTL_MS);
}

/** A path as the cache keys hold it. */
export function normalisedPath(path: string): string {
  return cacheKey('', path, '', '').split('\n')[1]!;
}

/** The markers that concern an entry with these tags and this path (undefined: under a hook's `cache.key`, no path). */
export function markerRefs(tags: readonly string[], path: string | undefined): TierRef[] {
  return ['hard', 'soft'].flatMap((kind) => [
    ...tags.map((tag) => ({ ns: `purge-${kind}-tag`, key: tag, everyBuild: true })),
    ...(path === undefined ? [] : [{ ns: `purge-${kind}-path`, key: path, everyBuild: true }]),
  ]);
}

/**
 * The TTL (seconds) an entry stored at `storedAt` keeps under the markers read for markerRefs
 * (same order): undefined when a hard marker is newer than it, shortened to the age it had at a
 * newer soft marker (it is stale from then on, served while one refresh runs).
 */
export function ttlAfterMarkers(storedAt: number, ttl: number, values: readonly (Buffer | undefined)[]): number | undefined {
  const times = values.map((v) => (v === undefined ? 0 : Number(v.toString())));
  const half = times.length / 2;
  const hard = Math.max(0, ...times.slice(0, half));
  const soft = Math.max(0, ...times.slice(half));
  if (hard >= storedAt) return undefined;
  return soft >= storedAt ? Math.min(ttl, Math.max(0, (soft - storedAt) / 1000)) : ttl;
}
