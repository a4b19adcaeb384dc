import type { I18nConfig } from '../config/app-config.js';
import type { PageResponse } from '../page-response.js';

/** Where a request's locale comes from, read from its path (after basePath, still percent-encoded). */
export type LocaleInUrl =
  /** `locale` undefined: no path-prefix pattern, the locale is negotiated from Accept-Language. */
  | { readonly locale: string | undefined; readonly pathname: string; readonly redirectTo?: undefined }
  /** The default locale's own prefix: send the visitor to the unprefixed path. */
  | { readonly redirectTo: string };

/**
 * With `uriPattern: "path-prefix"`: `/fr/category/books` is locale fr and route path
 * `/category/books`; a path without a locale prefix is the default locale; `/<defaultLocale>/x`
 * redirects to `/x`. The prefix is compared with each locale id case-insensitively, as the
 * route table compares paths, and only in its raw form: `/%66r/x` is the path `/%66r/x`, not
 * fr. A first segment that is no locale is just part of the path (404 when no route matches).
 */
export function localeInUrl(i18n: I18nConfig, pathname: string): LocaleInUrl {
  if (i18n.uriPattern !== 'path-prefix') return { locale: undefined, pathname };
  const end = pathname.indexOf('/', 1);
  const segment = (end === -1 ? pathname.slice(1) : pathname.slice(1, end)).toLowerCase();
  const rest = end === -1 ? '/' : pathname.slice(end);
  const locale = i18n.locales.find((l) => l.toLowerCase() === segment);
  if (locale === undefined) return { locale: i18n.defaultLocale, pathname };
  if (locale !== i18n.defaultLocale) return { locale, pathname: rest };
  // `/en-US//evil.example` must not become `Location: //evil.example` (another host): such a
  // path is left as it is, and matches no route.
  if (rest.startsWith('//') || rest.startsWith('/\\')) return { locale: i18n.defaultLocale, pathname };
  return { redirectTo: rest };
}

/**
 * `path` (after basePath, starting with `/`) as a URL of `locale`: `/fr` in front for every
 * locale but the default one (`/` becomes `/fr/`), unchanged without path-prefix.
 */
export function localizedPath(i18n: I18nConfig, path: string, locale: string): string {
  if (i18n.uriPattern !== 'path-prefix' || locale === i18n.defaultLocale) return path;
  return path === '/' ? `/${locale}/` : `/${locale}${path}`;
}

/**
 * The 301 from the default locale's prefix to the unprefixed URL, under basePath, keeping the
 * query. Bytes a header may not hold (a raw non-ASCII byte the HTTP parser let through) are
 * percent-encoded, so no request can make setting Location throw.
 */
export function defaultLocaleRedirect(basePath: string, pathname: string, query: string): PageResponse {
  const location = headerSafe(basePath + pathname + (query === '' ? '' : `?${query}`));
  return { status: 301, headers: { location, 'cache-control': 'no-store' }, body: '', routeId: '(locale prefix)' };
}

function headerSafe(url: string): string {
  return url.replace(/[^\x21-\x7e]/g, (c) => {
    const code = c.charCodeAt(0);
    // Node hands the request-target over as latin1, so every code is a byte; anything else is no URL byte.
    return code <= 0xff ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : '%EF%BF%BD';
  });
}

/** A locale id is a URL's first segment with path-prefix: letters, digits and inner `-` or `_`, unique ignoring case. */
export function localePrefixProblems(locales: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  locales.forEach((locale, i) => {
    if (!/^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$/.test(locale)) {
      problems.push(`i18n.locales[${i}]: "${locale}" cannot be a URL prefix with uriPattern "path-prefix"; use a language tag such as "fr" or "fr-CA"`);
    }
    if (seen.has(locale.toLowerCase())) problems.push(`i18n.locales[${i}]: "${locale}" is listed twice (ignoring case); URL prefixes must differ`);
    seen.add(locale.toLowerCase());
  });
  return problems;
}
