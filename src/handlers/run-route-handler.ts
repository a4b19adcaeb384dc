import path from 'node:path';
import type { App } from '../app.js';
import type { HandlerMethod, HandlerRouteConfig } from '../config/app-config.js';
import type { LoadedRouteHandler } from '../compile/load-route-handlers.js';
import { AtollError, atollError, describeThrown } from '../errors.js';
import type { PageDeadline } from '../data/page-deadline.js';
import { parseCookies } from '../data/parse-cookies.js';
import { parseQuery } from '../data/parse-query.js';
import type { PageRequest, WholePageResponse } from '../page-response.js';
import type { RouteParams } from '../routing/route-table.js';
import { planPage, type PagePlan } from '../templates/compile-pages.js';
import { checkHandlerResult, type CheckedView } from './check-handler-result.js';
import type { RouteHandlerContext } from './types.js';

/** What a handler decided for the view it returned; the page render applies it (pipeline.ts). */
export interface HandlerViewSettings {
  /** Replaces the status the page's data hooks decide. */
  readonly status: number | undefined;
  /** Over the data hooks' headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** Replaces the route's cache.ttl. */
  readonly ttl: number | undefined;
  /** The handler read headers or cookies, or set a cookie: never `public`, never stored. */
  readonly personal: boolean;
}

export type HandlerOutcome =
  | { readonly kind: 'view'; readonly plan: PagePlan; readonly settings: HandlerViewSettings }
  | { readonly kind: 'response'; readonly response: WholePageResponse };

/**
 * The route handler stage: calls the route's function for the request's method (HEAD uses GET's)
 * within the page deadline and checks what it returns. A view is resolved to one of the route's
 * compiled views (compiled again when viewParams replace the route's properties); a response
 * gets its final headers. Throws ATOLL_HANDLER_FAILED or ATOLL_HANDLER_INVALID_RESULT (the
 * pipeline turns them into the 500 page), or the deadline's reason.
 */
export async function runRouteHandler(
  app: App,
  request: PageRequest,
  route: HandlerRouteConfig,
  handler: LoadedRouteHandler,
  params: RouteParams,
  locale: string,
  deadline: PageDeadline,
): Promise<HandlerOutcome> {
  const method = (request.method === 'HEAD' ? 'GET' : request.method) as HandlerMethod;
  const fn = handler.functions.get(method)!;
  const context = new HandlerContext(app, request, params, locale, deadline);
  let value: unknown;
  try {
    value = await deadline.race(
      Promise.resolve().then(() => fn(context)),
      () => (deadline.timedOut ? atollError('ATOLL_DATA_TIMEOUT', [route.id, deadline.ms, []], { routeId: route.id }) : deadline.reason),
    );
  } catch (error) {
    if (deadline.ended) throw error;
    const detail = AtollError.is(error) ? `${error.code}: ${error.message}` : describeThrown(error);
    throw atollError('ATOLL_HANDLER_FAILED', [route.id, handler.file, request.method, detail], { cause: error, routeId: route.id });
  }
  const invalid = (problems: readonly string[]): AtollError =>
    atollError('ATOLL_HANDLER_INVALID_RESULT', [route.id, handler.file, request.method, problems], { routeId: route.id });
  const checked = checkHandlerResult(value);
  if ('problems' in checked) throw invalid(checked.problems);
  const personal = context.personal;

  if (checked.kind === 'response') {
    const headers: Record<string, string> = { ...checked.headers, 'cache-control': cacheControl(checked.headers['cache-control'], personal) };
    const location = headers['location'];
    if (location?.startsWith('/')) headers['location'] = app.config.basePath + location;
    return { kind: 'response', response: { status: checked.status, headers, body: checked.body, routeId: route.id } };
  }
  const plan = viewPlan(app, route, checked);
  if ('problems' in plan) throw invalid(plan.problems);
  return { kind: 'view', plan, settings: { status: checked.status, headers: checked.headers, ttl: checked.ttl, personal } };
}

/**
 * The compiled view the result names: by its content (contentTemplate relative to the app, or
 * rootComponent), then by layoutTemplate when given; the first with that content otherwise.
 */
