import type { App } from './app.js';
import { AtollError, atollError, describeThrown } from './errors.js';
import type { RouteParams } from './routing/route-table.js';
import { exceededLimit, paramsTooLong } from './routing/request-limits.js';
import { defaultLocaleRedirect, localeInUrl } from './routing/locale-prefix.js';
import type { PagePlan } from './templates/compile-pages.js';
import { runDataHooks, type RootData } from './data/run-data-hooks.js';
import { PageDeadline, STAYING_CLIENT } from './data/page-deadline.js';
import { headerLocale } from './data/negotiate-locale.js';
import { parseQuery } from './data/parse-query.js';
import { renderBody } from './render/render-body.js';
import { rootInput, type RootInput } from './render/element-renderers.js';
import { composeAround, composePage, type PageParts } from './render/compose-page.js';
import { streamPage } from './render/stream-page.js';
import { inLocale } from './render/localize.js';
import { renderHead } from './head/render-head.js';
import { alternateLinks } from './head/alternate-links.js';
import { islandPropsScripts } from './serialize/island-props-scripts.js';
import { errorPage, plainErrorPage } from './render/error-page.js';
import { cacheKey } from './cache/page-cache.js';
import { serveCached } from './cache/serve-cached.js';
import { cachePolicy } from './cache/cache-policy.js';
import { hookHeaders } from './cache/hook-headers.js';
import { pageTags, tagHeaderValue } from './cache/cache-tags.js';
import type { PageRequest, PageResponse, StreamedPageResponse } from './page-response.js';

export type { PageLog, PageRequest, PageResponse } from './page-response.js';

/** Routes whose last page was at least this long yield to the event loop before rendering. */
const YIELD_MIN_CHARS = 64 * 1024;
/** A data hook asked for the 404 page. */
const NOT_FOUND = Symbol('notFound');

/**
 * The one orchestrator: guards (URL limits, decoding) → match → page cache → render (data →
 * decide → head → props → compose). Any failure before the first byte becomes the 500 page.
 * Small and cacheable pages are built whole before they are sent; large uncached pages stream,
 * and a render failure after their first byte ends the stream with an error marker and the
 * socket is destroyed (render/stream-page.ts), so a failure never yields a clean truncated 200.
 */
export async function renderRequest(app: App, request: PageRequest): Promise<PageResponse> {
  // Guards.
  const queryStart = request.url.indexOf('?');
  const pathname = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : request.url.slice(queryStart + 1);
  if (exceededLimit(pathname, query) !== undefined) return plainErrorPage(414, '(none)');
  if (!decodes(pathname)) return plainErrorPage(400, '(none)');
  // Locale: from a path prefix, else negotiated.
  const inUrl = localeInUrl(app.config.i18n, pathname);
  if (inUrl.redirectTo !== undefined) return defaultLocaleRedirect(app.config.basePath, inUrl.redirectTo, query);
  const locale = inUrl.locale ?? localeOf(app, request);
  // Match.
  const matched = app.routeTable.match(inUrl.pathname);
  if (matched === undefined) return inLocale(app.translations, locale, () => renderErrorPage(app, { ...request, locale }, 404, undefined));
  if (paramsTooLong(matched.params)) return plainErrorPage(414, matched.route.id);
  const plan = app.pages.routes.get(matched.route.id)!;
  const render = (shared?: 'shared'): Promise<PageResponse> =>
    inLocale(app.translations, locale, () => renderRoute(app, { ...request, locale, ...(shared === undefined ? {} : { client: STAYING_CLIENT }) }, plan, matched.params));
  // Cache.
  if (app.pageCache === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) return render();
  const key = cacheKey(plan.page.id, pathname, query, locale);
  return serveCached(app.pageCache, key, headerText(request.headers['if-none-match']), render, app.shared?.pages);
}

/** The 404 page as the server sends it for an unknown URL (the generate command writes it as 404.html). */
export function renderNotFound(app: App, request: PageRequest): Promise<PageResponse> {
  return inLocale(app.translations, localeOf(app, request), () => renderErrorPage(app, request, 404, undefined));
}

/** Render: the route's page, its redirect, or (notFound, a failure) the app's 404 or 500 page. */
async function renderRoute(app: App, request: PageRequest, plan: PagePlan, params: RouteParams): Promise<PageResponse> {
  let outcome: PageResponse | typeof NOT_FOUND;
  try {
    outcome = await withDeadline(app, request, plan.page.id, async (deadline) => {
      const loaded = await loadPageData(app, request, plan, params, deadline);
      const decided = decide(app, plan.page.id, loaded.data);
      return typeof decided === 'number' ? respond(app, request, plan, loaded, decided, deadline) : decided;
    });
  } catch (error) {
    return renderErrorPage(app, request, 500, error, plan.page.id);
  }
  return outcome === NOT_FOUND ? renderErrorPage(app, request, 404, undefined) : outcome;
}

