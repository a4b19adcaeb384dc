import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Bodies below this many bytes are sent as they are: compressing them saves less than its headers cost. */
export const COMPRESS_MIN_BYTES = 1024;

/** Brotli quality 4: most of quality 11's ratio for a small part of its time (the level @fastify/compress uses too). */
export const BROTLI_QUALITY = 4;

/** A body compressed ahead of time, one buffer per content-coding; empty when the body is small. */
export type EncodedVariants = Readonly<Partial<Record<'br' | 'gzip', Buffer>>>;

/**
 * Compresses a body once, when it is stored (a cached page, an island file), so that every later
 * response picks a buffer instead of compressing again. A variant that comes out no smaller than
 * the body is left out. `quality`: brotli's, BROTLI_QUALITY for pages compressed on a request's
 * path; 11 (the densest) for island code, compressed once at startup.
 */
export function encodeVariants(body: Buffer, quality = BROTLI_QUALITY): EncodedVariants {
  if (body.length < COMPRESS_MIN_BYTES) return {};
  const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
  const gzip = gzipSync(body, { level: quality > BROTLI_QUALITY ? 9 : 6 });
  return { ...(br.length < body.length ? { br } : {}), ...(gzip.length < body.length ? { gzip } : {}) };
}

/** The ETag of a compressed variant: a strong ETag names one representation's bytes. */
export function variantTag(etag: string, coding: string): string {
  return `${etag.slice(0, -1)}-${coding}"`;
}

/** An If-None-Match tag of a variant ("x-br") names the same page as the identity tag ("x"). */
export function identityTag(tag: string): string {
  return tag.replace(/^W\//, '').replace(/-(?:br|gzip)"$/, '"');
}