function viewPlan(app: App, route: HandlerRouteConfig, checked: CheckedView): PagePlan | { problems: string[] } {
  const { root } = app.config;
  const { contentTemplate, rootComponent, layoutTemplate } = checked.view;
  const file = contentTemplate === undefined ? undefined : path.resolve(root, contentTemplate);
  const layout = layoutTemplate === undefined ? undefined : path.resolve(root, layoutTemplate);
  const views = app.pages.views.get(route.id) ?? [];
  const found = views.find(({ page }) => {
    const content = page.content.kind === 'template' ? page.content.file === file : page.content.tag === rootComponent;
    return content && (layout === undefined || page.layoutFile === layout);
  });
  if (found === undefined) {
    const declared = views.map(({ page }) =>
      describeView(root, page.content.kind === 'template' ? page.content.file : undefined, page.content.kind === 'component' ? page.content.tag : undefined, page.layoutFile),
    );
    return {
      problems: [
        `result.view: ${describeView(root, file, rootComponent, layout)} is not one of the views of route "${route.id}" (${declared.length === 0 ? 'it declares none' : declared.join('; ')}); add it to the route's "views" in app.config.json`,
      ],
    };
  }
  if (checked.viewParams === undefined) return found;
  const problems: string[] = [];
  const plan = planPage(
    root,
    new Set(app.components.keys()),
    { ...found.page, properties: checked.viewParams },
    `route "${route.id}" viewParams`,
    problems,
    (f) => app.pages.sources.get(f)!,
  );
  return problems.length > 0 ? { problems: problems.map((p) => `result.viewParams: ${p}`) } : plan;
}

function describeView(root: string, file: string | undefined, tag: string | undefined, layout: string | undefined): string {
  const content = file === undefined ? `rootComponent ${tag}` : `contentTemplate ${path.relative(root, file)}`;
  return layout === undefined ? content : `${content} with layoutTemplate ${path.relative(root, layout)}`;
}

/**
 * A response's Cache-Control: the handler's own, else `no-store`. A personal response (the handler
 * read headers or cookies, or set a cookie) may be kept by the browser only: `public` and
 * `s-maxage` are dropped and `private` added unless it says private or no-store already.
 */
function cacheControl(given: string | undefined, personal: boolean): string {
  if (given === undefined) return 'no-store';
  if (!personal) return given;
  const directives = given
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '' && !/^(?:public|s-maxage\s*=.*)$/i.test(d));
  if (!directives.some((d) => /^(?:private|no-store)\b/i.test(d))) directives.unshift('private');
  return directives.join(', ');
}

/** A class with getters, as the data hooks' context: reading headers or cookies is recorded. */
class HandlerContext implements RouteHandlerContext {
  readonly method: string;
  readonly url: string;
  readonly params: RouteParams;
  readonly query: RouteHandlerContext['query'];
  readonly locale: string;
  readonly basePath: string;
  readonly body: RouteHandlerContext['body'];
  personal = false;
  readonly #app: App;
  readonly #request: PageRequest;
  readonly #deadline: PageDeadline;

  constructor(app: App, request: PageRequest, params: RouteParams, locale: string, deadline: PageDeadline) {
    const queryStart = request.url.indexOf('?');
    this.method = request.method;
    this.url = request.url;
    this.params = params;
    this.query = parseQuery(queryStart === -1 ? '' : request.url.slice(queryStart + 1));
    this.locale = locale;
    this.basePath = app.config.basePath;
    this.body = request.body as RouteHandlerContext['body'];
    this.#app = app;
    this.#request = request;
    this.#deadline = deadline;
  }

  get headers(): RouteHandlerContext['headers'] {
    this.personal = true;
    return this.#request.headers;
  }

  get cookies(): RouteHandlerContext['cookies'] {
    this.personal = true;
    return parseCookies(this.#request.headers.cookie, this.#app.options.cookieSecret);
  }

  get signal(): AbortSignal {
    return this.#deadline.signal;
  }

  setCookie: RouteHandlerContext['setCookie'] = (name, value, options) => {
    this.personal = true;
    this.#jar().set(name, value, options);
  };

  clearCookie: RouteHandlerContext['clearCookie'] = (name, options) => {
    this.personal = true;
    this.#jar().clear(name, options);
  };

  #jar() {
    const jar = this.#request.cookieJar;
    if (jar === undefined) throw new Error('this render has no response to set a cookie on (static generation or atoll check)');
    return jar;
  }
}
