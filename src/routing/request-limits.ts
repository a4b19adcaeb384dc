/**
 * Caps applied before any route matching, so no request can make matching, decoding or query
 * parsing cost more than a bounded amount (Node itself caps the whole request head at 16 KiB).
 */
export const REQUEST_LIMITS = {
  /** Characters of the path, percent-escapes included. */
  maxPathLength: 2048,
  /** Characters of the query string. */
  maxQueryLength: 4096,
  /** Decoded characters of one route parameter (a wildcard counts all its segments). */
  maxParamLength: 512,
} as const;

/** undefined when within the limits, else which limit the URL breaks. */
export function exceededLimit(pathname: string, query: string): string | undefined {
  if (pathname.length > REQUEST_LIMITS.maxPathLength) return `path longer than ${REQUEST_LIMITS.maxPathLength} characters`;
  if (query.length > REQUEST_LIMITS.maxQueryLength) return `query longer than ${REQUEST_LIMITS.maxQueryLength} characters`;
  return undefined;
}

export function paramsTooLong(params: Readonly<Record<string, string | readonly string[]>>): boolean {
  for (const value of Object.values(params)) {
    const length = typeof value === 'string' ? value.length : value.reduce((n, s) => n + s.length + 1, 0);
    if (length > REQUEST_LIMITS.maxParamLength) return true;
  }
  return false;
}
