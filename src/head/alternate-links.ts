import type { AppConfig } from '../config/app-config.js';
import { escapeHtml } from '../html/escape.js';
import { localeInUrl, localizedPath } from '../routing/locale-prefix.js';

/**
 * `<link rel="alternate" hreflang>` for every locale and `x-default` (the default locale's
 * URL), as absolute paths under basePath with the request's query, for a page served with
 * path-prefix locales. `url` is the request's path and query after basePath, prefix included.
 * Empty without path-prefix, with `alternateLinks: false`, or with a single locale.
 */
export function alternateLinks(config: AppConfig, url: string): string {
  const { i18n } = config;
  if (i18n.uriPattern !== 'path-prefix' || !i18n.alternateLinks || i18n.locales.length < 2) return '';
  const queryStart = url.indexOf('?');
  const inUrl = localeInUrl(i18n, queryStart === -1 ? url : url.slice(0, queryStart));
  if (inUrl.redirectTo !== undefined) return '';
  const query = queryStart === -1 ? '' : url.slice(queryStart);
  const href = (locale: string): string => escapeHtml(config.basePath + localizedPath(i18n, inUrl.pathname, locale) + query);
  let links = '';
  for (const locale of i18n.locales) links += `<link rel="alternate" hreflang="${escapeHtml(locale)}" href="${href(locale)}">\n`;
  return `${links}<link rel="alternate" hreflang="x-default" href="${href(i18n.defaultLocale)}">\n`;
}