/** An error page: its own hooks run, but their redirect, notFound and status are ignored. */
async function renderErrorPage(app: App, request: PageRequest, status: 404 | 500, cause: unknown, failedRouteId = '(none)'): Promise<PageResponse> {
  if (status === 500) {
    if (request.client.gone && !(AtollError.is(cause) && cause.code === 'ATOLL_DATA_TIMEOUT')) {
      return plainErrorPage(500, failedRouteId);
    }
    logFailure(request, failedRouteId, cause);
    if (app.options.mode === 'development') return errorPage(cause, failedRouteId);
  }
  const plan = app.pages.errorPages.get(status);
  if (plan === undefined) return plainErrorPage(status, failedRouteId);
  try {
    const page = await withDeadline(app, request, plan.page.id, async (deadline) =>
      respond(app, request, plan, await loadPageData(app, request, plan, Object.create(null) as RouteParams, deadline), status, deadline),
    );
    return { ...page, headers: { ...page.headers, 'cache-control': 'no-store' } };
  } catch (error) {
    logFailure(request, plan.page.id, error);
    return plainErrorPage(status, plan.page.id);
  }
}

/** One SSR_TIMEOUT deadline per page, cleared however the page ends. */
async function withDeadline<T>(app: App, request: PageRequest, routeId: string, work: (deadline: PageDeadline) => Promise<T>): Promise<T> {
  const deadline = new PageDeadline(app.options.ssrTimeoutMs, request.client, routeId);
  try {
    return await work(deadline);
  } finally {
    deadline.clear();
  }
}

interface LoadedData {
  readonly data: readonly RootData[];
  /** A hook read request headers: the page is personal (never `public`). */
  readonly readsHeaders: boolean;
}

/** Data: every root's getServerData, concurrently, within the page's deadline. */
async function loadPageData(app: App, request: PageRequest, plan: PagePlan, params: RouteParams, deadline: PageDeadline): Promise<LoadedData> {
  const routeId = plan.page.id;
  const queryStart = request.url.indexOf('?');
  let readsHeaders = false;
  const data = await runDataHooks({
    routeId,
    roots: plan.body.roots,
    components: app.components,
    shared: {
      url: request.url,
      params,
      query: parseQuery(queryStart === -1 ? '' : request.url.slice(queryStart + 1)),
      locale: localeOf(app, request),
      basePath: app.config.basePath,
      method: request.method,
      crossRequestCache: app.crossRequestCache,
      actionResult: request.actionResult,
    },
    headers: request.headers,
    cookieSecret: app.options.cookieSecret,
    onHeadersRead: () => {
      readsHeaders = true;
    },
    onInvalidTtl: (tag, value) => {
      const error = atollError('ATOLL_TTL_INVALID', [`getServerData of <${tag}> on route "${routeId}"`, value]);
      request.log.warn({ code: error.code, routeId, tag }, `${error.message} ${error.hint} The TTL is ignored.`);
    },
    deadline,
    i18n: app.config.i18n,
    // Only pages a GET or HEAD asks for: anything else may depend on its request body.
    fragments: request.method === 'GET' || request.method === 'HEAD' ? app.fragmentCache : undefined,
    onRefreshFailed: (error) => logFailure(request, routeId, error),
  });
  return { data, readsHeaders };
}

/** Decide: the first redirect or notFound in document order wins; else the first status set, or 200. */
function decide(app: App, routeId: string, data: readonly RootData[]): number | PageResponse | typeof NOT_FOUND {
  for (const { result } of data) {
    if (result.redirect !== undefined) return redirect(app, routeId, result.redirect.destination, result.redirect.permanent === true);
    if (result.notFound === true) return NOT_FOUND;
  }
  return data.find((d) => d.result.status !== undefined)?.result.status ?? 200;
}

