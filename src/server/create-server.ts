import Fastify, { LogController, type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import underPressure from '@fastify/under-pressure';
import { getHeapStatistics } from 'node:v8';
import { pino, type DestinationStream } from 'pino';
import { loadApp, type App, type AppOptions } from '../app.js';
import { renderRequest } from '../pipeline.js';
import { plainErrorPage } from '../render/error-page.js';
import { CLIENT_PREFIX } from '../island-protocol.js';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Client } from '../data/page-deadline.js';

/** Load shedding: past these, new requests get 503 with Retry-After until the server recovers. */
export interface OverloadOptions {
  /** Mean event-loop delay over one sample. */
  readonly maxEventLoopDelayMs: number;
  readonly sampleIntervalMs: number;
  /** Default: 90% of V8's heap limit. */
  readonly maxHeapUsedBytes: number;
  /** Seconds, sent as Retry-After. */
  readonly retryAfterSeconds: number;
}

export const DEFAULT_OVERLOAD: OverloadOptions = {
  maxEventLoopDelayMs: 500,
  sampleIntervalMs: 500,
  maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.9),
  retryAfterSeconds: 10,
};

export interface ServerOptions extends AppOptions {
  readonly root: string;
  readonly overload?: Partial<OverloadOptions>;
  /** pino level: fatal, error, warn, info, debug, trace, silent. */
  readonly logLevel: string;
  /** Where log lines go (tests capture them); stdout by default. */
  readonly logStream?: DestinationStream;
}

declare module 'fastify' {
  interface FastifyRequest {
    atollRouteId: string;
  }
  interface FastifyInstance {
    /** Set when shutting down: new requests get 503 and every connection is closed after its response. */
    atollDraining: boolean;
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
/** What the dev server adds: its own HTTP server, and a script in every HTML page. */
export interface DevHooks {
  readonly serverFactory: NonNullable<import('fastify').FastifyServerOptions['serverFactory']>;
  /** Inserted before </body> of HTML responses (the live-reload client). */
  readonly bodyEndScript: string;
}

export function serveApp(app: App, options: Pick<ServerOptions, 'logLevel' | 'logStream' | 'overload'> & { readonly dev?: DevHooks }): FastifyInstance {
  const server = Fastify({
    ...(options.dev === undefined ? {} : { serverFactory: options.dev.serverFactory }),
    logger: { level: options.logLevel, stream: options.logStream ?? stdoutLog() },
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
  server.decorate('atollDraining', false);
  server.addHook('onRequest', (_request, reply, done) => {
    if (!server.atollDraining) return done();
    const page = plainErrorPage(503, '(shutting down)');
    reply.status(503).headers({ ...page.headers, 'retry-after': '1', connection: 'close' }).send(page.body);
  });
  registerOverload(server, app, { ...DEFAULT_OVERLOAD, ...options.overload });
  registerAssets(server, app);
  registerClientFiles(server, app);
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
  server.setNotFoundHandler((_request, reply) => sendPage(reply, plainErrorPage(404, '(none)')));
  server.setErrorHandler((error: { statusCode?: number }, request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed outside the page pipeline');
    return sendPage(reply, plainErrorPage(status, request.atollRouteId || '(none)'));
  });
  if (options.dev !== undefined) {
    const script = options.dev.bodyEndScript;
    server.addHook('onSend', async (_request, reply, payload) => {
      if (typeof payload !== 'string' || !String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
      const at = payload.lastIndexOf('</body>');
      return at === -1 ? payload + script : payload.slice(0, at) + script + payload.slice(at);
    });
  }
  server.addHook('onResponse', (request, reply, done) => {
    request.log.info({ routeId: request.atollRouteId || undefined, method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, cache: reply.getHeader('x-atoll-cache') }, 'request');
    done();
  });
  return server;
}

/**
 * Log lines go to stdout asynchronously (a synchronous write per request line costs the event
 * loop under load); whatever is still buffered is written when the process exits.
 */
function stdoutLog(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false });
  process.once('exit', () => destination.flushSync());
  return destination;
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

function sendPage(reply: import('fastify').FastifyReply, page: { status: number; headers: Readonly<Record<string, string>>; body: string | Buffer | import('node:stream').Readable }) {
  return reply.status(page.status).headers(page.headers).send(page.body);
}

/**
 * Sheds load before any rendering starts (onRequest) while the event loop lags or the heap is
 * nearly full, and exposes `<basePath>/_atoll/health` (200, or 503 under pressure).
 */
function registerOverload(server: FastifyInstance, app: App, overload: OverloadOptions): void {
  server.register(underPressure, {
    maxEventLoopDelay: overload.maxEventLoopDelayMs,
    maxHeapUsedBytes: overload.maxHeapUsedBytes,
    sampleInterval: overload.sampleIntervalMs,
    retryAfter: overload.retryAfterSeconds,
    exposeStatusRoute: `${app.config.basePath}${CLIENT_PREFIX}health`,
    // under-pressure sends what this returns (null would let the request through).
    pressureHandler: (request, reply, type, value) => {
      request.log.warn({ type, value }, 'overloaded: shedding the request with 503');
      const page = plainErrorPage(503, '(overload)');
      reply.status(503).headers({ ...page.headers, 'retry-after': String(overload.retryAfterSeconds) });
      // biome-ignore lint/suspicious/noConfusingVoidType: under-pressure's handler type says void, yet it sends what the handler returns.
      return page.body as unknown as void;
    },
  });
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
  // The default public/ folder is optional (an explicitly configured one must exist: config check).
  app.config.assets.filter((asset) => existsSync(asset.dir)).forEach((asset, i) => {
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
      // @fastify/static follows symlinks; refuse any file whose real path leaves the folder.
      allowedPath: (pathName: string) => staysInside(asset.dir, path.join(asset.dir, pathName)),
    });
  });
}

function staysInside(dir: string, file: string): boolean {
  let real: string;
  try {
    real = realpathSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return true; // @fastify/static answers 404
    throw error;
  }
  const rel = path.relative(realpathSync(dir), real);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
