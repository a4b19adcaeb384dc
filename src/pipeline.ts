import type { IncomingHttpHeaders } from 'node:http';
import type { App } from './app.js';
import { AtollError, atollError, describeThrown } from './errors.js';
import type { RouteParams } from './routing/route-table.js';
import { exceededLimit, paramsTooLong } from './routing/request-limits.js';
import type { PagePlan } from './templates/compile-pages.js';
import { runDataHooks, type RootData } from './data/run-data-hooks.js';
import { PageDeadline, STAYING_CLIENT, type Client } from './data/page-deadline.js';
import { negotiateLocale } from './data/negotiate-locale.js';
import { parseQuery } from './data/parse-query.js';
import { renderBody } from './render/render-body.js';
import { composeAround, composePage } from './render/compose-page.js';
import { streamPage } from './render/stream-page.js';
import type { Readable } from 'node:stream';
import { renderHead } from './head/render-head.js';
import { islandPropsScripts } from './serialize/island-props-scripts.js';
import { errorPage, plainErrorPage } from './server/error-page.js';
import { cacheKey } from './cache/page-cache.js';
import { serveCached } from './cache/serve-cached.js';

export interface PageRequest {
  readonly method: string;
  /** Path and query as requested, without basePath, e.g. "/category/books?sort=price". */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The connection: a client that goes away ends the page's deadline (and its data hooks' signal). */
  readonly client: Client;
  readonly log: PageLog;
  /** Set once negotiated (for the page cache's key), so the render does not negotiate again. */
  readonly locale?: string;
}

