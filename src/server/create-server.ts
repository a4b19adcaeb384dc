import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import { loadApp, type App, type AppOptions } from '../app.js';
import { warnBrowserOnly } from './browser-only-warnings.js';
import { plainErrorPage } from '../render/error-page.js';
import { DEFAULT_OVERLOAD, registerOverload, type OverloadOptions } from './overload.js';
import { registerPurgeEndpoint } from './purge-endpoint.js';
import { registerPageRoute } from './page-route.js';
import { registerBodyParsers } from './body-parsers.js';
import { lazyRequestLogger, registerRequestLog, stdoutLog } from './request-log.js';
import { sendPage } from './send-page.js';
import { registerCompression } from './compression.js';
import { buildIdentity } from '../cache/build-identity.js';
import { attachSharedTier } from '../cache/attach-shared-tier.js';
import { registerAssets, registerClientFiles } from './static-files.js';
import { insertBeforeBodyEnd, insertBeforeBodyEndStream } from './insert-before-body-end.js';
import { Readable } from 'node:stream';
import { atollError, describeThrown } from '../errors.js';

export interface ServerOptions extends AppOptions {
  readonly root: string;
  readonly overload?: Partial<OverloadOptions>;
  /** pino level: fatal, error, warn, info, debug, trace, silent. */
  readonly logLevel: string;
  /** Where log lines go (tests capture them); stdout by default. */
  readonly logStream?: DestinationStream;
  /** Enables `POST <basePath>/_atoll/purge` (the CLI passes ATOLL_PURGE_TOKEN); unset or empty: no endpoint. */
  readonly purgeToken?: string;
  /** The shared tier (REDIS_URL, ATOLL_REDIS_PREFIX by default); none when url is undefined. */
  readonly redis?: { readonly url: string | undefined; readonly prefix: string };
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
  const redis = options.redis ?? { url: process.env['REDIS_URL'] || undefined, prefix: process.env['ATOLL_REDIS_PREFIX'] ?? 'atoll:' };
  // The Redis client is loaded only for a shared tier: it is 5 MB of a worker's heap (10 MB with
  // source maps), and every full garbage collection marks what lives (BENCHMARKS.md, 2026-12-07).
  const connect = redis.url === undefined ? undefined : await importRedisTier();
  return serveApp(await loadApp(options.root, options), { ...options, redis, ...(connect === undefined ? {} : { connectRedis: connect }) });
}

type ConnectRedis = typeof import('../cache/redis-tier.js')['connectRedisTier'];

async function importRedisTier(): Promise<ConnectRedis> {
  try {
    return (await import('../cache/redis-tier.js')).connectRedisTier;
  } catch (error) {
    throw atollError('ATOLL_REDIS_CLIENT_MISSING', [describeThrown(error)], { cause: error });
  }
}

/** What the dev server adds: its own HTTP server, and a script in every HTML page. */
export interface DevHooks {
  readonly serverFactory: NonNullable<import('fastify').FastifyServerOptions['serverFactory']>;
  /** Inserted before </body> of HTML responses (the live-reload client). */
  readonly bodyEndScript: string;
}

/**
 * The fastify instance for an app that is already loaded (the dev server and the browser check
 * share it): composed from the parts below in the order their hooks must run.
 */
export function serveApp(
  loaded: App,
  options: Pick<ServerOptions, 'logLevel' | 'logStream' | 'overload' | 'purgeToken' | 'redis'> & { readonly dev?: DevHooks; readonly connectRedis?: ConnectRedis },
): FastifyInstance {
  if (options.redis?.url !== undefined && options.connectRedis === undefined) {
    throw atollError('ATOLL_REDIS_CLIENT_MISSING', ['serveApp was given a Redis URL without connectRedis']);
  }
  const server = Fastify({
    ...(options.dev === undefined ? {} : { serverFactory: options.dev.serverFactory }),
    logger: { level: options.logLevel, stream: options.logStream ?? stdoutLog() },
    // Atoll writes its own single line per request (route id, status, ms) in onResponse.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
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
  const app = withRedis(loaded, options.redis, options.connectRedis, server);
  warnBrowserOnly(server.log, app.components);
  server.decorateRequest('atollRouteId', '');
  server.decorate('atollDraining', false);
  server.addHook('onRequest', (_request, reply, done) => {
    if (!server.atollDraining) return done();
    const page = plainErrorPage(503, '(shutting down)');
    reply
      .status(503)
      .headers({ ...page.headers, 'retry-after': '1', connection: 'close' })
      .send(page.body);
  });
  // The dev server edits HTML bodies in onSend: it sends them uncompressed.
  if (options.dev === undefined) registerCompression(server);
  registerOverload(server, app, { ...DEFAULT_OVERLOAD, ...options.overload });
  registerAssets(server, app);
  // Registered as a plugin so that it loads after compression: @fastify/compress hooks every
  // route declared once it has loaded, and a route declared before is left uncompressed.
  server.register(async (routes) => {
    registerClientFiles(routes, app);
    registerPurgeEndpoint(routes, app, options.purgeToken);
    registerBodyParsers(routes, app);
    registerPageRoute(routes, app);
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
      if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
      if (typeof payload === 'string') return insertBeforeBodyEnd(payload, script);
      return payload instanceof Readable ? insertBeforeBodyEndStream(payload, script) : payload;
    });
  }
  registerRequestLog(server);
  return server;
}

/** The app with the shared tier on Redis when a URL is set (createServer then loaded the client); closed with the server. */
function withRedis(app: App, redis: ServerOptions['redis'], connectRedisTier: ConnectRedis | undefined, server: FastifyInstance): App {
  // serveApp refused a URL without a client before building anything.
  if (redis?.url === undefined || connectRedisTier === undefined) return app;
  const tier = connectRedisTier({ url: redis.url, prefix: redis.prefix, build: buildIdentity(app), log: server.log });
  server.addHook('onClose', () => tier.close());
  return attachSharedTier(app, tier);
}
