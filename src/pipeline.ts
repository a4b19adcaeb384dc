import type { App } from './app.js';
import { AtollError, atollError, describeThrown } from './errors.js';
import type { RouteParams } from './routing/route-table.js';
import { exceededLimit, paramsTooLong } from './routing/request-limits.js';
import { defaultLocaleRedirect, localeInUrl } from './routing/locale-prefix.js';
import type { PagePlan } from './templates/compile-pages.js';
import { runDataHooks, type PageData } from './data/run-data-hooks.js';
import { PageDeadline, STAYING_CLIENT } from './data/page-deadline.js';
import { headerLocale } from './data/negotiate-locale.js';
import { parseQuery } from './data/parse-query.js';
import { renderIsolated, renderFailed, type IsolatedRender } from './render/render-isolated.js';
import { rootBindings } from './render/root-bindings.js';
import { splitAtBodyEnd, streamDeferred } from './render/deferred-fills.js';
import type { RootElement } from './templates/compile-body.js';
import { composeAround, composePage, type PageParts } from './render/compose-page.js';
import { htmlText } from './render/collect-html.js';
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
import type { PageRequest, PageResponse, StreamedPageResponse, WholePageResponse } from './page-response.js';
import type { HandlerRouteConfig } from './config/app-config.js';
import { runRouteHandler } from './handlers/run-route-handler.js';
import { clientMarkup } from './serialize/client-markup.js';

/** Routes whose last page was at least this long yield to the event loop before rendering. */
const YIELD_MIN_CHARS = 64 * 1024;
/** A data hook asked for the 404 page. */
const NOT_FOUND = Symbol('notFound');
const UNTAGGED = Object.freeze({ tags: Object.freeze([]) as readonly string[], header: Object.freeze({}) as Record<string, string> });
/** Cache-Control of a page that is a one-off: a root fell back, or deferred roots were still coming. */
const PRIVATE = 'private, no-cache';

/**
 * The one orchestrator: guards (URL limits, decoding) → match → page cache → [route handler] →
 * render (data → decide → head → props → compose). A route with a routeHandler runs it first: it
 * answers with a response sent as it is, or with one of its views, rendered from there like any
 * page. Any failure before the first byte becomes the 500 page.
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
  const { route } = matched;
  if (route.handler !== undefined && !takes(route.handler.methods, request.method)) return methodNotAllowed(app, route);
  const render = (shared?: 'shared'): Promise<PageResponse> => {
    const routeRequest = { ...request, locale, ...(shared === undefined ? {} : { client: STAYING_CLIENT }) };
    return inLocale(app.translations, locale, () =>
      route.handler === undefined ? renderRoute(app, routeRequest, app.pages.routes.get(route.id)!, matched.params) : handleRoute(app, routeRequest, route, matched.params),
    );
  };
  // Cache.
  if (app.pageCache === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) return render();
  const key = cacheKey(route.id, pathname, query, locale);
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
    outcome = await withDeadline(
      app,
      request,
      plan.page.id,
      async (deadline) => {
        const loaded = await loadPageData(app, request, plan, params, deadline, app.options.deferInline === true);
        const decided = decide(app, plan.page.id, loaded.data);
        return typeof decided === 'number' ? respond(app, request, plan, loaded, request.handlerView?.status ?? decided, deadline) : decided;
      },
      plan.page.ssrTimeoutMs,
    );
  } catch (error) {
    return renderErrorPage(app, request, 500, error, plan.page.id);
  }
  return outcome === NOT_FOUND ? renderErrorPage(app, request, 404, undefined) : outcome;
}

/**
 * Route handler: the handler's response as it is, or its view rendered as the route's page with
 * the handler's status, headers, TTL and personal flag. A response to anything but GET or HEAD
 * is never stored by anyone.
 */