/** The part of pino's logger the pipeline uses. */
export interface PageLog {
  error(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface PageResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** A Buffer when it comes from the page cache (encoded once, sent as is); a stream for large uncached pages. */
  readonly body: string | Buffer | Readable;
  /** For the request log line. */
  readonly routeId: string;
  /** TTL in seconds when the page cache may store this response (a public 200 with a TTL). */
  readonly storable?: number;
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({});
/** Routes whose last page was at least this long yield to the event loop before rendering. */
const YIELD_MIN_CHARS = 64 * 1024;

/**
 * The one orchestrator: a request goes through match → data → decide → render → head → props →
 * compose, in that order. Any failure becomes the 500 page; nothing is sent before the whole
 * page is built, so a failure never yields a truncated 200.
 */
export async function renderRequest(app: App, request: PageRequest): Promise<PageResponse> {
  const queryStart = request.url.indexOf('?');
  const pathname = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  if (exceededLimit(pathname, queryStart === -1 ? '' : request.url.slice(queryStart + 1)) !== undefined) return plainErrorPage(414, '(none)');
  if (!decodes(pathname)) return plainErrorPage(400, '(none)');
  const matched = app.routeTable.match(pathname);
  if (matched === undefined) return renderErrorPage(app, request, 404, undefined);
  if (paramsTooLong(matched.params)) return plainErrorPage(414, matched.route.id);
  const plan = app.pages.routes.get(matched.route.id)!;
  const locale = localeOf(app, request);
  const render = async (shared?: 'shared'): Promise<PageResponse> => {
    const forRender = { ...request, locale, ...(shared === undefined ? {} : { client: STAYING_CLIENT }) };
    try {
      return await renderPlan(app, forRender, plan, matched.params, undefined);
    } catch (error) {
      return renderErrorPage(app, forRender, 500, error, plan.page.id);
    }
  };
  if (app.pageCache === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) return render();
  const key = cacheKey(plan.page.id, pathname, queryStart === -1 ? '' : request.url.slice(queryStart + 1), locale);
  return serveCached(app.pageCache, key, headerText(request.headers['if-none-match']), render);
}

/** The 404 page as the server sends it for an unknown URL (the generate command writes it as 404.html). */
export function renderNotFound(app: App, request: PageRequest): Promise<PageResponse> {
  return renderErrorPage(app, request, 404, undefined);
}

/** `errorStatus` set: this is an error page, whose own redirect or notFound is ignored. */
async function renderPlan(app: App, request: PageRequest, plan: PagePlan, params: RouteParams, errorStatus: 404 | 500 | undefined): Promise<PageResponse> {
  const deadline = new PageDeadline(app.options.ssrTimeoutMs, request.client);
  try {
    return await renderWithin(app, request, plan, params, errorStatus, deadline);
  } finally {
    deadline.clear();
  }
}

async function renderWithin(app: App, request: PageRequest, plan: PagePlan, params: RouteParams, errorStatus: 404 | 500 | undefined, deadline: PageDeadline): Promise<PageResponse> {
  const routeId = plan.page.id;
  const { config, options } = app;
  const queryStart = request.url.indexOf('?');
  const locale = localeOf(app, request);
  let readsHeaders = false;

  const data = await runDataHooks({
    routeId,
    roots: plan.body.roots,
    components: app.components,
    shared: {
      url: request.url,
      params,
      query: parseQuery(queryStart === -1 ? '' : request.url.slice(queryStart + 1)),
      locale,
      basePath: config.basePath,
      method: request.method,
      crossRequestCache: app.crossRequestCache,
    },
    headers: request.headers,
    onHeadersRead: () => {
      readsHeaders = true;
    },
    onInvalidTtl: (tag, value) => {
      const error = atollError('ATOLL_TTL_INVALID', [`getServerData of <${tag}> on route "${routeId}"`, value]);
      request.log.warn({ code: error.code, routeId, tag }, `${error.message} ${error.hint} The TTL is ignored.`);
    },
    deadline,
  });

  if (errorStatus === undefined) {
    for (const { result } of data) {
      if (result.redirect !== undefined) return redirect(app, routeId, result.redirect.destination, result.redirect.permanent === true);
      if (result.notFound === true) return renderErrorPage(app, request, 404, undefined);
    }
  }
  const status = errorStatus ?? data.find((d) => d.result.status !== undefined)?.result.status ?? 200;

  const client = app.clientMarkup.get(plan)!;
  const scripts = islandPropsScripts(routeId, data) + client.body;
  const head = renderHead(data.map((d) => d.result.markup));
  const page = { title: head.title, head: head.html + client.head, scripts, url: config.basePath + request.url, locale };
  const props = data.map((d) => d.result.props ?? EMPTY);
  const caching = cachePolicy(status, plan.page.ttl, data, readsHeaders);
  const headers = { ...hookHeaders(data), 'content-type': 'text/html; charset=utf-8', 'cache-control': caching.header };

  // Yield to the event loop before a long synchronous render: otherwise every page whose data
  // just settled renders in one unbroken microtask chain (50 × 18 ms for the 1,000-item page),
  // timers and I/O starve, and load shedding sees a huge loop delay and refuses everything.
  // Short pages (the 30 KB reference page renders in about 1 ms) skip the extra event-loop turn.
  const lastSize = app.renderSizes.get(routeId) ?? 0;
  if (lastSize >= YIELD_MIN_CHARS) await new Promise<void>((resolve) => setImmediate(resolve));

  let renderingTag = '';
  const onElement = (tag: string): void => {
    renderingTag = tag;
  };
  // Pages the cache does not keep, and that came out large last time, stream as they render.
  if (caching.storable === undefined && lastSize >= options.streamMinChars) {
    const [before, after] = composeAround(plan.layout.parts, page);
    const body = streamPage(before, plan.body, props, plan.page.ssr, after, {
      onElement,
      onError: (error) => logFailure(request, routeId, atollError('ATOLL_RENDER_FAILED', [routeId, renderingTag, describeThrown(error)], { cause: error, routeId, tag: renderingTag })),
      onDone: (length) => app.renderSizes.set(routeId, length),
    });
    return { status, headers, body, routeId };
  }

  let body: string;
  try {
    body = await renderBody(plan.body, props, plan.page.ssr, onElement);
  } catch (error) {
    throw atollError('ATOLL_RENDER_FAILED', [routeId, renderingTag, describeThrown(error)], { cause: error, routeId, tag: renderingTag });
  }
  // A page whose deadline ended while it rendered is not sent: a timeout is a 500 naming the
  // route, a client that left gets nothing (its reason reaches renderErrorPage, which stays quiet).
  if (deadline.ended) throw deadline.timedOut ? atollError('ATOLL_DATA_TIMEOUT', [routeId, options.ssrTimeoutMs, []]) : deadline.reason;
  const html = composePage(plan.layout.parts, { ...page, body });
  app.renderSizes.set(routeId, html.length);
  return {
    status,
    headers,
    body: html,
    routeId,
    ...(caching.storable !== undefined && errorStatus === undefined ? { storable: caching.storable } : {}),
  };
}

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
    const page = await renderPlan(app, request, plan, Object.create(null) as RouteParams, status);
    return { ...page, headers: { ...page.headers, 'cache-control': 'no-store' } };
  } catch (error) {
    logFailure(request, plan.page.id, error);
    return plainErrorPage(status, plan.page.id);
  }
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

/** Headers from data hooks, first root in document order wins per name. */
function hookHeaders(data: readonly RootData[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { result } of data) {
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] ??= value;
  }
  return headers;
}

/**
 * The shortest TTL of the route and its roots, in whole seconds. `public` (and storable in the
 * page cache, for a 200) only when no hook read request headers or set a cookie; no TTL or 0 →
 * `private, no-cache`; error statuses → `no-store`.
 */
function cachePolicy(status: number, routeTtl: number | undefined, data: readonly RootData[], readsHeaders: boolean): { header: string; storable?: number } {
  if (status >= 400) return { header: 'no-store' };
  let ttl = routeTtl;
  for (const d of data) if (d.ttl !== undefined && (ttl === undefined || d.ttl < ttl)) ttl = d.ttl;
  if (ttl === undefined || ttl === 0) return { header: 'private, no-cache' };
  const personal = readsHeaders || data.some((d) => Object.keys(d.result.headers ?? {}).some((h) => h.toLowerCase() === 'set-cookie'));
  if (personal) return { header: `private, max-age=${ttl}` };
  return { header: `public, max-age=${ttl}`, ...(status === 200 ? { storable: ttl } : {}) };
}

function localeOf(app: App, request: PageRequest): string {
  if (request.locale !== undefined) return request.locale;
  const { locales, defaultLocale } = app.config.i18n;
  return locales.length === 1 ? defaultLocale : negotiateLocale(headerText(request.headers['accept-language']), locales, defaultLocale);
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