/** Head, props and headers from the data, then the body rendered whole or streamed. */
async function respond(app: App, request: PageRequest, plan: PagePlan, loaded: LoadedData, status: number, deadline: PageDeadline): Promise<PageResponse> {
  const routeId = plan.page.id;
  const { data } = loaded;
  const client = app.clientMarkup.get(plan)!.get(localeOf(app, request))!;
  const head = renderHead(data.map((d) => d.result.markup));
  const page: Omit<PageParts, 'body'> = {
    title: head.title,
    head: head.html + (status === 200 ? alternateLinks(app.config, request.url) : '') + client.head,
    scripts: islandPropsScripts(routeId, data) + client.body,
    url: app.config.basePath + request.url,
    locale: localeOf(app, request),
  };
  const props = data.map(rootInput);
  const caching = cachePolicy(status, plan.page.ttl, data, loaded.readsHeaders);
  const tags = pageTags(
    plan.page,
    data.map((d) => d.tags),
  );
  const tagHeader = app.config.pageCache.tagHeader;
  const headers = {
    ...hookHeaders(data),
    ...(tagHeader !== undefined && status < 400 ? { [tagHeader.toLowerCase()]: tagHeaderValue(tagHeader, tags) } : {}),
    'content-type': 'text/html; charset=utf-8',
    'cache-control': caching.header,
    // With more than one locale and none in the URL, the page's language came from Accept-Language:
    // a shared cache downstream must keep one copy per language (the page cache's key has the locale).
    ...(app.config.i18n.locales.length > 1 && app.config.i18n.uriPattern === undefined ? { vary: 'accept-language' } : {}),
  };

  // Yield to the event loop before a long synchronous render: otherwise every page whose data
  // just settled renders in one unbroken microtask chain (50 × 18 ms for the 1,000-item page),
  // timers and I/O starve, and load shedding sees a huge loop delay and refuses everything.
  // Short pages (the 30 KB reference page renders in about 1 ms) skip the extra event-loop turn.
  const lastSize = app.renderSizes.get(routeId) ?? 0;
  if (lastSize >= YIELD_MIN_CHARS) await new Promise<void>((resolve) => setImmediate(resolve));

  // Pages the cache does not keep, and that came out large last time, stream as they render.
  if (caching.storable === undefined && lastSize >= app.options.streamMinChars) {
    return { status, headers, body: streamBody(app, request, plan, page, props), routeId };
  }
  const html = await renderWhole(app, request, plan, page, props, deadline);
  return { status, headers, body: html, routeId, tags, deps: [...new Set(data.flatMap((d) => d.deps))], ...(caching.storable !== undefined ? { storable: caching.storable } : {}) };
}

function streamBody(app: App, request: PageRequest, plan: PagePlan, page: Omit<PageParts, 'body'>, props: readonly RootInput[]): StreamedPageResponse['body'] {
  const routeId = plan.page.id;
  let renderingTag = '';
  const [before, after] = composeAround(plan.layout.parts, page);
  return streamPage(before, plan.body, props, plan.page.ssr, app.bodyRenderers, after, {
    onElement: (tag) => {
      renderingTag = tag;
    },
    onFallback: (fallback) => app.fallbackWarnings.warn(request.log, routeId, fallback),
    onError: (error) => logFailure(request, routeId, renderFailed(routeId, renderingTag, error)),
    onDone: (length) => app.renderSizes.set(routeId, length),
  });
}

async function renderWhole(app: App, request: PageRequest, plan: PagePlan, page: Omit<PageParts, 'body'>, props: readonly RootInput[], deadline: PageDeadline): Promise<string> {
  const routeId = plan.page.id;
  let renderingTag = '';
  let body: string;
  try {
    body = await renderBody(plan.body, props, plan.page.ssr, app.bodyRenderers, {
      onElement: (tag) => {
        renderingTag = tag;
      },
      onFallback: (fallback) => app.fallbackWarnings.warn(request.log, routeId, fallback),
    });
  } catch (error) {
    throw renderFailed(routeId, renderingTag, error);
  }
  // A page whose deadline ended while it rendered is not sent: a timeout is a 500 naming the
  // route, a client that left gets nothing (its reason reaches renderErrorPage, which stays quiet).
  if (deadline.ended) throw deadline.timedOut ? atollError('ATOLL_DATA_TIMEOUT', [routeId, app.options.ssrTimeoutMs, []]) : deadline.reason;
  const html = composePage(plan.layout.parts, { ...page, body });
  app.renderSizes.set(routeId, html.length);
  return html;
}

function renderFailed(routeId: string, tag: string, error: unknown): AtollError {
  return atollError('ATOLL_RENDER_FAILED', [routeId, tag, describeThrown(error)], { cause: error, routeId, tag });
}

function logFailure(request: PageRequest, routeId: string, error: unknown): void {
  if (AtollError.is(error)) {
    request.log.error({ err: error, code: error.code, routeId: error.routeId ?? routeId, tag: error.tag }, `${error.message} ${error.hint}`);
  } else {
    request.log.error({ err: error, routeId }, describeThrown(error));
  }
}

function redirect(app: App, routeId: string, destination: string, permanent: boolean): PageResponse {
  const location = destination.startsWith('/') ? app.config.basePath + destination : destination;
  return { status: permanent ? 301 : 302, headers: { location, 'cache-control': 'no-store' }, body: '', routeId };
}

function localeOf(app: App, request: PageRequest): string {
  return request.locale ?? headerLocale(app.config.i18n, headerText(request.headers['accept-language']));
}

function decodes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch (error) {
    if (error instanceof URIError) return false;
    throw error;
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
