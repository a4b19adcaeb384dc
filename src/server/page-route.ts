import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { App } from '../app.js';
import type { Client } from '../data/page-deadline.js';
import { renderRequest } from '../pipeline.js';
import type { PageRequest } from '../page-response.js';
import { plainErrorPage } from '../render/error-page.js';
import { exceededLimit } from '../routing/request-limits.js';
import { localeInUrl } from '../routing/locale-prefix.js';
import { sendPage } from './send-page.js';
import { chooseEncoding } from './choose-encoding.js';
import { downstreamCache } from './downstream-cache.js';
import { postAction } from './post-action.js';
import { isSameOriginPost } from '../input/same-origin-post.js';
import type { RouteMatch } from '../routing/route-table.js';
import type { HandlerMethod } from '../config/app-config.js';
import { readBody } from '../input/read-body.js';
import { cookieJar } from './cookie-jar.js';
import { SendBatch } from './send-batch.js';
import { Readable } from 'node:stream';

/** Every other GET under basePath goes through the page pipeline; outside basePath is a 404. */
export function registerPageRoute(server: FastifyInstance, app: App): void {
  const batch = new SendBatch();
  server.get('/*', async (request, reply) => {
    const url = withoutBasePath(app, request.url);
    if (url === undefined) return sendPage(reply, plainErrorPage(404, '(outside basePath)'));
    const page = await renderRequest(app, pageRequest(app, request, reply, url));
    request.atollRouteId = page.routeId;
    // Whole pages go out with the others of this turn (send-batch.ts); a stream starts at once.
    if (!(page.body instanceof Readable)) await batch.wait();
    const headers = downstreamCache(app.config.cdn, page.headers);
    if (page.encoded === undefined || !Buffer.isBuffer(page.body)) return sendPage(reply, { ...page, headers }, app.pageBuffers);
    return sendPage(reply, { status: page.status, ...chooseEncoding(request.headers['accept-encoding'], headers, page.body, page.encoded) });
  });

  // Pages take GET and HEAD, and POST when a root exports form actions: another method on a
  // page's URL is 405 with Allow (OPTIONS gets 204 with the same Allow), not the 404 of a URL
  // that does not exist. Answered in onRequest, before fastify reads (or refuses) the body: the
  // method is the problem, not the body. A cross-site POST is refused there too (403). A route
  // with a routeHandler takes the methods of its config, each under the same cross-site rule.
  const guard = (request: FastifyRequest, reply: FastifyReply): FastifyReply | { url: string; matched: RouteMatch } => {
    const url = withoutBasePath(app, request.url);
    const pathname = url?.split('?')[0];
    const inUrl = pathname === undefined ? undefined : localeInUrl(app.config.i18n, pathname);
    const routePath = inUrl === undefined ? undefined : (inUrl.redirectTo ?? inUrl.pathname);
    const matched = routePath === undefined || exceededLimit(routePath, '') !== undefined ? undefined : app.routeTable.match(routePath);
    if (url === undefined || matched === undefined) return sendPage(reply, plainErrorPage(404, '(none)'));
    const handler = app.handlers.get(matched.route.id);
    const allow = handler?.allow ?? (app.actions.has(matched.route.id) ? ACTION_METHODS : PAGE_METHODS);
    const takes = handler === undefined ? request.method === 'POST' && allow === ACTION_METHODS : handler.functions.has(request.method as HandlerMethod);
    if (takes) {
      // Bodies are read as they came (compression.ts): a compressed one would reach an action as noise.
      const encoding = request.headers['content-encoding'];
      if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
        request.log.info({ routeId: matched.route.id, encoding }, 'compressed request body refused');
        return sendPage(reply, plainErrorPage(415, matched.route.id));
      }
      if (isSameOriginPost(request.headers, app.config.forms.allowedOrigins)) return { url, matched };
      request.log.info({ routeId: matched.route.id, origin: request.headers.origin, site: request.headers['sec-fetch-site'] }, 'cross-site post refused');
      return sendPage(reply, plainErrorPage(403, matched.route.id));
    }
    if (request.method === 'OPTIONS') return reply.status(204).headers({ allow, 'cache-control': 'no-store' }).send();
    const page = plainErrorPage(405, '(method)');
    return sendPage(reply, { ...page, headers: { ...page.headers, allow } });
  };
  server.route({
    method: ['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/*',
    bodyLimit: app.config.forms.bodyLimit,
    // Before the body is read: a refused post is never parsed.
    onRequest: async (request, reply) => {
      const checked = guard(request, reply);
      if ('matched' in checked) return;
      return checked;
    },
    handler: async (request, reply) => {
      const checked = guard(request, reply);
      if (!('matched' in checked)) return checked;
      if (checked.matched.route.handler !== undefined) return handlerRequest(app, request, reply, checked.url);
      return postAction(app, request, reply, checked.url, checked.matched, new ResponseClient(reply.raw));
    },
  });
}

/** A POST, PUT, PATCH or DELETE to a route handler: its body, then the pipeline (which runs the handler). */
async function handlerRequest(app: App, request: FastifyRequest, reply: FastifyReply, url: string): Promise<FastifyReply> {
  const read = await readBody(request, app.config.forms);
  if ('status' in read) {
    request.log.info({ status: read.status }, `request refused: ${read.reason}`);
    return sendPage(reply, plainErrorPage(read.status, '(body)'));
  }
  const page = await renderRequest(app, { ...pageRequest(app, request, reply, url), body: read.body });
  request.atollRouteId = page.routeId;
  return sendPage(reply, page, app.pageBuffers);
}

function pageRequest(app: App, request: FastifyRequest, reply: FastifyReply, url: string): PageRequest {
  return { method: request.method, url, headers: request.headers, client: new ResponseClient(reply.raw), log: request.log, cookieJar: cookieJar(app, reply) };
}

const PAGE_METHODS = 'GET, HEAD';
const ACTION_METHODS = 'GET, HEAD, POST';

/** The URL after basePath ("/shop/x" → "/x"); undefined when it is not under basePath. */
function withoutBasePath(app: App, url: string): string | undefined {
  const base = app.config.basePath;
  if (base !== '' && !(url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`))) return undefined;
  const rest = url.slice(base.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** The client of one response: gone when the connection closed before the response finished. */
class ResponseClient implements Client {
  readonly #response: ServerResponse;

  constructor(response: ServerResponse) {
    this.#response = response;
  }

  get gone(): boolean {
    return this.#response.closed && !this.#response.writableFinished;
  }

  onGone(listener: () => void): () => void {
    const response = this.#response;
    const onClose = (): void => {
      if (!response.writableFinished) listener();
    };
    response.once('close', onClose);
    return () => response.off('close', onClose);
  }
}
