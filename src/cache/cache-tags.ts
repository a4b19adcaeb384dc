/** Bounds on cache tags: they reach response headers (Cache-Tag / Surrogate-Key) and purge requests. */
export const MAX_TAG_LENGTH = 128;
export const MAX_TAGS = 64;

/** Printable ASCII without space or comma, the separators CDN tag headers use. */
const TAG = /^[\x21-\x2b\x2d-\x7e]+$/;

/**
 * Checks tags that came from outside (a purge request, a hook's `cache.tags`). Returns a
 * message naming the first bad tag and what to do, or undefined when every tag is acceptable.
 * A tag with a control character, space or comma could split or inject a header, so it is refused.
 */
export function tagProblem(tags: unknown, where: string): string | undefined {
  if (!Array.isArray(tags)) return `${where} must be an array of strings`;
  if (tags.length > MAX_TAGS) return `${where} has ${tags.length} tags; at most ${MAX_TAGS} are allowed`;
  for (const [i, tag] of tags.entries()) {
    if (typeof tag !== 'string') return `${where}[${i}] must be a string`;
    if (tag.length === 0 || tag.length > MAX_TAG_LENGTH) return `${where}[${i}] must be 1 to ${MAX_TAG_LENGTH} characters long`;
    if (!TAG.test(tag)) return `${where}[${i}] ${JSON.stringify(tag)} may hold only printable ASCII without spaces or commas`;
  }
  return undefined;
}

/**
 * A page's tags: its route id, the route's cache.tags, then every root's hook cache.tags, each
 * once, in that order. Hook tags were checked by tagProblem; the count stays bounded because
 * each root contributes at most MAX_TAGS.
 */
export function pageTags(route: { readonly id: string; readonly tags: readonly string[] }, rootTags: readonly (readonly string[])[]): readonly string[] {
  return [...new Set([route.id, ...route.tags, ...rootTags.flat()])];
}

/** The CDN tag header's value: Cache-Tag is comma-separated, Surrogate-Key space-separated. */
export function tagHeaderValue(header: 'Cache-Tag' | 'Surrogate-Key', tags: readonly string[]): string {
  return tags.join(header === 'Cache-Tag' ? ',' : ' ');
}
