import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { App } from '../app.js';
import type { Client } from '../data/page-deadline.js';
import { renderRequest } from '../pipeline.js';
import { plainErrorPage } from '../render/error-page.js';
import { sendPage } from './send-page.js';

/** Every other GET under basePath goes through the page pipeline; outside basePath is a 404. */
export function registerPageRoute(server: FastifyInstance, app: App): void {
  server.get('/*', async (request, reply) => {
    const url = request.url;
    const base = app.config.basePath;
    if (base !== '' && !(url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`))) {
      return sendPage(reply, plainErrorPage(404, '(outside basePath)'));
    }
    const withoutBase = url.slice(base.length);
    const page = await renderRequest(app, {
      method: request.method,
      url: withoutBase.startsWith('/') ? withoutBase : `/${withoutBase}`,
      headers: request.headers,
      client: new ResponseClient(reply.raw),
      log: request.log,
    });
    request.atollRouteId = page.routeId;
    return sendPage(reply, page);
  });
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

