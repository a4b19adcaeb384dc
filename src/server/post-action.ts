import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { AtollError, atollError, describeThrown } from '../errors.js';
import { parseCookies } from '../data/parse-cookies.js';
import { parseQuery } from '../data/parse-query.js';
import { headerLocale } from '../data/negotiate-locale.js';
import { localeInUrl } from '../routing/locale-prefix.js';
import { checkActionResult } from '../input/check-action-result.js';
import { isRefusal, readForm } from '../input/read-form.js';
import type { ActionContext } from '../input/types.js';
import { cookieJar } from './cookie-jar.js';
import type { Client } from '../data/page-deadline.js';
import type { RouteMatch } from '../routing/route-table.js';
import { renderRequest } from '../pipeline.js';
import { errorPage, plainErrorPage } from '../render/error-page.js';
import { sendPage } from './send-page.js';

/** Same as a page's: a response to a POST is never stored, by Atoll or anyone downstream. */
const NO_STORE = 'no-store';

/**
 * A POST to a page with form actions (the origin was checked in onRequest): read the form, run
 * the action named by `?/name`, then answer
 * - `{ redirect }` → 303 See Other to it (post/redirect/get);
 * - data → the page again, its roots' getServerData given `context.actionResult`, with the
 *   action's status (422 for a form with errors) when the page itself says 200;
 * - with `Accept: application/json` (an island's fetch) → `{ ok, status, data | redirect }`.
 */
export async function postAction(app: App, request: FastifyRequest, reply: FastifyReply, url: string, matched: RouteMatch, client: Client): Promise<FastifyReply> {
  const routeId = matched.route.id;
  const json = wantsJson(request.headers.accept);
  const queryStart = url.indexOf('?');
  const query = parseQuery(queryStart === -1 ? '' : url.slice(queryStart + 1));
  const name =
    Object.keys(query)
      .find((key) => key.startsWith('/'))
      ?.slice(1) ?? 'default';
  const action = app.actions.get(routeId)?.get(name);
  if (action === undefined) return refuse(reply, json, 404, routeId);
  const form = await readForm(request, app.config.forms);
  if (isRefusal(form)) {
    request.log.info({ routeId, action: name, status: form.status }, `post refused: ${form.reason}`);
    return refuse(reply, json, form.status, routeId);
  }

  const jar = cookieJar(app, reply);
  // As the pipeline decides it for the page this post renders: the URL's locale, else the header's.
  // (A post to the default locale's own prefix is in the default locale.)
  const inUrl = localeInUrl(app.config.i18n, url.slice(0, queryStart === -1 ? undefined : queryStart));
  const locale = inUrl.redirectTo !== undefined ? app.config.i18n.defaultLocale : (inUrl.locale ?? headerLocale(app.config.i18n, request.headers['accept-language']));
  const context: ActionContext = {
    action: name,
    form,
    url,
    params: matched.params,
    query,
    locale,
    basePath: app.config.basePath,
    headers: request.headers,
    get cookies() {
      return parseCookies(request.headers.cookie, app.options.cookieSecret);
    },
    setCookie: jar.set,
    clearCookie: jar.clear,
  };

  let outcome: ReturnType<typeof checkActionResult>;
  try {
    let value: unknown;
    try {
      value = await action.run(context);
    } catch (error) {
      const detail = AtollError.is(error) ? `${error.code}: ${error.message}` : describeThrown(error);
      throw atollError('ATOLL_ACTION_FAILED', [routeId, action.tag, name, detail], { cause: error, routeId, tag: action.tag });
    }
    outcome = checkActionResult(value);
    if ('problems' in outcome) throw atollError('ATOLL_ACTION_INVALID_RESULT', [routeId, action.tag, name, outcome.problems], { routeId, tag: action.tag });
  } catch (error) {
    const failure = error as AtollError;
    request.log.error({ err: failure, code: failure.code, routeId, tag: action.tag }, `${failure.message} ${failure.hint}`);
    if (json) return sendJson(reply, 500, { ok: false, status: 500 });
    return sendPage(reply, app.options.mode === 'development' ? errorPage(failure, routeId) : plainErrorPage(500, routeId));
  }

  if ('redirect' in outcome) {
    const location = outcome.redirect.startsWith('/') ? app.config.basePath + outcome.redirect : outcome.redirect;
    if (json) return sendJson(reply, 200, { ok: true, status: 303, redirect: location });
    return reply.status(303).headers({ location, 'cache-control': NO_STORE }).send();
  }
  const { status, data } = outcome;
  if (json) return sendJson(reply, status, { ok: status < 400, status, data });
  const page = await renderRequest(app, {
    method: 'POST',
    url,
    headers: request.headers,
    client,
    log: request.log,
    locale,
    actionResult: { action: name, status, data },
  });
  request.atollRouteId = page.routeId;
  return sendPage(
    reply,
    {
      status: page.status === 200 ? status : page.status,
      headers: { ...page.headers, 'cache-control': NO_STORE },
      body: page.body,
    },
    app.pageBuffers,
  );
}

function refuse(reply: FastifyReply, json: boolean, status: number, routeId: string): FastifyReply {
  return json ? sendJson(reply, status, { ok: false, status }) : sendPage(reply, plainErrorPage(status, routeId));
}

function sendJson(reply: FastifyReply, status: number, body: object): FastifyReply {
  return reply.status(status).headers({ 'content-type': 'application/json; charset=utf-8', 'cache-control': NO_STORE }).send(JSON.stringify(body));
}

/** An island's fetch asks for JSON first; a browser's form post asks for text/html first. */
function wantsJson(accept: string | undefined): boolean {
  return accept !== undefined && /^\s*application\/json\s*(?:[;,]|$)/i.test(accept);
}
