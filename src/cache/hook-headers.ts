import type { RootData } from '../data/run-data-hooks.js';

/** Headers from data hooks, first root in document order wins per name (names lower-cased). */
export function hookHeaders(data: readonly RootData[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { result } of data) {
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] ??= value;
  }
  return headers;
}