async function handleRoute(app: App, request: PageRequest, route: HandlerRouteConfig, params: RouteParams): Promise<PageResponse> {
  let outcome;
  try {
    outcome = await withDeadline(app, request, route.id, (deadline) => runRouteHandler(app, request, route, app.handlers.get(route.id)!, params, localeOf(app, request), deadline));
  } catch (error) {
    return renderErrorPage(app, request, 500, error, route.id);
  }
  const response = outcome.kind === 'response' ? outcome.response : await renderRoute(app, { ...request, handlerView: outcome.settings }, outcome.plan, params);
  if (request.method === 'GET' || request.method === 'HEAD') return response;
  const { storable: _never, ...unstored } = response;
  return { ...unstored, headers: { ...response.headers, 'cache-control': 'no-store' } } as PageResponse;
}

function takes(methods: readonly string[], method: string): boolean {
  return methods.includes(method === 'HEAD' ? 'GET' : method);
}

function methodNotAllowed(app: App, route: HandlerRouteConfig): PageResponse {
  const page = plainErrorPage(405, route.id);
  return { ...page, headers: { ...page.headers, allow: app.handlers.get(route.id)!.allow } };
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
      respond(app, request, plan, await loadPageData(app, request, plan, Object.create(null) as RouteParams, deadline, true), status, deadline),
    );
    return { ...page, headers: { ...page.headers, 'cache-control': 'no-store' } };
  } catch (error) {
    logFailure(request, plan.page.id, error);
    return plainErrorPage(status, plan.page.id);
  }
}

/**
 * One deadline per page (`ms`: the route's ssrTimeout, else SSR_TIMEOUT), cleared however the
 * page ends (a streamed page with deferred roots holds it until its last fill).
 */
async function withDeadline<T>(app: App, request: PageRequest, routeId: string, work: (deadline: PageDeadline) => Promise<T>, ms?: number): Promise<T> {
  const deadline = new PageDeadline(ms ?? app.options.ssrTimeoutMs, request.client, routeId, app.deadlineTimers);
  try {
    return await work(deadline);
  } finally {
    deadline.clear();
  }
}

interface LoadedData extends PageData {
  /** A hook read request headers: the page is personal (never `public`). Read it late: a deferred hook may still set it. */
  readonly readsHeaders: () => boolean;
}

/** Data: every root's getServerData, concurrently, within the page's deadline; deferred roots' data keeps coming (unless `inline`). */
async function loadPageData(app: App, request: PageRequest, plan: PagePlan, params: RouteParams, deadline: PageDeadline, inline: boolean): Promise<LoadedData> {
  const routeId = plan.page.id;
  const queryStart = request.url.indexOf('?');
  let readsHeaders = false;
  const { data, deferred } = await runDataHooks({
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
    onFallback: (root, error) => logFallback(request, routeId, root, error),
    deadline,
    i18n: app.config.i18n,
    deferInline: inline,
    // Only pages a GET or HEAD asks for: anything else may depend on its request body.
    fragments: request.method === 'GET' || request.method === 'HEAD' ? app.fragmentCache : undefined,
    // Plans compiled at startup only: a view compiled per request (viewParams) has new roots every time.
    staticRoots: (request.method === 'GET' || request.method === 'HEAD') && app.clientMarkup.has(plan) ? app.staticRoots : undefined,
    fragmentTier: app.shared?.fragments,
    onRefreshFailed: (error) => logFailure(request, routeId, error),
  });
  return { data, deferred, readsHeaders: () => readsHeaders };
}

/** Decide: the first redirect or notFound in document order wins; else the first status set, or 200. */
function decide(app: App, routeId: string, data: PageData['data']): number | PageResponse | typeof NOT_FOUND {
  for (const { result } of data) {
    if (result.redirect !== undefined) return redirect(app, routeId, result.redirect.destination, result.redirect.permanent === true);
    if (result.notFound === true) return NOT_FOUND;
  }
  return data.find((d) => d.result.status !== undefined)?.result.status ?? 200;
}

/**
 * Head, props and headers from the data, then the body: rendered whole, streamed as it renders
 * (large uncached pages), or, with deferred roots pending, rendered whole with their fallbacks
 * and streamed on with their fills.
 */
