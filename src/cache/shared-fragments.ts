import type { Fragment, FragmentCache, FragmentTier } from './fragment-cache.js';
import { markerRefs, ttlAfterMarkers } from './purge-markers.js';
import type { SharedTier } from './shared-tier.js';

const NO_DEPS: readonly string[] = Object.freeze([]);

/**
 * The fragment cache's side of the shared tier. A fragment is written once it is complete (its
 * data and the HTML a page rendered from it), under its key, and a URL whose hook answered with
 * `cache.key` also gets an alias entry pointing at that key. Another instance that misses the
 * fragment in memory reads it here (one round trip; two through an alias; one more for the purge
 * markers of its tags and path) and keeps it in memory for the rest of its life.
 *
 * Not written: fragments whose hooks read crossRequestCache keys. Those keys' invalidations reach
 * every instance's memory, but not an entry in Redis, so such a fragment stays per instance, as a
 * page that read crossRequestCache does (serve-shared.ts).
 */
export function sharedFragments(tier: SharedTier, cache: FragmentCache): FragmentTier {
  return {
    read: async (key) => {
      const values = await tier.getMany([
        { ns: 'fragment', key: key.url },
        { ns: 'fragment-alias', key: key.url },
      ]);
      if (values === undefined) return undefined;
      let [bytes, alias] = values;
      let at = key.url;
      if (bytes === undefined && alias !== undefined) {
        at = alias.toString('utf8');
        bytes = await tier.get({ ns: 'fragment', key: at });
      }
      const fragment = bytes === undefined ? undefined : decodeFragment(bytes, tier.build);
      if (fragment === undefined) return undefined;
      const refs = markerRefs(fragment.data.tags, fragment.path);
      if (refs.length === 0) return { at, fragment };
      const marks = await tier.getMany(refs);
      const ttl = marks === undefined ? undefined : ttlAfterMarkers(fragment.storedAt, fragment.ttl, marks);
      if (ttl === undefined) return undefined;
      return { at, fragment: ttl === fragment.ttl ? fragment : { ...fragment, ttl } };
    },
    publish: (url, at, fragment) => {
      if (fragment.data.deps.length > 0 || fragment.html === undefined) return;
      const ttlMs = fragment.storedAt + (fragment.ttl + cache.maxStale) * 1000 - cache.now();
      if (ttlMs <= 0) return;
      void tier.set({ ns: 'fragment', key: at }, encodeFragment(fragment, tier.build), ttlMs);
      if (at !== url) void tier.set({ ns: 'fragment-alias', key: url }, Buffer.from(at, 'utf8'), ttlMs);
    },
  };
}

/**
 * A complete fragment as JSON bytes, with the build that rendered it. `ttl` is the fragment's (a
 * soft purge shortens it), `dataTtl` the hook's (the page's Cache-Control uses it).
 */
export function encodeFragment(fragment: Fragment, build: string): Buffer {
  const { data, html, storedAt, ttl, path } = fragment;
  const text = html === undefined ? undefined : { attributes: html.attributes, shadow: html.shadow.toString('utf8') };
  return Buffer.from(JSON.stringify({ v: 1, build, result: data.result, dataTtl: data.ttl, tags: data.tags, html: text, storedAt, ttl, path }), 'utf8');
}

/**
 * The fragment, or undefined when the bytes are not a complete fragment of this build (another
 * deploy wrote them, or they are damaged): such an entry is treated as missing, never used.
 */
export function decodeFragment(bytes: Buffer, build: string): Fragment | undefined {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  if (typeof entry !== 'object' || entry === null || entry['v'] !== 1 || entry['build'] !== build) return undefined;
  const { result, dataTtl, tags, html, storedAt, ttl, path } = entry;
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return undefined;
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) return undefined;
  if (typeof html !== 'object' || html === null) return undefined;
  const { attributes, shadow } = html as Record<string, unknown>;
  if (typeof attributes !== 'string' || typeof shadow !== 'string') return undefined;
  if (typeof storedAt !== 'number' || typeof ttl !== 'number' || typeof dataTtl !== 'number' || dataTtl <= 0) return undefined;
  if (path !== undefined && typeof path !== 'string') return undefined;
  return {
    data: { result, ttl: dataTtl, tags: tags as string[], deps: NO_DEPS, readsHeaders: false, outdated: false },
    html: { attributes, shadow: Buffer.from(shadow, 'utf8') },
    storedAt,
    ttl,
    size: JSON.stringify(result).length + attributes.length + shadow.length,
    path: path as string | undefined,
  };
}
