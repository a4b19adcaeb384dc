import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { DestinationStream } from 'pino';
import { loadApp, type App, type AppOptions } from '../app.js';
import { renderRequest } from '../pipeline.js';
import { plainErrorPage } from './error-page.js';
import { CLIENT_PREFIX } from '../compile/build-client.js';

export interface ServerOptions extends AppOptions {
  readonly root: string;
  /** pino level: fatal, error, warn, info, debug, trace, silent. */
  readonly logLevel: string;
  /** Where log lines go (tests capture them); stdout by default. */
  readonly logStream?: DestinationStream;
}

declare module 'fastify' {
  interface FastifyRequest {
    atollRouteId: string;
  }
}

/**
 * Loads the app (any startup problem rejects here, before anything listens) and returns a
 * fastify instance serving it: static assets under basePath, every other GET through the page
 * pipeline, one log line per request.
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  return serveApp(await loadApp(options.root, options), options);
}

/** The fastify instance for an app that is already loaded (the generate command shares it). */
export function serveApp(app: App, options: Pick<ServerOptions, 'logLevel' | 'logStream'>): FastifyInstance {
  const server = Fastify({
    logger: options.logStream === undefined ? { level: options.logLevel } : { level: options.logLevel, stream: options.logStream },
    // Atoll writes its own single line per request (route id, status, ms) in onResponse.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: false,
    bodyLimit: 16 * 1024,
    requestTimeout: 60_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 512 },
    // Malformed URLs are refused by fastify's router before any hook runs: answer and log here.
    frameworkErrors: (error, request, reply) => {
      const status = typeof error.statusCode === 'number' ? error.statusCode : 400;
      request.log.info({ method: request.method, url: request.url, status, code: error.code }, 'request');
      return sendPage(reply, plainErrorPage(status, '(none)'));
    },
  });
  server.decorateRequest('atollRouteId', '');
  registerAssets(server, app);
  registerClientFiles(server, app);
  server.get('/*', async (request, reply) => {
    const url = request.url;
    const base = app.config.basePath;
    if (base !== '' && !(url === base || url.startsWith(`${base}/`) || url.startsWith(`${base}?`))) {
      return sendPage(reply, plainErrorPage(404, '(outside basePath)'));
    }
    const withoutBase = url.slice(base.length);
    const clientGone = new AbortController();
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) clientGone.abort(new Error('client closed the connection'));
    });
    const page = await renderRequest(app, {
      method: request.method,
      url: withoutBase.startsWith('/') ? withoutBase : `/${withoutBase}`,
      headers: request.headers,
      signal: clientGone.signal,
      log: request.log,
    });
    request.atollRouteId = page.routeId;
    return sendPage(reply, page);
  });
  server.setNotFoundHandler((request, reply) => sendPage(reply, plainErrorPage(404, '(none)')));
  server.setErrorHandler((error: { statusCode?: number }, request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed outside the page pipeline');
    return sendPage(reply, plainErrorPage(status, request.atollRouteId || '(none)'));
  });
  server.addHook('onResponse', (request, reply, done) => {
    request.log.info({ routeId: request.atollRouteId || undefined, method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
    done();
  });
  return server;
}

function sendPage(reply: import('fastify').FastifyReply, page: { status: number; headers: Readonly<Record<string, string>>; body: string }) {
  return reply.status(page.status).headers(page.headers).send(page.body);
}

/** Island code: content-hashed names, so a URL's bytes never change and may be cached for a year. */
function registerClientFiles(server: FastifyInstance, app: App): void {
  const files = app.client?.files;
  if (files === undefined) return;
  server.get(`${app.config.basePath}${CLIENT_PREFIX}:file`, (request, reply) => {
    const contents = files.get(request.url.split('?')[0]!);
    if (contents === undefined) return sendPage(reply, plainErrorPage(404, '(client file)'));
    return reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(Buffer.from(contents.buffer, contents.byteOffset, contents.byteLength));
  });
}

function registerAssets(server: FastifyInstance, app: App): void {
  app.config.assets.forEach((asset, i) => {
    server.register(fastifyStatic, {
      root: asset.dir,
      prefix: `${app.config.basePath}${asset.urlPath}/`,
      decorateReply: i === 0,
      dotfiles: 'ignore',
      index: false,
      list: false,
      redirect: false,
      cacheControl: true,
      maxAge: 0,
    });
  });
}
