import type { RootData } from '../data/run-data-hooks.js';

/**
 * The shortest TTL of the route and its roots, in whole seconds. `public` (and storable in the
 * page cache, for a 200) only when no hook read request headers or set a cookie, no root fell
 * back to its fallback and no root's data came from a stale fragment; no TTL or 0 →
 * `private, no-cache`; error statuses → `no-store`.
 */
export function cachePolicy(status: number, routeTtl: number | undefined, data: readonly RootData[], readsHeaders: boolean): { header: string; storable?: number } {
  if (status >= 400) return { header: 'no-store' };
  // A root that fell back shows a page that is not what it should be: never shared, never stored.
  if (data.some((d) => d.failure !== undefined)) return { header: 'private, no-cache' };
  let ttl = routeTtl;
  for (const d of data) if (d.ttl !== undefined && (ttl === undefined || d.ttl < ttl)) ttl = d.ttl;
  // A fragment past its TTL is being refreshed, or a hook's crossRequestCache key changed while it
  // ran: a page built from that data must not outlive it.
  if (ttl === undefined || ttl === 0 || data.some((d) => d.stale === true || d.outdated)) return { header: 'private, no-cache' };
  const personal = readsHeaders || data.some((d) => Object.keys(d.result.headers ?? {}).some((h) => h.toLowerCase() === 'set-cookie'));
  if (personal) return { header: `private, max-age=${ttl}` };
  return { header: `public, max-age=${ttl}`, ...(status === 200 ? { storable: ttl } : {}) };
}
