import type { I18nConfig } from '../config/app-config.js';

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

/** The locale of a request whose URL names none: its Accept-Language among the app's locales (the default when there is only one). */
export function headerLocale(i18n: I18nConfig, acceptLanguage: string | undefined): string {
  return i18n.locales.length === 1 ? i18n.defaultLocale : negotiateLocale(acceptLanguage, i18n.locales, i18n.defaultLocale);
}
