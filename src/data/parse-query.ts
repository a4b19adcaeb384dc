/** Most pages are requested without a query: they share this one (frozen) instead of parsing. */
const NO_QUERY: Readonly<Record<string, string | readonly string[]>> = Object.freeze(Object.create(null) as Record<string, string>);

/**
 * `?x=1&x=2&y=z` → `{ x: ['1', '2'], y: 'z' }` on a null-prototype object, so keys such as
 * `__proto__` or `constructor` are plain data and cannot reach Object.prototype.
 */
export function parseQuery(search: string): Readonly<Record<string, string | readonly string[]>> {
  if (search === '') return NO_QUERY;
  const query = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of new URLSearchParams(search)) {
    const existing = query[key];
    if (existing === undefined) query[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[key] = [existing, value];
  }
  return query;
}