async function respond(app: App, request: PageRequest, plan: PagePlan, loaded: LoadedData, status: number, deadline: PageDeadline): Promise<PageResponse> {
  const routeId = plan.page.id;
  const { data } = loaded;
  // A view compiled again with a handler's viewParams is not among the plans of startup.
  const client = app.clientMarkup.get(plan)?.get(localeOf(app, request)) ?? clientMarkup(plan.body.roots, app.client, app.options.mode === 'development', localeOf(app, request));
  const head = renderHead(data.map((d) => d.result.markup));
  const page: Omit<PageParts, 'body'> = {
    title: head.title,
    head: head.html + (status === 200 ? alternateLinks(app.config, request.url) : '') + client.head,
    scripts: islandPropsScripts(routeId, data) + client.body,
    url: app.config.basePath + request.url,
    locale: localeOf(app, request),
  };
  const view = request.handlerView;
  const caching = cachePolicy(status, view?.ttl ?? plan.page.ttl, data, loaded.readsHeaders() || view?.personal === true);
  // Tags and dependencies matter to the page cache (and the tag header): a page it will not store needs neither.
  const { tags, header: tagHeader } = caching.storable !== undefined || app.config.pageCache.tagHeader !== undefined ? tagging(app, plan, data, status) : UNTAGGED;
  const headers = {
    ...hookHeaders(data),
    ...view?.headers,
    ...tagHeader,
    'content-type': 'text/html; charset=utf-8',
    'cache-control': caching.header,
    // With more than one locale and none in the URL, the page's language came from Accept-Language:
    // a shared cache downstream must keep one copy per language (the page cache's key has the locale).
    ...(app.config.i18n.locales.length > 1 && app.config.i18n.uriPattern === undefined ? { vary: 'accept-language' } : {}),
  };
  const deferred = new Set(loaded.deferred.keys());

  // Yield to the event loop before a long synchronous render: otherwise every page whose data
  // just settled renders in one unbroken microtask chain (50 × 18 ms for the 1,000-item page),
  // timers and I/O starve, and load shedding sees a huge loop delay and refuses everything.
  // Short pages (the 30 KB reference page renders in about 1 ms) skip the extra event-loop turn.
  const lastSize = app.renderSizes.get(routeId) ?? 0;
  if (lastSize >= YIELD_MIN_CHARS) await new Promise<void>((resolve) => setImmediate(resolve));

  // Pages the cache does not keep, and that came out large last time, stream as they render.
  if (caching.storable === undefined && deferred.size === 0 && lastSize >= app.options.streamMinChars) {
    return { status, headers, body: streamBody(app, request, plan, page, rootBindings(data, new Map(), deferred, isDev(app), undefined)), routeId };
  }
  const body = await renderWhole(app, request, plan, loaded, deferred, deadline);
  if (deferred.size > 0) return deferredResponse(app, request, plan, page, body, status, headers, loaded, deadline);
  // A page the cache will not keep is sent once: its bytes may be lent, and are given back once sent.
  const html = composePage(plan.layout.parts, { ...page, body: body.html }, caching.storable === undefined ? app.pageBuffers : undefined);
  app.renderSizes.set(routeId, html.length);
  // A root that fell back makes the page a one-off: not public, not stored.
  if (body.fellBack) return { status, headers: { ...headers, 'cache-control': PRIVATE }, body: html, routeId };
  return { status, headers, body: html, routeId, ...(caching.storable !== undefined ? { tags, deps: dependencies(data), storable: caching.storable } : {}) };
}

function streamBody(app: App, request: PageRequest, plan: PagePlan, page: Omit<PageParts, 'body'>, bindings: readonly unknown[]): StreamedPageResponse['body'] {
  const routeId = plan.page.id;
  let renderingTag = '';
  const [before, after] = composeAround(plan.layout.parts, page);
  return streamPage(before, plan.body, bindings, plan.page.ssr, app.bodyRenderers, after, {
    onElement: (tag) => {
      renderingTag = tag;
    },
    onFallback: (fallback) => app.fallbackWarnings.warn(request.log, routeId, fallback),
    onError: (error) => logFailure(request, routeId, renderFailed(routeId, renderingTag, error)),
    onDone: (length) => app.renderSizes.set(routeId, length),
  });
}

