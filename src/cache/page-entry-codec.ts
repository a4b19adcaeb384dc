import type { CachedPage } from './page-cache.js';

/**
 * A cached page as bytes for the shared tier: a 4-byte length, a JSON head (route, headers,
 * ETag, times, the build it was rendered by, and the lengths of the bodies), then the HTML and
 * its br and gzip variants. Bodies stay binary: no base64, no copy of the HTML inside JSON.
 */
export function encodePageEntry(page: CachedPage, build: string): Buffer {
  const { br, gzip } = page.encoded;
  const head = Buffer.from(
    JSON.stringify({
      v: 1,
      build,
      routeId: page.routeId,
      tags: page.tags,
      headers: page.headers,
      etag: page.etag,
      storedAt: page.storedAt,
      ttl: page.ttl,
      sizes: [page.body.length, br?.length ?? -1, gzip?.length ?? -1],
    }),
    'utf8',
  );
  const length = Buffer.alloc(4);
  length.writeUInt32BE(head.length);
  return Buffer.concat([length, head, page.body, br ?? Buffer.alloc(0), gzip ?? Buffer.alloc(0)]);
}

/**
 * The page, or undefined when the bytes are not an entry of this build (another deploy wrote
 * them, or they are damaged): such an entry is treated as missing, never served.
 */
export function decodePageEntry(bytes: Buffer, build: string): CachedPage | undefined {
  if (bytes.length < 4) return undefined;
  const headLength = bytes.readUInt32BE(0);
  if (4 + headLength > bytes.length) return undefined;
  let head: Record<string, unknown>;
  try {
    head = JSON.parse(bytes.subarray(4, 4 + headLength).toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  const sizes = head['sizes'];
  if (head['v'] !== 1 || head['build'] !== build || !Array.isArray(sizes) || sizes.length !== 3 || typeof head['routeId'] !== 'string' || typeof head['etag'] !== 'string')
    return undefined;
  if (typeof head['storedAt'] !== 'number' || typeof head['ttl'] !== 'number' || typeof head['headers'] !== 'object' || head['headers'] === null) return undefined;
  const tags = head['tags'];
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) return undefined;
  const [bodyLength, brLength, gzipLength] = sizes as number[];
  let at = 4 + headLength;
  const take = (n: number | undefined): Buffer | undefined => {
    if (n === undefined || n < 0) return undefined;
    const part = bytes.subarray(at, at + n);
    at += n;
    return part;
  };
  const body = take(bodyLength);
  const br = take(brLength);
  const gzip = take(gzipLength);
  if (body === undefined || at !== bytes.length) return undefined;
  return {
    routeId: head['routeId'],
    tags: tags as string[],
    deps: [],
    headers: head['headers'] as Record<string, string>,
    body,
    encoded: { ...(br === undefined ? {} : { br }), ...(gzip === undefined ? {} : { gzip }) },
    etag: head['etag'],
    storedAt: head['storedAt'],
    ttl: head['ttl'],
  };
}
