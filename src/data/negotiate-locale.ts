/**
 * The best of `locales` for an Accept-Language header: exact tags first (by q), then a language
 * match (`fr-CA` → `fr`, `fr` → `fr-FR`), else `defaultLocale`. Unlike LWR, a locale outside
 * the configured list never reaches the app.
 */
export function negotiateLocale(header: string | undefined, locales: readonly string[], defaultLocale: string): string {
  if (header === undefined || header === '') return defaultLocale;
  const wanted = header
    .split(',', 32)
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), order };
    })
    .filter((w) => w.tag !== '' && w.tag !== '*' && w.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  const lower = locales.map((l) => l.toLowerCase());
  for (const { tag } of wanted) {
    const exact = lower.indexOf(tag);
    if (exact !== -1) return locales[exact]!;
    const language = tag.split('-')[0]!;
    const partial = lower.findIndex((l) => l === language || l.split('-')[0] === language);
    if (partial !== -1) return locales[partial]!;
  }
  return defaultLocale;
}
