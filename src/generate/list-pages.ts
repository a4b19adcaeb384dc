import { compile } from 'path-to-regexp';
import type { App } from '../app.js';
import { atollError, describeThrown, type AtollError } from '../errors.js';
import { localizedPath } from '../routing/locale-prefix.js';

export interface PageToGenerate {
  readonly routeId: string;
  /** Path (and query, if listed) without basePath. */
  readonly url: string;
}

export interface PageList {
  readonly pages: readonly PageToGenerate[];
  /** Routes with parameters and no paths: reported, not silently skipped. */
  readonly warnings: readonly AtollError[];
}

/**
 * Every route without parameters once; routes with parameters for each listed path in
 * staticSite.paths and each params object a root component's getStaticPaths() returns; with
 * path-prefix locales, all of them in every locale. Routes with a routeHandler are skipped (with
 * a warning): their answer depends on each request.
 */
export async function listPages(app: App): Promise<PageList> {
  const pages = new Map<string, PageToGenerate>();
  const warnings: AtollError[] = [];
  const add = (routeId: string, url: string): void => {
    if (!pages.has(url)) pages.set(url, { routeId, url });
  };
  app.config.staticSite.paths.forEach((url, i) => {
    const where = `staticSite.paths[${i}]`;
    const pathname = url.split('?')[0]!;
    let matched;
    try {
      matched = app.routeTable.match(pathname);
    } catch (error) {
      throw atollError('ATOLL_GENERATE_PATH_INVALID', [url, where, `cannot be matched: ${describeThrown(error)}`], { cause: error });
    }
    if (matched === undefined) throw atollError('ATOLL_GENERATE_PATH_INVALID', [url, where, 'matches no route']);
    if (matched.route.handler !== undefined)
      throw atollError('ATOLL_GENERATE_PATH_INVALID', [url, where, `matches route "${matched.route.id}", which a routeHandler answers per request`]);
    add(matched.route.id, url);
  });
  for (const route of app.config.routes) {
    if (route.handler !== undefined) {
      warnings.push(atollError('ATOLL_GENERATE_HANDLER_SKIPPED', [route.id, route.path]));
      continue;
    }
    const toPath = compile(route.path, { encode: encodeURIComponent });
    let fixed: string | undefined;
    try {
      fixed = toPath({});
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
    }
    if (fixed !== undefined) {
      add(route.id, fixed);
      continue;
    }
    let listed = [...pages.values()].some((page) => page.routeId === route.id);
    for (const root of app.pages.routes.get(route.id)!.body.roots) {
      const getStaticPaths = app.components.get(root.tag)?.getStaticPaths;
      if (getStaticPaths === undefined) continue;
      for (const params of await getStaticPaths()) {
        let url: string;
        try {
          url = toPath(params);
        } catch (error) {
          throw atollError(
            'ATOLL_GENERATE_PATH_INVALID',
            [JSON.stringify(params), `getStaticPaths of <${root.tag}> for route "${route.id}"`, `does not fill ${route.path}: ${describeThrown(error)}`],
            { cause: error },
          );
        }
        add(route.id, url);
        listed = true;
      }
    }
    if (!listed) warnings.push(atollError('ATOLL_GENERATE_PARAMS_MISSING', [route.id, route.path]));
  }
  return { pages: inEveryLocale(app, [...pages.values()]), warnings };
}

/** With path-prefix locales, each page once per locale: `/x`, then `/fr/x` for each other locale. */
function inEveryLocale(app: App, pages: readonly PageToGenerate[]): PageToGenerate[] {
  const { i18n } = app.config;
  if (i18n.uriPattern !== 'path-prefix') return [...pages];
  return i18n.locales.flatMap((locale) => pages.map((page) => ({ ...page, url: localizedPath(i18n, page.url, locale) })));
}