async function renderWhole(app: App, request: PageRequest, plan: PagePlan, loaded: LoadedData, deferred: ReadonlySet<number>, deadline: PageDeadline): Promise<IsolatedRender> {
  const routeId = plan.page.id;
  const body = await renderIsolated(routeId, plan.body, loaded.data, deferred, plan.page.ssr, isDev(app), app.bodyRenderers, {
    onFallback: (root, error) => logFallback(request, routeId, root, error),
    onElementFallback: (fallback) => app.fallbackWarnings.warn(request.log, routeId, fallback),
  });
  // A page whose deadline ended while it rendered is not sent: a timeout is a 500 naming the
  // route, a client that left gets nothing (its reason reaches renderErrorPage, which stays quiet).
  if (deadline.ended) throw deadline.timedOut ? atollError('ATOLL_DATA_TIMEOUT', [routeId, deadline.ms, []]) : deadline.reason;
  return body;
}

/**
 * A page with deferred roots: status and headers are decided, the document up to `</body>` goes
 * out at once, fills follow as data settles (render/deferred-fills.ts). Sent `private, no-cache`:
 * what the deferred roots return (a shorter TTL, reading cookies) is not known yet. Once every fill
 * arrived without a fallback, `completed` holds the whole document for the page cache.
 */
function deferredResponse(
  app: App,
  request: PageRequest,
  plan: PagePlan,
  page: Omit<PageParts, 'body'>,
  body: IsolatedRender,
  status: number,
  headers: Record<string, string>,
  loaded: LoadedData,
  deadline: PageDeadline,
): StreamedPageResponse {
  const routeId = plan.page.id;
  const [before, after] = composeAround(plan.layout.parts, page);
  const [beforeEnd, end] = splitAtBodyEnd(after);
  let fellBack = body.fellBack;
  const stream = streamDeferred({
    routeId,
    first: before + htmlText(body.html) + beforeEnd,
    last: end,
    deferred: loaded.deferred,
    ssr: plan.page.ssr,
    dev: isDev(app),
    renderers: app.bodyRenderers,
    onElementFallback: (fallback) => app.fallbackWarnings.warn(request.log, routeId, fallback),
    onFallback: (root, error) => {
      fellBack = true;
      logFallback(request, routeId, root, error);
    },
    onIgnored: (error) => logFailure(request, routeId, error),
    onEnd: deadline.hold(),
  });
  const completed = stream.completed.then((done): WholePageResponse | undefined => {
    if (done === undefined || fellBack) return undefined;
    const all = loaded.data.map((d) => done.arrived.find((a) => a.root === d.root) ?? d);
    const caching = cachePolicy(status, plan.page.ttl, all, loaded.readsHeaders());
    if (caching.storable === undefined) return undefined;
    const tagged = tagging(app, plan, all, status);
    return {
      status,
      headers: { ...headers, ...tagged.header, 'cache-control': caching.header },
      body: done.html,
      routeId,
      tags: tagged.tags,
      deps: dependencies(all),
      storable: caching.storable,
    };
  });
  return { status, headers: { ...headers, 'cache-control': PRIVATE }, body: stream.body, routeId, completed };
}

/** The page's cache tags, and the tag header (pageCache.tagHeader) that carries them on pages below 400. */
function tagging(app: App, plan: PagePlan, data: PageData['data'], status: number): { tags: readonly string[]; header: Record<string, string> } {
  const tags = pageTags(
    plan.page,
    data.map((d) => d.tags),
  );
  const tagHeader = app.config.pageCache.tagHeader;
  return { tags, header: tagHeader !== undefined && status < 400 ? { [tagHeader.toLowerCase()]: tagHeaderValue(tagHeader, tags) } : {} };
}

/** The crossRequestCache keys the page's hooks read: a set or delete of one drops the stored page. */
function dependencies(data: PageData['data']): string[] {
  return [...new Set(data.flatMap((d) => d.deps))];
}

/** A failure-isolated root failed: logged with its code, route, tag and cause; the page goes on. */
function logFallback(request: PageRequest, routeId: string, root: RootElement, error: unknown): void {
  const code = AtollError.is(error) ? error.code : undefined;
  request.log.error(
    { err: error, code, routeId, tag: root.tag },
    `${AtollError.is(error) ? `${error.message} ${error.hint}` : describeThrown(error)} <${root.tag}> shows its fallback.`,
  );
}

function isDev(app: App): boolean {
  return app.options.mode === 'development';
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
